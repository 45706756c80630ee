package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

// waitResult runs WaitUntil in a goroutine and returns its result channel.
func waitResult(ctx context.Context, c Clock, deadline time.Time, wake <-chan struct{}) <-chan error {
	res := make(chan error, 1)
	go func() { res <- WaitUntil(ctx, c, deadline, wake) }()
	return res
}

func recv(t *testing.T, res <-chan error) error {
	t.Helper()
	select {
	case err := <-res:
		return err
	case <-time.After(30 * time.Second): // generous: only a hang fails
		t.Fatal("WaitUntil did not return")
		return nil
	}
}

func TestWaitUntil(t *testing.T) {
	tests := []struct {
		name string
		// act releases the waiter (deadline is 1h away on the test clock).
		act  func(p *Process, wake chan struct{}, cancel context.CancelFunc)
		want error
	}{
		{"advance past the deadline", func(p *Process, _ chan struct{}, _ context.CancelFunc) {
			if err := p.Advance(2 * h); err != nil {
				panic(err)
			}
		}, nil},
		{"advance exactly to the deadline", func(p *Process, _ chan struct{}, _ context.CancelFunc) {
			if err := p.Advance(h); err != nil {
				panic(err)
			}
		}, nil},
		{"wake channel sent", func(_ *Process, wake chan struct{}, _ context.CancelFunc) { wake <- struct{}{} }, ErrWoken},
		{"wake channel closed", func(_ *Process, wake chan struct{}, _ context.CancelFunc) { close(wake) }, ErrWoken},
		{"context cancelled", func(_ *Process, _ chan struct{}, cancel context.CancelFunc) { cancel() }, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTest(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			wake := make(chan struct{})
			res := waitResult(ctx, p, p.Now().Add(h), wake)
			tt.act(p, wake, cancel)
			if err := recv(t, res); !errors.Is(err, tt.want) {
				t.Errorf("WaitUntil = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestWaitUntilDeadlinePassed(t *testing.T) {
	p := newTest(t)
	wake := make(chan struct{})
	close(wake)
	if err := WaitUntil(context.Background(), p, p.Now().Add(-time.Second), wake); err != nil {
		t.Errorf("WaitUntil(past) = %v, want nil", err)
	}
}

func TestWaitUntilRealTime(t *testing.T) {
	p := newTest(t)
	res := waitResult(context.Background(), p, p.Now().Add(time.Millisecond), nil)
	if err := recv(t, res); err != nil {
		t.Errorf("WaitUntil = %v, want nil", err)
	}
}

func TestWaitUntilStopsItsTimer(t *testing.T) {
	p := newTest(t)
	wake := make(chan struct{}, 1)
	wake <- struct{}{}
	if err := WaitUntil(context.Background(), p, p.Now().Add(h), wake); !errors.Is(err, ErrWoken) {
		t.Fatalf("WaitUntil = %v, want ErrWoken", err)
	}
	p.mu.Lock()
	n := len(p.timers)
	p.mu.Unlock()
	if n != 0 {
		t.Errorf("%d timers left pending after WaitUntil returned", n)
	}
}

func TestSleep(t *testing.T) {
	p := newTest(t)
	res := make(chan error, 1)
	go func() { res <- Sleep(context.Background(), p, h) }()
	// The sleeper may read Now before or after any one Advance, so advance
	// until it wakes; a hang fails through the bound.
	for i := 0; ; i++ {
		if err := p.Advance(h); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-res:
			if err != nil {
				t.Errorf("Sleep = %v, want nil", err)
			}
		case <-time.After(10 * time.Millisecond):
			if i < 3000 {
				continue
			}
			t.Fatal("Sleep did not return")
		}
		break
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, p, h); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(cancelled) = %v, want context.Canceled", err)
	}
}
