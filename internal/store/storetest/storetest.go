// Package storetest is the conformance suite every store.Store engine must
// pass: memstore, the durable engine, and later a PostgreSQL engine. The
// point of one suite is that services are written against the store
// package's documented semantics, not against whichever engine their tests
// happen to use; a behaviour only one engine has is a bug in that engine.
//
// The suite checks what does not depend on durability. Surviving a crash or a
// reopen is engine-specific and tested beside each durable engine.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// Open returns a new, empty store for one subtest. Run closes it when the
// subtest ends (an ErrClosed from that Close is ignored).
type Open func(t *testing.T) store.Store

// Run runs the whole suite against the engine that open creates.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"GetMissing", testGetMissing},
		{"PutGetOverwriteDelete", testPutGetOverwriteDelete},
		{"OwnershipOfBuffers", testOwnership},
		{"EmptyValue", testEmptyValue},
		{"BatchOrder", testBatchOrder},
		{"EmptyBatch", testEmptyBatch},
		{"BigValuesAndBatches", testBig},
		{"ScanOrder", testScanOrder},
		{"ScanBounds", testScanBounds},
		{"ScanPrefix", testScanPrefix},
		{"ScanStopsOnError", testScanStopsOnError},
		{"ScanSnapshotAllowsApply", testScanSnapshot},
		{"ConcurrentApply", testConcurrentApply},
		{"BatchAtomicToReaders", testAtomicToReaders},
		{"CanceledContext", testCanceled},
		{"ScanCanceledMidway", testScanCanceled},
		{"Closed", testClosed},
		{"CloseWhileBusy", testCloseWhileBusy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil && !errors.Is(err, store.ErrClosed) {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
	t.Run("KeyAndPrefixEnd", testKeyAndPrefixEnd)
}

// Helpers. They take the store and fail the test on unexpected errors, so
// the test bodies read as the behaviour they check.

func apply(t *testing.T, s store.Store, b *store.Batch) {
	t.Helper()
	if err := s.Apply(context.Background(), b); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

func put(t *testing.T, s store.Store, kv ...string) {
	t.Helper()
	var b store.Batch
	for i := 0; i+1 < len(kv); i += 2 {
		b.Put([]byte(kv[i]), []byte(kv[i+1]))
	}
	apply(t, s, &b)
}

// get returns the value and whether it was found.
func get(t *testing.T, s store.Store, k string) (string, bool) {
	t.Helper()
	v, err := s.Get(context.Background(), []byte(k))
	if errors.Is(err, store.ErrNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatalf("Get(%q): %v", k, err)
	}
	return string(v), true
}

func wantValue(t *testing.T, s store.Store, k, want string) {
	t.Helper()
	got, ok := get(t, s, k)
	if !ok {
		t.Fatalf("Get(%q): not found, want %q", k, short(want))
	}
	if got != want {
		t.Fatalf("Get(%q) = %q, want %q", k, short(got), short(want))
	}
}

func wantMissing(t *testing.T, s store.Store, k string) {
	t.Helper()
	if got, ok := get(t, s, k); ok {
		t.Fatalf("Get(%q) = %q, want not found", k, short(got))
	}
}

func short(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%s…(%d bytes)", s[:40], len(s))
	}
	return s
}

// scan returns the keys in [start, end) ("" start means from the first key,
// nil end means no bound).
func scan(t *testing.T, s store.Store, start, end []byte) []string {
	t.Helper()
	var keys []string
	err := s.Scan(context.Background(), start, end, func(k, v []byte) error {
		keys = append(keys, string(k))
		return nil
	})
	if err != nil {
		t.Fatalf("Scan(%q, %q): %v", start, end, err)
	}
	return keys
}

func testGetMissing(t *testing.T, s store.Store) {
	_, err := s.Get(context.Background(), []byte("nope"))
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get of missing key: err = %v, want ErrNotFound", err)
	}
}

func testPutGetOverwriteDelete(t *testing.T, s store.Store) {
	put(t, s, "a", "1", "b", "2")
	wantValue(t, s, "a", "1")
	wantValue(t, s, "b", "2")
	put(t, s, "a", "3")
	wantValue(t, s, "a", "3")

	var b store.Batch
	b.Delete([]byte("a"))
	b.Delete([]byte("never-existed")) // deleting a missing key is not an error
	apply(t, s, &b)
	wantMissing(t, s, "a")
	wantValue(t, s, "b", "2")
}

// testOwnership checks that the store does not alias caller memory: a value
// returned by Get may be modified, and buffers may be reused after Apply.
func testOwnership(t *testing.T, s store.Store) {
	k, v := []byte("key"), []byte("value")
	var b store.Batch
	b.Put(k, v)
	apply(t, s, &b)
	copy(k, "XXX")
	copy(v, "XXXXX")
	wantValue(t, s, "key", "value")

	got, err := s.Get(context.Background(), []byte("key"))
	if err != nil {
		t.Fatal(err)
	}
	copy(got, "YYYYY")
	wantValue(t, s, "key", "value")
}

func testEmptyValue(t *testing.T, s store.Store) {
	var b store.Batch
	b.Put([]byte("empty"), []byte{})
	b.Put([]byte("nil"), nil)
	apply(t, s, &b)
	// A present key with an empty value is distinct from a missing key.
	wantValue(t, s, "empty", "")
	wantValue(t, s, "nil", "")
	if got := scan(t, s, nil, nil); !slices.Equal(got, []string{"empty", "nil"}) {
		t.Fatalf("Scan = %q", got)
	}
}

// testBatchOrder checks that ops within one batch apply in order, so the
// last write to a key wins.
func testBatchOrder(t *testing.T, s store.Store) {
	put(t, s, "pre", "old")
	tests := []struct {
		name  string
		build func(b *store.Batch)
		key   string
		want  string // "" means missing
	}{
		{"put then delete", func(b *store.Batch) { b.Put([]byte("k1"), []byte("v")); b.Delete([]byte("k1")) }, "k1", ""},
		{"delete then put", func(b *store.Batch) { b.Delete([]byte("k2")); b.Put([]byte("k2"), []byte("v")) }, "k2", "v"},
		{"put twice", func(b *store.Batch) { b.Put([]byte("k3"), []byte("a")); b.Put([]byte("k3"), []byte("b")) }, "k3", "b"},
		{"delete existing then put", func(b *store.Batch) { b.Delete([]byte("pre")); b.Put([]byte("pre"), []byte("new")) }, "pre", "new"},
		{"put existing then delete", func(b *store.Batch) { b.Put([]byte("pre"), []byte("x")); b.Delete([]byte("pre")) }, "pre", ""},
		// Keys interleaved out of key order: each key's writes apply in
		// order, whatever other keys come between them.
		{"interleaved keys, later key", interleaved, "k9", "c"},
		{"interleaved keys, earlier key", interleaved, "k8", "y"},
		{"interleaved keys, deleted key", interleaved, "k7", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b store.Batch
			tc.build(&b)
			apply(t, s, &b)
			if tc.want == "" {
				wantMissing(t, s, tc.key)
			} else {
				wantValue(t, s, tc.key, tc.want)
			}
		})
	}
}

func interleaved(b *store.Batch) {
	b.Put([]byte("k9"), []byte("a"))
	b.Put([]byte("k8"), []byte("x"))
	b.Put([]byte("k7"), []byte("z"))
	b.Delete([]byte("k9"))
	b.Put([]byte("k8"), []byte("y"))
	b.Delete([]byte("k7"))
	b.Put([]byte("k9"), []byte("c"))
}

func testEmptyBatch(t *testing.T, s store.Store) {
	apply(t, s, &store.Batch{})
	var b store.Batch
	b.Put([]byte("x"), []byte("y"))
	b.Reset()
	apply(t, s, &b)
	if got := scan(t, s, nil, nil); len(got) != 0 {
		t.Fatalf("store after empty batches holds %q", got)
	}
}

func testBig(t *testing.T, s store.Store) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16) // 4 MiB
	var b store.Batch
	b.Put([]byte("big"), big)
	apply(t, s, &b)
	wantValue(t, s, "big", string(big))

	// One batch of many ops is as atomic as a small one.
	b.Reset()
	const n = 10000
	for i := range n {
		b.Put([]byte(fmt.Sprintf("many/%05d", i)), []byte(fmt.Sprint(i)))
	}
	apply(t, s, &b)
	if got := scan(t, s, []byte("many/"), store.PrefixEnd([]byte("many/"))); len(got) != n {
		t.Fatalf("scan after %d-op batch found %d keys", n, len(got))
	}
}

func testScanOrder(t *testing.T, s store.Store) {
	// Bytewise order, including bytes that sort differently as signed
	// chars or as UTF-8 text, and a key that is a prefix of another.
	want := []string{"\x00", "\x00\x00", "A", "a", "a\x00", "a\x00b", "ab", "b", "\x7f", "\x80", "\xfe", "\xff", "\xff\xff"}
	var b store.Batch
	for _, i := range rand.Perm(len(want)) {
		b.Put([]byte(want[i]), []byte(want[i]))
	}
	apply(t, s, &b)
	var got []string
	err := s.Scan(context.Background(), nil, nil, func(k, v []byte) error {
		if !bytes.Equal(k, v) {
			t.Errorf("Scan: key %q has value %q", k, v)
		}
		got = append(got, string(k))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Scan order = %q, want %q", got, want)
	}
}

func testScanBounds(t *testing.T, s store.Store) {
	put(t, s, "a", "", "b", "", "c", "", "d", "")
	tests := []struct {
		name       string
		start, end []byte
		want       []string
	}{
		{"all", nil, nil, []string{"a", "b", "c", "d"}},
		{"empty start is nil start", []byte{}, nil, []string{"a", "b", "c", "d"}},
		{"start inclusive", []byte("b"), nil, []string{"b", "c", "d"}},
		{"start between keys", []byte("bb"), nil, []string{"c", "d"}},
		{"end exclusive", nil, []byte("c"), []string{"a", "b"}},
		{"both", []byte("b"), []byte("d"), []string{"b", "c"}},
		{"start equals end", []byte("b"), []byte("b"), nil},
		{"start after end", []byte("c"), []byte("b"), nil},
		{"past the last key", []byte("e"), nil, nil},
		{"before the first key", nil, []byte("a"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := scan(t, s, tc.start, tc.end); !slices.Equal(got, tc.want) {
				t.Fatalf("Scan(%q, %q) = %q, want %q", tc.start, tc.end, got, tc.want)
			}
		})
	}
}

// testScanPrefix checks the scoping that services rely on: a scan over
// KeyPrefix(parts...) sees the keys under exactly those parts, even when a
// sibling part has the same leading bytes ("q" and "q1").
func testScanPrefix(t *testing.T, s store.Store) {
	var b store.Batch
	for _, k := range [][]byte{
		store.Key("sqs", "111", "us-east-1", "q", "m1"),
		store.Key("sqs", "111", "us-east-1", "q", "m2"),
		store.Key("sqs", "111", "us-east-1", "q1", "m1"),
		store.Key("sqs", "111", "us-east-2", "q", "m1"),
		store.Key("sqs", "222", "us-east-1", "q", "m1"),
		store.Key("sns", "111", "us-east-1", "t"),
		store.Key("sqs"), // a key equal to a prefix is not under it
	} {
		b.Put(k, []byte("v"))
	}
	apply(t, s, &b)

	tests := []struct {
		parts []string
		want  int
	}{
		{[]string{"sqs"}, 5},
		{[]string{"sqs", "111"}, 4},
		{[]string{"sqs", "111", "us-east-1"}, 3},
		{[]string{"sqs", "111", "us-east-1", "q"}, 2},
		{[]string{"sqs", "111", "us-east-1", "q1"}, 1},
		{[]string{"sqs", "333"}, 0},
		{[]string{"lambda"}, 0},
	}
	for _, tc := range tests {
		p := store.KeyPrefix(tc.parts...)
		got := scan(t, s, p, store.PrefixEnd(p))
		if len(got) != tc.want {
			t.Errorf("scan under %q found %d keys (%q), want %d", tc.parts, len(got), got, tc.want)
		}
		for _, k := range got {
			if !bytes.HasPrefix([]byte(k), p) {
				t.Errorf("scan under %q returned %q", tc.parts, k)
			}
		}
	}
}

func testScanStopsOnError(t *testing.T, s store.Store) {
	put(t, s, "a", "", "b", "", "c", "")
	stop := errors.New("stop here")
	var seen []string
	err := s.Scan(context.Background(), nil, nil, func(k, v []byte) error {
		seen = append(seen, string(k))
		if string(k) == "b" {
			return fmt.Errorf("at %q: %w", k, stop)
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("Scan returned %v, want the callback's error", err)
	}
	if !slices.Equal(seen, []string{"a", "b"}) {
		t.Fatalf("Scan visited %q after the callback failed", seen)
	}
}

// testScanSnapshot checks that a callback may write (services delete
// expired records while scanning them) without deadlock, and that the scan
// sees the state as of its start.
func testScanSnapshot(t *testing.T, s store.Store) {
	put(t, s, "k1", "v", "k3", "v")
	var seen []string
	err := s.Scan(context.Background(), nil, nil, func(k, v []byte) error {
		seen = append(seen, string(k))
		var b store.Batch
		b.Delete(k)
		b.Put([]byte("k2"), []byte("added during scan"))
		b.Put([]byte("k9"), []byte("added during scan"))
		return s.Apply(context.Background(), &b)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []string{"k1", "k3"}) {
		t.Fatalf("Scan visited %q, want the snapshot [k1 k3]", seen)
	}
	if got := scan(t, s, nil, nil); !slices.Equal(got, []string{"k2", "k9"}) {
		t.Fatalf("after scan the store holds %q", got)
	}
}

// testConcurrentApply checks that every Apply that returned is visible,
// with many goroutines committing at once (the group-commit path).
func testConcurrentApply(t *testing.T, s store.Store) {
	const writers, perWriter = 32, 40
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				var b store.Batch
				for j := range 3 {
					b.Put([]byte(fmt.Sprintf("w%02d/%03d/%d", w, i, j)), []byte(fmt.Sprint(w, i, j)))
				}
				if err := s.Apply(context.Background(), &b); err != nil {
					errs <- err
					return
				}
				// Read-your-writes: visible as soon as Apply returns.
				k := fmt.Sprintf("w%02d/%03d/2", w, i)
				if _, err := s.Get(context.Background(), []byte(k)); err != nil {
					errs <- fmt.Errorf("Get(%q) right after Apply: %w", k, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := scan(t, s, nil, nil)
	if len(got) != writers*perWriter*3 {
		t.Fatalf("found %d keys, want %d", len(got), writers*perWriter*3)
	}
	wantValue(t, s, "w07/013/1", fmt.Sprint(7, 13, 1))
}

// testAtomicToReaders checks that a reader never sees half a batch: each
// batch writes the same counter to two keys and a concurrent Scan over both
// must always see equal values.
func testAtomicToReaders(t *testing.T, s store.Store) {
	put(t, s, "pair/a", "0", "pair/b", "0")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; i <= 200 && ctx.Err() == nil; i++ {
			var b store.Batch
			v := []byte(fmt.Sprint(i))
			b.Put([]byte("pair/a"), v)
			b.Put([]byte("pair/b"), v)
			if err := s.Apply(ctx, &b); err != nil {
				t.Errorf("Apply: %v", err)
				return
			}
		}
	}()
	for reads := 0; ; reads++ {
		select {
		case <-done:
			wantValue(t, s, "pair/a", "200")
			wantValue(t, s, "pair/b", "200")
			return
		default:
		}
		var vals []string
		err := s.Scan(ctx, []byte("pair/"), store.PrefixEnd([]byte("pair/")), func(k, v []byte) error {
			vals = append(vals, string(v))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(vals) != 2 || vals[0] != vals[1] {
			t.Fatalf("read %d saw half a batch: %q", reads, vals)
		}
	}
}

func testCanceled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var b store.Batch
	b.Put([]byte("k"), []byte("v"))
	if err := s.Apply(ctx, &b); !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply with canceled context: err = %v, want context.Canceled", err)
	}
	wantMissing(t, s, "k")
}

// testScanCanceled checks that a long Scan notices its context: services
// scan at start and on shutdown the context is canceled.
func testScanCanceled(t *testing.T, s store.Store) {
	var b store.Batch
	for i := range 2000 {
		b.Put([]byte(fmt.Sprintf("k%05d", i)), nil)
	}
	apply(t, s, &b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	err := s.Scan(ctx, nil, nil, func(k, v []byte) error {
		if n++; n == 1 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Scan with context canceled midway: err = %v after %d keys, want context.Canceled", err, n)
	}
	if n == 2000 {
		t.Fatalf("Scan visited every key after its context was canceled")
	}
}

// testCloseWhileBusy checks that Close during concurrent Applies and Scans
// neither panics nor loses an acknowledged write: each call either succeeds
// or returns ErrClosed.
func testCloseWhileBusy(t *testing.T, s store.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	var started sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 8 {
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				var err error
				if w%2 == 0 {
					var b store.Batch
					b.Put([]byte(fmt.Sprintf("w%d/%d", w, i)), []byte("v"))
					err = s.Apply(ctx, &b)
				} else {
					err = s.Scan(ctx, nil, nil, func(k, v []byte) error { return nil })
				}
				if i == 0 {
					started.Done()
				}
				if errors.Is(err, store.ErrClosed) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	started.Wait()
	if err := s.Close(); err != nil {
		t.Fatalf("Close while busy: %v", err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("call racing Close: %v, want nil or ErrClosed", err)
	}
}

func testClosed(t *testing.T, s store.Store) {
	put(t, s, "k", "v")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ctx := context.Background()
	var b store.Batch
	b.Put([]byte("k2"), []byte("v"))
	checks := []struct {
		name string
		err  error
	}{
		{"Get", func() error { _, err := s.Get(ctx, []byte("k")); return err }()},
		{"Scan", s.Scan(ctx, nil, nil, func(k, v []byte) error { return nil })},
		{"Apply", s.Apply(ctx, &b)},
		{"Apply empty", s.Apply(ctx, &store.Batch{})},
		{"Close", s.Close()},
	}
	for _, c := range checks {
		if !errors.Is(c.err, store.ErrClosed) {
			t.Errorf("%s after Close: err = %v, want ErrClosed", c.name, c.err)
		}
	}
}

func testKeyAndPrefixEnd(t *testing.T) {
	keys := []struct {
		parts []string
		key   string
		pfx   string
	}{
		{nil, "", ""},
		{[]string{"sqs"}, "sqs", "sqs\x00"},
		{[]string{"sqs", "000000000000", "us-east-1"}, "sqs\x00000000000000\x00us-east-1", "sqs\x00000000000000\x00us-east-1\x00"},
		{[]string{"a", "", "b"}, "a\x00\x00b", "a\x00\x00b\x00"},
	}
	for _, tc := range keys {
		if got := string(store.Key(tc.parts...)); got != tc.key {
			t.Errorf("Key(%q) = %q, want %q", tc.parts, got, tc.key)
		}
		if got := string(store.KeyPrefix(tc.parts...)); got != tc.pfx {
			t.Errorf("KeyPrefix(%q) = %q, want %q", tc.parts, got, tc.pfx)
		}
	}

	ends := []struct {
		prefix string
		want   []byte
	}{
		{"abc", []byte("abd")},
		{"a\x00", []byte("a\x01")},
		{"a\xff", []byte("b")},
		{"a\xff\xff", []byte("b")},
		{"\xff", nil},
		{"\xff\xff", nil},
		{"", nil},
	}
	for _, tc := range ends {
		got := store.PrefixEnd([]byte(tc.prefix))
		if !bytes.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("PrefixEnd(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
	// PrefixEnd must not alias its argument.
	p := []byte("abc")
	_ = store.PrefixEnd(p)
	if string(p) != "abc" {
		t.Errorf("PrefixEnd modified its argument to %q", p)
	}
}
