package delivery

import (
	"testing"
	"time"
)

func TestPhases(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		name string
		p    Phases
		want []time.Duration // delays of retries 1..n; then no more
	}{
		{"SNS default http", Phases{NumRetries: 3, MinDelay: 20 * s, MaxDelay: 20 * s}, []time.Duration{20 * s, 20 * s, 20 * s}},
		{"all phases", Phases{NumRetries: 8, NumNoDelayRetries: 1, NumMinDelayRetries: 2, NumMaxDelayRetries: 2, MinDelay: 10 * s, MaxDelay: 40 * s},
			[]time.Duration{0, 10 * s, 10 * s, 10 * s, 25 * s, 40 * s, 40 * s, 40 * s}},
		{"exponential", Phases{NumRetries: 3, MinDelay: 1 * s, MaxDelay: 100 * s, BackoffFunction: "exponential"}, []time.Duration{1 * s, 10 * s, 100 * s}},
		{"no retries", Phases{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i, w := range tc.want {
				d, ok := tc.p.Delay(i + 1)
				if !ok || d.Round(time.Millisecond) != w {
					t.Errorf("retry %d: %v %v, want %v", i+1, d, ok, w)
				}
			}
			if _, ok := tc.p.Delay(len(tc.want) + 1); ok {
				t.Errorf("retry %d allowed", len(tc.want)+1)
			}
		})
	}
	if d, ok := (Delays{time.Minute, 2 * time.Minute}).Delay(2); !ok || d != 2*time.Minute {
		t.Errorf("Delays: %v %v", d, ok)
	}
}
