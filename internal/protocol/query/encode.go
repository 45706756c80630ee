package query

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/xmlenc"
)

const xmlHeader = `<?xml version="1.0"?>`

// bufs recycles response buffers across requests; SQS ReceiveMessage answers
// run to tens of kilobytes, and growing a fresh buffer for each is most of
// an encode's garbage. A pool holds no state a caller can observe; buffers
// that grew past maxPooled are dropped so one huge response does not stay
// pinned.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

const maxPooled = 256 << 10

func getBuf() *[]byte { return bufs.Get().(*[]byte) }

func putBuf(bp *[]byte, b []byte) {
	if cap(b) <= maxPooled {
		*bp = b[:0]
		bufs.Put(bp)
	}
}

// Encode writes
//
//	<OpResponse xmlns="…"><OpResult>…</OpResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></OpResponse>
//
// where OpResult is the operation's resultWrapper (members sit directly under
// OpResponse when the model names none). The whole document is built in one
// buffer before anything is written, so a failure leaves the response
// untouched for EncodeError.
func (Codec) Encode(w http.ResponseWriter, c *api.Call, out any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = api.NewInternalFailure() // the pooled buffer is dropped, not reused half-written
		}
	}()
	op := queryOp(c)
	if op == nil {
		return api.NewInternalFailure()
	}
	bp := getBuf()
	buf := append((*bp)[:0], xmlHeader...)
	buf = append(buf, '<')
	buf = append(buf, op.Name...)
	buf = append(buf, "Response"...)
	buf = appendXMLNS(buf, c.Service)
	buf = append(buf, '>')
	if op.Output != nil {
		v := reflect.ValueOf(out)
		if op.ResultWrapper != "" {
			buf = append(buf, '<')
			buf = append(buf, op.ResultWrapper...)
			buf = xmlenc.AppendAttrs(buf, op.Output, v)
			buf = append(buf, '>')
			buf = xmlenc.AppendMembers(buf, op.Output, v)
			buf = append(buf, "</"...)
			buf = append(buf, op.ResultWrapper...)
			buf = append(buf, '>')
		} else {
			buf = xmlenc.AppendMembers(buf, op.Output, v)
		}
	}
	buf = append(buf, "<ResponseMetadata><RequestId>"...)
	buf = xmlenc.AppendText(buf, c.RequestID)
	buf = append(buf, "</RequestId></ResponseMetadata></"...)
	buf = append(buf, op.Name...)
	buf = append(buf, "Response>"...)
	write(w, c, http.StatusOK, buf)
	putBuf(bp, buf)
	return nil
}

// EncodeError writes err as
//
//	<ErrorResponse xmlns="…"><Error><Type>Sender</Type><Code>…</Code><Message>…</Message>…</Error><RequestId>…</RequestId></ErrorResponse>
//
// with err's HTTP status. The code is err.CodeFor("query") (SQS's
// AWS.SimpleQueueService.* codes); members of the error shape other than its
// message follow Message. SQS alone adds an empty <Detail/>, as recorded.
func (Codec) EncodeError(w http.ResponseWriter, c *api.Call, e *api.Error) {
	if e == nil {
		e = api.NewInternalFailure()
	}
	buf := make([]byte, 0, 384)
	buf = append(buf, xmlHeader...)
	buf = append(buf, "<ErrorResponse"...)
	buf = appendXMLNS(buf, c.Service)
	buf = append(buf, ">"...)
	buf = xmlenc.AppendErrorHead(buf, e, e.CodeFor(Protocol))
	buf = appendErrorMembers(buf, e)
	buf = xmlenc.AppendErrorDetail(buf, e)
	if c.Service != nil && (c.Service.Name == "sqs" || c.Service.ServiceID == "SQS") {
		buf = append(buf, "<Detail/>"...)
	}
	buf = append(buf, "</Error><RequestId>"...)
	buf = xmlenc.AppendText(buf, c.RequestID)
	buf = append(buf, "</RequestId></ErrorResponse>"...)
	for k, vs := range e.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	write(w, c, e.HTTPStatus(), buf)
}

// appendErrorMembers appends the members an error shape carries besides its
// code and message; a panic in a malformed error value drops them rather
// than the whole response.
func appendErrorMembers(buf []byte, e *api.Error) (out []byte) {
	if e.Shape == nil || e.Value == nil {
		return buf
	}
	mark := len(buf)
	defer func() {
		if r := recover(); r != nil {
			out = buf[:mark]
		}
	}()
	v := reflect.Indirect(reflect.ValueOf(e.Value))
	if v.Kind() != reflect.Struct {
		return buf
	}
	for i := range e.Shape.Members {
		m := &e.Shape.Members[i]
		switch strings.ToLower(m.Name) {
		case "message", "code", "type":
			continue
		}
		buf = xmlenc.AppendMember(buf, m, v.Field(m.Field))
	}
	return buf
}

// appendXMLNS declares the service's namespace, taken from its query
// description (SQS's JSON-first model carries it only there).
func appendXMLNS(buf []byte, svc *api.Service) []byte {
	if svc != nil {
		svc = svc.For(Protocol)
	}
	if svc == nil || svc.XMLNamespace == "" {
		return buf
	}
	buf = append(buf, ` xmlns="`...)
	buf = xmlenc.AppendAttr(buf, svc.XMLNamespace)
	return append(buf, '"')
}

func write(w http.ResponseWriter, c *api.Call, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if c.RequestID != "" {
		h.Set("x-amzn-RequestId", c.RequestID)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
