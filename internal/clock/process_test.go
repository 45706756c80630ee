package clock

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Durations used with Advance are hours long, so real time never makes these
// timers due during a test.
const h = time.Hour

func newTest(t testing.TB) *Process {
	p := New()
	t.Cleanup(func() { p.Close() })
	return p
}

func TestAdvanceFiresDueTimersInOrder(t *testing.T) {
	tests := []struct {
		name    string
		timers  []time.Duration // armed in this order, named by index
		advance []time.Duration // successive Advance calls
		want    []int           // indexes in firing order
	}{
		{"none due", []time.Duration{2 * h, 3 * h}, []time.Duration{h}, nil},
		{"due order, not arming order", []time.Duration{3 * h, h, 2 * h}, []time.Duration{4 * h}, []int{1, 2, 0}},
		{"exactly at the deadline", []time.Duration{2 * h}, []time.Duration{2 * h}, []int{0}},
		{"ties fire in arming order", []time.Duration{h, h, h}, []time.Duration{h}, []int{0, 1, 2}},
		{"only what became due", []time.Duration{h, 5 * h, 2 * h}, []time.Duration{2 * h}, []int{0, 2}},
		{"successive advances", []time.Duration{h, 5 * h, 2 * h}, []time.Duration{90 * time.Minute, h, 3 * h}, []int{0, 2, 1}},
		{"zero and negative durations are due now", []time.Duration{0, -h, h}, []time.Duration{0}, []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTest(t)
			var got []int // written by timer funcs; Advance orders them before our read
			for i, d := range tt.timers {
				p.AfterFunc(d, func() { got = append(got, i) })
			}
			for _, d := range tt.advance {
				if err := p.Advance(d); err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fired %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAdvanceMovesOffsetAndNow(t *testing.T) {
	p := newTest(t)
	before := p.Now()
	if err := p.Advance(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	if got := p.Offset(); got != 90*time.Second {
		t.Errorf("Offset = %v, want 1m30s", got)
	}
	if got := p.Now().Sub(before); got < 90*time.Second {
		t.Errorf("Now moved %v, want at least 1m30s", got)
	}
}

func TestAdvanceNeverGoesBack(t *testing.T) {
	p := newTest(t)
	if err := p.Advance(h); err != nil {
		t.Fatal(err)
	}
	err := p.Advance(-time.Second)
	if !errors.Is(err, ErrBackwards) {
		t.Fatalf("Advance(-1s) = %v, want ErrBackwards", err)
	}
	if p.Offset() != h {
		t.Errorf("Offset = %v after a refused Advance, want 1h", p.Offset())
	}
	if err := p.Advance(200 * 365 * 24 * h); !errors.Is(err, ErrTooFar) {
		t.Errorf("Advance(200y) = %v, want ErrTooFar", err)
	}
}

func TestTimerSeesItsDueTime(t *testing.T) {
	p := newTest(t)
	start := p.Now()
	var at1, at2 time.Time
	p.AfterFunc(h, func() { at1 = p.Now() })
	p.AfterFunc(3*h, func() { at2 = p.Now() })
	if err := p.Advance(10 * h); err != nil {
		t.Fatal(err)
	}
	// Lower bounds only: real time passes too.
	if at1.Sub(start) < h || at2.Sub(start) < 3*h {
		t.Errorf("timers saw %v and %v after start, want >= 1h and >= 3h", at1.Sub(start), at2.Sub(start))
	}
	if at1.Sub(start) >= 3*h {
		t.Errorf("first timer saw %v: the clock jumped past it before it ran", at1.Sub(start))
	}
}

func TestTimersArmedByTimersFireWithinTheWindow(t *testing.T) {
	p := newTest(t)
	var attempts int
	var retry func()
	retry = func() { // a retry with backoff 1h, 2h, 4h, 8h, ...
		attempts++
		p.AfterFunc(time.Duration(1<<attempts)*h, retry)
	}
	p.AfterFunc(0, retry)
	// Due at 0, 2h, 6h, 14h, 30h: four attempts fit in 20h.
	if err := p.Advance(20 * h); err != nil {
		t.Fatal(err)
	}
	if attempts != 4 {
		t.Errorf("attempts = %d, want 4", attempts)
	}
}

func TestStop(t *testing.T) {
	p := newTest(t)
	var fired atomic.Int32
	a := p.AfterFunc(h, func() { fired.Add(1) })
	b := p.AfterFunc(h, func() { fired.Add(10) })
	if !a.Stop() {
		t.Error("Stop of a pending timer = false, want true")
	}
	if a.Stop() {
		t.Error("second Stop = true, want false")
	}
	if err := p.Advance(2 * h); err != nil {
		t.Fatal(err)
	}
	if got := fired.Load(); got != 10 {
		t.Errorf("fired sum = %d, want 10 (only b)", got)
	}
	if b.Stop() {
		t.Error("Stop after firing = true, want false")
	}
}

func TestAdvanceWaitsForFunctions(t *testing.T) {
	p := newTest(t)
	done := false // no synchronisation on purpose: -race checks Advance's guarantee
	p.AfterFunc(h, func() {
		time.Sleep(time.Millisecond)
		done = true
	})
	if err := p.Advance(h); err != nil {
		t.Fatal(err)
	}
	if !done {
		t.Error("Advance returned before the timer function did")
	}
}

func TestRealTimeFires(t *testing.T) {
	p := newTest(t)
	got := make(chan int, 3)
	p.AfterFunc(3*time.Millisecond, func() { got <- 3 })
	p.AfterFunc(time.Millisecond, func() { got <- 1 })
	stopped := p.AfterFunc(2*time.Millisecond, func() { got <- 2 })
	stopped.Stop()
	seen := map[int]bool{}
	for len(seen) < 2 {
		select {
		case v := <-got:
			seen[v] = true
		case <-time.After(30 * time.Second): // a generous bound: only a hang fails
			t.Fatalf("timers did not fire by real time; fired %v", seen)
		}
	}
	if seen[2] {
		t.Error("stopped timer fired")
	}
}

func TestEarlierTimerWakesRunner(t *testing.T) {
	p := newTest(t)
	p.AfterFunc(h, func() {}) // the runner sleeps for an hour...
	got := make(chan struct{})
	p.AfterFunc(time.Millisecond, func() { close(got) }) // ...until this arrives
	select {
	case <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("a timer armed earlier than the head did not fire")
	}
}

func TestConcurrentAfterFuncStopAdvance(t *testing.T) {
	p := newTest(t)
	const workers, each = 8, 200
	var fired [workers * each]atomic.Int32
	var stoppedOK [workers * each]bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for i := range each {
				id := w*each + i
				tm := p.AfterFunc(time.Duration(r.IntN(4))*time.Minute, func() { fired[id].Add(1) })
				if r.IntN(3) == 0 {
					stoppedOK[id] = tm.Stop()
				}
			}
		}()
	}
	for range 5 {
		if err := p.Advance(time.Minute); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
	if err := p.Advance(5 * time.Minute); err != nil {
		t.Fatal(err)
	}
	for id := range fired {
		n := fired[id].Load()
		switch {
		case stoppedOK[id] && n != 0:
			t.Errorf("timer %d: Stop returned true but it fired %d times", id, n)
		case !stoppedOK[id] && n != 1:
			t.Errorf("timer %d fired %d times, want once", id, n)
		}
	}
}

func TestConcurrentAdvances(t *testing.T) {
	p := newTest(t)
	var n atomic.Int32
	for i := range 50 {
		p.AfterFunc(time.Duration(i)*time.Minute, func() { n.Add(1) })
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.Advance(10 * time.Minute); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if p.Offset() != 50*time.Minute {
		t.Errorf("Offset = %v, want 50m", p.Offset())
	}
	if n.Load() != 50 {
		t.Errorf("fired %d timers, want 50", n.Load())
	}
}

func TestCloseThenAdvance(t *testing.T) {
	p := New()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	p.Close() // idempotent
	fired := false
	p.AfterFunc(time.Minute, func() { fired = true })
	if err := p.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	if !fired {
		t.Error("Advance after Close did not fire a due timer")
	}
}

// TestHeapOrder checks the heap against a sorted model under random pushes and
// removals.
func TestHeapOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var hp timerHeap
	live := map[*timer]bool{}
	var seq uint64
	for range 5000 {
		if r.IntN(3) > 0 || len(hp) == 0 {
			seq++
			tm := &timer{when: int64(r.IntN(100)), seq: seq}
			hp.push(tm)
			live[tm] = true
		} else {
			tm := hp[r.IntN(len(hp))]
			hp.remove(tm.index)
			delete(live, tm)
		}
	}
	for i, tm := range hp {
		if tm.index != i {
			t.Fatalf("timer at %d has index %d", i, tm.index)
		}
	}
	var prev *timer
	for len(hp) > 0 {
		tm := hp.pop()
		if !live[tm] {
			t.Fatal("popped a removed timer")
		}
		delete(live, tm)
		if prev != nil && (tm.when < prev.when || tm.when == prev.when && tm.seq < prev.seq) {
			t.Fatalf("popped (%d,%d) after (%d,%d)", tm.when, tm.seq, prev.when, prev.seq)
		}
		prev = tm
	}
	if len(live) != 0 {
		t.Fatalf("%d timers lost", len(live))
	}
}

func BenchmarkAfterFuncStop(b *testing.B) {
	for _, pending := range []int{0, 1_000_000} {
		b.Run(fmt.Sprintf("pending=%d", pending), func(b *testing.B) {
			p := newTest(b)
			f := func() {}
			for i := range pending {
				p.AfterFunc(h+time.Duration(i), f)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				p.AfterFunc(h+time.Duration(i%(pending+1)), f).Stop()
			}
		})
	}
}

func BenchmarkAdvanceFire(b *testing.B) {
	p := newTest(b)
	f := func() {}
	b.ReportAllocs()
	for b.Loop() {
		p.AfterFunc(time.Minute, f)
		if err := p.Advance(time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTimerStopsALaterTimerInTheSameAdvance(t *testing.T) {
	p := newTest(t)
	var fired []string
	var later Timer
	p.AfterFunc(h, func() {
		fired = append(fired, "first")
		if !later.Stop() {
			t.Error("Stop of a timer due later in the same Advance = false")
		}
	})
	later = p.AfterFunc(2*h, func() { fired = append(fired, "later") })
	if err := p.Advance(3 * h); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fired, []string{"first"}) {
		t.Errorf("fired %v, want [first]", fired)
	}
}
