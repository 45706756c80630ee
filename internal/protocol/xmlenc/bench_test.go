package xmlenc

import (
	"strings"
	"testing"
)

// BenchmarkAppendText escapes a 64 KiB JSON-like message body, the bulk of a
// large SQS ReceiveMessage response.
func BenchmarkAppendText(b *testing.B) {
	body := strings.Repeat(`{"id": 12345, "name": "widget", "tags": ["a", "b"], "note": "fish & chips"}`+"\n", 64<<10/78)
	dst := make([]byte, 0, 2*len(body))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendText(dst[:0], body)
	}
}
