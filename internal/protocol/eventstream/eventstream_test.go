package eventstream

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// The SDK's own decoder reads what AppendEvent writes.
func TestSDKDecodes(t *testing.T) {
	tests := []struct {
		name, event, ct string
		payload         []byte
	}{
		{"raw chunk", "PayloadChunk", "application/octet-stream", []byte("hello")},
		{"json", "InvokeComplete", "application/json", []byte(`{"LogResult":"x"}`)},
		{"empty", "End", "application/json", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := AppendEvent(nil, tc.event, tc.ct, tc.payload)
			msg, err := eventstream.NewDecoder().Decode(bytes.NewReader(b), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := msg.Headers.Get(":event-type"); got == nil || got.String() != tc.event {
				t.Errorf(":event-type = %v", got)
			}
			if got := msg.Headers.Get(":message-type"); got == nil || got.String() != "event" {
				t.Errorf(":message-type = %v", got)
			}
			if !bytes.Equal(msg.Payload, tc.payload) {
				t.Errorf("payload %q, want %q", msg.Payload, tc.payload)
			}
		})
	}
}
