package server

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/uuid"
)

// NewRequestID returns a random request id in the UUID form AWS uses for
// x-amzn-RequestId.
func NewRequestID() string { return uuid.New() }

// NewHostID returns a value for S3's x-amz-id-2 (an opaque base64 token).
func NewHostID() string {
	var b [48]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// StatusRecorder remembers the status written, for the log line and so an error
// is never written after a response began. Handlers that serve outside the
// Pipeline (Lambda function URLs) wrap their writer in one for their own log
// line.
type StatusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *StatusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *StatusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Code is the status written, or 200 when none was (what net/http sends).
func (r *StatusRecorder) Code() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// Unwrap lets http.ResponseController reach the connection (flush, deadlines).
func (r *StatusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush implements http.Flusher for streaming responses.
func (r *StatusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		if r.status == 0 {
			r.status = http.StatusOK
		}
		f.Flush()
	}
}

// writePlainError is the envelope of last resort, for a request whose
// protocol has no codec: JSON for JSON protocols, the query/S3-style XML
// envelope otherwise. Every AWS SDK reads the code and message from these.
func writePlainError(w http.ResponseWriter, c *api.Call, e *api.Error) {
	var body []byte
	h := w.Header()
	switch c.Protocol {
	case "json", "rest-json":
		body, _ = json.Marshal(struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}{e.Code, e.Message})
		h.Set("Content-Type", "application/x-amz-json-1.1")
		h.Set("x-amzn-ErrorType", e.Code)
	default:
		typ := "Sender"
		if !e.Sender && e.HTTPStatus() >= 500 {
			typ = "Receiver"
		}
		body, _ = xml.Marshal(struct {
			XMLName xml.Name `xml:"ErrorResponse"`
			Error   struct {
				Type    string
				Code    string
				Message string
			}
			RequestID string `xml:"RequestId"`
		}{Error: struct{ Type, Code, Message string }{typ, e.CodeFor(c.Protocol), e.Message}, RequestID: c.RequestID})
		body = append([]byte(xml.Header), body...)
		h.Set("Content-Type", "text/xml")
	}
	for k, vs := range e.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.HTTPStatus())
	_, _ = w.Write(body)
}
