package main

import (
	"context"
	"log"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/bench/internal/benchkit"
	"github.com/fogbank/fogbank/bench/peer"
)

// memRun is one memory-flatness run: n messages through one queue, with the
// server's VmRSS sampled all along.
type memRun struct {
	mode             string
	want             int
	sent, consumed   int64
	elapsed          time.Duration
	errs             int64
	lastErr          error
	start, peak, end int64     // VmRSS, bytes
	deciles          [10]int64 // VmRSS once each further tenth of the messages was consumed
	samples          int
	skip             string
}

// memFlatLimit bounds one memory-flatness run.
const memFlatLimit = 4 * time.Minute

// memFlat sends n messages in batches of 10 from 16 producers while 16
// consumers receive (10) and batch-delete them, through the raw-HTTP
// client (the cheapest, so the server is what is loaded). Producers pause
// while more than 20,000 messages wait, so the queue stays short and what
// grows, if anything, grows with the messages processed, not the backlog.
func memFlat(bin, dir string, durable bool, n int, extra []string) memRun {
	r := memRun{mode: "fogbank --memory", want: n}
	var p *peer.Proc
	var err error
	if durable {
		r.mode = "fogbank durable"
		p, err = peer.FogbankDurable(bin, filepath.Join(dir, "durable"), extra...)
	} else {
		p, err = peer.Fogbank(bin, extra...)
	}
	if err != nil {
		r.skip = "did not start: " + benchkit.FirstLine(err.Error())
		return r
	}
	defer p.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), memFlatLimit+time.Minute)
	defer cancel()
	q, err := createQueue(ctx, newSQSClient(p.URL, 1), "memflat")
	if err != nil {
		r.skip = "SQS not served: " + benchkit.FirstLine(err.Error())
		return r
	}
	const producers, consumers, backlog = 16, 16, 20000
	d := newRawDriver(p.URL, q, producers+consumers)
	defer d.close()
	time.Sleep(500 * time.Millisecond)
	r.start = p.RSS()
	r.peak = r.start

	var sent, consumed, errs atomic.Int64
	var lastErr atomic.Value
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				rss := p.RSS()
				r.samples++
				r.peak = max(r.peak, rss)
				for i := range r.deciles {
					if r.deciles[i] == 0 && consumed.Load() >= int64(n)*int64(i+1)/10 {
						r.deciles[i] = rss
					}
				}
			}
		}
	}()

	begin := time.Now()
	deadline := begin.Add(memFlatLimit)
	var wg sync.WaitGroup
	for range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if s := sent.Add(10); s > int64(n) {
					sent.Add(-10)
					return
				}
				for sent.Load()-consumed.Load() > backlog && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
				k, err := d.sendBatch(ctx)
				if k < 10 {
					sent.Add(int64(k - 10))
				}
				if err != nil {
					errs.Add(1)
					lastErr.Store(errBox{err})
				}
			}
		}()
	}
	for range consumers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for consumed.Load() < int64(n) && time.Now().Before(deadline) {
				k, err := d.receiveDelete(ctx)
				consumed.Add(int64(k))
				if err != nil {
					errs.Add(1)
					lastErr.Store(errBox{err})
				}
				if k == 0 {
					time.Sleep(time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	r.elapsed = time.Since(begin)
	close(stop)
	sampler.Wait()
	time.Sleep(time.Second)
	r.end = p.RSS()
	if r.deciles[9] == 0 && r.consumed >= int64(n) {
		r.deciles[9] = r.end
	}
	r.peak = max(r.peak, r.end)
	r.sent, r.consumed, r.errs = sent.Load(), consumed.Load(), errs.Load()
	if e, ok := lastErr.Load().(errBox); ok {
		r.lastErr = e.error
	}
	log.Printf("memflat %s: %d sent, %d consumed in %v; RSS start %.1f MiB, at 10%% %.1f MiB, peak %.1f MiB, end %.1f MiB; %d errors",
		r.mode, r.sent, r.consumed, r.elapsed.Round(time.Millisecond), mib(r.start), mib(r.deciles[0]), mib(r.peak), mib(r.end), r.errs)
	return r
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
