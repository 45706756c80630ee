package storetest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/fogbank/fogbank/internal/store"
)

// Differential applies the same random history of batches to model (usually
// a memstore) and engine, and after each batch checks that random Gets and
// random-bounded Scans answer identically. It complements Run: Run checks
// cases someone thought of, this finds disagreements nobody did, over a
// small key space so puts, overwrites and deletes of the same keys collide
// often within and across batches.
func Differential(t *testing.T, model, engine store.Store, batches int, seed uint64) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	key := func() []byte {
		// Up to 3 parts from small alphabets, including 0x00 and 0xff
		// bytes inside a part, so ordering edge cases come up.
		parts := []string{"a", "b", "\xff", "ab"}
		k := []byte(parts[rng.IntN(len(parts))])
		for range rng.IntN(3) {
			k = append(k, byte(rng.IntN(4)*85)) // 0x00, 0x55, 0xaa, 0xff
		}
		return k
	}
	for i := range batches {
		var b store.Batch
		for range rng.IntN(8) {
			if rng.IntN(3) == 0 {
				b.Delete(key())
			} else {
				b.Put(key(), []byte(fmt.Sprint(i, "/", rng.IntN(1000))))
			}
		}
		errM, errE := model.Apply(ctx, &b), engine.Apply(ctx, &b)
		if errM != nil || errE != nil {
			t.Fatalf("batch %d: Apply: model %v, engine %v", i, errM, errE)
		}
		for range 4 {
			k := key()
			vm, errM := model.Get(ctx, k)
			ve, errE := engine.Get(ctx, k)
			if !bytes.Equal(vm, ve) || (errM == nil) != (errE == nil) {
				t.Fatalf("after batch %d: Get(%q): model %q, %v; engine %q, %v", i, k, vm, errM, ve, errE)
			}
		}
		start, end := key(), key()
		if rng.IntN(4) == 0 {
			end = nil
		}
		if got, want := dump(t, engine, start, end), dump(t, model, start, end); got != want {
			t.Fatalf("after batch %d: Scan(%q, %q):\nengine %s\nmodel  %s", i, start, end, got, want)
		}
	}
}

func dump(t *testing.T, s store.Store, start, end []byte) string {
	t.Helper()
	var buf bytes.Buffer
	err := s.Scan(context.Background(), start, end, func(k, v []byte) error {
		fmt.Fprintf(&buf, "%q=%q ", k, v)
		return nil
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return buf.String()
}
