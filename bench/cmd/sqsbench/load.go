package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// driver is one way of talking SQS to one queue: through aws-sdk-go-v2
// (sdkDriver) or by replaying pre-built HTTP requests (rawDriver). Each
// method is one round of a worker's loop and returns how many messages it
// moved. Drivers are safe for concurrent use.
type driver interface {
	// send is one SendMessage: 1 message.
	send(ctx context.Context) (int, error)
	// sendBatch is one SendMessageBatch of 10: 10 messages.
	sendBatch(ctx context.Context) (int, error)
	// receiveDelete is one ReceiveMessage of up to 10 followed by a
	// DeleteMessageBatch of what came back; it returns the messages deleted
	// (0 when the queue had none to give).
	receiveDelete(ctx context.Context) (int, error)
}

// result is one measured phase.
type result struct {
	msgs    int64 // moved while measuring
	total   int64 // moved in all, warm-up included: what a queue now holds
	errs    int64
	elapsed time.Duration
	cpu     time.Duration // the server's CPU time (user + system) while measuring; < 0 unknown
	lastErr error
}

// cpuPerMsg is the server's CPU time per message moved, or 0 if unknown.
func (r result) cpuPerMsg() time.Duration {
	if r.cpu < 0 || r.msgs == 0 {
		return 0
	}
	return r.cpu / time.Duration(r.msgs)
}

func (r result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.msgs) / r.elapsed.Seconds()
}

// grace is how long a call begun before a phase's end may take to finish.
// Calls still waiting then are canceled and not counted, so that a server
// with a long queue of requests (moto) cannot stretch a phase.
const grace = 2 * time.Second

// timed runs op from n workers for warm+d and counts the messages moved
// during d only: the warm-up opens the connections and fills the pools.
// cpu reads the server's CPU time so far.
func timed(n int, warm, d time.Duration, cpu func() time.Duration, op func(context.Context) (int, error)) result {
	ctx, cancel := context.WithTimeout(context.Background(), warm+d+grace)
	defer cancel()
	var msgs, errs, total atomic.Int64
	var measuring atomic.Bool
	var lastErr atomic.Value
	end := time.Now().Add(warm + d)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				k, err := op(ctx)
				total.Add(int64(k))
				if !measuring.Load() || ctx.Err() != nil {
					continue
				}
				msgs.Add(int64(k))
				if err != nil {
					errs.Add(1)
					lastErr.Store(errBox{err})
				}
			}
		}()
	}
	time.Sleep(warm)
	cpu0 := cpu()
	measuring.Store(true)
	start := time.Now()
	wg.Wait()
	r := result{msgs: msgs.Load(), total: total.Load(), errs: errs.Load(), elapsed: time.Since(start), cpu: cpuSince(cpu, cpu0)}
	if e, ok := lastErr.Load().(errBox); ok {
		r.lastErr = e.error
	}
	return r
}

// drain runs receiveDelete from n workers until want messages were deleted,
// every worker has seen its queue empty three times in a row, or limit
// passes. The rate is over the time until the last worker stopped.
func drain(n int, want int64, limit time.Duration, cpu func() time.Duration, op func(context.Context) (int, error)) result {
	ctx, cancel := context.WithTimeout(context.Background(), limit+grace)
	defer cancel()
	var msgs, errs atomic.Int64
	var lastErr atomic.Value
	end := time.Now().Add(limit)
	cpu0 := cpu()
	start := time.Now()
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			empty := 0
			for empty < 3 && msgs.Load() < want && time.Now().Before(end) {
				k, err := op(ctx)
				msgs.Add(int64(k))
				if ctx.Err() != nil {
					break
				}
				if err != nil {
					errs.Add(1)
					lastErr.Store(errBox{err})
					continue
				}
				if k == 0 {
					empty++
				} else {
					empty = 0
				}
			}
		}()
	}
	wg.Wait()
	r := result{msgs: msgs.Load(), total: msgs.Load(), errs: errs.Load(), elapsed: time.Since(start), cpu: cpuSince(cpu, cpu0)}
	if e, ok := lastErr.Load().(errBox); ok {
		r.lastErr = e.error
	}
	return r
}

func cpuSince(cpu func() time.Duration, cpu0 time.Duration) time.Duration {
	cpu1 := cpu()
	if cpu0 < 0 || cpu1 < 0 {
		return -1
	}
	return cpu1 - cpu0
}

// errBox lets errors of different types share one atomic.Value.
type errBox struct{ error }
