package pebblestore

import (
	"strings"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// Zero-filled WAL files. Every Apply waits for an fdatasync of the WAL. On
// ext4 (and most journaling file systems) an fdatasync of a write that
// extends the file, or that lands in fallocated but never written blocks
// (Pebble preallocates WALs that way), must also commit the size or extent
// change to the journal: a second, dependent write that the kernel's
// journal thread does, which has to be scheduled on a CPU the load
// generator and the server are already using. An fdatasync of an overwrite
// within the file's size writes only the data.
//
// Pebble recycles WAL files once their memtable is flushed, so a busy store
// overwrites old WALs; but a fresh store, and any store whose WAL grows
// beyond the recycled file, appends. walFS makes every WAL an overwrite:
// before Pebble writes past the zero-filled part of a WAL, the file is
// extended by zeroChunk bytes of real zeros, so one sync in zeroChunk bytes
// of log commits the journal and the others do not.
//
// Measured (docs/benchmarks.md, "Durable SQS path"): a 700-byte
// append + fdatasync loop on this disk took 375–530 µs per sync into a file
// fallocated with KEEP_SIZE (what Pebble does), 150–200 µs overwriting
// zeros; bench/sqs durable send (16 callers, in process, interleaved runs)
// went from 238/324/360 to 191/284/316 µs per op, with the WAL sync from
// 1.3–1.6 ms to 0.4–1.2 ms on the loaded machine.
//
// Recovery: Pebble's WAL reader treats a zeroed chunk after the last record
// as the end of the log (the tail a crash or a preallocated or recycled file
// leaves; it reads ahead to tell a torn tail from corruption and finds only
// zeros), and a WAL that is closed gets an EOF trailer before the next one is
// created. TestCrashCloneKeepsAcknowledged runs on walFS.

// zeroChunk is how far a WAL is zero-filled ahead of Pebble's writes: one
// journal commit per this many bytes of log, and the sync that carries it
// writes this many zeros too (a few milliseconds on this machine's disk).
const zeroChunk = 1 << 20

// walCategory is the DiskWriteCategory Pebble creates its WAL files with.
const walCategory vfs.DiskWriteCategory = "pebble-wal"

// walFS is a vfs.FS whose WAL files are zero-filled ahead of their writes.
type walFS struct{ vfs.FS }

// isWAL reports whether Pebble is creating a WAL file: its category, and the
// .log name as a second check should the category change.
func isWAL(name string, category vfs.DiskWriteCategory) bool {
	return category == walCategory && strings.HasSuffix(name, ".log")
}

func (fs walFS) Create(name string, category vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.Create(name, category)
	if err != nil || !isWAL(name, category) {
		return f, err
	}
	return &zeroAheadFile{File: f}, nil
}

// ReuseForWrite opens a recycled WAL: its old contents are already written
// blocks, so only writes past its end need the zeros.
func (fs walFS) ReuseForWrite(oldname, newname string, category vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.ReuseForWrite(oldname, newname, category)
	if err != nil || !isWAL(newname, category) {
		return f, err
	}
	fi, err := f.Stat()
	if err != nil {
		return f, nil // written as Pebble writes it, without the zeros
	}
	return &zeroAheadFile{File: f, filled: fi.Size()}, nil
}

func (fs walFS) Unwrap() vfs.FS { return fs.FS }

// zeroAheadFile is a WAL being written: Pebble writes it sequentially from
// offset 0, from one goroutine at a time (its LogWriter's flush loop), so
// Write needs no lock.
type zeroAheadFile struct {
	vfs.File
	off    int64  // where the next Write lands
	filled int64  // bytes [0, filled) are written (zeros or log)
	zeros  []byte // zeroChunk zeros, allocated at the first fill
	// noFill is set once a zero-fill failed (say, the disk is full):
	// the zeros are only a speed-up, so the log is then written as Pebble
	// writes it, and a write fails only if the log's own bytes cannot be.
	noFill bool
}

func (f *zeroAheadFile) Write(p []byte) (int, error) {
	if end := f.off + int64(len(p)); end > f.filled && !f.noFill {
		// Zero-fill from filled up to the next chunk boundary past end,
		// with positioned writes that leave the file offset alone.
		// Pebble's sync after this Write makes the zeros durable with
		// the log, in one journal commit.
		target := (end + zeroChunk - 1) / zeroChunk * zeroChunk
		if f.zeros == nil {
			f.zeros = make([]byte, zeroChunk)
		}
		for f.filled < target {
			n := min(target-f.filled, zeroChunk)
			if _, err := f.File.WriteAt(f.zeros[:n], f.filled); err != nil {
				// Zeros written past the log before the failure
				// read as its end, as a preallocated tail does.
				f.noFill = true
				break
			}
			f.filled += n
		}
	}
	n, err := f.File.Write(p)
	f.off += int64(n)
	return n, err
}
