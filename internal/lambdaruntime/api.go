// Package lambdaruntime runs Lambda functions as local processes speaking the Lambda Runtime API.
//
// The control plane (services/lambda) owns functions, versions, aliases, layers and concurrency;
// this package owns only execution: it starts environments (one process tree each, talking to a
// private Runtime API listener), keeps warm ones in a pool per qualified ARN and revision, and
// turns each invoke into a Result the way AWS reports it (payload, function error, log tail).
package lambdaruntime

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"
)

// Config configures an Engine. The zero value of every field is usable.
type Config struct {
	WorkDir     string        // where environments get their /tmp, merged /opt, shims ("" = os.MkdirTemp)
	Endpoint    func() string // Fogbank's base URL for AWS_ENDPOINT_URL in functions (known only after listen)
	Logger      *slog.Logger  // function output goes here at debug level
	IdleTimeout time.Duration // warm environments are reaped after this (0 = a sensible default)
	Sink        LogSink       // may be nil; later wired to CloudWatch Logs
	NodePath    string        // dir holding node_modules with @aws-sdk/* for Node runtimes ("" = search default)
	// ContainerHost is the Docker-compatible API PackageType Image functions run through
	// ("" = $DOCKER_HOST, else /var/run/docker.sock, $XDG_RUNTIME_DIR/podman/podman.sock,
	// /run/podman/podman.sock: the first that answers).
	ContainerHost string
	// Now is the service clock, for what a user sees dated (the log stream
	// name's date), so it follows POST /_fogbank/clock; nil = time.Now.
	// Durations (timeouts, REPORT lines) are measured in real time.
	Now func() time.Time
}

// Function is everything the engine needs to start an environment for one qualified function.
type Function struct {
	ARN, Name, Version                 string // qualified ARN; Version "$LATEST", "1", …
	Revision                           string // changes whenever code or configuration change; pools are per ARN+Revision
	Runtime                            string // "provided.al2023", "provided.al2", "python3.9".."python3.13", "nodejs18.x".."nodejs22.x", others unsupported
	Image                              *Image // PackageType Image: runs as a container (Runtime, Handler, CodeDir, Layers unused)
	Handler                            string
	CodeDir                            string   // unzipped code, owned by the control plane, read-only
	Layers                             []string // unzipped layer dirs in order (later ones override earlier), merged into the env's /opt
	Environment                        map[string]string
	MemoryMB                           int
	Timeout                            time.Duration
	EphemeralMB                        int
	Architecture                       string
	Account, Region, LogGroup          string
	AccessKey, SecretKey, SessionToken string // credentials given to the function
}

// Invocation is one request to a function.
type Invocation struct {
	RequestID       string
	Payload         []byte
	ClientContext   string // base64, as the client sent it
	CognitoIdentity string
	TraceID         string
	Stream          io.Writer // non-nil: a streaming response's body chunks are written here as they arrive
}

// Result is what an invoke produced, as the Invoke API reports it.
type Result struct {
	Payload                []byte        // the response, or the error document {"errorMessage","errorType","stackTrace"}
	FunctionError          string        // "" or "Unhandled"
	Log                    []byte        // this invocation's log, START…END…REPORT lines included (for LogType Tail)
	Duration, InitDuration time.Duration // InitDuration > 0 only on a cold start
	MaxMemoryUsedMB        int
}

// LogSink receives a function's log lines per log stream (one stream per environment), so the
// control plane can forward them to CloudWatch Logs once that service exists. Write is called
// in order, from the environment's log reader and its invoke path, under the environment's log
// lock: it must not block for long (buffer, then store).
type LogSink interface {
	Write(fn *Function, stream string, lines []string)
}

// ErrRuntimeUnavailable is returned (wrapped, naming what is missing) when the host cannot run a
// function's runtime: Java, .NET, Ruby, or an interpreter that is not installed.
var ErrRuntimeUnavailable = errors.New("lambdaruntime: runtime unavailable on this host")

// Engine runs functions. It is safe for concurrent use.
type Engine struct {
	cfg  Config
	impl engineState
}

// New returns an Engine; it starts nothing until the first Invoke or Prewarm.
func New(cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	e := &Engine{cfg: cfg}
	e.init()
	return e
}

// Invoke runs inv on an idle warm environment of fn (same ARN and Revision) or on a new one.
// Function failures (handler errors, timeouts, crashes) are reported in the Result with
// FunctionError "Unhandled"; the error return is for failures of the engine itself
// (ErrRuntimeUnavailable, a canceled ctx, a closed engine).
func (e *Engine) Invoke(ctx context.Context, fn *Function, inv Invocation) (Result, error) {
	return e.invoke(ctx, fn, inv)
}

// Prewarm makes sure n initialized environments of fn are idle and ready (provisioned concurrency).
func (e *Engine) Prewarm(ctx context.Context, fn *Function, n int) error {
	return e.prewarm(ctx, fn, n)
}

// Retire drops every environment of the qualified ARN fnARN, whatever its revision (old code,
// deleted functions). Busy environments are killed when their invoke returns.
func (e *Engine) Retire(fnARN string) { e.retire(fnARN) }

// Close kills every environment and removes the engine's work files.
func (e *Engine) Close(ctx context.Context) error { return e.close(ctx) }
