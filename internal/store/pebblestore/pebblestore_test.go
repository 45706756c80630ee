package pebblestore_test

import (
	"fmt"
	"testing"

	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/memstore"
	"github.com/fogbank/fogbank/internal/store/pebblestore"
	"github.com/fogbank/fogbank/internal/store/storetest"
)

func open(t *testing.T) store.Store {
	t.Helper()
	s, err := pebblestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}

func benchOpen(b *testing.B) store.Store {
	s, err := pebblestore.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkApply(b *testing.B) {
	b.Run("durable", func(b *testing.B) { storetest.BenchApply(b, benchOpen) })
}

// BenchmarkGet and BenchmarkScan measure both right after a bulk load
// (compactions running) and on a reopened store, which is how Fogbank reads:
// once, at start.
func BenchmarkGet(b *testing.B) {
	b.Run("durable", func(b *testing.B) { storetest.BenchGet(b, benchOpen) })
	b.Run("durable-reopened", func(b *testing.B) {
		s, keys := reopened(b)
		storetest.BenchGetOn(b, s, keys)
	})
}

func BenchmarkScan(b *testing.B) {
	b.Run("durable", func(b *testing.B) { storetest.BenchScan(b, benchOpen) })
	b.Run("durable-reopened", func(b *testing.B) {
		s, _ := reopened(b)
		storetest.BenchScanOn(b, s)
	})
}

// reopened returns a store holding storetest.Preload's 100k keys that was
// closed and opened again.
func reopened(b *testing.B) (store.Store, [][]byte) {
	dir := b.TempDir()
	s, err := pebblestore.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	keys := storetest.Preload(b, s, 100_000)
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	if s, err = pebblestore.Open(dir); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, keys
}

// BenchmarkOpen measures start-up on an existing 100k-key store (~30 MB of
// values): what a restart of Fogbank pays before it can read its records.
// The first iteration also replays the WAL left by the preload.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	s, err := pebblestore.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	storetest.Preload(b, s, 100_000)
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s, err := pebblestore.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSameAsMemory runs random histories against Pebble and the in-memory
// engine and requires identical answers.
func TestSameAsMemory(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			engine := open(t)
			defer engine.Close()
			model := memstore.New()
			defer model.Close()
			storetest.Differential(t, model, engine, 300, seed)
		})
	}
}
