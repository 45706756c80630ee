package clock_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fogbank/fogbank/internal/clock"
)

// A long poll in the style of SQS ReceiveMessage with WaitTimeSeconds: try,
// then wait for an arrival, the deadline or the caller going away. Advancing
// the clock past the deadline ends the poll without waiting 20 real seconds.
func ExampleWaitUntil() {
	clk := clock.New()
	defer clk.Close()

	arrived := make(chan struct{}, 1) // the queue signals here on SendMessage
	receive := func() []string { return nil }

	poll := func(ctx context.Context, wait time.Duration) []string {
		deadline := clk.Now().Add(wait)
		for {
			if msgs := receive(); len(msgs) > 0 {
				return msgs
			}
			if err := clock.WaitUntil(ctx, clk, deadline, arrived); !errors.Is(err, clock.ErrWoken) {
				return nil // the deadline passed (err == nil) or ctx is done
			}
		}
	}

	done := make(chan []string)
	go func() { done <- poll(context.Background(), 20*time.Second) }()
	for {
		// A test would call POST /_fogbank/clock {"advance": "20s"}; the poller
		// may not have read the clock yet, so keep advancing until it returns.
		if err := clk.Advance(20 * time.Second); err != nil {
			panic(err)
		}
		select {
		case msgs := <-done:
			fmt.Println("received", len(msgs), "messages")
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	// Output: received 0 messages
}

// Timers due within an Advance run in due order before Advance returns.
func ExampleProcess_Advance() {
	clk := clock.New()
	defer clk.Close()
	clk.AfterFunc(30*time.Second, func() { fmt.Println("visibility timeout ends") })
	clk.AfterFunc(10*time.Second, func() { fmt.Println("delay ends") })
	if err := clk.Advance(time.Minute); err != nil {
		panic(err)
	}
	fmt.Println("offset", clk.Offset())
	// Output:
	// delay ends
	// visibility timeout ends
	// offset 1m0s
}
