package lambda

import (
	"context"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/lambdaruntime"
)

// logAppender is what Lambda needs of CloudWatch Logs (services/logs): append
// lines, each with the time it was written, to a stream, creating the group
// and stream on first write, as AWS does for a function's /aws/lambda/<name>
// group.
type logAppender interface {
	AppendLines(ctx context.Context, account, region, group, stream string, times []time.Time, lines []string) error
}

// maxQueuedLogLines bounds the lines waiting for Logs; beyond it lines are
// dropped (and counted in Fogbank's log) rather than growing without limit
// when a function floods its output faster than the store takes it.
const maxQueuedLogLines = 200_000

// logBatch is one Write: lines of one stream, stamped when written.
type logBatch struct {
	account, region, group, stream string
	at                             time.Time
	lines                          []string
}

// logSink implements lambdaruntime.LogSink. The engine calls Write under an
// environment's log lock, so Write only queues; one goroutine writes the
// queue to Logs in order (so a stream's events keep their order). Logs is
// looked up at write time: without it, lines are dropped, as AWS loses a
// function's output it cannot deliver.
type logSink struct {
	s    *Service
	wake chan struct{}

	mu      sync.Mutex
	queue   []logBatch
	queued  int
	dropped int
}

var _ lambdaruntime.LogSink = (*logSink)(nil)

// newLogSink starts the sink's writer; it ends with s.ctx (Stop waits for it
// through s.wg), after writing what is queued.
func (s *Service) newLogSink() *logSink {
	k := &logSink{s: s, wake: make(chan struct{}, 1)}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			select {
			case <-k.wake:
				k.flush(s.ctx)
			case <-s.ctx.Done():
				k.flush(context.Background())
				return
			}
		}
	}()
	return k
}

// Write implements lambdaruntime.LogSink.
func (k *logSink) Write(fn *lambdaruntime.Function, stream string, lines []string) {
	group := fn.LogGroup
	if group == "" {
		group = "/aws/lambda/" + fn.Name
	}
	b := logBatch{account: fn.Account, region: fn.Region, group: group, stream: stream,
		at: k.s.env.Clock.Now(), lines: append([]string(nil), lines...)}
	k.mu.Lock()
	if k.queued+len(lines) > maxQueuedLogLines {
		k.dropped += len(lines)
	} else {
		k.queue = append(k.queue, b)
		k.queued += len(lines)
	}
	k.mu.Unlock()
	select {
	case k.wake <- struct{}{}:
	default:
	}
}

// flush writes everything queued to Logs.
func (k *logSink) flush(ctx context.Context) {
	k.mu.Lock()
	q, dropped := k.queue, k.dropped
	k.queue, k.queued, k.dropped = nil, 0, 0
	k.mu.Unlock()
	if dropped > 0 && k.s.env.Logger != nil {
		k.s.env.Logger.Warn("lambda: function output dropped: too much queued for CloudWatch Logs", "lines", dropped)
	}
	if len(q) == 0 {
		return
	}
	var la logAppender
	if k.s.env.Peers != nil {
		la, _ = k.s.env.Peers.Lookup("logs").(logAppender)
	}
	if la == nil {
		return
	}
	// One call per stream for everything queued: a chatty function's many
	// small writes become one durable batch, in order.
	var order []streamKey
	merged := map[streamKey]*streamLines{}
	for _, b := range q {
		sk := streamKey{b.account, b.region, b.group, b.stream}
		m := merged[sk]
		if m == nil {
			m = &streamLines{}
			merged[sk] = m
			order = append(order, sk)
		}
		for _, l := range b.lines {
			m.times = append(m.times, b.at)
			m.lines = append(m.lines, l)
		}
	}
	for _, sk := range order {
		m := merged[sk]
		err := la.AppendLines(ctx, sk.account, sk.region, sk.group, sk.stream, m.times, m.lines)
		if err != nil && k.s.env.Logger != nil {
			k.s.env.Logger.Warn("lambda: writing function output to CloudWatch Logs", "group", sk.group, "stream", sk.stream, "err", err)
		}
	}
}

// streamKey names a log stream; streamLines are the lines queued for it.
type streamKey struct{ account, region, group, stream string }

type streamLines struct {
	times []time.Time
	lines []string
}
