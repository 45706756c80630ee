package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

// BenchmarkLogRequest is the one info line every request writes, through
// slog's text handler (fogbank's default) to a discarding writer: the cost
// of building and formatting it, not of the write.
func BenchmarkLogRequest(b *testing.B) {
	p := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	x := &exchange{call: &api.Call{Service: &api.Service{Name: "sqs"}, Op: &api.Operation{Name: "SendMessage"},
		Account: "000000000000", Region: "us-east-1", RequestID: NewRequestID()}}
	rec := &StatusRecorder{ResponseWriter: httptest.NewRecorder(), status: 200}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p.logRequest(ctx, x, rec, 123*time.Microsecond, nil, nil, nil)
	}
}

func TestRequestIDHeaderKeysCanonical(t *testing.T) {
	for _, k := range []string{hdrAmznRequestID, hdrAmzRequestID} {
		if c := http.CanonicalHeaderKey(k); c != k {
			t.Errorf("%q is not canonical (%q)", k, c)
		}
	}
}
