// Package memstore is the in-memory store.Store engine behind --memory and
// most tests. It keeps the same semantics as the durable engine (ordered
// bytewise keys, atomic batches, snapshot scans) but nothing survives Close.
//
// The map is a B-tree from github.com/google/btree (BTreeG). We chose it over
// a sorted slice or a skiplist because its Clone is O(1) and copy-on-write:
// Scan takes a clone under the lock and iterates it after unlocking, so a
// long scan never blocks writers, sees one consistent state, and its callback
// may itself call Apply without deadlocking. google/btree is maintained by
// Google, has no dependencies, and is the same structure the Kubernetes
// watch cache uses; tidwall/btree would also fit but adds nothing we need.
//
// Invariants:
//   - Every item in the tree owns its key and value bytes (copied on Apply),
//     so callers may reuse their buffers after Apply returns, and Get returns
//     a copy so callers may modify what they get.
//   - All writes to tree happen with mu held exclusively; Apply holds it for
//     the whole batch, which is what makes a batch atomic with respect to Get
//     and Scan.
package memstore

import (
	"bytes"
	"context"
	"sync"

	"github.com/google/btree"

	"github.com/fogbank/fogbank/internal/store"
)

// degree is the B-tree's minimum degree. 32 keeps nodes within a few cache
// lines of pointers and the tree shallow; the library's tests use the same
// order of magnitude.
const degree = 32

// scanCheckEvery is how many keys Scan visits between context checks.
const scanCheckEvery = 256

type item struct {
	key, value []byte
}

func less(a, b item) bool { return bytes.Compare(a.key, b.key) < 0 }

// Store is an in-memory store.Store. The zero value is not usable; call New.
type Store struct {
	mu struct {
		sync.RWMutex
		// tree holds the data; replaced by nil on Close. Mutated only
		// with the write lock held. Clone mutates the receiver's
		// copy-on-write context too, so Scan also takes the write lock
		// (briefly) to clone.
		tree *btree.BTreeG[item]
	}
}

var _ store.Store = (*Store)(nil)

// New returns an empty in-memory store.
func New() *Store {
	s := &Store{}
	s.mu.tree = btree.NewG(degree, less)
	return s
}

// Get returns a copy of the value under key, or store.ErrNotFound.
func (s *Store) Get(ctx context.Context, key []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.mu.tree == nil {
		return nil, store.ErrClosed
	}
	it, ok := s.mu.tree.Get(item{key: key})
	if !ok {
		return nil, store.ErrNotFound
	}
	return bytes.Clone(it.value), nil
}

// Scan visits keys in [start, end) of a snapshot taken when Scan starts.
// Writes made while it runs, including by fn, are not visited.
func (s *Store) Scan(ctx context.Context, start, end []byte, fn func(key, value []byte) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.mu.tree == nil {
		s.mu.Unlock()
		return store.ErrClosed
	}
	snap := s.mu.tree.Clone()
	s.mu.Unlock()

	var err error
	n := 0
	visit := func(it item) bool {
		if n++; n%scanCheckEvery == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		// Items are never mutated in place, but hand out slices capped
		// at their length so an append by fn cannot write into a
		// neighbour's bytes.
		err = fn(it.key[:len(it.key):len(it.key)], it.value[:len(it.value):len(it.value)])
		return err == nil
	}
	if end == nil {
		snap.AscendGreaterOrEqual(item{key: start}, visit)
	} else {
		snap.AscendRange(item{key: start}, item{key: end}, visit)
	}
	return err
}

// Apply writes b atomically. There is nothing to make durable, so it returns
// as soon as the tree holds the batch.
func (s *Store) Apply(ctx context.Context, b *store.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// Copy outside the lock: one allocation per op holding key and value.
	items := make([]item, len(b.Ops))
	for i, op := range b.Ops {
		if op.Delete {
			items[i] = item{key: bytes.Clone(op.Key)}
			continue
		}
		buf := make([]byte, len(op.Key)+len(op.Value))
		copy(buf, op.Key)
		copy(buf[len(op.Key):], op.Value)
		items[i] = item{key: buf[:len(op.Key):len(op.Key)], value: buf[len(op.Key):]}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.tree == nil {
		return store.ErrClosed
	}
	for i, op := range b.Ops {
		if op.Delete {
			s.mu.tree.Delete(items[i])
		} else {
			s.mu.tree.ReplaceOrInsert(items[i])
		}
	}
	return nil
}

// Close drops the data. Scans already running finish on their snapshot.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.tree == nil {
		return store.ErrClosed
	}
	s.mu.tree = nil
	return nil
}
