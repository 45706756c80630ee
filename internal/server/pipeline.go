// Package server is the HTTP pipeline every AWS API request goes through:
//
//	request id → body (bounded) → router.Route → codec.Resolve → codec.Decode
//	→ validate → handler (op.Invoke, ctx carrying api.Call) → codec.Encode
//
// Every failure on the way is an error value; ServeHTTP turns it into the
// protocol's envelope in exactly one place (writeError), and a panic anywhere
// becomes InternalFailure (500) with one error log line, never a dropped
// connection. Services never see an *http.Request.
//
// A Pipeline is built once per server and read-only afterwards; everything
// per request lives in the api.Call.
package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/router"
)

// DefaultMaxBodyBytes bounds a request body read whole. It is above Lambda's
// 50 MB zipped-upload limit once base64-encoded in a CreateFunction body;
// streaming bodies (S3 PutObject) are not read whole and not bounded here.
const DefaultMaxBodyBytes = 100 << 20

// ValidateFunc checks in, the decoded input of c.Op, against its model
// (validate.Validator); it returns nil or an *api.Error.
type ValidateFunc func(c *api.Call, in any) error

// Config is what a Pipeline is built from.
type Config struct {
	Table *router.Table
	// Codecs maps a protocol name ("query", "json", "rest-json", "rest-xml")
	// to its codec; see Codecs.
	Codecs map[string]api.Codec
	// Handlers maps each served service description (the base one, not a
	// protocol variant) to the value implementing its generated Handler.
	Handlers map[*api.Service]any
	// Validate, if set, checks every decoded input before the handler runs.
	Validate     ValidateFunc
	MaxBodyBytes int64 // DefaultMaxBodyBytes when zero
	Logger       *slog.Logger
}

// Pipeline serves AWS API requests.
type Pipeline struct {
	cfg Config
}

// New returns a Pipeline for cfg.
func New(cfg Config) *Pipeline {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{cfg: cfg}
}

// The request id headers, canonical (http.CanonicalHeaderKey of
// "x-amzn-RequestId" and "x-amz-request-id").
const (
	hdrAmznRequestID = "X-Amzn-Requestid"
	hdrAmzRequestID  = "X-Amz-Request-Id"
)

// exchange is one request's state beyond the api.Call: what the pipeline
// learnt that the error writer and the log line need.
type exchange struct {
	call  *api.Call
	codec api.Codec
	route router.Route
	// bodyRead is set once call.Body holds the (bounded) body, or bodyErr
	// why it could not be read.
	bodyRead bool
	bodyErr  error
	// limit bounds the body read (readBody); here, not on the heap each time.
	limit io.LimitedReader
}

// ServeHTTP implements http.Handler.
func (p *Pipeline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := NewRequestID()
	// One allocation for the request's state instead of three.
	st := &struct {
		rec  StatusRecorder
		x    exchange
		call api.Call
	}{}
	rec, x := &st.rec, &st.x
	rec.ResponseWriter = w
	st.call.Request, st.call.RequestID = r, id
	x.call = &st.call
	// The keys in canonical form, as Header.Set would store them, without
	// Set's canonicalizing copy; the two headers share one value slice.
	h := w.Header()
	ids := []string{id}
	h[hdrAmznRequestID] = ids
	h[hdrAmzRequestID] = ids

	var (
		err      error
		panicked any
		stack    []byte
	)
	func() {
		defer func() {
			if v := recover(); v != nil {
				panicked, stack = v, debug.Stack()
				err = api.NewInternalFailure()
			}
		}()
		err = p.serve(r.Context(), rec, r, x)
	}()
	if err != nil {
		if rec.status != 0 {
			// The response had begun; the client sees a truncated body.
			err = fmt.Errorf("after the response began: %w", err)
		} else {
			p.writeError(rec, x, err)
		}
	}
	p.logRequest(r.Context(), x, rec, time.Since(start), err, panicked, stack)
}

// serve runs the pipeline up to a written response or an error.
func (p *Pipeline) serve(ctx context.Context, w http.ResponseWriter, r *http.Request, x *exchange) error {
	c := x.call
	form := func() url.Values {
		if !p.readBody(x, r) {
			return nil
		}
		v, _ := url.ParseQuery(string(c.Body))
		return v
	}
	rt, authErr := p.cfg.Table.Route(r, form)
	x.route = rt
	c.AccessKey, c.Account, c.Region, c.Protocol = rt.AccessKey, rt.Account, rt.Region, rt.Protocol
	if rt.Name == "s3" {
		w.Header().Set("x-amz-id-2", NewHostID())
	}
	if x.bodyErr != nil {
		return x.bodyErr
	}
	if len(rt.Candidates) == 0 {
		return api.NewNotImplemented(rt.Name, p.operationHint(x, r))
	}
	if authErr != nil {
		svc := rt.Candidates[0]
		c.Protocol = router.Protocol(svc, rt.Protocol)
		c.Service = svc.For(c.Protocol)
		return authErr
	}

	var base *api.Service
	var resolveErr error
	for _, svc := range rt.Candidates {
		proto := router.Protocol(svc, rt.Protocol)
		codec := p.cfg.Codecs[proto]
		c.Service, c.Protocol, c.Op, c.Scratch = svc.For(proto), proto, nil, nil
		if codec == nil {
			resolveErr = api.NewNotImplemented(svc.Name, p.operationHint(x, r))
			continue
		}
		x.codec = codec
		if err := p.resolve(x, r, codec); err != nil {
			resolveErr = err
			continue
		}
		base, resolveErr = svc, nil
		break
	}
	if resolveErr != nil {
		if x.route.Operation == "" {
			// For the log line: what the client asked for.
			x.route.Operation = p.operationHint(x, r)
		}
		return resolveErr
	}
	if !x.bodyRead && !streamingInput(c.Op) && !p.readBody(x, r) {
		return x.bodyErr
	}
	handler := p.cfg.Handlers[base]
	if handler == nil || c.Op.Invoke == nil || c.Op.NewInput == nil {
		return api.NewNotImplemented(base.Name, c.Op.Name)
	}

	in := c.Op.NewInput()
	if err := x.codec.Decode(c, in); err != nil {
		return err
	}
	if p.cfg.Validate != nil && c.Op.Input != nil {
		if err := p.cfg.Validate(c, in); err != nil {
			return err
		}
	}
	out, err := c.Op.Invoke(api.WithCall(ctx, c), handler, in)
	if err != nil {
		return err
	}
	return x.codec.Encode(w, c, out)
}

// resolve finds the operation. RPC protocols (query, json) name it in the
// body, so the body is read first; REST protocols name it in the method and
// path, and the body is read after, unless the operation streams it.
func (p *Pipeline) resolve(x *exchange, r *http.Request, codec api.Codec) error {
	switch x.call.Protocol {
	case "query", "json", "ec2":
		if !p.readBody(x, r) {
			return x.bodyErr
		}
	}
	return codec.Resolve(x.call)
}

// readBody reads the request body whole into call.Body, once, bounded by
// MaxBodyBytes. It reports whether the body is there.
func (p *Pipeline) readBody(x *exchange, r *http.Request) bool {
	if x.bodyRead || x.bodyErr != nil {
		return x.bodyErr == nil
	}
	max := p.cfg.MaxBodyBytes
	if r.ContentLength > max {
		x.bodyErr = tooLarge(max)
		return false
	}
	if r.Body == nil || r.Body == http.NoBody {
		x.bodyRead = true
		return true
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	x.limit = io.LimitedReader{R: r.Body, N: max + 1}
	n, err := buf.ReadFrom(&x.limit)
	x.limit.R = nil
	switch {
	case err != nil:
		x.bodyErr = api.Errorf("IncompleteBody", http.StatusBadRequest, "The request body could not be read: %v", err)
		return false
	case n > max:
		x.bodyErr = tooLarge(max)
		return false
	}
	x.call.Body = buf.Bytes()
	x.bodyRead = true
	return true
}

func tooLarge(max int64) *api.Error {
	return api.Errorf("RequestEntityTooLarge", http.StatusRequestEntityTooLarge,
		"Request body is larger than Fogbank's limit of %d bytes.", max)
}

// streamingInput reports whether op's input payload is a stream the codec
// reads from the request itself (S3 PutObject, Lambda runtime responses).
func streamingInput(op *api.Operation) bool {
	in := op.Input
	if in == nil || in.Payload == "" {
		return false
	}
	m := in.MemberByName(in.Payload)
	return m != nil && (m.Ref.Streaming || (m.Ref.Shape != nil && m.Ref.Shape.Streaming))
}

// operationHint names the operation of a request Fogbank cannot serve, for the
// NotImplemented message: the target or Action the router saw, else the
// Action of a form body.
func (p *Pipeline) operationHint(x *exchange, r *http.Request) string {
	if x.route.Operation != "" {
		return x.route.Operation
	}
	if a := r.URL.Query().Get("Action"); a != "" {
		return a
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") && p.readBody(x, r) {
		if v, err := url.ParseQuery(string(x.call.Body)); err == nil {
			return v.Get("Action")
		}
	}
	return ""
}

// writeError writes err in the request's protocol: through the codec that
// was resolving the request, else the codec of the protocol the request
// looks like, else a plain envelope. This is the one place an error becomes
// a response.
func (p *Pipeline) writeError(w *StatusRecorder, x *exchange, err error) {
	ae := api.AsError(err)
	c := x.call
	codec := x.codec
	if codec == nil {
		proto := c.Protocol
		if proto == "" && c.Service != nil {
			proto = router.Protocol(c.Service, "")
		}
		if proto == "" {
			proto = "rest-xml"
			if x.route.Protocol != "" {
				proto = x.route.Protocol
			}
		}
		c.Protocol = proto
		codec = p.cfg.Codecs[proto]
	}
	if c.Service == nil {
		// Codecs may read the service's name or namespace; give them one
		// that names what the client asked for.
		c.Service = &api.Service{Name: x.route.Name, Protocols: []string{c.Protocol}}
	}
	if codec != nil && encodeErrorSafely(codec, w, c, ae) {
		return
	}
	writePlainError(w, c, ae)
}

// encodeErrorSafely runs codec.EncodeError, reporting false if it panicked
// before writing anything (a codec may assume an operation was resolved).
func encodeErrorSafely(codec api.Codec, w *StatusRecorder, c *api.Call, ae *api.Error) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			ok = w.status != 0
		}
	}()
	codec.EncodeError(w, c, ae)
	return true
}

// logRequest writes the one line per request: service, operation, account,
// region, status, duration, request id. Never bodies or credentials.
func (p *Pipeline) logRequest(ctx context.Context, x *exchange, rec *StatusRecorder, d time.Duration, err error, panicked any, stack []byte) {
	status := rec.Code()
	// A 5xx is Fogbank's fault and logged as an error; 501 is a known gap
	// (a service or operation not implemented yet), worth a warning.
	level := slog.LevelInfo
	switch {
	case status == http.StatusNotImplemented:
		level = slog.LevelWarn
	case status >= 500:
		level = slog.LevelError
	}
	lg := p.cfg.Logger
	if !lg.Enabled(ctx, level) {
		return
	}
	c := x.call
	svc, op := x.route.Name, ""
	if c.Service != nil && c.Service.Name != "" {
		svc = c.Service.Name
	}
	if c.Op != nil {
		op = c.Op.Name
	} else {
		op = x.route.Operation
	}
	// A Record handed to the handler directly: Logger.LogAttrs would also
	// walk the stack (runtime.Callers) for a source location no handler of
	// ours prints, on every request.
	r := slog.NewRecord(time.Now(), level, "request", 0)
	r.AddAttrs(
		slog.String("service", svc),
		slog.String("operation", op),
		slog.String("account", c.Account),
		slog.String("region", c.Region),
		slog.Int("status", status),
		slog.Duration("duration", d),
		slog.String("request_id", c.RequestID),
	)
	if err != nil {
		ae := api.AsError(err)
		r.AddAttrs(slog.String("error_code", ae.Code))
		var apiErr *api.Error
		if !errors.As(err, &apiErr) {
			// Internal failures: the client saw a generic message, the log
			// gets the cause.
			r.AddAttrs(slog.String("error", err.Error()))
		}
	}
	if panicked != nil {
		r.AddAttrs(slog.Any("panic", panicked), slog.String("stack", string(stack)))
	}
	_ = lg.Handler().Handle(ctx, r)
}
