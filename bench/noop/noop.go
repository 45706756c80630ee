package main

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
)

// Body is what every received message carries.
const Body = "fogbank-noop"

var bodyMD5 = md5hex(Body)

// Server answers SQS requests without doing anything. It is safe for
// concurrent use.
type Server struct {
	seq atomic.Uint64 // message and request ids
	log *Log          // nil, or where every request is made durable first
}

// New returns a Server.
func New() *Server { return &Server{} }

// NewDurable returns a Server that commits every request's body to log
// before answering it: the durable no-op.
func NewDurable(log *Log) *Server { return &Server{log: log} }

const jsonTarget = "AmazonSQS."

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/health" {
		w.Write([]byte("ok\n"))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if s.log != nil {
		if err := s.log.Commit(body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("X-Amzn-Requestid", s.id())
	if t := r.Header.Get("X-Amz-Target"); strings.HasPrefix(t, jsonTarget) {
		s.serveJSON(w, r, strings.TrimPrefix(t, jsonTarget), body)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		queryError(w, "MalformedQueryString", err.Error())
		return
	}
	for k, v := range r.URL.Query() {
		if _, ok := form[k]; !ok {
			form[k] = v
		}
	}
	s.serveQuery(w, r, form)
}

// id returns a fresh UUID-shaped id.
func (s *Server) id() string {
	n := s.seq.Add(1)
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", uint32(n>>48), n&0xffffffffffff)
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func queueURL(r *http.Request, name string) string {
	return "http://" + r.Host + "/000000000000/" + name
}

// JSON protocol (awsJson1_0).

type jsonEntry struct {
	ID          string `json:"Id"`
	MessageBody string `json:"MessageBody"`
}

type jsonIn struct {
	QueueName           string      `json:"QueueName"`
	MessageBody         string      `json:"MessageBody"`
	MaxNumberOfMessages int         `json:"MaxNumberOfMessages"`
	Entries             []jsonEntry `json:"Entries"`
}

func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, op string, body []byte) {
	var in jsonIn
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			jsonError(w, "SerializationException", "AWS.SimpleQueueService.SerializationException", err.Error())
			return
		}
	}
	var out any
	switch op {
	case "CreateQueue", "GetQueueUrl":
		out = map[string]string{"QueueUrl": queueURL(r, in.QueueName)}
	case "SendMessage":
		out = map[string]string{"MessageId": s.id(), "MD5OfMessageBody": md5hex(in.MessageBody)}
	case "SendMessageBatch":
		ok := make([]map[string]string, len(in.Entries))
		for i, e := range in.Entries {
			ok[i] = map[string]string{"Id": e.ID, "MessageId": s.id(), "MD5OfMessageBody": md5hex(e.MessageBody)}
		}
		out = map[string]any{"Successful": ok, "Failed": []any{}}
	case "ReceiveMessage":
		n := max(1, min(in.MaxNumberOfMessages, 10))
		msgs := make([]map[string]string, n)
		for i := range msgs {
			id := s.id()
			msgs[i] = map[string]string{"MessageId": id, "ReceiptHandle": "rh-" + id, "MD5OfBody": bodyMD5, "Body": Body}
		}
		out = map[string]any{"Messages": msgs}
	case "DeleteMessage":
		out = struct{}{}
	case "DeleteMessageBatch":
		ok := make([]map[string]string, len(in.Entries))
		for i, e := range in.Entries {
			ok[i] = map[string]string{"Id": e.ID}
		}
		out = map[string]any{"Successful": ok, "Failed": []any{}}
	default:
		jsonError(w, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", "noop does not serve "+op)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	json.NewEncoder(w).Encode(out)
}

func jsonError(w http.ResponseWriter, code, queryCode, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Query-Error", queryCode+";Sender")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"__type": "com.amazonaws.sqs#" + code, "message": msg})
}

// Query protocol.

const xmlns = "http://queue.amazonaws.com/doc/2012-11-05/"

type xmlMessage struct {
	MessageID     string `xml:"MessageId"`
	ReceiptHandle string `xml:"ReceiptHandle"`
	MD5OfBody     string `xml:"MD5OfBody"`
	Body          string `xml:"Body"`
}

type xmlBatchEntry struct {
	ID               string `xml:"Id"`
	MessageID        string `xml:"MessageId,omitempty"`
	MD5OfMessageBody string `xml:"MD5OfMessageBody,omitempty"`
}

func (s *Server) serveQuery(w http.ResponseWriter, r *http.Request, f url.Values) {
	op := f.Get("Action")
	var result any
	switch op {
	case "CreateQueue", "GetQueueUrl":
		result = struct {
			QueueURL string `xml:"QueueUrl"`
		}{queueURL(r, f.Get("QueueName"))}
	case "SendMessage":
		result = struct {
			MessageID        string `xml:"MessageId"`
			MD5OfMessageBody string `xml:"MD5OfMessageBody"`
		}{s.id(), md5hex(f.Get("MessageBody"))}
	case "SendMessageBatch":
		var es []xmlBatchEntry
		for i := 1; f.Has(entry("SendMessageBatchRequestEntry", i, "Id")); i++ {
			es = append(es, xmlBatchEntry{
				ID:               f.Get(entry("SendMessageBatchRequestEntry", i, "Id")),
				MessageID:        s.id(),
				MD5OfMessageBody: md5hex(f.Get(entry("SendMessageBatchRequestEntry", i, "MessageBody"))),
			})
		}
		result = struct {
			Entries []xmlBatchEntry `xml:"SendMessageBatchResultEntry"`
		}{es}
	case "ReceiveMessage":
		n, _ := strconv.Atoi(f.Get("MaxNumberOfMessages"))
		msgs := make([]xmlMessage, max(1, min(n, 10)))
		for i := range msgs {
			id := s.id()
			msgs[i] = xmlMessage{MessageID: id, ReceiptHandle: "rh-" + id, MD5OfBody: bodyMD5, Body: Body}
		}
		result = struct {
			Messages []xmlMessage `xml:"Message"`
		}{msgs}
	case "DeleteMessage":
		result = nil
	case "DeleteMessageBatch":
		var es []xmlBatchEntry
		for i := 1; f.Has(entry("DeleteMessageBatchRequestEntry", i, "Id")); i++ {
			es = append(es, xmlBatchEntry{ID: f.Get(entry("DeleteMessageBatchRequestEntry", i, "Id"))})
		}
		result = struct {
			Entries []xmlBatchEntry `xml:"DeleteMessageBatchResultEntry"`
		}{es}
	default:
		queryError(w, "AWS.SimpleQueueService.UnsupportedOperation", "noop does not serve "+op)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	io.WriteString(w, xml.Header)
	fmt.Fprintf(w, `<%sResponse xmlns="%s">`, op, xmlns)
	if result != nil {
		enc := xml.NewEncoder(w)
		enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: op + "Result"}})
		enc.Flush()
	}
	fmt.Fprintf(w, "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>", w.Header().Get("X-Amzn-Requestid"), op)
}

func entry(list string, i int, member string) string {
	return list + "." + strconv.Itoa(i) + "." + member
}

func queryError(w http.ResponseWriter, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `<?xml version="1.0"?><ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message><Detail/></Error><RequestId>%s</RequestId></ErrorResponse>`,
		xmlns, code, xmlEscape(msg), w.Header().Get("X-Amzn-Requestid"))
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
