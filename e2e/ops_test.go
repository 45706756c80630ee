package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
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

// TestNotImplemented calls what Fogbank does not serve through each client:
// the client must surface NotImplemented (HTTP 501) as an ordinary AWS error.
func TestNotImplemented(t *testing.T) {
	s := startServer(t, ServerOptions{})
	forEachClient(t, "sts", func(t *testing.T, c *Client) {
		// An operation of a served service that Fogbank does not implement:
		// decoding needs AWS's own keys.
		e := c.Call(t, s, "sts", "DecodeAuthorizationMessage",
			map[string]any{"EncodedMessage": "not-a-real-message"}).Fails(t, "NotImplemented")
		if e.Status != 0 && e.Status != http.StatusNotImplemented {
			t.Errorf("HTTP status %d, want 501", e.Status)
		}
	})
}

// TestDataDirRestart starts fogbank on a data directory, stops it and
// starts it again on the same directory: both must come up and shut down
// cleanly. Services add their own "survives a restart" checks here.
func TestDataDirRestart(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, ServerOptions{DataDir: dir})
	if err := s.Stop(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	s = startServer(t, ServerOptions{DataDir: dir})
	resp, body := s.Do(t, "GET", "/_fogbank/health", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("after restart: GET /_fogbank/health: HTTP %d: %s", resp.StatusCode, body)
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
