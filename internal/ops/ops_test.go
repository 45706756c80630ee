package ops

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/clock"
)

func TestEndpoints(t *testing.T) {
	clk := clock.New()
	defer clk.Close()
	resets := 0
	failReset := false
	mux := http.NewServeMux()
	Register(mux, Config{
		Version: "v9",
		Services: func() []ServiceState {
			return []ServiceState{{"sqs", "running"}, {"sts", "starting"}}
		},
		Reset: func(context.Context) error {
			resets++
			if failReset {
				return errors.New("disk gone")
			}
			return nil
		},
		Clock: clk,
	})
	tests := []struct {
		name, method, path, body string
		failReset                bool
		status                   int
		contains                 []string
	}{
		{name: "health", method: "GET", path: "/_fogbank/health", status: 200,
			contains: []string{`"version":"v9"`, `"sqs":"running"`, `"sts":"starting"`, `"status":"degraded"`}},
		{name: "localstack health", method: "GET", path: "/_localstack/health", status: 200,
			contains: []string{`"services":{"sqs":"running","sts":"starting"}`, `"edition":"community"`, `"version":"v9"`}},
		{name: "clock", method: "GET", path: "/_fogbank/clock", status: 200, contains: []string{`"offset":"0s"`}},
		{name: "advance", method: "POST", path: "/_fogbank/clock", body: `{"advance":"2m"}`, status: 200, contains: []string{`"offset":"2m0s"`}},
		{name: "backwards", method: "POST", path: "/_fogbank/clock", body: `{"advance":"-2m"}`, status: 400, contains: []string{"never goes back"}},
		{name: "no advance", method: "POST", path: "/_fogbank/clock", body: `{}`, status: 400},
		{name: "not json", method: "POST", path: "/_fogbank/clock", body: `90s`, status: 400},
		{name: "huge body", method: "POST", path: "/_fogbank/clock", body: strings.Repeat(" ", maxOpsBody+10), status: 400},
		{name: "reset", method: "POST", path: "/_fogbank/reset", status: 200},
		{name: "reset fails", method: "POST", path: "/_fogbank/reset", failReset: true, status: 500, contains: []string{"disk gone"}},
		{name: "reset needs POST", method: "GET", path: "/_fogbank/reset", status: 405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			failReset = tc.failReset
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body)))
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			for _, s := range tc.contains {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("body %s does not contain %s", w.Body, s)
				}
			}
		})
	}
	if resets != 2 {
		t.Errorf("reset called %d times", resets)
	}
}
