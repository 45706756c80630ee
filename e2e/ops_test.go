package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// The server itself: health endpoints, what clients get for what Fogbank
// does not serve, and a durable data directory across a restart.

func TestHealth(t *testing.T) {
	s := startServer(t, ServerOptions{})
	resp, body := s.Do(t, "GET", "/_fogbank/health", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_fogbank/health: HTTP %d: %s", resp.StatusCode, body)
	}
	var h map[string]any
	if err := json.Unmarshal(body, &h); err != nil {
		t.Fatalf("GET /_fogbank/health: not JSON: %v: %s", err, body)
	}
	if !mentionsService(h, "sts") {
		t.Errorf("GET /_fogbank/health does not list sts: %s", body)
	}
}

// TestLocalStackHealth checks the shape tools written for LocalStack read:
// {"services": {"sts": "running"|"available", …}, …}.
func TestLocalStackHealth(t *testing.T) {
	s := startServer(t, ServerOptions{})
	resp, body := s.Do(t, "GET", "/_localstack/health", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /_localstack/health: HTTP %d: %s", resp.StatusCode, body)
	}
	var h struct {
		Services map[string]string `json:"services"`
	}
	if err := json.Unmarshal(body, &h); err != nil {
		t.Fatalf("GET /_localstack/health: %v: %s", err, body)
	}
	switch st := h.Services["sts"]; st {
	case "running", "available":
	default:
		t.Errorf(`services.sts = %q, want "running" or "available": %s`, st, body)
	}
}

// TestClock moves the process clock with POST /_fogbank/clock and reads it
// back with GET: the offset and "now" both move by what was asked.
func TestClock(t *testing.T) {
	s := startServer(t, ServerOptions{})
	read := func(resp *http.Response, body []byte) (now time.Time, offset time.Duration) {
		t.Helper()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/_fogbank/clock: HTTP %d: %s", resp.StatusCode, body)
		}
		var c struct{ Now, Offset string }
		if err := json.Unmarshal(body, &c); err != nil {
			t.Fatalf("/_fogbank/clock: %v: %s", err, body)
		}
		now, err := time.Parse(time.RFC3339Nano, c.Now)
		if err != nil {
			t.Fatalf("/_fogbank/clock: now: %v: %s", err, body)
		}
		if offset, err = time.ParseDuration(c.Offset); err != nil {
			t.Fatalf("/_fogbank/clock: offset: %v: %s", err, body)
		}
		return now, offset
	}
	before, off0 := read(s.Do(t, "GET", "/_fogbank/clock", nil, nil))
	if off0 != 0 {
		t.Errorf("offset of a new server = %v, want 0", off0)
	}
	after, off := read(s.Do(t, "POST", "/_fogbank/clock", http.Header{"Content-Type": {"application/json"}}, []byte(`{"advance": "90s"}`)))
	if off != 90*time.Second {
		t.Errorf("offset after advancing 90s = %v", off)
	}
	if d := after.Sub(before); d < 90*time.Second {
		t.Errorf("now moved %v after advancing 90s", d)
	}
	if _, off = read(s.Do(t, "GET", "/_fogbank/clock", nil, nil)); off != 90*time.Second {
		t.Errorf("GET after advancing: offset %v, want 1m30s", off)
	}
	resp, body := s.Do(t, "POST", "/_fogbank/clock", nil, []byte(`{"advance": "-1s"}`))
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("advancing -1s: HTTP %d %s, want 400 (the clock never goes back)", resp.StatusCode, body)
	}
}

func TestReset(t *testing.T) {
	s := startServer(t, ServerOptions{})
	resp, body := s.Do(t, "POST", "/_fogbank/reset", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /_fogbank/reset: HTTP %d: %s", resp.StatusCode, body)
	}
}

// TestNotImplemented calls what Fogbank does not serve through each client:
// the client must surface NotImplemented (HTTP 501) as an ordinary AWS error.
func TestNotImplemented(t *testing.T) {
	s := startServer(t, ServerOptions{})
	forEachClient(t, "sts", func(t *testing.T, c *Client) {
		// An operation of a served service that Fogbank does not implement:
		// decoding needs AWS's own keys.
		e := c.Call(t, s, "sts", "DecodeAuthorizationMessage",
			map[string]any{"EncodedMessage": "not-a-real-message"}).Fails(t, "NotImplemented")
		if c.HTTPStatus && e.Status != http.StatusNotImplemented {
			t.Errorf("HTTP status %d, want 501", e.Status)
		}
	})
}

// TestDataDirRestart starts fogbank on a data directory, stops it and
// starts it again on the same directory: both runs must come up and shut down
// cleanly, and what the first run issued must still hold in the second —
// here the credentials of an assumed role. Services add their own "survives
// a restart" checks here.
func TestDataDirRestart(t *testing.T) {
	c := anyClient(t, "sts")
	dir := t.TempDir()
	s := startServer(t, ServerOptions{DataDir: dir})
	out := c.Call(t, s, "sts", "AssumeRole", map[string]any{
		"RoleArn":         "arn:aws:iam::000000000000:role/durable",
		"RoleSessionName": "before-restart",
	}).OK(t)
	cr := Creds{
		AccessKeyID:     str(out, "Credentials.AccessKeyId"),
		SecretAccessKey: str(out, "Credentials.SecretAccessKey"),
		SessionToken:    str(out, "Credentials.SessionToken"),
		Region:          "us-east-1",
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("first run: %v", err)
	}

	s = startServer(t, ServerOptions{DataDir: dir})
	who := c.CallAs(t, s, cr, "sts", "GetCallerIdentity", nil).OK(t)
	if got, want := str(who, "Arn"), "arn:aws:sts::000000000000:assumed-role/durable/before-restart"; got != want {
		t.Errorf("after restart, the role's credentials are %q, want %q", got, want)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second run: %v", err)
	}
}

// mentionsService reports whether a health document names svc, either as a
// key of a "services" object or as a name in a "services" list.
func mentionsService(h map[string]any, svc string) bool {
	switch v := h["services"].(type) {
	case map[string]any:
		_, ok := v[svc]
		return ok
	case []any:
		for _, e := range v {
			if e == svc {
				return true
			}
			if m, ok := e.(map[string]any); ok && m["name"] == svc {
				return true
			}
		}
	}
	return false
}
