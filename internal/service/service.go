// Package service defines how a service plugs into Fogbank: a descriptor
// (Info) listed in internal/services/all.go, the environment it is built with
// (Env), and the lifecycle the server drives (New → Start → … → Stop).
//
// There is no package-level registry: all.go is a literal slice, so several
// servers can run in one test process, each with its own services.
package service

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/validate"
)

// Info describes a service to the server.
type Info struct {
	// Name is the service's Fogbank name, also its package name ("sqs").
	Name string
	// New builds the service. It must not start goroutines; Start does.
	New func(env Env) (Service, error)
}

// Env is what a service is given: everything it may touch outside itself.
type Env struct {
	Store  store.Store
	Clock  clock.Clock
	Logger *slog.Logger
	// DefaultAccount is the account used when a request's access key does not
	// name one ("000000000000" unless configured).
	DefaultAccount string
	// Peers finds other services for in-process calls (SNS → SQS, …).
	Peers Peers
	// DataDir is the server's data directory, for services that keep files
	// beside the store (S3 object bodies); "" in memory mode.
	DataDir string
	// BaseURL returns the server's base URL ("http://127.0.0.1:4566"), ""
	// before it listens: for services that hand their own address to code
	// they run (Lambda functions' AWS_ENDPOINT_URL). Nil in tests that build
	// a service alone.
	BaseURL func() string
}

// Peers looks up running services by name, for in-process calls. The caller
// asserts the small interface it declared itself:
//
//	q, ok := env.Peers.Lookup("sqs").(enqueuer)
type Peers interface {
	Lookup(name string) Service
}

// Service is a running service.
type Service interface {
	// APIs returns the wire descriptions the service serves (usually one) and,
	// for each, the value implementing its generated Handler interface.
	APIs() []Binding
}

// Binding pairs a generated service description with its handler.
type Binding struct {
	API     *api.Service
	Handler any
}

// Starter is implemented by services with background work (timers, pollers).
// Start is called once after every service has been built, so peers exist.
type Starter interface {
	Start(ctx context.Context) error
}

// Stopper is implemented by services that must release something on shutdown.
// Stop is called after the listener has stopped taking requests.
type Stopper interface {
	Stop(ctx context.Context) error
}

// Resetter is implemented by services whose state POST /_fogbank/reset drops.
type Resetter interface {
	Reset(ctx context.Context) error
}

// HTTPRouter is implemented by services that serve requests no model
// describes (inspection endpoints under /_fogbank/<name>/, a presigned POST
// form, a function URL). Routes returns the paths (net/http ServeMux patterns)
// and their handlers.
type HTTPRouter interface {
	Routes() map[string]http.Handler
}

// ValidationOptioner is implemented by services whose validation errors
// differ from their protocol's defaults (SQS reports a missing parameter as
// MissingParameter over query). The server sets the options' Protocol.
type ValidationOptioner interface {
	ValidationOptions() validate.Options
}
