// Package delivery runs deliveries that must happen at least once and that
// AWS retries: an SNS notification to an HTTP endpoint, an asynchronous
// Lambda invocation, an EventBridge target. Each delivery is a Job, a record
// in the store with the time of its next attempt; a timer on the service
// clock fires the attempt, a failed attempt is rescheduled by the job's
// handler (its backoff policy), and a job given up on is handed to the
// handler's Dead (a dead-letter queue) exactly before its record is deleted.
//
// # Invariants
//
//   - Submit returns nil only once every submitted job is durable; a job
//     then stays in the store until it is delivered or handed to Dead, so a
//     restart (Start loads every job and schedules it at its Next time, at
//     once if that passed) never loses one.
//   - Delivery is at least once: a crash after an attempt succeeded and
//     before its record was deleted repeats the attempt after restart.
//   - A job has at most one attempt running at a time, and attempts of one
//     job run in order. Jobs are independent of each other: there is no
//     ordering between jobs.
//   - Attempts run on the clock: advancing the clock (tests, POST
//     /_fogbank/clock) past a job's Next fires its attempt before Advance
//     returns. Nothing here reads the wall clock.
//   - The queue never holds its lock across a store Apply or a handler call.
//   - At most Config.MaxConcurrent attempts run at once; the others wait.
//
// # Use
//
//	q := delivery.New(delivery.Config{Store: env.Store, Clock: env.Clock, Prefix: "sns"})
//	q.Handle("http", myHandler)        // before Start
//	q.Start(ctx)                       // in service.Starter
//	q.Submit(ctx, delivery.Job{Kind: "http", Payload: p})
//	q.Stop()                           // in service.Stopper
//
// The payload is opaque bytes the handler encodes and decodes itself
// (usually JSON); it should carry everything an attempt needs, so a job
// still works after a restart, including what its backoff depends on.
package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/store"
)

// Job is one delivery.
type Job struct {
	// ID identifies the job; Submit assigns a random one when empty.
	ID string `json:"id"`
	// Kind selects the Handler.
	Kind string `json:"kind"`
	// Payload is the handler's own description of what to deliver.
	Payload []byte `json:"payload"`
	// Attempts is how many attempts have been made (and failed) so far.
	Attempts int `json:"attempts"`
	// First is when the job was submitted.
	First time.Time `json:"first"`
	// Next is when the next attempt is due; zero means at once.
	Next time.Time `json:"next"`
	// LastError is the last failed attempt's error text, for inspection.
	LastError string `json:"lastError,omitempty"`
}

// Handler delivers the jobs of one kind.
type Handler interface {
	// Deliver makes one attempt. nil means delivered. An error wrapping
	// ErrPermanent is not retried: the job goes to Dead at once.
	Deliver(ctx context.Context, j *Job) error
	// Retry decides, after failed attempt number j.Attempts (1 for the
	// first), whether to try again and after how long (usually a Policy).
	Retry(j *Job, err error) (time.Duration, bool)
	// Dead is told about a job given up on (dead-letter it, record it). It
	// is called once per job before the job's record is deleted; an error
	// is logged and the job is dropped anyway.
	Dead(ctx context.Context, j *Job, err error) error
}

// ErrPermanent marks an attempt's error as not worth retrying (the target
// does not exist, the endpoint refused the message for good).
var ErrPermanent = errors.New("permanent delivery failure")

// Permanent wraps err so that errors.Is(err, ErrPermanent).
func Permanent(err error) error { return fmt.Errorf("%w: %w", ErrPermanent, err) }

// Config is what a Queue needs.
type Config struct {
	Store  store.Store
	Clock  clock.Clock
	Logger *slog.Logger
	// Prefix is the first part of every job key (the service name): jobs
	// live at store.Key(Prefix, "dlv", id).
	Prefix string
	// MaxConcurrent bounds the attempts running at once (a burst of
	// publishes to slow endpoints must not start a goroutine and a
	// connection per job); 64 when zero. Attempts past it wait their turn.
	MaxConcurrent int
}

// Queue schedules and runs jobs. It is safe for concurrent use.
type Queue struct {
	cfg      Config
	handlers map[string]Handler

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// slots holds a token per running attempt (MaxConcurrent).
	slots chan struct{}

	mu struct {
		sync.Mutex
		started bool
		stopped bool
		// timers are the pending timers by job id; running marks jobs with
		// an attempt in progress (their timer is gone).
		timers  map[string]clock.Timer
		running map[string]bool
		// jobs are the jobs not yet finished, by id.
		jobs map[string]*Job
	}
}

// New returns a Queue; it runs nothing until Start.
func New(cfg Config) *Queue {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 64
	}
	q := &Queue{cfg: cfg, handlers: map[string]Handler{}, slots: make(chan struct{}, cfg.MaxConcurrent)}
	q.ctx, q.cancel = context.WithCancel(context.Background())
	q.mu.timers = map[string]clock.Timer{}
	q.mu.running = map[string]bool{}
	q.mu.jobs = map[string]*Job{}
	return q
}

// Handle registers the handler of a kind; call it before Start.
func (q *Queue) Handle(kind string, h Handler) { q.handlers[kind] = h }

func (q *Queue) key(id string) []byte { return store.Key(q.cfg.Prefix, "dlv", id) }

// Start loads every job in the store and schedules it.
func (q *Queue) Start(ctx context.Context) error {
	p := store.KeyPrefix(q.cfg.Prefix, "dlv")
	var jobs []*Job
	err := q.cfg.Store.Scan(ctx, p, store.PrefixEnd(p), func(_, v []byte) error {
		j := &Job{}
		if err := json.Unmarshal(v, j); err != nil {
			return fmt.Errorf("delivery: decoding job: %w", err)
		}
		jobs = append(jobs, j)
		return nil
	})
	if err != nil {
		return err
	}
	q.mu.Lock()
	q.mu.started = true
	for _, j := range jobs {
		q.mu.jobs[j.ID] = j
		q.scheduleLocked(j)
	}
	q.mu.Unlock()
	return nil
}

// Submit makes jobs durable (one Apply for all) and schedules them. Jobs
// with a zero Next are attempted at once. It returns only after the jobs
// are durable; attempts run on other goroutines.
func (q *Queue) Submit(ctx context.Context, jobs ...Job) error {
	if len(jobs) == 0 {
		return nil
	}
	now := q.cfg.Clock.Now()
	var b store.Batch
	js := make([]*Job, len(jobs))
	for i := range jobs {
		j := jobs[i]
		if _, ok := q.handlers[j.Kind]; !ok {
			return fmt.Errorf("delivery: no handler for kind %q", j.Kind)
		}
		if j.ID == "" {
			j.ID = newID()
		}
		if j.First.IsZero() {
			j.First = now
		}
		v, err := json.Marshal(&j)
		if err != nil {
			return fmt.Errorf("delivery: encoding job: %w", err)
		}
		b.Put(q.key(j.ID), v)
		js[i] = &j
	}
	if err := q.cfg.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("delivery: storing jobs: %w", err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.mu.stopped {
		return nil // durable; the next Start runs them
	}
	for _, j := range js {
		q.mu.jobs[j.ID] = j
		if q.mu.started {
			q.scheduleLocked(j)
		}
	}
	return nil
}

// scheduleLocked arms j's timer (or runs it now if due).
func (q *Queue) scheduleLocked(j *Job) {
	d := j.Next.Sub(q.cfg.Clock.Now())
	id := j.ID
	if d <= 0 {
		q.mu.running[id] = true
		q.wg.Add(1)
		go q.attempt(id)
		return
	}
	q.mu.timers[id] = q.cfg.Clock.AfterFunc(d, func() {
		q.mu.Lock()
		if q.mu.stopped || q.mu.timers[id] == nil {
			q.mu.Unlock()
			return
		}
		delete(q.mu.timers, id)
		q.mu.running[id] = true
		q.wg.Add(1)
		q.mu.Unlock()
		q.attempt(id)
	})
}

// attempt makes one attempt of job id and records its outcome.
func (q *Queue) attempt(id string) {
	defer q.wg.Done()
	q.mu.Lock()
	j, ok := q.mu.jobs[id]
	if !ok || q.mu.stopped {
		delete(q.mu.running, id)
		q.mu.Unlock()
		return
	}
	jc := *j
	q.mu.Unlock()

	select {
	case q.slots <- struct{}{}:
	case <-q.ctx.Done():
		q.finishRunning(id)
		return
	}
	h := q.handlers[jc.Kind]
	err := safeDeliver(q.ctx, h, &jc)
	<-q.slots
	if q.ctx.Err() != nil {
		// Stopping: leave the record as it was; the next Start retries.
		q.finishRunning(id)
		return
	}
	if err == nil {
		q.remove(id)
		return
	}
	jc.Attempts++
	jc.LastError = err.Error()
	var delay time.Duration
	retry := false
	if !errors.Is(err, ErrPermanent) {
		delay, retry = h.Retry(&jc, err)
	}
	if !retry {
		if derr := h.Dead(q.ctx, &jc, err); derr != nil {
			q.cfg.Logger.Warn("delivery: dead-lettering failed", "kind", jc.Kind, "job", id, "err", derr)
		}
		q.remove(id)
		return
	}
	jc.Next = q.cfg.Clock.Now().Add(delay)
	v, merr := json.Marshal(&jc)
	if merr == nil {
		var b store.Batch
		b.Put(q.key(id), v)
		if aerr := q.cfg.Store.Apply(q.ctx, &b); aerr != nil {
			q.cfg.Logger.Warn("delivery: storing retry", "job", id, "err", aerr)
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.mu.running, id)
	if _, ok := q.mu.jobs[id]; !ok || q.mu.stopped {
		return // reset while attempting
	}
	q.mu.jobs[id] = &jc
	q.scheduleLocked(&jc)
}

// safeDeliver turns a handler panic into a failed attempt.
func safeDeliver(ctx context.Context, h Handler, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("delivery: handler panicked: %v", r)
		}
	}()
	return h.Deliver(ctx, j)
}

func (q *Queue) finishRunning(id string) {
	q.mu.Lock()
	delete(q.mu.running, id)
	q.mu.Unlock()
}

// remove deletes a finished job's record, then forgets it.
func (q *Queue) remove(id string) {
	var b store.Batch
	b.Delete(q.key(id))
	if err := q.cfg.Store.Apply(q.ctx, &b); err != nil {
		q.cfg.Logger.Warn("delivery: deleting job", "job", id, "err", err)
	}
	q.mu.Lock()
	delete(q.mu.running, id)
	delete(q.mu.jobs, id)
	q.mu.Unlock()
}

// Pending returns copies of the jobs not yet finished, for inspection.
func (q *Queue) Pending() []Job {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Job, 0, len(q.mu.jobs))
	for _, j := range q.mu.jobs {
		out = append(out, *j)
	}
	return out
}

// Stop stops every timer and waits for running attempts (their context is
// cancelled). Records stay in the store for the next Start.
func (q *Queue) Stop() {
	q.mu.Lock()
	q.mu.stopped = true
	for id, t := range q.mu.timers {
		t.Stop()
		delete(q.mu.timers, id)
	}
	q.mu.Unlock()
	q.cancel()
	q.wg.Wait()
}

// Reset drops every job, from memory and the store. Attempts running now
// finish but are not rescheduled.
func (q *Queue) Reset(ctx context.Context) error {
	q.mu.Lock()
	for id, t := range q.mu.timers {
		t.Stop()
		delete(q.mu.timers, id)
	}
	q.mu.jobs = map[string]*Job{}
	q.mu.Unlock()
	p := store.KeyPrefix(q.cfg.Prefix, "dlv")
	var b store.Batch
	err := q.cfg.Store.Scan(ctx, p, store.PrefixEnd(p), func(k, _ []byte) error {
		b.Delete(append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return fmt.Errorf("delivery: listing jobs: %w", err)
	}
	if err := q.cfg.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("delivery: deleting jobs: %w", err)
	}
	return nil
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
