// Package clock is Fogbank's one source of time: real time plus an offset that
// only grows. Tests (and POST /_fogbank/clock) advance it to make timers due
// without sleeping; advancing fires, in due order, every timer that came due.
//
// Services never call time.Now, time.After or time.AfterFunc; they use the
// Clock passed to them in service.Env.
//
// The server builds one Process (New) and hands it to every service; Close
// stops its timer goroutine. Process documents what Advance guarantees: timers
// fire in due order, on the caller's goroutine, and Advance returns only after
// they have returned, so a timer function must never call Advance.
//
// Long polls wait with WaitUntil (or Sleep), which any Clock supports and
// which returns early when Advance passes the deadline.
//
// The HTTP endpoint /_fogbank/clock uses ParseAdvance to read
// {"advance": "90s"} (a Go duration; negative is refused) and
// Process.MarshalState to answer {"now": RFC 3339, "offset": "1m30s"}.
package clock

import "time"

// Clock tells the time and runs functions at a time.
type Clock interface {
	// Now returns real time plus the offset.
	Now() time.Time
	// AfterFunc runs f in its own goroutine once the clock reaches Now()+d,
	// whether by real time passing or by Advance.
	AfterFunc(d time.Duration, f func()) Timer
	// Offset returns how far the clock is ahead of real time.
	Offset() time.Duration
	// Advance moves the clock forward by d (d < 0 is an error: the clock never
	// goes back) and runs every timer that became due before returning.
	Advance(d time.Duration) error
}

// Timer is a pending AfterFunc.
type Timer interface {
	// Stop prevents the timer from firing. It returns false if the timer
	// already fired or was stopped.
	Stop() bool
}
