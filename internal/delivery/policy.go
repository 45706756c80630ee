package delivery

import (
	"math"
	"time"
)

// Policy is a backoff policy: Delay returns how long to wait before retry
// number n (1 for the first retry, made after the first attempt failed), or
// false when no retry n is allowed.
type Policy interface {
	Delay(n int) (time.Duration, bool)
}

// Delays is a fixed list of retry delays: retry n waits Delays[n-1]. Lambda's
// asynchronous invocation (two retries, after one and two minutes) is
// Delays{time.Minute, 2 * time.Minute}.
type Delays []time.Duration

// Delay implements Policy.
func (d Delays) Delay(n int) (time.Duration, bool) {
	if n < 1 || n > len(d) {
		return 0, false
	}
	return d[n-1], true
}

// Phases is SNS's delivery retry policy ("healthyRetryPolicy"): NumRetries
// retries in four phases, in order —
//
//   - immediate: NumNoDelayRetries retries with no delay;
//   - pre-backoff: NumMinDelayRetries retries MinDelay apart;
//   - backoff: the remaining retries, with delays growing from MinDelay to
//     MaxDelay along BackoffFunction (linear, arithmetic, geometric or
//     exponential);
//   - post-backoff: NumMaxDelayRetries retries MaxDelay apart.
//
// The zero BackoffFunction is linear.
type Phases struct {
	NumRetries         int
	NumNoDelayRetries  int
	NumMinDelayRetries int
	NumMaxDelayRetries int
	MinDelay, MaxDelay time.Duration
	BackoffFunction    string
}

// Delay implements Policy.
func (p Phases) Delay(n int) (time.Duration, bool) {
	if n < 1 || n > p.NumRetries {
		return 0, false
	}
	if n <= p.NumNoDelayRetries {
		return 0, true
	}
	n -= p.NumNoDelayRetries
	if n <= p.NumMinDelayRetries {
		return p.MinDelay, true
	}
	n -= p.NumMinDelayRetries
	backoff := p.NumRetries - p.NumNoDelayRetries - p.NumMinDelayRetries - p.NumMaxDelayRetries
	if backoff < 0 {
		backoff = 0
	}
	if n > backoff {
		return p.MaxDelay, true
	}
	return p.backoff(n, backoff), true
}

// backoff is the delay of retry i (1..n) of the backoff phase: MinDelay at
// the first, MaxDelay at the last, shaped by BackoffFunction in between.
func (p Phases) backoff(i, n int) time.Duration {
	lo, hi := p.MinDelay.Seconds(), p.MaxDelay.Seconds()
	if n <= 1 || hi <= lo {
		return p.MinDelay
	}
	x := float64(i-1) / float64(n-1) // 0 … 1
	var f float64
	switch p.BackoffFunction {
	case "arithmetic":
		f = x * x
	case "geometric":
		f = x * x * x
	case "exponential":
		if lo <= 0 {
			lo = 1
		}
		return time.Duration(lo * math.Pow(hi/lo, x) * float64(time.Second))
	default: // linear
		f = x
	}
	return time.Duration((lo + (hi-lo)*f) * float64(time.Second))
}
