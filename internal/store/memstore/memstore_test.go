package memstore_test

import (
	"testing"

	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/memstore"
	"github.com/fogbank/fogbank/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return memstore.New() })
}

func open(b *testing.B) store.Store { return memstore.New() }

func BenchmarkApply(b *testing.B) {
	b.Run("memory", func(b *testing.B) { storetest.BenchApply(b, open) })
}
func BenchmarkGet(b *testing.B) { b.Run("memory", func(b *testing.B) { storetest.BenchGet(b, open) }) }
func BenchmarkScan(b *testing.B) {
	b.Run("memory", func(b *testing.B) { storetest.BenchScan(b, open) })
}
