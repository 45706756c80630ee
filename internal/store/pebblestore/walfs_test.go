package pebblestore

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// TestZeroAheadFile checks what a WAL file holds after writes through walFS:
// the log as written, then zeros up to the next zeroChunk boundary, so that
// every later write within it overwrites written blocks; other files are
// left as they are.
func TestZeroAheadFile(t *testing.T) {
	pattern := func(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }
	for _, tc := range []struct {
		name     string
		old      int   // a recycled file of this many 0xee bytes; 0: a new file
		writes   []int // sizes of successive writes
		wantSize int64
	}{
		{name: "new, small", writes: []int{100, 4000}, wantSize: zeroChunk},
		{name: "new, across a chunk", writes: []int{zeroChunk - 10, 20, 5}, wantSize: 2 * zeroChunk},
		{name: "new, one write over two chunks", writes: []int{2*zeroChunk + 1}, wantSize: 3 * zeroChunk},
		{name: "recycled, within", old: 3000, writes: []int{100, 200}, wantSize: 3000},
		{name: "recycled, past its end", old: 3000, writes: []int{100, 5000}, wantSize: zeroChunk},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := vfs.NewMem()
			fs := walFS{mem}
			var f vfs.File
			var err error
			if tc.old > 0 {
				old, err := mem.Create("000001.log", walCategory)
				if err != nil {
					t.Fatal(err)
				}
				old.Write(pattern(tc.old, 0xee))
				old.Close()
				f, err = fs.ReuseForWrite("000001.log", "000002.log", walCategory)
				if err != nil {
					t.Fatal(err)
				}
			} else if f, err = fs.Create("000002.log", walCategory); err != nil {
				t.Fatal(err)
			}
			var want []byte
			for i, n := range tc.writes {
				p := pattern(n, byte(i+1))
				want = append(want, p...)
				if m, err := f.Write(bytes.Clone(p)); err != nil || m != n {
					t.Fatalf("Write(%d bytes) = %d, %v", n, m, err)
				}
			}
			if err := f.Sync(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			r, err := mem.Open("000002.log")
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(got)) != tc.wantSize {
				t.Fatalf("file size %d, want %d", len(got), tc.wantSize)
			}
			if !bytes.Equal(got[:len(want)], want) {
				t.Fatal("the log written is not at the start of the file")
			}
			rest := got[len(want):]
			if tc.old > len(want) {
				// A recycled file keeps its old bytes past the new log,
				// as Pebble expects (its reader stops at the old log
				// number).
				rest = got[tc.old:]
			}
			if !bytes.Equal(rest, make([]byte, len(rest))) {
				t.Fatal("the tail after the log is not zeros")
			}
		})
	}

	t.Run("not a WAL", func(t *testing.T) {
		mem := vfs.NewMem()
		f, err := walFS{mem}.Create("MANIFEST-000001", "pebble-manifest")
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("x"))
		f.Close()
		if fi, err := mem.Stat("MANIFEST-000001"); err != nil || fi.Size() != 1 {
			t.Fatalf("MANIFEST: %v, %v; want 1 byte", fi, err)
		}
	})
}

// failingWriteAt is a file whose positioned writes fail, as a full disk
// would fail the zero-fill.
type failingWriteAt struct{ vfs.File }

func (failingWriteAt) WriteAt([]byte, int64) (int, error) { return 0, errors.New("no space left") }

// TestZeroFillFailureKeepsWriting checks that a failed zero-fill is not a
// failed write: the zeros are a speed-up, and the log is then written as
// Pebble writes it.
func TestZeroFillFailureKeepsWriting(t *testing.T) {
	mem := vfs.NewMem()
	inner, err := mem.Create("000002.log", walCategory)
	if err != nil {
		t.Fatal(err)
	}
	f := &zeroAheadFile{File: failingWriteAt{inner}}
	for _, p := range []string{"first", "second"} {
		if n, err := f.Write([]byte(p)); err != nil || n != len(p) {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	f.Close()
	r, err := mem.Open("000002.log")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	if string(got) != "firstsecond" {
		t.Fatalf("file holds %q, want the log alone", got)
	}
}
