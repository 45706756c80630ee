// Package lambda is Fogbank's AWS Lambda control plane: functions, versions,
// aliases, layers, permissions, concurrency and invokes, over rest-json. The
// functions themselves run in internal/lambdaruntime, as local processes
// speaking the Lambda Runtime API; this package decides what runs (which
// version, which code and layers, whether concurrency allows it) and turns
// the engine's Result into the Invoke API's answer.
//
// # Shape
//
// A function (function.go) is one value holding $LATEST, its published
// versions, aliases, tags, policies and settings. Values are copy-on-write:
// a change clones the function, edits the clone, writes its record and only
// then publishes the clone in the map, so readers (every invoke) take the
// read lock for one map lookup and then use an immutable snapshot.
//
// # Locks and durability
//
// Service.ctl serializes every control-plane change and is held across its
// store.Apply (control-plane calls are rare; invokes never take it).
// Service.mu guards the maps and is never held across Apply or a call into
// the engine. Order: ctl → mu → conc.mu (concurrency.go, a leaf).
//
// Code lives in files (code.go): each zip is kept as <sha>.zip under the
// data directory (a temporary directory in --memory mode) and unzipped once
// into <sha>/, which every version with that code shares.
package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/lambdaruntime"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/validate"
)

// Info is Lambda's descriptor, listed in internal/services/all.go.
var Info = service.Info{Name: "lambda", New: New}

// transitions are how long a create stays Pending and an update
// InProgress, on the service clock. AWS takes a second or more to apply
// either; Fogbank has applied the code and configuration by the time it
// answers, so by default neither lasts: the response reports Pending or
// InProgress as AWS's does, and the function is already Active (Successful)
// for the next request — an SDK waiter's first poll, or an invoke sent right
// away. Tests of the conflicts AWS answers meanwhile give them a duration
// (InfoWithTransitions in export_test.go).
type transitions struct{ pending, updating time.Duration }

// fnKey identifies a function: its scope and name.
type fnKey struct{ account, region, name string }

// Service implements the generated lambdaapi.Handler.
type Service struct {
	lambdaapi.Unimplemented
	env   service.Env
	trans transitions

	// codeRoot holds zips and unzipped code (code.go); removeRoot says it is
	// a temporary directory, removed at Stop.
	codeRoot   string
	removeRoot bool

	engine *lambdaruntime.Engine

	// ctl serializes control-plane changes, across their Apply.
	ctl sync.Mutex

	mu struct {
		sync.RWMutex
		fns    map[fnKey]*function
		layers map[fnKey]*layer
		// timers are pending state transitions, by function.
		timers map[fnKey]timerStop
		// urls finds a function URL's target by its URL id (url.go).
		urls map[string]urlRef
	}

	conc  concurrency
	async asyncQueue

	// ctx ends at Stop; background work (async invokes, timers) uses it.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type timerStop interface{ Stop() bool }

var (
	_ service.Resetter           = (*Service)(nil)
	_ service.Starter            = (*Service)(nil)
	_ service.Stopper            = (*Service)(nil)
	_ service.HTTPRouter         = (*Service)(nil)
	_ service.ValidationOptioner = (*Service)(nil)
	_ server.CORSOwner           = (*Service)(nil)
)

// New builds Lambda and loads its functions, layers and queued events.
func New(env service.Env) (service.Service, error) {
	s, err := newService(env, transitions{})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func newService(env service.Env, trans transitions) (*Service, error) {
	s := &Service{env: env, trans: trans}
	s.mu.fns = map[fnKey]*function{}
	s.mu.layers = map[fnKey]*layer{}
	s.mu.timers = map[fnKey]timerStop{}
	s.mu.urls = map[string]urlRef{}
	s.conc.init()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if env.DataDir != "" {
		s.codeRoot = filepath.Join(env.DataDir, "lambda")
	} else {
		d, err := os.MkdirTemp("", "fogbank-lambda-")
		if err != nil {
			return nil, fmt.Errorf("lambda: code directory: %w", err)
		}
		s.codeRoot, s.removeRoot = d, true
	}
	if err := os.MkdirAll(filepath.Join(s.codeRoot, "code"), 0o755); err != nil {
		return nil, fmt.Errorf("lambda: code directory: %w", err)
	}
	if err := s.load(context.Background()); err != nil {
		return nil, fmt.Errorf("lambda: %w", err)
	}
	return s, nil
}

// Start implements service.Starter: the engine is built (it starts nothing
// until the first invoke) and queued events resume.
func (s *Service) Start(context.Context) error {
	s.engine = lambdaruntime.New(lambdaruntime.Config{
		WorkDir:  filepath.Join(s.codeRoot, "run"),
		Endpoint: s.endpoint,
		Logger:   s.env.Logger,
		Sink:     s.newLogSink(), // function output to CloudWatch Logs (logsink.go)
		Now:      s.env.Clock.Now,
	})
	s.startAsync()
	return nil
}

// endpoint is the URL functions' SDKs call: this server.
func (s *Service) endpoint() string {
	if s.env.BaseURL != nil {
		return s.env.BaseURL()
	}
	return ""
}

// Stop implements service.Stopper: timers stop, background invokes end and
// every environment is killed.
func (s *Service) Stop(ctx context.Context) error {
	s.cancel()
	s.mu.Lock()
	for k, t := range s.mu.timers {
		t.Stop()
		delete(s.mu.timers, k)
	}
	s.mu.Unlock()
	s.async.close()
	s.wg.Wait()
	var err error
	if s.engine != nil {
		err = s.engine.Close(ctx)
	}
	if s.removeRoot {
		_ = os.RemoveAll(s.codeRoot)
	}
	return err
}

// Reset implements service.Resetter: every function, layer, queued event and
// environment is dropped.
func (s *Service) Reset(ctx context.Context) error {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.mu.Lock()
	fns := s.mu.fns
	s.mu.fns = map[fnKey]*function{}
	s.mu.layers = map[fnKey]*layer{}
	s.mu.urls = map[string]urlRef{}
	for k, t := range s.mu.timers {
		t.Stop()
		delete(s.mu.timers, k)
	}
	s.mu.Unlock()
	s.async.drop()
	if s.engine != nil {
		for _, f := range fns {
			s.retire(f)
		}
	}
	prefix := store.KeyPrefix("lambda")
	var b store.Batch
	err := s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(k, _ []byte) error {
		b.Delete(append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return fmt.Errorf("lambda: listing records: %w", err)
	}
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("lambda: deleting records: %w", err)
	}
	return nil
}

// APIs implements service.Service.
func (s *Service) APIs() []service.Binding {
	return []service.Binding{{API: lambdaapi.Service, Handler: wire{s}}}
}

// ValidationOptions implements service.ValidationOptioner: Lambda enforces
// its model's patterns (function names, qualifiers, statement ids, role
// ARNs), with the messages recorded from AWS.
func (s *Service) ValidationOptions() validate.Options {
	return validate.Options{Patterns: true}
}

// Routes implements service.HTTPRouter: the code download GetFunction's
// Code.Location points at (AWS hands out a presigned S3 URL), and function
// URLs (url.go; the server sends a URL's own host here too).
func (s *Service) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /_fogbank/lambda/code/{file}": http.HandlerFunc(s.serveCode),
		urlPathPrefix:                      http.HandlerFunc(s.serveURL),
	}
}

// now is the service clock.
func (s *Service) now() time.Time { return s.env.Clock.Now() }

// timestamp is Lambda's LastModified format.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }

// apply writes b durably.
func (s *Service) apply(ctx context.Context, b *store.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	if err := s.env.Store.Apply(context.WithoutCancel(ctx), b); err != nil {
		return fmt.Errorf("lambda: writing records: %w", err)
	}
	return nil
}

func fnRecordKey(k fnKey) []byte    { return store.Key("lambda", k.account, k.region, "f", k.name) }
func layerRecordKey(k fnKey) []byte { return store.Key("lambda", k.account, k.region, "l", k.name) }

// load reads functions and layers back from the store. A function that was
// Pending or InProgress when the process stopped finished meanwhile.
func (s *Service) load(ctx context.Context) error {
	prefix := store.KeyPrefix("lambda")
	return s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(k, v []byte) error {
		parts := splitKey(k)
		if len(parts) != 5 {
			return s.async.loadRecord(k, v)
		}
		key := fnKey{parts[1], parts[2], parts[4]}
		switch parts[3] {
		case "f":
			var f function
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("decoding function %q: %w", key.name, err)
			}
			f.settle()
			s.prepare(&f)
			s.mu.fns[key] = &f
			s.indexURLs(nil, &f)
		case "l":
			var l layer
			if err := json.Unmarshal(v, &l); err != nil {
				return fmt.Errorf("decoding layer %q: %w", key.name, err)
			}
			s.mu.layers[key] = &l
		default:
			return s.async.loadRecord(k, v)
		}
		return nil
	})
}

func splitKey(k []byte) []string {
	var out []string
	start := 0
	for i, b := range k {
		if b == 0 {
			out = append(out, string(k[start:i]))
			start = i + 1
		}
	}
	return append(out, string(k[start:]))
}

// lookup returns the current snapshot of a function, or nil.
func (s *Service) lookup(k fnKey) *function {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.mu.fns[k]
}

// existing resolves a FunctionName (and Qualifier) to the function it
// names; when there is none, the error missing words for that operation.
func (s *Service) existing(ctx context.Context, name, qualifier *string, missing func(fnRef) *api.Error) (fnRef, *function, error) {
	r, err := ref(ctx, name, qualifier)
	if err != nil {
		return r, nil, err
	}
	f := s.lookup(r.key())
	if f == nil {
		return r, nil, missing(r)
	}
	return r, f, nil
}

// The not-found errors most operations answer.
func missingARN(r fnRef) *api.Error  { return fnNotFound(r.arn()) }
func missingQARN(r fnRef) *api.Error { return fnNotFound(r.qarn()) }

// sortedValues returns m's values in key order, [] when there are none.
func sortedValues[T any](m map[string]T) []T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]T, 0, len(m))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}
