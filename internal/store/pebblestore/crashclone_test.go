package pebblestore_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/pebblestore"
)

// TestCrashCloneKeepsAcknowledged is the fsync half of the crash story (the
// SIGKILL test cannot drop the page cache). It runs writers on Pebble's
// crashable in-memory FS, records which batches were acknowledged, then takes
// a CrashClone: the file system a power cut would leave, holding what was
// fsynced plus, in the second case, a random part of what was not (torn WAL
// tails). Every batch acknowledged before the clone must be in it, whole,
// and every batch in it must be whole.
func TestCrashCloneKeepsAcknowledged(t *testing.T) {
	for _, unsynced := range []int{0, 50} {
		t.Run(fmt.Sprintf("unsynced=%d%%", unsynced), func(t *testing.T) {
			crashCloneOnce(t, unsynced)
		})
	}
}

func crashCloneOnce(t *testing.T, unsyncedPercent int) {
	const dir = "/data"
	fs := vfs.NewCrashableMem()
	s, err := pebblestore.OpenFS(dir, fs)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	var mu sync.Mutex
	acked := map[[2]int]bool{}
	var total atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var b store.Batch
				for j := range crashOps {
					b.Put(crashKey(w, i, j), crashValue(w, i, j))
				}
				if err := s.Apply(ctx, &b); err != nil {
					t.Errorf("Apply: %v", err)
					return
				}
				mu.Lock()
				acked[[2]int{w, i}] = true
				mu.Unlock()
				total.Add(1)
			}
		}()
	}
	// Let the writers run; the clone is taken mid-load below. The time
	// limit keeps the test bounded on a loaded machine.
	for deadline := time.Now().Add(5 * time.Second); total.Load() < 1500 && time.Now().Before(deadline); {
		runtime.Gosched()
	}
	// Everything in ackedBefore had Apply return before the clone starts.
	mu.Lock()
	ackedBefore := make([][2]int, 0, len(acked))
	for k := range acked {
		ackedBefore = append(ackedBefore, k)
	}
	mu.Unlock()
	cfg := vfs.CrashCloneCfg{UnsyncedDataPercent: unsyncedPercent}
	if unsyncedPercent > 0 {
		cfg.RNG = rand.New(rand.NewPCG(1, uint64(unsyncedPercent)))
	}
	crashed := fs.CrashClone(cfg)
	close(stop)
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// The WAL the clone holds is zero-filled past its last record
	// (walfs.go), so the reopen below replays a log with a zero tail.
	walSizes := 0
	names, err := crashed.List(crashed.PathJoin(dir, "pebble"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, ".log") {
			fi, err := crashed.Stat(crashed.PathJoin(dir, "pebble", name))
			if err != nil {
				t.Fatal(err)
			}
			if fi.Size() > 0 && fi.Size()%pebblestore.ZeroChunk == 0 {
				walSizes++
			}
		}
	}
	if walSizes == 0 {
		t.Fatalf("no zero-filled WAL in the crashed store (%v)", names)
	}

	s, err = pebblestore.OpenFS(dir, crashed)
	if err != nil {
		t.Fatalf("open after crash: %v", err)
	}
	defer s.Close()
	for _, wi := range ackedBefore {
		for j := range crashOps {
			v, err := s.Get(ctx, crashKey(wi[0], wi[1], j))
			if err != nil {
				t.Fatalf("batch %v acknowledged before the crash, op %d: %v", wi, j, err)
			}
			if !bytes.Equal(v, crashValue(wi[0], wi[1], j)) {
				t.Fatalf("batch %v op %d has the wrong value after the crash", wi, j)
			}
		}
	}
	counts := map[string]int{}
	p := store.KeyPrefix("crash")
	err = s.Scan(ctx, p, store.PrefixEnd(p), func(k, v []byte) error {
		parts := strings.Split(string(k), "\x00")
		counts[parts[1]+"/"+parts[2]]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for batch, n := range counts {
		if n != crashOps {
			t.Errorf("batch %s has %d of %d ops after the crash", batch, n, crashOps)
		}
	}
	t.Logf("%d batches acknowledged before the crash, %d survived", len(ackedBefore), len(counts))
}
