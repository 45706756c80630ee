// Package fogbank runs Fogbank: one HTTP listener that serves every AWS
// service Fogbank implements, the operational endpoints beside them, and the
// store and clock the services share.
//
// A Server's life is New → Start → Shutdown (or Close). New opens the store
// and builds the services but starts nothing, so a failure (the data
// directory is in use by another process: store.ErrLocked) is reported
// before any port is taken. Several servers can run in one process: nothing
// here is global (fogbanktest relies on it).
//
// Lock and shutdown order: the HTTP server stops taking requests and waits
// for in-flight ones; then services stop, in reverse order of start; then the
// store closes; then the clock. A service never holds its lock while calling
// the store's Apply from a request that Shutdown is waiting for in a way that
// needs another request to finish (docs/architecture.md).
package fogbank

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/ops"
	"github.com/fogbank/fogbank/internal/router"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/internal/services"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/memstore"
	"github.com/fogbank/fogbank/internal/store/pebblestore"
	"github.com/fogbank/fogbank/internal/validate"
)

// Server is a Fogbank instance.
type Server struct {
	opts     Options
	store    store.Store
	clock    clock.Clock
	ownClock *clock.Process // non-nil when the server made the clock and must close it
	services []*running
	handler  http.Handler

	// baseCancel cancels the context every request descends from; Shutdown
	// calls it only when its own deadline passes, to end long polls.
	baseCtx    context.Context
	baseCancel context.CancelFunc
	// svcCancel cancels the context services were started with (their
	// background work), once in-flight requests are done. Set by Start
	// under mu.
	svcCancel context.CancelFunc

	mu struct {
		sync.Mutex
		// Guarded by mu.
		ln      net.Listener
		http    *http.Server
		started bool
		closed  bool
	}
	serveDone chan error // the result of http.Server.Serve, once Start ran
}

// running is one built service and its lifecycle state.
type running struct {
	name  string
	svc   service.Service
	state stateValue
}

// stateValue is a service's state as the health endpoints report it.
type stateValue struct {
	mu sync.Mutex
	s  string // guarded by mu
}

func (v *stateValue) get() string  { v.mu.Lock(); defer v.mu.Unlock(); return v.s }
func (v *stateValue) set(s string) { v.mu.Lock(); v.s = s; v.mu.Unlock() }

// New opens the store and builds every service. It does not listen.
func New(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	s := &Server{opts: opts, serveDone: make(chan error, 1)}
	s.baseCtx, s.baseCancel = context.WithCancel(context.Background())

	st, err := openStore(opts)
	if err != nil {
		return nil, err
	}
	s.store = st
	s.clock = opts.Clock
	if s.clock == nil {
		s.ownClock = clock.New()
		s.clock = s.ownClock
	}
	if err := s.build(); err != nil {
		s.closeResources()
		return nil, err
	}
	return s, nil
}

// openStore opens the memory or durable engine. A data directory another
// process holds yields an error wrapping store.ErrLocked.
func openStore(opts Options) (store.Store, error) {
	if opts.Memory {
		return memstore.New(), nil
	}
	st, err := pebblestore.Open(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("opening data directory %s: %w", opts.DataDir, err)
	}
	return st, nil
}

// dataDirOf is the data directory services may keep files in: none in
// memory mode, where nothing may outlive the process.
func dataDirOf(opts Options) string {
	if opts.Memory {
		return ""
	}
	return opts.DataDir
}

// build constructs the services and the HTTP handler that serves them.
func (s *Server) build() error {
	infos := s.opts.Services
	if infos == nil {
		infos = services.All()
	}
	peers := peerTable{}
	for _, info := range infos {
		if _, dup := peers[info.Name]; dup {
			return fmt.Errorf("service %q listed twice", info.Name)
		}
		svc, err := info.New(service.Env{
			Store:          s.store,
			Clock:          s.clock,
			Logger:         s.opts.Logger.With("service", info.Name),
			DefaultAccount: s.opts.Account,
			Peers:          peers,
			DataDir:        dataDirOf(s.opts),
			BaseURL:        s.URL,
		})
		if err != nil {
			return fmt.Errorf("building service %s: %w", info.Name, err)
		}
		peers[info.Name] = svc
		r := &running{name: info.Name, svc: svc}
		r.state.set("available")
		s.services = append(s.services, r)
	}

	var apis []*api.Service
	handlers := map[*api.Service]any{}
	var owners keyOwners
	var corsOwners []server.CORSOwner
	mux := http.NewServeMux()
	for _, r := range s.services {
		for _, b := range r.svc.APIs() {
			apis = append(apis, b.API)
			handlers[b.API] = b.Handler
		}
		if o, ok := r.svc.(router.KeyOwner); ok {
			owners = append(owners, o)
		}
		if o, ok := r.svc.(server.CORSOwner); ok {
			corsOwners = append(corsOwners, o)
		}
		if hr, ok := r.svc.(service.HTTPRouter); ok {
			for pattern, h := range hr.Routes() {
				if err := handle(mux, pattern, h); err != nil {
					return fmt.Errorf("mounting routes of %s: %w", r.name, err)
				}
			}
		}
	}
	ops.Register(mux, ops.Config{
		Version:  s.opts.Version,
		Services: s.states,
		Reset:    s.reset,
		Clock:    s.clock,
	})
	pipe := server.New(server.Config{
		Table:        router.NewTable(apis, s.opts.Account, owners),
		Codecs:       server.Codecs(),
		Handlers:     handlers,
		Validate:     validator(s.services),
		MaxBodyBytes: s.opts.MaxBodyBytes,
		Logger:       s.opts.Logger,
	})
	s.handler = server.CORS{Origins: s.opts.CORSOrigins, Owners: corsOwners}.Wrap(dispatch(mux, pipe))
	return nil
}

// handle registers h on mux, turning ServeMux's panic on a conflicting
// pattern into an error.
func handle(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pattern %q: %v", pattern, r)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

// dispatch sends Fogbank's own paths and the routes services mounted to mux,
// and everything else to the AWS pipeline. It does not let ServeMux see AWS
// requests: ServeMux redirects paths it would clean ("//", ".."), and S3 keys
// may contain both.
func dispatch(mux *http.ServeMux, pipe http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if id, ok := router.LambdaURLHost(r.Host); ok {
			// A function URL's own host: Lambda serves it under its path form.
			r = r.Clone(r.Context())
			r.URL.RawPath = "/_fogbank/lambda-url/" + id + r.URL.EscapedPath()
			r.URL.Path = "/_fogbank/lambda-url/" + id + p
			p = r.URL.Path
		}
		if strings.HasPrefix(p, "/_fogbank/") || strings.HasPrefix(p, "/_localstack/") {
			mux.ServeHTTP(w, r)
			return
		}
		if h, pattern := mux.Handler(r); pattern != "" {
			h.ServeHTTP(w, r)
			return
		}
		pipe.ServeHTTP(w, r)
	})
}

// Handler returns the server's HTTP handler, for serving it on a listener of
// one's own (or httptest).
func (s *Server) Handler() http.Handler { return s.handler }

// Clock returns the server's clock.
func (s *Server) Clock() clock.Clock { return s.clock }

// Start starts the services and begins serving on opts.Listen. It returns
// once the listener is bound; serving continues in the background until
// Shutdown, whatever becomes of ctx. Done reports a serving failure.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.started || s.mu.closed {
		return errors.New("fogbank: server already started or closed")
	}
	// Services get a context that outlives ctx's cancellation (a signal
	// cancels the caller's context before in-flight requests have drained,
	// and those may wait on services' background work) and ends at Shutdown.
	svcCtx, svcCancel := context.WithCancel(context.WithoutCancel(ctx))
	s.svcCancel = svcCancel
	for _, r := range s.services {
		if st, ok := r.svc.(service.Starter); ok {
			r.state.set("starting")
			if err := st.Start(svcCtx); err != nil {
				r.state.set("error")
				return fmt.Errorf("starting service %s: %w", r.name, err)
			}
		}
		r.state.set("running")
	}
	ln, err := net.Listen("tcp", s.opts.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", s.opts.Listen, err)
	}
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		BaseContext:       func(net.Listener) context.Context { return s.baseCtx },
		// net/http's own complaints (bad requests it rejects, accept
		// errors) go to the same log.
		ErrorLog: slog.NewLogLogger(s.opts.Logger.Handler(), slog.LevelWarn),
	}
	s.mu.ln, s.mu.http, s.mu.started = ln, hs, true
	go func() {
		err := hs.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.serveDone <- err
	}()
	return nil
}

// Addr returns the address the server listens on, or "" before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.ln == nil {
		return ""
	}
	return s.mu.ln.Addr().String()
}

// URL returns the base URL of the server ("http://127.0.0.1:4566"), or ""
// before Start. A wildcard listen address is reported as loopback.
func (s *Server) URL() string {
	addr := s.Addr()
	if addr == "" {
		return ""
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Done returns a channel that receives the error that ended serving (nil
// after Shutdown). It is only meaningful after Start.
func (s *Server) Done() <-chan error { return s.serveDone }

// Shutdown stops taking requests and waits for in-flight ones to finish,
// then stops the services and closes the store and clock. If ctx ends first,
// the requests still running are cancelled (long polls return) and their
// connections closed. Calling it again returns nil.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.mu.closed {
		s.mu.Unlock()
		return nil
	}
	s.mu.closed = true
	hs, svcCancel := s.mu.http, s.svcCancel
	s.mu.Unlock()

	var errs []error
	if hs != nil {
		if err := hs.Shutdown(ctx); err != nil {
			s.baseCancel()
			_ = hs.Close()
			errs = append(errs, fmt.Errorf("waiting for in-flight requests: %w", err))
		}
	}
	s.baseCancel()
	if svcCancel != nil {
		svcCancel()
	}
	stopCtx := context.WithoutCancel(ctx)
	for i := len(s.services) - 1; i >= 0; i-- {
		r := s.services[i]
		if st, ok := r.svc.(service.Stopper); ok {
			if err := st.Stop(stopCtx); err != nil {
				errs = append(errs, fmt.Errorf("stopping service %s: %w", r.name, err))
			}
		}
		r.state.set("stopped")
	}
	if err := s.closeResources(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Close shuts the server down without waiting for in-flight requests.
func (s *Server) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Shutdown(ctx)
	if errors.Is(err, context.Canceled) {
		// Not waiting was the point; report only other failures.
		var rest []error
		for _, e := range unjoin(err) {
			if !errors.Is(e, context.Canceled) {
				rest = append(rest, e)
			}
		}
		return errors.Join(rest...)
	}
	return err
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// closeResources closes the store and, if the server made it, the clock.
func (s *Server) closeResources() error {
	var err error
	if s.store != nil {
		if e := s.store.Close(); e != nil {
			err = fmt.Errorf("closing store: %w", e)
		}
	}
	if s.ownClock != nil {
		_ = s.ownClock.Close()
	}
	return err
}

// states reports each service's state, for the health endpoints.
func (s *Server) states() []ops.ServiceState {
	out := make([]ops.ServiceState, 0, len(s.services))
	for _, r := range s.services {
		out = append(out, ops.ServiceState{Name: r.name, State: r.state.get()})
	}
	return out
}

// reset drops the state of every service that keeps any.
func (s *Server) reset(ctx context.Context) error {
	var errs []error
	for _, r := range s.services {
		if rs, ok := r.svc.(service.Resetter); ok {
			if err := rs.Reset(ctx); err != nil {
				errs = append(errs, fmt.Errorf("resetting %s: %w", r.name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// peerTable is service.Peers over the services built so far.
type peerTable map[string]service.Service

func (p peerTable) Lookup(name string) service.Service { return p[name] }

// keyOwners asks each service that issues access keys which account owns one.
type keyOwners []router.KeyOwner

func (k keyOwners) AccountForKey(ak string) (string, bool) {
	for _, o := range k {
		if a, ok := o.AccountForKey(ak); ok {
			return a, true
		}
	}
	return "", false
}

// validator returns the check run between Decode and the handler: the model's
// constraints, with each service's own options.
func validator(svcs []*running) server.ValidateFunc {
	v := &validate.Validator{}
	opts := map[string]validate.Options{}
	for _, r := range svcs {
		if vo, ok := r.svc.(service.ValidationOptioner); ok {
			o := vo.ValidationOptions()
			for _, b := range r.svc.APIs() {
				opts[b.API.Name] = o
			}
		}
	}
	return func(c *api.Call, in any) error {
		o := opts[c.Service.Name]
		o.Protocol = c.Protocol
		return v.Check(c.Op.Input, in, o)
	}
}
