package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/router"
)

// echo is a hand-built service: Say echoes, Boom panics, Fail returns a plain
// Go error, Missing has no handler method.
type sayIn struct{ Text string }
type sayOut struct {
	Text    string
	Account string
	Region  string
}

type echoHandler struct{}

func newEchoService() *api.Service {
	inv := func(f func(ctx context.Context, in *sayIn) (any, error)) func(context.Context, any, any) (any, error) {
		return func(ctx context.Context, _ any, in any) (any, error) { return f(ctx, in.(*sayIn)) }
	}
	newIn := func() any { return new(sayIn) }
	svc := &api.Service{Name: "echo", SigningName: "echo", TargetPrefix: "Echo", Protocols: []string{"json"},
		Operations: []*api.Operation{
			{Name: "Say", Input: &api.Shape{Name: "SayIn", Type: api.TypeStructure}, NewInput: newIn, Invoke: inv(func(ctx context.Context, in *sayIn) (any, error) {
				c := api.CallFrom(ctx)
				return &sayOut{Text: in.Text, Account: c.Account, Region: c.Region}, nil
			})},
			{Name: "Boom", NewInput: newIn, Invoke: inv(func(context.Context, *sayIn) (any, error) { panic("boom") })},
			{Name: "Fail", NewInput: newIn, Invoke: inv(func(context.Context, *sayIn) (any, error) {
				return nil, errors.New("disk on fire with secret details")
			})},
			{Name: "Gone", NewInput: newIn, Invoke: inv(func(context.Context, *sayIn) (any, error) {
				return nil, api.NewNotImplemented("echo", "Gone")
			})},
		}}
	svc.Index()
	return svc
}

// jsonCodec is a minimal stand-in for the JSON protocol codec.
type jsonCodec struct{}

func (jsonCodec) Resolve(c *api.Call) error {
	_, name, _ := strings.Cut(c.Request.Header.Get("X-Amz-Target"), ".")
	if c.Op = c.Service.Operation(name); c.Op == nil {
		return api.Errorf("UnknownOperationException", 400, "unknown operation %s", name)
	}
	return nil
}

func (jsonCodec) Decode(c *api.Call, in any) error {
	if len(c.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.Body, in); err != nil {
		return api.NewSerializationError("bad json")
	}
	return nil
}

func (jsonCodec) Encode(w http.ResponseWriter, c *api.Call, out any) error {
	return json.NewEncoder(w).Encode(out)
}

func (jsonCodec) EncodeError(w http.ResponseWriter, c *api.Call, e *api.Error) {
	w.Header().Set("x-amzn-ErrorType", e.Code)
	w.WriteHeader(e.HTTPStatus())
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
}

func newTestPipeline(t *testing.T, logs *bytes.Buffer, validate ValidateFunc) *Pipeline {
	t.Helper()
	svc := newEchoService()
	return New(Config{
		Table:        router.NewTable([]*api.Service{svc}, "000000000000", nil),
		Codecs:       map[string]api.Codec{"json": jsonCodec{}},
		Handlers:     map[*api.Service]any{svc: echoHandler{}},
		Validate:     validate,
		MaxBodyBytes: 64,
		Logger:       slog.New(slog.NewJSONHandler(logs, nil)),
	})
}

func TestPipeline(t *testing.T) {
	tests := []struct {
		name       string
		target     string
		auth       string
		body       string
		wantStatus int
		wantCode   string // x-amzn-ErrorType, "" for success
		wantBody   string // substring
	}{
		{name: "success, account from key", target: "Echo.Say", body: `{"Text":"hi"}`,
			auth:       "AWS4-HMAC-SHA256 Credential=123456789012/20261130/eu-central-1/echo/aws4_request, SignedHeaders=host, Signature=00",
			wantStatus: 200, wantBody: `"Account":"123456789012","Region":"eu-central-1"`},
		{name: "unknown operation of a known service", target: "Echo.Nope", wantStatus: 400, wantCode: "UnknownOperationException"},
		{name: "operation not implemented", target: "Echo.Gone", wantStatus: 501, wantCode: "NotImplemented", wantBody: "Gone"},
		{name: "unknown service", target: "DynamoDB_20120810.PutItem",
			auth:       "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00",
			wantStatus: 501, wantCode: "NotImplemented", wantBody: "dynamodb operation PutItem"},
		{name: "panic is InternalFailure", target: "Echo.Boom", wantStatus: 500, wantCode: "InternalFailure"},
		{name: "plain error hides its text", target: "Echo.Fail", wantStatus: 500, wantCode: "InternalFailure"},
		{name: "garbage authorization", target: "Echo.Say", auth: "\x01garbage", wantStatus: 400, wantCode: "IncompleteSignature"},
		{name: "oversize body", target: "Echo.Say", body: `{"Text":"` + strings.Repeat("x", 100) + `"}`, wantStatus: 413, wantCode: "RequestEntityTooLarge"},
		{name: "bad json", target: "Echo.Say", body: `{`, wantStatus: 400, wantCode: "SerializationException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			p := newTestPipeline(t, &logs, nil)
			r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			r.Header.Set("X-Amz-Target", tc.target)
			r.Header.Set("Content-Type", "application/x-amz-json-1.0")
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			p.ServeHTTP(w, r)
			if w.Code != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", w.Code, tc.wantStatus, w.Body)
			}
			if got := w.Header().Get("x-amzn-ErrorType"); got != tc.wantCode {
				t.Errorf("error type = %q, want %q", got, tc.wantCode)
			}
			if !strings.Contains(w.Body.String(), tc.wantBody) {
				t.Errorf("body %s does not contain %s", w.Body, tc.wantBody)
			}
			id := w.Header().Get("x-amzn-RequestId")
			if len(id) != 36 || w.Header().Get("x-amz-request-id") != id {
				t.Errorf("request id headers %q / %q", id, w.Header().Get("x-amz-request-id"))
			}
			if strings.Contains(w.Body.String(), "secret") {
				t.Errorf("internal error text leaked to the client: %s", w.Body)
			}
			// One log line per request, with the request id.
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], id) || !strings.Contains(lines[0], `"status":`) {
				t.Errorf("log = %q, want one line with request id %s", logs.String(), id)
			}
			if tc.wantStatus >= 500 && tc.wantStatus != 501 && !strings.Contains(lines[0], `"level":"ERROR"`) {
				t.Errorf("5xx logged below error level: %s", lines[0])
			}
			if tc.wantStatus == 501 && !strings.Contains(lines[0], `"level":"WARN"`) {
				t.Errorf("501 not logged as a warning: %s", lines[0])
			}
		})
	}
}

func TestPipelineValidates(t *testing.T) {
	var logs bytes.Buffer
	called := false
	p := newTestPipeline(t, &logs, func(c *api.Call, in any) error {
		called = true
		if c.Protocol != "json" || c.Op.Input.Name != "SayIn" || in.(*sayIn).Text != "x" {
			t.Errorf("validate(%s, %s, %v)", c.Op.Input.Name, c.Protocol, in)
		}
		return api.NewValidationError("Text is bad")
	})
	r := httptest.NewRequest("POST", "/", strings.NewReader(`{"Text":"x"}`))
	r.Header.Set("X-Amz-Target", "Echo.Say")
	w := httptest.NewRecorder()
	p.ServeHTTP(w, r)
	if !called || w.Code != 400 || w.Header().Get("x-amzn-ErrorType") != "ValidationException" {
		t.Fatalf("called=%v status=%d type=%q", called, w.Code, w.Header().Get("x-amzn-ErrorType"))
	}
}

// TestPipelineNoCodec: a service whose protocol has no codec yet answers in
// the plain envelope, never 500.
func TestPipelineNoCodec(t *testing.T) {
	svc := &api.Service{Name: "xmlsvc", SigningName: "xmlsvc", Protocols: []string{"rest-xml"}}
	p := New(Config{Table: router.NewTable([]*api.Service{svc}, "000000000000", nil), Codecs: map[string]api.Codec{},
		Handlers: map[*api.Service]any{svc: struct{}{}}})
	r := httptest.NewRequest("GET", "/bucket", nil)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/xmlsvc/aws4_request, SignedHeaders=host, Signature=00")
	w := httptest.NewRecorder()
	p.ServeHTTP(w, r)
	if w.Code != 501 || !strings.Contains(w.Body.String(), "<Code>NotImplemented</Code>") {
		t.Fatalf("status %d body %s", w.Code, w.Body)
	}
}

func TestCORS(t *testing.T) {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	tests := []struct {
		name       string
		origins    []string
		method     string
		origin     string
		wantStatus int
		wantAllow  string
	}{
		{"preflight, any origin", []string{"*"}, "OPTIONS", "http://app.local", 200, "http://app.local"},
		{"simple request gets headers", []string{"*"}, "POST", "http://app.local", 204, "http://app.local"},
		{"origin not listed", []string{"http://ok.local"}, "OPTIONS", "http://evil.local", 204, ""},
		{"listed origin", []string{"http://ok.local"}, "OPTIONS", "http://ok.local", 200, "http://ok.local"},
		{"cors off", nil, "OPTIONS", "http://app.local", 204, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := CORS{Origins: tc.origins}.Wrap(inner)
			r := httptest.NewRequest(tc.method, "/", nil)
			r.Header.Set("Origin", tc.origin)
			r.Header.Set("Access-Control-Request-Method", "POST")
			r.Header.Set("Access-Control-Request-Headers", "x-amz-target, authorization")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.wantStatus || w.Header().Get("Access-Control-Allow-Origin") != tc.wantAllow {
				t.Fatalf("status %d allow-origin %q", w.Code, w.Header().Get("Access-Control-Allow-Origin"))
			}
			if tc.wantAllow != "" && !strings.Contains(w.Header().Get("Access-Control-Expose-Headers"), "x-amzn-RequestId") {
				t.Errorf("expose headers %q", w.Header().Get("Access-Control-Expose-Headers"))
			}
			if tc.wantStatus == 200 && w.Header().Get("Access-Control-Allow-Headers") != "x-amz-target, authorization" {
				t.Errorf("allow headers %q", w.Header().Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

func TestNewRequestID(t *testing.T) {
	a, b := NewRequestID(), NewRequestID()
	if a == b || len(a) != 36 || a[14] != '4' || strings.Count(a, "-") != 4 {
		t.Fatalf("ids %q %q", a, b)
	}
}
