package jsonrpc_test

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/protocol/jsonrpc"
)

func call(target string, body string) *api.Call {
	req := httptest.NewRequest("POST", "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	return &api.Call{Service: sqs.Service, Request: req, Body: []byte(body), RequestID: "req-1", Protocol: "json"}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		target string
		op     string // "" = error
	}{
		{"AmazonSQS.SendMessage", "SendMessage"},
		{"AmazonSQS.ReceiveMessage", "ReceiveMessage"},
		{"", ""},
		{"AmazonSQS", ""},
		{"AmazonSQS.", ""},
		{"AmazonSNS.SendMessage", ""},
		{"AmazonSQS.NoSuchOperation", ""},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			c := call(tt.target, "{}")
			err := jsonrpc.Codec{}.Resolve(c)
			if tt.op == "" {
				var ae *api.Error
				if !errors.As(err, &ae) || ae.Code != "UnknownOperationException" || ae.HTTPStatus() != 400 {
					t.Fatalf("got %v, want UnknownOperationException", err)
				}
				return
			}
			if err != nil || c.Op == nil || c.Op.Name != tt.op {
				t.Fatalf("got op %v, err %v; want %s", c.Op, err, tt.op)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		body string
		want sqs.SendMessageRequest
		err  string // error code, "" = success
	}{
		{name: "empty body", body: "", want: sqs.SendMessageRequest{}},
		{name: "null body", body: "null", want: sqs.SendMessageRequest{}},
		{
			name: "all members",
			body: `{"QueueUrl":"http://q/1","MessageBody":"h\u00e9llo \"x\"\n","DelaySeconds":5,
				"MessageAttributes":{"a":{"DataType":"String","StringValue":"v"},"b":{"DataType":"Binary","BinaryValue":"AAE="}},
				"Unknown":{"deep":[1,2,{"x":null}]},"MessageGroupId":null}`,
			want: sqs.SendMessageRequest{
				QueueUrl: api.String("http://q/1"), MessageBody: api.String("héllo \"x\"\n"), DelaySeconds: api.Int32(5),
				MessageAttributes: map[string]*sqs.MessageAttributeValue{
					"a": {DataType: api.String("String"), StringValue: api.String("v")},
					"b": {DataType: api.String("Binary"), BinaryValue: []byte{0, 1}},
				},
			},
		},
		{name: "integral float for integer", body: `{"DelaySeconds":5.0}`, want: sqs.SendMessageRequest{DelaySeconds: api.Int32(5)}},
		{name: "string for integer", body: `{"DelaySeconds":"5"}`, err: "SerializationException"},
		{name: "fraction for integer", body: `{"DelaySeconds":5.5}`, err: "SerializationException"},
		{name: "overflow", body: `{"DelaySeconds":4294967296}`, err: "SerializationException"},
		{name: "number for string", body: `{"QueueUrl":1}`, err: "SerializationException"},
		{name: "bad base64", body: `{"MessageAttributes":{"a":{"BinaryValue":"!!"}}}`, err: "SerializationException"},
		{name: "truncated", body: `{"QueueUrl":"x"`, err: "SerializationException"},
		{name: "trailing garbage", body: `{} {}`, err: "SerializationException"},
		{name: "not an object", body: `[1]`, err: "SerializationException"},
		{name: "deep nesting", body: strings.Repeat(`{"Unknown":`, 5000), err: "SerializationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := call("AmazonSQS.SendMessage", tt.body)
			if err := (jsonrpc.Codec{}).Resolve(c); err != nil {
				t.Fatal(err)
			}
			var got sqs.SendMessageRequest
			err := jsonrpc.Codec{}.Decode(c, &got)
			if tt.err != "" {
				var ae *api.Error
				if !errors.As(err, &ae) || ae.Code != tt.err {
					t.Fatalf("got %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	c := call("AmazonSQS.ReceiveMessage", "{}")
	if err := (jsonrpc.Codec{}).Resolve(c); err != nil {
		t.Fatal(err)
	}
	out := &sqs.ReceiveMessageResult{Messages: []*sqs.Message{{
		MessageId: api.String("m1"), Body: api.String("<b>&\u2028\x01"),
		Attributes:        map[string]string{"SentTimestamp": "1", "ApproximateReceiveCount": "2"},
		MessageAttributes: map[string]*sqs.MessageAttributeValue{"bin": {DataType: api.String("Binary"), BinaryValue: []byte{0xff}}},
	}}}
	w := httptest.NewRecorder()
	if err := (jsonrpc.Codec{}).Encode(w, c, out); err != nil {
		t.Fatal(err)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/x-amz-json-1.0" {
		t.Errorf("Content-Type %q", ct)
	}
	if id := w.Header().Get("X-Amzn-Requestid"); id != "req-1" {
		t.Errorf("request id %q", id)
	}
	want := `{"Messages":[{"MessageId":"m1","Body":"<b>&\u2028\u0001","Attributes":{"ApproximateReceiveCount":"2","SentTimestamp":"1"},"MessageAttributes":{"bin":{"BinaryValue":"/w==","DataType":"Binary"}}}]}`
	if got := w.Body.String(); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	if !json.Valid(w.Body.Bytes()) {
		t.Error("invalid JSON")
	}

	// No output shape or a nil output is "{}".
	w = httptest.NewRecorder()
	c = call("AmazonSQS.DeleteMessage", "{}")
	_ = jsonrpc.Codec{}.Resolve(c)
	if err := (jsonrpc.Codec{}).Encode(w, c, nil); err != nil || w.Body.String() != "{}" {
		t.Errorf("empty output: %q, %v", w.Body.String(), err)
	}
}

func TestEncodeError(t *testing.T) {
	tests := []struct {
		name       string
		err        *api.Error
		status     int
		queryError string
		body       map[string]any
	}{
		{
			name: "query compatible", err: sqs.NewQueueDoesNotExist("The specified queue does not exist."),
			status: 400, queryError: "AWS.SimpleQueueService.NonExistentQueue;Sender",
			body: map[string]any{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "The specified queue does not exist."},
		},
		{
			name: "internal", err: api.NewInternalFailure(), status: 500,
			body: map[string]any{"__type": "com.amazonaws.sqs#InternalFailure", "message": "We encountered an internal error. Please try again."},
		},
		{
			name: "validation", err: api.NewValidationError("bad %s", "x"), status: 400, queryError: "ValidationError;Sender",
			body: map[string]any{"__type": "com.amazonaws.sqs#ValidationException", "message": "bad x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			jsonrpc.Codec{}.EncodeError(w, call("AmazonSQS.SendMessage", "{}"), tt.err)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if g := w.Header().Get("X-Amzn-Query-Error"); g != tt.queryError {
				t.Errorf("x-amzn-query-error %q, want %q", g, tt.queryError)
			}
			var got map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.body) {
				t.Errorf("body %v, want %v", got, tt.body)
			}
		})
	}
}

func TestTimestamps(t *testing.T) {
	// ListQueues has no timestamps; use a hand-made schema.
	ts := &api.Shape{Name: "T", Type: api.TypeTimestamp}
	iso := &api.Shape{Name: "I", Type: api.TypeTimestamp, TimestampFormat: api.TimestampISO8601}
	type in struct {
		A *time.Time
		B *time.Time
	}
	s := &api.Shape{Name: "In", Type: api.TypeStructure, GoType: reflect.TypeFor[in](), Members: []api.Member{
		{Name: "A", Field: 0, Ref: api.Ref{Shape: ts}},
		{Name: "B", Field: 1, Ref: api.Ref{Shape: iso}},
	}}
	svc := &api.Service{Name: "t", TargetPrefix: "T", JSONVersion: "1.1", Operations: []*api.Operation{{Name: "Op", Input: s, Output: s}}}
	svc.Index()
	tests := []struct {
		body string
		a, b time.Time
	}{
		{`{"A":1576540098,"B":"2019-12-16T23:48:18Z"}`, time.Unix(1576540098, 0), time.Unix(1576540098, 0)},
		{`{"A":1576540098.123,"B":"2019-12-16T23:48:18.5Z"}`, time.UnixMilli(1576540098123), time.UnixMilli(1576540098500)},
		{`{"A":"2019-12-16T23:48:18Z","B":1576540098}`, time.Unix(1576540098, 0), time.Unix(1576540098, 0)},
		{`{"A":-1.5,"B":"Mon, 16 Dec 2019 23:48:18 GMT"}`, time.UnixMilli(-1500), time.Unix(1576540098, 0)},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", "/", nil)
		req.Header.Set("X-Amz-Target", "T.Op")
		c := &api.Call{Service: svc, Request: req, Body: []byte(tt.body)}
		if err := (jsonrpc.Codec{}).Resolve(c); err != nil {
			t.Fatal(err)
		}
		var got in
		if err := (jsonrpc.Codec{}).Decode(c, &got); err != nil {
			t.Fatalf("%s: %v", tt.body, err)
		}
		if got.A == nil || !got.A.Equal(tt.a) || got.B == nil || !got.B.Equal(tt.b) {
			t.Errorf("%s: got %v %v, want %v %v", tt.body, got.A, got.B, tt.a, tt.b)
		}
		w := httptest.NewRecorder()
		if err := (jsonrpc.Codec{}).Encode(w, c, &got); err != nil {
			t.Fatal(err)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/x-amz-json-1.1" {
			t.Errorf("Content-Type %q", ct)
		}
		var back in
		c.Body = w.Body.Bytes()
		if err := (jsonrpc.Codec{}).Decode(c, &back); err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("%s: round trip %s gave %v %v (%v)", tt.body, w.Body.String(), back.A, back.B, err)
		}
	}
}

// TestConcurrentUse decodes and encodes from many goroutines at once: the
// codec and its plan caches must be safe for concurrent use (run with -race).
func TestConcurrentUse(t *testing.T) {
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			var err error
			for i := 0; i < 50 && err == nil; i++ {
				c := call("AmazonSQS.SendMessage", sendMessageBody)
				if err = (jsonrpc.Codec{}).Resolve(c); err != nil {
					break
				}
				var in sqs.SendMessageRequest
				if err = (jsonrpc.Codec{}).Decode(c, &in); err != nil {
					break
				}
				c = call("AmazonSQS.ReceiveMessage", "{}")
				_ = jsonrpc.Codec{}.Resolve(c)
				err = jsonrpc.Codec{}.Encode(httptest.NewRecorder(), c, receiveOutput())
			}
			done <- err
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
