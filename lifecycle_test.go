package fogbank_test

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/internal/service"
)

// slowService is a fake service: a route that blocks until released, and
// counters for the lifecycle calls the server makes.
type slowService struct {
	entered, release chan struct{}
	started, stopped atomic.Int32
	resets           atomic.Int32
}

func (s *slowService) APIs() []service.Binding { return nil }
func (s *slowService) Start(context.Context) error {
	s.started.Add(1)
	return nil
}
func (s *slowService) Stop(context.Context) error {
	s.stopped.Add(1)
	return nil
}
func (s *slowService) Reset(context.Context) error {
	s.resets.Add(1)
	return nil
}
func (s *slowService) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /_slow/wait": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(s.entered)
			<-s.release
			io.WriteString(w, "done")
		}),
	}
}

func TestGracefulShutdown(t *testing.T) {
	fake := &slowService{entered: make(chan struct{}), release: make(chan struct{})}
	srv, err := fogbank.New(fogbank.Options{
		Listen: "127.0.0.1:0", Memory: true,
		Services: []service.Info{{Name: "slow", New: func(service.Env) (service.Service, error) { return fake, nil }}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fake.started.Load() != 1 {
		t.Fatal("Start not called")
	}
	resp, err := http.Post(srv.URL()+"/_fogbank/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if fake.resets.Load() != 1 {
		t.Fatal("reset did not reach the service")
	}

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get(srv.URL() + "/_slow/wait")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-fake.entered

	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(context.Background()) }()
	// Wait until Shutdown has closed the listener, then check that it is
	// still waiting for the request in flight and stopped nothing yet.
	probe := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		resp, err := probe.Get(srv.URL() + "/_fogbank/health")
		if err != nil {
			break
		}
		resp.Body.Close()
		runtime.Gosched()
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while a request was in flight", err)
	case r := <-got:
		t.Fatalf("request ended before release: %+v", r)
	default:
	}
	if fake.stopped.Load() != 0 {
		t.Fatal("service stopped while a request was in flight")
	}
	close(fake.release)
	if r := <-got; r.err != nil || r.body != "done" {
		t.Fatalf("in-flight request: %+v", r)
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if fake.stopped.Load() != 1 {
		t.Fatal("Stop not called")
	}
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
}

func TestConflictingRoutesFailNew(t *testing.T) {
	mk := func(name string) service.Info {
		return service.Info{Name: name, New: func(service.Env) (service.Service, error) { return &slowService{}, nil }}
	}
	_, err := fogbank.New(fogbank.Options{Memory: true, Services: []service.Info{mk("a"), mk("b")}})
	if err == nil || !strings.Contains(err.Error(), "mounting routes") {
		t.Fatalf("err = %v, want a route conflict", err)
	}
}
