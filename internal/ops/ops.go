// Package ops serves Fogbank's operational endpoints, on the same port as
// the AWS APIs:
//
//	GET  /_fogbank/health    version and each service's state
//	POST /_fogbank/reset     drop all state of every service that can
//	GET  /_fogbank/clock     {"now": RFC 3339, "offset": Go duration}
//	POST /_fogbank/clock     {"advance": "90s"}: move forward, fire due timers
//	GET  /_localstack/health LocalStack's shape, for tools written for it
//
// They speak plain JSON, not an AWS protocol: their clients are test
// harnesses, curl and container wait strategies, not SDKs.
package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/fogbank/fogbank/internal/clock"
)

// ServiceState is one service as the health endpoints report it.
type ServiceState struct {
	Name  string
	State string // "running", "starting", "stopped", "error"
}

// Config is what the endpoints read and act on. Every field is required
// except Edition.
type Config struct {
	Version string
	// Services returns each service's state at the time of the call.
	Services func() []ServiceState
	// Reset drops the state of every service that keeps any.
	Reset func(ctx context.Context) error
	Clock clock.Clock
}

// maxOpsBody bounds the bodies the endpoints read (a clock request is tiny).
const maxOpsBody = 64 << 10

// Register adds the endpoints to mux.
func Register(mux *http.ServeMux, cfg Config) {
	mux.HandleFunc("GET /_fogbank/health", cfg.health)
	mux.HandleFunc("HEAD /_fogbank/health", cfg.health)
	mux.HandleFunc("POST /_fogbank/reset", cfg.reset)
	mux.HandleFunc("GET /_fogbank/clock", cfg.getClock)
	mux.HandleFunc("POST /_fogbank/clock", cfg.advanceClock)
	mux.HandleFunc("GET /_localstack/health", cfg.localstackHealth)
	mux.HandleFunc("HEAD /_localstack/health", cfg.localstackHealth)
}

// healthBody is GET /_fogbank/health.
type healthBody struct {
	Status   string            `json:"status"` // "ok" when every service runs
	Version  string            `json:"version"`
	Services map[string]string `json:"services"`
}

func (cfg Config) health(w http.ResponseWriter, r *http.Request) {
	b := healthBody{Status: "ok", Version: cfg.Version, Services: map[string]string{}}
	for _, s := range cfg.Services() {
		b.Services[s.Name] = s.State
		if s.State != "running" {
			b.Status = "degraded"
		}
	}
	writeJSON(w, http.StatusOK, b)
}

// localstackHealthBody is LocalStack's /_localstack/health: services map to
// "available" (can start), "running", "disabled" or "error"; edition and
// version identify the build. Testcontainers' LocalStack module waits for a
// 200 here (and some tools for "running" on the services they use).
type localstackHealthBody struct {
	Services map[string]string `json:"services"`
	Edition  string            `json:"edition"`
	Version  string            `json:"version"`
}

func (cfg Config) localstackHealth(w http.ResponseWriter, r *http.Request) {
	b := localstackHealthBody{Services: map[string]string{}, Edition: "community", Version: cfg.Version}
	for _, s := range cfg.Services() {
		b.Services[s.Name] = s.State
	}
	writeJSON(w, http.StatusOK, b)
}

func (cfg Config) reset(w http.ResponseWriter, r *http.Request) {
	if err := cfg.Reset(r.Context()); err != nil {
		writeError(w, http.StatusInternalServerError, fmt.Errorf("reset: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

func (cfg Config) getClock(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, clock.StateOf(cfg.Clock))
}

// advanceClock moves the clock forward and answers with the new state once
// every timer that came due has fired.
func (cfg Config) advanceClock(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxOpsBody+1))
	if err != nil || len(body) > maxOpsBody {
		writeError(w, http.StatusBadRequest, errors.New("clock request: body unreadable or too large"))
		return
	}
	d, err := clock.ParseAdvance(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := cfg.Clock.Advance(d); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, clock.ErrBackwards) {
			status = http.StatusBadRequest
		}
		writeError(w, status, fmt.Errorf("advancing clock: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, clock.StateOf(cfg.Clock))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}
