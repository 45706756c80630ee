package sns

import (
	"testing"
	"time"
)

func TestThrottleReserve(t *testing.T) {
	var th throttle
	now := time.Unix(1000, 0)
	for i, want := range []time.Duration{0, 500 * time.Millisecond, time.Second} {
		if got := th.reserve("a", 2, now); got != want {
			t.Errorf("reservation %d waits %v, want %v", i, got, want)
		}
	}
	if got := th.reserve("b", 2, now); got != 0 {
		t.Errorf("another subscription waits %v", got)
	}
	// Once the booked time has passed, a delivery goes at once.
	if got := th.reserve("a", 2, now.Add(10*time.Second)); got != 0 {
		t.Errorf("after a pause: %v", got)
	}
}
