package delivery

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/store/memstore"
)

// recorder fails every attempt until ok is set, retries 10 s apart 3 times.
type recorder struct {
	mu       sync.Mutex
	attempts int
	ok       bool
	dead     []string
	done     chan string
}

func (r *recorder) Deliver(_ context.Context, j *Job) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	if r.ok {
		r.done <- string(j.Payload)
		return nil
	}
	if string(j.Payload) == "permanent" {
		return Permanent(errors.New("gone"))
	}
	return errors.New("unavailable")
}

func (r *recorder) Retry(j *Job, _ error) (time.Duration, bool) {
	return Delays{10 * time.Second, 10 * time.Second, 10 * time.Second}.Delay(j.Attempts)
}

func (r *recorder) Dead(_ context.Context, j *Job, _ error) error {
	r.mu.Lock()
	r.dead = append(r.dead, string(j.Payload))
	r.mu.Unlock()
	r.done <- "dead:" + string(j.Payload)
	return nil
}

func TestRetryDeadAndRestart(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	clk := clock.New()
	defer clk.Close()
	rec := &recorder{done: make(chan string, 10)}
	q := New(Config{Store: st, Clock: clk, Prefix: "t"})
	q.Handle("k", rec)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := q.Submit(ctx, Job{Kind: "k", Payload: []byte("permanent")}); err != nil {
		t.Fatal(err)
	}
	if got := <-rec.done; got != "dead:permanent" {
		t.Fatalf("permanent failure: %s", got)
	}
	if err := q.Submit(ctx, Job{Kind: "k", Payload: []byte("m")}); err != nil {
		t.Fatal(err)
	}
	// Wait for the first attempt to be recorded as a retry at +10 s.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		p := q.Pending()
		if len(p) == 1 && p[0].Attempts == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no retry scheduled: %+v", p)
		}
	}
	q.Stop()

	// A new queue on the same store finds the job and delivers it when due.
	rec.mu.Lock()
	rec.ok = true
	rec.mu.Unlock()
	q2 := New(Config{Store: st, Clock: clk, Prefix: "t"})
	q2.Handle("k", rec)
	if err := q2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q2.Stop()
	if err := clk.Advance(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if got := <-rec.done; got != "m" {
		t.Fatalf("after restart: %s", got)
	}
	for deadline := time.Now().Add(5 * time.Second); len(q2.Pending()) != 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("job not removed: %+v", q2.Pending())
		}
	}
}

// gate counts concurrent attempts.
type gate struct {
	mu        sync.Mutex
	cur, max  int
	delivered int
	release   chan struct{}
}

func (g *gate) Deliver(context.Context, *Job) error {
	g.mu.Lock()
	g.cur++
	g.max = max(g.max, g.cur)
	g.mu.Unlock()
	<-g.release
	g.mu.Lock()
	g.cur--
	g.delivered++
	g.mu.Unlock()
	return nil
}
func (g *gate) Retry(*Job, error) (time.Duration, bool) { return 0, false }
func (g *gate) Dead(context.Context, *Job, error) error { return nil }

func TestMaxConcurrent(t *testing.T) {
	ctx := context.Background()
	clk := clock.New()
	defer clk.Close()
	g := &gate{release: make(chan struct{})}
	q := New(Config{Store: memstore.New(), Clock: clk, Prefix: "t", MaxConcurrent: 2})
	q.Handle("k", g)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop()
	for range 10 {
		if err := q.Submit(ctx, Job{Kind: "k"}); err != nil {
			t.Fatal(err)
		}
	}
	for range 10 {
		g.release <- struct{}{}
	}
	for deadline := time.Now().Add(5 * time.Second); len(q.Pending()) != 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("pending %d", len(q.Pending()))
		}
	}
	if g.max > 2 || g.delivered != 10 {
		t.Fatalf("max concurrent %d, delivered %d", g.max, g.delivered)
	}
}
