package sqs

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// Record layout. A queue record's key is store.Key parts "sqs", account,
// region, a kind and the queue name; message keys are binary and short:
//
//	sqs|acct|region|q|name     queue record: id, settings, tags, timestamps (queueRecord, JSON)
//	sqs|0x01 'm' qid(8) n(8)   message record: body, attributes, ids, sent time (body); written once
//	sqs|0x01 's' qid(8) n(8)   state record: receive count, first receive, visible-at, token (msgStatus)
//	sqs|0x01 'd' qid(8) n(8)   FIFO deduplication record: key, message id, sequence number, expiry
//
// qid is the queue's numeric id, assigned at creation and stored in its
// queue record; n is the message's record number (body.Key), from a counter
// that only grows. Both are big-endian, and load starts both counters above
// every number it sees, so neither is reused while a record with it may
// remain (a send that raced its queue's deletion can leave an orphan, which
// load deletes). The 0x01 after "sqs|" cannot begin an account, so message
// keys and queue records never collide; Reset's scan of "sqs|" covers both.
//
// Why not the account/region/name and the message id: Pebble's memtable
// is a skiplist, and each insert walks ~log n nodes. With keys that shared a
// long prefix and ended in a random UUID, that walk (cache misses on random
// nodes, long compares) was the largest single cost of a durable commit.
// Keys that grow within a queue make each walk follow the recently inserted
// nodes, which are in cache, and deletes follow receives, mostly oldest
// first.
//
// Message and state records are binary (recordcodec.go): a version byte,
// then fields as encoding/binary varints and length-prefixed strings. They
// are written on every send and receive, and encoding/json was a visible
// share of the CPU per message.
//
// A message's body record is written once, by its send (or by the
// dead-letter move that brings it into a queue); a receive or visibility
// change writes only the small state record, so a 1 MiB body is never
// rewritten. A message without a state record was never received and becomes
// visible at body.VisibleAt. Deleting a message deletes both.

const (
	kindQueue  = "q"
	kindBody   = 'm'
	kindStatus = 's'
	kindDedup  = 'd'

	// msgSpace follows "sqs|" in every message key.
	msgSpace = 0x01
	// msgKeyLen is the length of a message key.
	msgKeyLen = 4 + 1 + 1 + 8 + 8
)

func queueRecordKey(k queueKey) []byte {
	return store.Key("sqs", k.account, k.region, kindQueue, k.name)
}
func bodyKey(qid, n uint64) []byte   { return msgKey(kindBody, qid, n) }
func statusKey(qid, n uint64) []byte { return msgKey(kindStatus, qid, n) }
func dedupKey(qid, n uint64) []byte  { return msgKey(kindDedup, qid, n) }

func msgKey(kind byte, qid, n uint64) []byte {
	return appendMsgKey(make([]byte, 0, msgKeyLen), kind, qid, n)
}

// appendMsgKey appends the key of message n's record of kind to dst.
func appendMsgKey(dst []byte, kind byte, qid, n uint64) []byte {
	dst = append(dst, "sqs\x00"...)
	dst = append(dst, msgSpace, kind)
	dst = binary.BigEndian.AppendUint64(dst, qid)
	return binary.BigEndian.AppendUint64(dst, n)
}

// putKeyed adds a write of a message record to b: kv holds its key
// (msgKeyLen bytes) followed by its value, one allocation for both.
func putKeyed(b *store.Batch, kv []byte) {
	b.Put(kv[:msgKeyLen:msgKeyLen], kv[msgKeyLen:])
}

// parseMsgKey splits a message key; ok is false for any other key.
func parseMsgKey(key []byte) (kind byte, qid, n uint64, ok bool) {
	if len(key) != msgKeyLen || key[4] != msgSpace {
		return 0, 0, 0, false
	}
	return key[5], binary.BigEndian.Uint64(key[6:]), binary.BigEndian.Uint64(key[14:]), true
}

// queueRecord is a queue's record.
type queueRecord struct {
	Name     string            `json:"name"`
	Account  string            `json:"account"`
	Region   string            `json:"region"`
	ID       uint64            `json:"id"` // the qid in its message keys
	FIFO     bool              `json:"fifo"`
	Created  int64             `json:"created"`  // Unix ms
	Modified int64             `json:"modified"` // Unix ms
	Attrs    map[string]string `json:"attrs"`
	Tags     map[string]string `json:"tags,omitempty"`
}

// recordLocked encodes q's record into a batch.
func (q *queue) recordLocked() (*store.Batch, error) {
	v, err := json.Marshal(queueRecord{
		Name: q.key.name, Account: q.key.account, Region: q.key.region, ID: q.id, FIFO: q.fifo,
		Created: q.created.UnixMilli(), Modified: q.mu.modified.UnixMilli(),
		Attrs: q.mu.attrs, Tags: q.mu.tags,
	})
	if err != nil {
		return nil, fmt.Errorf("sqs: encoding queue %q: %w", q.key.name, err)
	}
	var b store.Batch
	b.Put(queueRecordKey(q.key), v)
	return &b, nil
}

// putBody adds m's body record, in the queue qid, to b.
func putBody(b *store.Batch, qid uint64, m *body) {
	kv := make([]byte, 0, msgKeyLen+bodySize(m))
	putKeyed(b, appendBody(appendMsgKey(kv, kindBody, qid, m.Key), m))
}

// putStatus adds the state record of message n to b.
func putStatus(b *store.Batch, qid, n uint64, st msgStatus) {
	kv := make([]byte, 0, msgKeyLen+statusSize(st))
	putKeyed(b, appendStatus(appendMsgKey(kv, kindStatus, qid, n), st))
}

// putDedup adds the deduplication record of key (written by the send of
// message e.n, in the same batch) to b. It outlives the message: it is
// deleted when its window has passed (pruneDedupLocked, or load).
func putDedup(b *store.Batch, qid uint64, key string, e dedupEntry) {
	b.Put(dedupKey(qid, e.n), encodeDedup(key, e))
}

// deleteMessage adds the deletion of both of message n's records to b.
func deleteMessage(b *store.Batch, qid, n uint64) {
	keys := make([]byte, 0, 2*msgKeyLen) // both keys, one allocation
	keys = appendMsgKey(keys, kindBody, qid, n)
	keys = appendMsgKey(keys, kindStatus, qid, n)
	b.Delete(keys[:msgKeyLen:msgKeyLen])
	b.Delete(keys[msgKeyLen:])
}

// apply writes b durably, wrapping the error with what failed.
func (s *Service) apply(ctx context.Context, b *store.Batch) error {
	if b == nil || b.Len() == 0 {
		return nil
	}
	if err := s.env.Store.Apply(ctx, b); err != nil {
		return fmt.Errorf("sqs: writing records: %w", err)
	}
	return nil
}

// dropExpired deletes the records of messages retention removed. Retention
// is a pure function of a message's sent time, so if this write is lost the
// messages are dropped again when loaded.
func (s *Service) dropExpired(q *queue, ms []*message) {
	var b store.Batch
	for _, m := range ms {
		deleteMessage(&b, q.id, m.b.Key)
	}
	if err := s.apply(context.Background(), &b); err != nil && s.env.Logger != nil {
		s.env.Logger.Warn("sqs: deleting expired messages", "queue", q.arn, "err", err)
	}
}

// loadedDedup is a deduplication record read by load.
type loadedDedup struct {
	key string
	e   dedupEntry
}

// load reads every queue and message back from the store.
func (s *Service) load(ctx context.Context) error {
	type loaded struct {
		rec    *queueRecord
		bodies map[uint64]*body
		status map[uint64]msgStatus
		dedups map[uint64]loadedDedup
	}
	all := map[queueKey]*loaded{}
	byID := map[uint64]*loaded{}
	get := func(qid uint64) *loaded {
		l := byID[qid]
		if l == nil {
			l = &loaded{bodies: map[uint64]*body{}, status: map[uint64]msgStatus{}, dedups: map[uint64]loadedDedup{}}
			byID[qid] = l
		}
		return l
	}
	var maxID, maxKey uint64
	prefix := store.KeyPrefix("sqs")
	err := s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(key, v []byte) error {
		if kind, qid, n, ok := parseMsgKey(key); ok {
			maxID, maxKey = max(maxID, qid), max(maxKey, n)
			switch kind {
			case kindBody:
				m, err := decodeBody(v)
				if err != nil {
					return fmt.Errorf("decoding message record %d/%d: %w", qid, n, err)
				}
				m.Key = n
				get(qid).bodies[n] = m
			case kindStatus:
				st, err := decodeStatus(v)
				if err != nil {
					return fmt.Errorf("decoding message state %d/%d: %w", qid, n, err)
				}
				get(qid).status[n] = st
			case kindDedup:
				k, e, err := decodeDedup(v)
				if err != nil {
					return fmt.Errorf("decoding deduplication record %d/%d: %w", qid, n, err)
				}
				e.n = n
				get(qid).dedups[n] = loadedDedup{k, e}
			}
			return nil
		}
		parts := bytes.Split(key, []byte{0})
		if len(parts) != 5 || string(parts[3]) != kindQueue {
			return nil
		}
		k := queueKey{string(parts[1]), string(parts[2]), string(parts[4])}
		var r queueRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decoding queue record %q: %w", k.name, err)
		}
		maxID = max(maxID, r.ID)
		l := get(r.ID)
		l.rec = &r
		all[k] = l
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading records: %w", err)
	}
	// Ids are never reused while records with them may remain: a send that
	// raced its queue's deletion can leave an orphan, dropped below.
	s.nextQueueID.Store(maxID)
	s.nextMsgKey.Store(maxKey)
	now := s.now()
	var orphans store.Batch
	for qid, l := range byID {
		if l.rec == nil {
			// Messages of a queue deleted while a send to it was being
			// written (lifecycle.go): drop them.
			for n := range l.bodies {
				deleteMessage(&orphans, qid, n)
			}
			for n := range l.status {
				orphans.Delete(statusKey(qid, n))
			}
			for n := range l.dedups {
				orphans.Delete(dedupKey(qid, n))
			}
		}
	}
	for k, l := range all {
		q := newQueue(s, k, l.rec.ID, l.rec.FIFO, time.UnixMilli(l.rec.Created))
		q.mu.attrs = l.rec.Attrs
		q.mu.cfg = parseConfig(l.rec.Attrs)
		q.mu.modified = time.UnixMilli(l.rec.Modified)
		if l.rec.Tags != nil {
			q.mu.tags = l.rec.Tags
		}
		ordered := make([]*body, 0, len(l.bodies))
		for _, b := range l.bodies {
			ordered = append(ordered, b)
		}
		sort.Slice(ordered, func(i, j int) bool {
			a, b := ordered[i], ordered[j]
			if a.SentAt != b.SentAt {
				return a.SentAt < b.SentAt
			}
			if a.Seq != b.Seq {
				return a.Seq < b.Seq
			}
			return a.ID < b.ID
		})
		q.mu.Lock()
		for _, b := range ordered {
			m := &message{b: b, status: msgStatus{VisibleAt: b.VisibleAt}}
			if st, ok := l.status[b.Key]; ok {
				m.status = st
			}
			if q.fifo && b.Seq > q.mu.lastSeq {
				q.mu.lastSeq = b.Seq
			}
			q.insertLocked(m, now)
			if q.fifo && b.DedupID != "" {
				// Messages written before deduplication records existed.
				if exp := time.UnixMilli(b.SentAt).Add(dedupWindow); exp.After(now) {
					q.rememberDedupLocked(q.dedupKeyLocked(b.GroupID, b.DedupID), dedupEntry{expires: exp, id: b.ID, seq: b.Seq})
				}
			}
		}
		// Deduplication records outlive their messages (a deleted message's
		// id still deduplicates for 5 minutes); expired ones are deleted.
		for n, d := range l.dedups {
			if !q.fifo || !d.e.expires.After(now) {
				orphans.Delete(dedupKey(q.id, n))
				continue
			}
			if d.e.seq > q.mu.lastSeq {
				q.mu.lastSeq = d.e.seq
			}
			q.rememberDedupLocked(d.key, d.e)
		}
		for n := range l.status {
			if _, ok := l.bodies[n]; !ok {
				orphans.Delete(statusKey(q.id, n))
			}
		}
		expired := q.advanceLocked(now)
		q.mu.Unlock()
		for _, m := range expired {
			deleteMessage(&orphans, q.id, m.b.Key)
		}
		s.mu.queues[k] = q
	}
	// Sort out FIFO dedup order (insertion above was in map order).
	for _, q := range s.mu.queues {
		if q.fifo {
			q.mu.Lock()
			sortDedupOrder(q.mu.dedupOrder)
			q.mu.Unlock()
		}
	}
	return s.apply(ctx, &orphans)
}
