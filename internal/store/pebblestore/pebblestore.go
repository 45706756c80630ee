// Package pebblestore is Fogbank's durable store.Store engine: the data
// directory behind --data-dir, stored with Pebble
// (github.com/cockroachdb/pebble/v2), CockroachDB's LSM engine.
//
// Why Pebble (measured on this project's 2-core machine; docs/store.md has
// the table): the hot path is many goroutines each committing a small batch
// and waiting for it to be durable (an SQS send). Pebble's commit pipeline
// appends every concurrent batch to one write-ahead log and a single fsync
// covers all of them, so Apply with pebble.Sync is group commit with no code
// of ours. It did ~5x more commits/s than bbolt with our own batching
// committer at 1, 16 and 64 writers, because bbolt pays two fsyncs and a
// copy-on-write B+tree page rewrite per transaction. bbolt reads faster, but
// services keep their state in memory and read the store back only at start,
// where Pebble opens a 100k-key store in tens of milliseconds.
//
// Layout of a data directory:
//
//	<dir>/LOCK     flocked by the process that has the store open
//	<dir>/pebble/  Pebble's files (WAL, sstables, MANIFEST, its own LOCK)
//
// Keeping Pebble in a subdirectory leaves room beside it for a format marker
// or a future engine without mixing files.
//
// Invariants:
//   - Apply returns nil only after Pebble has fsynced the WAL record holding
//     the whole batch; Pebble replays it on open, so an acknowledged batch
//     survives a crash, and a batch is one WAL record, so it is all-or-nothing.
//   - Every call into db happens between enter and leave; Close waits for
//     those calls to finish before closing db, because Pebble panics on use
//     after Close.
package pebblestore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/fogbank/fogbank/internal/store"
)

// scanCheckEvery is how many keys Scan visits between context checks.
const scanCheckEvery = 256

// memTableSize is Pebble's memtable size in steady state (its default is 4
// MiB). Up to MemTableStopWritesThreshold (4) of them may be queued for
// flush before writes wait, so at most 128 MiB.
const memTableSize = 32 << 20

// walMinSyncInterval is the least time between the end of one WAL sync and
// the start of the next. Measured (docs/benchmarks.md, "Durable SQS path"):
// with 16 callers, 150-300 µs made each sync cover about 4-6 commits instead
// of 2.5-3.5 and cut the process CPU per send by 7-10 %; 1 ms made requests
// slower. One caller's next request mostly comes later than this after the
// sync: one SDK or raw worker measured the same with and without it.
const walMinSyncInterval = 200 * time.Microsecond

// Store is a durable store.Store in a data directory. Open it with Open.
type Store struct {
	db   *pebble.DB
	lock *dirLock // nil only for stores opened by tests on an in-memory FS
	dir  string

	mu struct {
		sync.RWMutex
		// closed is set once by Close; read with mu held (shared) by
		// enter, so no call can start after Close has begun waiting.
		closed bool
	}
	// inflight counts calls between enter and leave.
	inflight sync.WaitGroup
}

var _ store.Store = (*Store)(nil)

// Open opens the store in dir, creating dir if needed, and locks it for this
// process. If another process (or another Open in this one) holds dir, Open
// returns an error wrapping store.ErrLocked that names dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("pebblestore: creating data directory: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("pebblestore: %w", err)
	}
	s, err := openFS(dir, vfs.Default)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// openFS opens the Pebble database under dir on fs without the directory
// lock, which belongs to the real OS directory. Tests use it with Pebble's
// crashable in-memory FS to keep exactly what was fsynced.
func openFS(dir string, fs vfs.FS) (*Store, error) {
	db, err := pebble.Open(fs.PathJoin(dir, "pebble"), &pebble.Options{
		// WAL files are zero-filled ahead of the log (walfs.go), so
		// that a synced commit is an overwrite.
		FS: walFS{fs},
		// New stores start at the newest stable format; an existing
		// store is ratcheted up on open (no downgrade to older
		// Fogbank builds after that).
		FormatMajorVersion: pebble.FormatNewest,
		Logger:             logger{dir: dir},
		// Fogbank's records are mostly short-lived (an SQS message is
		// put, its state put, then both deleted within seconds): a larger
		// memtable lets a record and its tombstone meet before the flush,
		// so the flush drops the record, and there is less to flush and
		// compact. Measured on bench/sqs durable receive-delete: flushes
		// and compactions went from ~4% of the CPU samples to none in a
		// run that fits one memtable; memtable inserts cost the same
		// (keys grow within a queue, so a deeper skiplist walks cached
		// nodes). Pebble grows the memtable from 256 KiB up to this size,
		// so a small store does not pay for it.
		MemTableSize:                memTableSize,
		MemTableStopWritesThreshold: 4,
		// After a WAL sync, the next one waits until walMinSyncInterval
		// has passed since it ended, so that the commits arriving
		// meanwhile share it. Every commit still returns only once a sync
		// covering it is done; this trades up to the interval of latency
		// for fewer syncs, each of which costs the process a syscall, a
		// hand-off of its P and the wake-ups around it.
		WALMinSyncInterval: func() time.Duration { return walMinSyncInterval },
	})
	if err != nil {
		return nil, fmt.Errorf("pebblestore: opening %s: %w", dir, err)
	}
	return &Store{db: db, dir: dir}, nil
}

// enter registers a call into db, or reports that the store is closed.
func (s *Store) enter() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.mu.closed {
		return store.ErrClosed
	}
	s.inflight.Add(1)
	return nil
}

func (s *Store) leave() { s.inflight.Done() }

// Get returns a copy of the value under key, or store.ErrNotFound.
func (s *Store) Get(ctx context.Context, key []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.leave()
	v, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("pebblestore: get: %w", err)
	}
	out := bytes.Clone(v)
	if out == nil {
		out = []byte{} // present with an empty value, not missing
	}
	return out, closer.Close()
}

// Scan visits keys in [start, end) of the state when Scan starts: a Pebble
// iterator reads at a fixed sequence number, so batches applied meanwhile,
// including by fn, are not seen. fn must not call Close.
func (s *Store) Scan(ctx context.Context, start, end []byte, fn func(key, value []byte) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	if end != nil && bytes.Compare(start, end) >= 0 {
		return nil // Pebble requires LowerBound <= UpperBound
	}
	if len(start) == 0 {
		// An empty lower bound means none. Pebble would seek to it, and
		// its invariant checks (on in -race builds) read key[0] of the
		// seek key at random: an empty one panics.
		start = nil
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: start, UpperBound: end})
	if err != nil {
		return fmt.Errorf("pebblestore: scan: %w", err)
	}
	n := 0
	for it.First(); it.Valid(); it.Next() {
		if n++; n%scanCheckEvery == 0 {
			if err = ctx.Err(); err != nil {
				break
			}
		}
		// A value larger than Pebble's value-separation threshold is
		// fetched lazily by Value; ValueAndErr surfaces a read error
		// instead of an empty value.
		v, verr := it.ValueAndErr()
		if verr != nil {
			err = fmt.Errorf("pebblestore: scan: reading value of %q: %w", it.Key(), verr)
			break
		}
		if err = fn(it.Key(), v); err != nil {
			break
		}
	}
	if cerr := it.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("pebblestore: scan: %w", cerr)
	}
	return err
}

// Apply writes b as one Pebble batch committed with pebble.Sync, so it
// returns once the WAL record is fsynced. Concurrent Applies share fsyncs in
// Pebble's commit pipeline.
func (s *Store) Apply(ctx context.Context, b *store.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	if b == nil || len(b.Ops) == 0 {
		return nil
	}
	pb := s.db.NewBatch()
	defer pb.Close()
	for _, op := range b.Ops {
		// Set and Delete copy into the batch's buffer, so the store
		// keeps no reference to the caller's slices.
		var err error
		if op.Delete {
			err = pb.Delete(op.Key, nil)
		} else {
			err = pb.Set(op.Key, op.Value, nil)
		}
		if err != nil {
			return fmt.Errorf("pebblestore: building batch: %w", err)
		}
	}
	if err := pb.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("pebblestore: committing batch of %d ops: %w", len(b.Ops), err)
	}
	return nil
}

// Close waits for calls in progress, closes Pebble (which syncs nothing more:
// every acknowledged batch is already in the fsynced WAL) and releases the
// directory lock.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.mu.closed {
		s.mu.Unlock()
		return store.ErrClosed
	}
	s.mu.closed = true
	s.mu.Unlock()
	s.inflight.Wait()
	err := s.db.Close()
	if s.lock != nil {
		if lerr := s.lock.release(); err == nil {
			err = lerr
		}
	}
	if err != nil {
		return fmt.Errorf("pebblestore: closing %s: %w", s.dir, err)
	}
	return nil
}

// logger sends Pebble's errors to slog and drops its informational chatter
// (it logs every flush and compaction). Pebble calls Fatalf when it cannot
// continue safely, e.g. after a failed WAL fsync, where retrying could
// acknowledge lost data; we panic, as Pebble's own default logger exits.
type logger struct{ dir string }

func (logger) Infof(string, ...any) {}

func (l logger) Errorf(format string, args ...any) {
	slog.Error("pebble: "+fmt.Sprintf(format, args...), "dir", l.dir)
}

func (l logger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf("pebble (%s): %s", l.dir, fmt.Sprintf(format, args...)))
}
