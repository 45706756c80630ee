package storetest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// BenchOpen returns a new, empty store for one benchmark. The benchmark
// closes it.
type BenchOpen func(b *testing.B) store.Store

// valueSize is the size of the main value in a benchmark batch: about an
// SQS message record (body, attributes, ids).
const valueSize = 300

// BenchApply measures the write hot path: N goroutines each committing small
// batches and waiting for them, as concurrent SQS sends do. Sub-benchmarks
// are writers=N/ops=K, K=1 for a bare send and K=3 for a send that also
// updates an index and a counter. ns/op is wall time per Apply across all
// writers (1/throughput); p50-µs and p99-µs are each Apply's latency.
func BenchApply(b *testing.B, open BenchOpen) {
	for _, writers := range []int{1, 16, 64} {
		for _, ops := range []int{1, 3} {
			b.Run(fmt.Sprintf("writers=%d/ops=%d", writers, ops), func(b *testing.B) {
				benchApply(b, open, writers, ops)
			})
		}
	}
}

func benchApply(b *testing.B, open BenchOpen, writers, ops int) {
	s := open(b)
	defer s.Close()
	ctx := context.Background()
	value := bytes.Repeat([]byte("v"), valueSize)
	small := bytes.Repeat([]byte("i"), 40)
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)

	b.ReportAllocs()
	b.SetBytes(int64(valueSize + (ops-1)*len(small)))
	b.ResetTimer()
	start := time.Now()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var batch store.Batch
			for {
				n := int(next.Add(1)) - 1
				if n >= b.N {
					return
				}
				id := fmt.Sprintf("%012d", n)
				batch.Reset()
				batch.Put(store.Key("sqs", "000000000000", "us-east-1", fmt.Sprint("q", w), "m", id), value)
				for j := 1; j < ops; j++ {
					batch.Put(store.Key("sqs", "000000000000", "us-east-1", fmt.Sprint("q", w), fmt.Sprint("i", j), id), small)
				}
				t := time.Now()
				if err := s.Apply(ctx, &batch); err != nil {
					errs <- err
					return
				}
				lat[n] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	reportLatency(b, lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "applies/s")
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(float64(len(lat)-1)*p)].Nanoseconds()) / 1e3 }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// Preload writes n keys spread over 100 queue scopes, 1000 keys per batch,
// with ~300-byte values, and returns the keys. Key i lives under
// KeyPrefix("sqs", "000000000000", "us-east-1", fmt.Sprint("q", i%100)).
func Preload(tb testing.TB, s store.Store, n int) [][]byte {
	tb.Helper()
	value := bytes.Repeat([]byte("v"), valueSize)
	keys := make([][]byte, n)
	var batch store.Batch
	for i := range n {
		keys[i] = store.Key("sqs", "000000000000", "us-east-1", fmt.Sprint("q", i%100), fmt.Sprintf("%012d", i))
		batch.Put(keys[i], value)
		if batch.Len() == 1000 || i == n-1 {
			if err := s.Apply(context.Background(), &batch); err != nil {
				tb.Fatal(err)
			}
			batch = store.Batch{}
		}
	}
	return keys
}

// BenchGet measures random point reads over a 100k-key store, right after
// loading it (a durable engine may still be compacting).
func BenchGet(b *testing.B, open BenchOpen) {
	s := open(b)
	defer s.Close()
	BenchGetOn(b, s, Preload(b, s, 100_000))
}

// BenchGetOn measures random Gets of keys on s, which holds them already;
// durable engines use it to measure a store that was reopened.
func BenchGetOn(b *testing.B, s store.Store, keys [][]byte) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := s.Get(ctx, keys[rng.IntN(len(keys))]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchScan measures a prefix scan of one queue scope (1000 of 100k keys),
// what a service does for each queue when it starts.
func BenchScan(b *testing.B, open BenchOpen) {
	s := open(b)
	defer s.Close()
	Preload(b, s, 100_000)
	BenchScanOn(b, s)
}

// BenchScanOn measures scans of one queue scope on s, which Preload filled.
func BenchScanOn(b *testing.B, s store.Store) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	rows := 0
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		p := store.KeyPrefix("sqs", "000000000000", "us-east-1", fmt.Sprint("q", rng.IntN(100)))
		err := s.Scan(ctx, p, store.PrefixEnd(p), func(k, v []byte) error { rows++; return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "keys/s")
}
