package query

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
)

// nopWriter is a ResponseWriter that keeps nothing, so benchmarks measure the
// codec rather than a recorder.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

// BenchmarkDecodeSendMessage decodes what AWS CLI v2.9 sends for
// `sqs send-message` with two message attributes.
func BenchmarkDecodeSendMessage(b *testing.B) {
	svc := testService()
	body := "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2F127.0.0.1%3A4566%2F000000000000%2Fq" +
		"&MessageBody=hello+world+%7B%22k%22%3A+1%7D&DelaySeconds=0" +
		"&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=x" +
		"&MessageAttribute.2.Name=n&MessageAttribute.2.Value.DataType=Number&MessageAttribute.2.Value.StringValue=1"
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		c := &api.Call{Service: svc, Request: r, Body: []byte(body)}
		if err := (Codec{}).Resolve(c); err != nil {
			b.Fatal(err)
		}
		var in sendInput
		if err := (Codec{}).Decode(c, &in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeReceiveMessage encodes ten messages with attributes, the
// shape of a full ReceiveMessage answer.
func BenchmarkEncodeReceiveMessage(b *testing.B) {
	svc := testService()
	c := &api.Call{Service: svc, Op: svc.Operation("SendMessage"), RequestID: "5f0e6a3c-1c35-5d6e-9b8f-0a1b2c3d4e5f"}
	out := &sendOutput{MessageId: api.String("id")}
	for range 10 {
		out.Messages = append(out.Messages, &message{
			MessageId:  api.String("0d4b8c1e-8a35-4a4b-9c57-5f7bd9a1c2e3"),
			Body:       api.String(`{"order": 42, "note": "fish & chips <3"}` + strings.Repeat("x", 200)),
			Attributes: map[string]string{"SentTimestamp": "1764460000000", "ApproximateReceiveCount": "1", "SenderId": "000000000000"},
		})
	}
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		if err := (Codec{}).Encode(w, c, out); err != nil {
			b.Fatal(err)
		}
	}
}
