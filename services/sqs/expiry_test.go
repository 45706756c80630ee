package sqs

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The retention index gives the oldest message first whatever order
// messages arrive and leave in: mostly in SentAt order, as sends come, with
// some older ones (dead-letter moves) and deletions from anywhere.
func TestExpiryIndexOrder(t *testing.T) {
	for _, tc := range []struct {
		name       string
		outOfOrder float64 // share of pushes older than the newest so far
		removes    float64 // share of steps that delete a random message
	}{
		{"in order", 0, 0.3},
		{"in order, no deletes", 0, 0},
		{"some older", 0.1, 0.3},
		{"mostly older", 0.8, 0.4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			x := newExpiryIndex()
			var live []*message // the reference: every message in the index
			now := int64(1_000_000)
			for i := range 5000 {
				switch {
				case len(live) > 0 && rng.Float64() < tc.removes:
					j := rng.IntN(len(live))
					x.remove(live[j])
					live = slices.Delete(live, j, j+1)
				case len(live) > 0 && rng.Float64() < 0.05:
					// The expiry loop takes the oldest.
					m := x.peek()
					x.remove(m)
					live = slices.DeleteFunc(live, func(l *message) bool { return l == m })
				default:
					sent := now
					if rng.Float64() < tc.outOfOrder {
						sent -= rng.Int64N(100_000)
					} else {
						now += rng.Int64N(3) // equal SentAt happens: one clock tick
					}
					m := &message{b: &body{ID: fmt.Sprint(i), SentAt: sent}, expIdx: -1}
					x.push(m)
					live = append(live, m)
				}
				if err := x.check(); err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if x.len() != len(live) {
					t.Fatalf("step %d: len %d, want %d", i, x.len(), len(live))
				}
				if len(live) == 0 {
					if m := x.peek(); m != nil {
						t.Fatalf("step %d: peek of an empty index gave %s", i, m.b.ID)
					}
					continue
				}
				oldest := slices.MinFunc(live, func(a, b *message) int { return int(a.b.SentAt - b.b.SentAt) })
				if got := x.peek(); got.b.SentAt != oldest.b.SentAt {
					t.Fatalf("step %d: peek gave SentAt %d, the oldest is %d", i, got.b.SentAt, oldest.b.SentAt)
				}
			}
			// Removing a message twice, or one never pushed, changes nothing.
			if len(live) > 0 {
				x.remove(live[0])
				x.remove(live[0])
				live = live[1:]
			}
			x.remove(&message{b: &body{ID: "stranger"}, expIdx: -1})
			if err := x.check(); err != nil || x.len() != len(live) {
				t.Fatalf("after repeated removes: %v, len %d want %d", err, x.len(), len(live))
			}
		})
	}
}
