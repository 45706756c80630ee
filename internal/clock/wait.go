package clock

import (
	"context"
	"errors"
	"time"
)

// ErrWoken is returned by WaitUntil when its wake channel fired before the
// deadline.
var ErrWoken = errors.New("clock: woken before the deadline")

// WaitUntil blocks until c reaches deadline, a value arrives on wake (or wake is
// closed), or ctx is done, whichever happens first. It returns nil for the
// deadline, ErrWoken for wake, and ctx.Err() for ctx. A nil wake never fires.
//
// It is the building block for long polls (SQS ReceiveMessage with
// WaitTimeSeconds, Step Functions activity polls): the poller loops — try,
// then WaitUntil(ctx, clk, deadline, notify) — and is released early when
// something arrives, when the request goes away, or when Advance moves the
// clock past the deadline, so tests need not wait out a 20-second poll.
//
// The deadline is checked against c.Now() first, so a deadline already passed
// returns nil at once even if wake is ready; callers that loop should try
// their work before waiting.
func WaitUntil(ctx context.Context, c Clock, deadline time.Time, wake <-chan struct{}) error {
	d := deadline.Sub(c.Now())
	if d <= 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	reached := make(chan struct{})
	t := c.AfterFunc(d, func() { close(reached) })
	defer t.Stop()
	select {
	case <-reached:
		return nil
	case <-wake:
		return ErrWoken
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Sleep blocks until c has moved d forward or ctx is done. It returns nil, or
// ctx.Err().
func Sleep(ctx context.Context, c Clock, d time.Duration) error {
	return WaitUntil(ctx, c, c.Now().Add(d), nil)
}
