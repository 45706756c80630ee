// Package store is the one storage abstraction under every Fogbank service.
//
// A Store is an ordered key-value map with atomic, durable batch writes. Every
// service keeps its working state in plain Go values in memory and writes
// through to the store; on start it reads its records back. That shape is what
// lets hot paths (SQS send/receive) be fast: reads never touch the engine, and
// writes from many goroutines share one fsync (group commit) inside Apply.
//
// Invariants every engine keeps, checked by storetest.Run against each one:
//   - Apply is atomic: after a crash either every operation of a batch is
//     visible or none is.
//   - Apply returns nil only once the batch is durable (for engines that are
//     durable at all); a caller may acknowledge the client after that.
//   - Reads see every batch whose Apply has returned.
//   - Keys are ordered bytewise; Scan visits them in that order.
//   - Scan reads one consistent snapshot taken when it starts: it never sees
//     part of a batch, and its callback may call Apply (writes made during
//     the scan are not visited).
//   - The store never aliases caller memory: Apply copies what it keeps, and
//     Get returns a copy.
//
// Keys are built with Key, which joins parts with a 0x00 separator, so one
// service's records never collide with another's. A scope is scanned with
// KeyPrefix: Scan(ctx, p, PrefixEnd(p), fn) with p = KeyPrefix("sqs",
// account, region) finds exactly that scope. (A raw Key as the prefix would
// not: Key("sqs", acct, region, "q") is a byte prefix of queue "q1"'s keys.)
//
// A PostgreSQL-protocol engine can implement the same interface (a batch is one
// transaction of upserts and deletes on a (key bytea primary key, value bytea)
// table), so services never change when the engine does.
package store

import (
	"context"
	"errors"
)

// ErrNotFound is returned by Get when the key has no value.
var ErrNotFound = errors.New("store: not found")

// ErrClosed is returned by operations on a closed store.
var ErrClosed = errors.New("store: closed")

// ErrLocked is returned by Open when another process holds the data directory.
var ErrLocked = errors.New("store: data directory is in use by another process")

// Store is an ordered key-value store. Implementations are safe for
// concurrent use.
type Store interface {
	// Get returns a copy of the value stored under key, or ErrNotFound.
	Get(ctx context.Context, key []byte) ([]byte, error)
	// Scan calls fn for each key in [start, end) in order (end nil means no
	// upper bound; start >= end visits nothing) until fn returns an error,
	// which Scan then returns. The key and value slices are valid only during
	// the call and must not be modified.
	Scan(ctx context.Context, start, end []byte, fn func(key, value []byte) error) error
	// Apply writes b atomically and returns once it is durable. Concurrent
	// Apply calls are committed together where the engine can (group commit).
	// Ops apply in order, so the last write to a key wins; an empty batch is
	// a no-op. A ctx already done makes Apply write nothing and return
	// ctx.Err(); once the commit has started it runs to completion and its
	// own result is returned, so a nil error always means durable.
	Apply(ctx context.Context, b *Batch) error
	// Close flushes and releases the store. Further calls return ErrClosed.
	Close() error
}

// Op is one write of a Batch.
type Op struct {
	Key    []byte
	Value  []byte // nil for a delete
	Delete bool
}

// Batch is an ordered list of writes applied atomically. The zero value is
// an empty batch. A Batch must not be changed while Apply is running.
type Batch struct {
	Ops []Op
}

// Put adds a write of value under key. The batch keeps the slices; callers
// must not modify them afterwards.
func (b *Batch) Put(key, value []byte) { b.Ops = append(b.Ops, Op{Key: key, Value: value}) }

// Delete adds a deletion of key.
func (b *Batch) Delete(key []byte) { b.Ops = append(b.Ops, Op{Key: key, Delete: true}) }

// Len returns the number of writes in b.
func (b *Batch) Len() int { return len(b.Ops) }

// Reset empties b, keeping its capacity.
func (b *Batch) Reset() { b.Ops = b.Ops[:0] }

// Key joins parts into a key, separated by 0x00. Parts must not contain 0x00.
func Key(parts ...string) []byte {
	n := 0 // one byte more than Key needs, so KeyPrefix's append never copies
	for _, p := range parts {
		n += len(p) + 1
	}
	k := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			k = append(k, 0)
		}
		k = append(k, p...)
	}
	return k
}

// KeyPrefix returns the prefix shared by every key Key(parts..., more...)
// with at least one more part: Key(parts...) followed by the separator.
// KeyPrefix() is empty, the prefix of everything.
func KeyPrefix(parts ...string) []byte {
	if len(parts) == 0 {
		return []byte{}
	}
	return append(Key(parts...), 0)
}

// PrefixEnd returns the smallest key greater than every key with the given
// prefix, for use as Scan's end; nil if there is none.
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
