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
