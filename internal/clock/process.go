package clock

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Errors returned by Advance (and ParseAdvance).
var (
	ErrBackwards = errors.New("clock: the clock never goes back")
	ErrTooFar    = errors.New("clock: offset would pass 100 years")
)

// maxOffset bounds the offset so that real time plus offset stays far from
// int64 overflow (about 292 years of nanoseconds).
const maxOffset = int64(100 * 365 * 24 * time.Hour)

// Process is the clock of a Fogbank process: real time plus an offset that
// only grows. It implements Clock.
//
// # Timers
//
// Pending timers sit in one heap ordered by due time. A single goroutine
// sleeps, on the real clock, until the earliest of them is due; adding an
// earlier timer or advancing the clock wakes it to recompute. There is no
// goroutine per timer and no polling, so a service may keep a timer per
// in-flight message: a million pending timers cost about 60 bytes each.
// A timer that comes due by real time passing runs in its own goroutine, as
// with time.AfterFunc, so a slow function does not delay the others.
//
// # Advance
//
// Advance(d) walks the clock forward through every timer that comes due within
// d, earliest first (ties in the order they were armed). Before running each
// one it moves the offset up to that timer's due time, so the function sees
// Now() at (or just past) the instant it was meant to fire, and timers it arms
// in turn fire within the same Advance if they fall inside the window: a retry
// with backoff runs as many attempts as fit in d. The functions run one after
// another on the goroutine that called Advance, and Advance returns only once
// they have all returned, and once any timer that real time fired just before
// has returned too. A test that advances the clock and then asserts therefore
// sees every effect. The consequences: a timer function must not call Advance
// (it would wait for itself), must not block on anything the caller of Advance
// holds, and must not wait for the clock (WaitUntil, Sleep) — it runs while the
// clock is being moved, and no other timer fires until it returns. A timer
// function should do its small piece of work (requeue a message, enqueue a
// retry) and arm a new timer for what comes later. Concurrent calls to Advance
// are serialised.
//
// While an Advance is running, the background goroutine fires nothing, so the
// due order Advance promises is not raced by real time.
//
// # Time source
//
// Real time is measured on the monotonic clock from the moment New was called,
// so Now never goes back even if the host's wall clock is stepped back.
type Process struct {
	base   time.Time     // wall and monotonic reading at New
	offset atomic.Int64  // nanoseconds ahead of real time; only grows; written only by Advance under advMu
	advMu  sync.Mutex    // serialises Advance
	wake   chan struct{} // capacity 1: tells the runner to recompute its sleep
	done   chan struct{} // closed by Close
	exited chan struct{} // closed when the runner returns

	mu sync.Mutex
	// Fields below are protected by mu.
	timers    timerHeap
	seq       uint64
	advancing bool       // an Advance is firing timers; the runner must not
	inflight  int        // runner-fired functions that have not returned
	idle      *sync.Cond // signalled (on mu) when inflight drops to 0
	closed    bool
}

var _ Clock = (*Process)(nil)

// New returns a Process clock with offset zero and starts its timer goroutine;
// Close stops it.
func New() *Process {
	p := &Process{
		base:   time.Now(),
		wake:   make(chan struct{}, 1),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	p.idle = sync.NewCond(&p.mu)
	go p.run()
	return p
}

// elapsed returns the real time since New, in nanoseconds (monotonic).
func (p *Process) elapsed() int64 { return int64(time.Since(p.base)) }

// Now returns real time plus the offset. The result carries no monotonic
// reading (it is derived from one), so it compares and round-trips like a time
// read back from the store.
func (p *Process) Now() time.Time {
	return p.base.Add(time.Duration(p.elapsed() + p.offset.Load())).Round(0)
}

// Offset returns how far the clock is ahead of real time.
func (p *Process) Offset() time.Duration { return time.Duration(p.offset.Load()) }

// AfterFunc arms a timer that calls f once the clock reaches Now()+d, whether
// by real time passing or by Advance. d <= 0 means due now: the function runs
// soon, on the timer goroutine's next turn (or at the next Advance).
//
// After Close, timers are still armed but only Advance fires them.
func (p *Process) AfterFunc(d time.Duration, f func()) Timer {
	if f == nil {
		panic("clock: AfterFunc with nil func")
	}
	t := &timer{p: p, f: f}
	when := satAdd(p.elapsed()+p.offset.Load(), int64(max(d, 0)))
	p.mu.Lock()
	p.seq++
	t.when, t.seq = when, p.seq
	p.timers.push(t)
	first := t.index == 0
	p.mu.Unlock()
	if first {
		p.poke()
	}
	return t
}

// Advance moves the clock forward by d and runs, in due order, every timer that
// becomes due, returning once they have all returned. See the type's
// documentation for what timer functions may do. d < 0 is an error; d == 0
// runs whatever real time has already made due.
func (p *Process) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("advancing by %v: %w", d, ErrBackwards)
	}
	if int64(d) > maxOffset || p.offset.Load() > maxOffset-int64(d) {
		return fmt.Errorf("advancing by %v: %w", d, ErrTooFar)
	}
	p.advMu.Lock()
	defer p.advMu.Unlock()

	p.mu.Lock()
	p.advancing = true
	for p.inflight > 0 { // let timers real time fired finish first: they were due earlier
		p.idle.Wait()
	}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.advancing = false
		p.mu.Unlock()
		p.poke()
	}()

	target := p.offset.Load() + int64(d)
	for {
		p.mu.Lock()
		if len(p.timers) == 0 || p.timers[0].when > satAdd(p.elapsed(), target) {
			p.mu.Unlock()
			if p.offset.Load() >= target {
				return nil
			}
			// Timers armed concurrently may fall between the last step and
			// target: take the final step, then look once more.
			p.offset.Store(target)
			continue
		}
		t := p.timers.pop()
		if step := t.when - p.elapsed(); step > p.offset.Load() {
			p.offset.Store(min(step, target))
		}
		p.mu.Unlock()
		f := t.f
		t.f = nil
		f()
	}
}

// Close stops the timer goroutine. Pending timers stay armed and fire only if
// Advance is called. Close is idempotent and always returns nil.
func (p *Process) Close() error {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.done)
	}
	p.mu.Unlock()
	<-p.exited
	return nil
}

// poke wakes the runner without blocking; one pending wake-up is enough.
func (p *Process) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// run is the timer goroutine: it fires what is due and sleeps on the real
// clock until the next timer is due or it is poked.
func (p *Process) run() {
	defer close(p.exited)
	rt := time.NewTimer(time.Hour)
	rt.Stop()
	var due []*timer
	for {
		wait := time.Duration(-1)
		p.mu.Lock()
		if !p.advancing {
			now := p.elapsed() + p.offset.Load()
			for len(p.timers) > 0 && p.timers[0].when <= now {
				due = append(due, p.timers.pop())
			}
			if len(p.timers) > 0 {
				wait = time.Duration(p.timers[0].when - now)
			}
			p.inflight += len(due)
		}
		p.mu.Unlock()
		for i, t := range due {
			f := t.f
			t.f = nil
			due[i] = nil
			go p.fire(f)
		}
		due = due[:0]
		if wait >= 0 {
			rt.Reset(wait)
		} else {
			rt.Stop()
		}
		select {
		case <-p.wake:
		case <-rt.C:
		case <-p.done:
			rt.Stop()
			return
		}
	}
}

// fire runs a timer function the runner popped and accounts for it, so that
// Advance can wait for it.
func (p *Process) fire(f func()) {
	defer func() {
		p.mu.Lock()
		p.inflight--
		if p.inflight == 0 {
			p.idle.Broadcast()
		}
		p.mu.Unlock()
	}()
	f()
}

// satAdd returns a+b, saturating at math.MaxInt64 (b >= 0), so that arming a
// timer for "forever" does not wrap into the past.
func satAdd(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
