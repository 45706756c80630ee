package sqs

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// Record layout. A queue record's key is store.Key parts "sqs", account,
// region, a kind and the queue name; message keys are binary and short,
// because the memtable's skiplist compares every key it inserts against
// ~log n others and a long shared prefix (account, region, name) made that
// the largest single cost of a durable commit:
//
//	sqs|acct|region|q|name           queue record: id, settings, tags, timestamps (queueRecord, JSON)
//	sqs|0x01 'm' qid(8) id(16)       message record: body, attributes, ids, sent time (body); written once
//	sqs|0x01 's' qid(8) id(16)       state record: receive count, first receive, visible-at, token (msgStatus)
//
// qid is the queue's numeric id, big-endian: assigned at creation, stored in
// its queue record, never reused while any record with it may remain (load
// starts numbering above every id it sees, in queue records and message
// keys alike). id is the message id, a UUID, in its 16 bytes; an id that is
// not a canonical lowercase UUID (none is: newMessageID makes them all) would
// be stored as its text, with 0x80 set in the kind byte. The 0x01 after "sqs|" cannot begin an account, so
// message keys and queue records never collide; Reset's scan of "sqs|"
// covers both.
//
// Message and state records are binary (encodeBody, encodeStatus): a version
// byte, then fields as encoding/binary varints and length-prefixed strings.
// They are written on every send and receive, and encoding/json was a
// visible share of the CPU per message.
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

	// msgSpace follows "sqs|" in every message key.
	msgSpace = 0x01
	// msgKeyHead is the length of a message key before the message id.
	msgKeyHead = 4 + 1 + 1 + 8
)

func queueRecordKey(k queueKey) []byte {
	return store.Key("sqs", k.account, k.region, kindQueue, k.name)
}
func bodyKey(qid uint64, id string) []byte   { return msgKey(kindBody, qid, id) }
func statusKey(qid uint64, id string) []byte { return msgKey(kindStatus, qid, id) }

func msgKey(kind byte, qid uint64, id string) []byte {
	k := make([]byte, msgKeyHead, msgKeyHead+len(id))
	copy(k, "sqs\x00")
	k[4], k[5] = msgSpace, kind
	binary.BigEndian.PutUint64(k[6:], qid)
	if u, ok := parseUUID(id); ok {
		return append(k, u[:]...)
	}
	k[5] = kind | textID
	return append(k, id...)
}

// textID marks (in the kind byte) a key whose message id is stored as text.
const textID = 0x80

// parseMsgKey splits a message key; ok is false for any other key.
func parseMsgKey(key []byte) (kind byte, qid uint64, id string, ok bool) {
	if len(key) <= msgKeyHead || key[4] != msgSpace {
		return 0, 0, "", false
	}
	kind, raw := key[5], key[msgKeyHead:]
	switch {
	case kind&textID != 0:
		kind, id = kind&^textID, string(raw)
	case len(raw) == 16:
		id = formatUUID((*[16]byte)(raw))
	default:
		return 0, 0, "", false
	}
	return kind, binary.BigEndian.Uint64(key[6:]), id, true
}

// parseUUID parses a canonical lowercase UUID (newMessageID's form); ok is
// false for anything else, including uppercase, so formatUUID(u) == s.
func parseUUID(s string) (u [16]byte, ok bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	j := 0
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i++
			continue
		}
		hi, lo := unhex(s[i]), unhex(s[i+1])
		if hi > 15 || lo > 15 {
			return u, false
		}
		u[j] = hi<<4 | lo
		j++
		i += 2
	}
	return u, true
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return 255
}

func formatUUID(u *[16]byte) string {
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:], u[10:])
	return string(buf[:])
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

// putBody adds m's body record to the queue qid's records in b.
func putBody(b *store.Batch, qid uint64, m *body) {
	b.Put(bodyKey(qid, m.ID), encodeBody(m))
}

// putStatus adds m's state record to b.
func putStatus(b *store.Batch, qid uint64, id string, st msgStatus) {
	b.Put(statusKey(qid, id), encodeStatus(st))
}

// deleteMessage adds the deletion of both of a message's records to b.
func deleteMessage(b *store.Batch, qid uint64, id string) {
	b.Delete(bodyKey(qid, id))
	b.Delete(statusKey(qid, id))
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
		deleteMessage(&b, q.id, m.b.ID)
	}
	if err := s.apply(context.Background(), &b); err != nil && s.env.Logger != nil {
		s.env.Logger.Warn("sqs: deleting expired messages", "queue", q.arn, "err", err)
	}
}

// load reads every queue and message back from the store.
func (s *Service) load(ctx context.Context) error {
	type loaded struct {
		rec    *queueRecord
		bodies map[string]*body
		status map[string]msgStatus
	}
	all := map[queueKey]*loaded{}
	byID := map[uint64]*loaded{}
	get := func(qid uint64) *loaded {
		l := byID[qid]
		if l == nil {
			l = &loaded{bodies: map[string]*body{}, status: map[string]msgStatus{}}
			byID[qid] = l
		}
		return l
	}
	var maxID uint64
	prefix := store.KeyPrefix("sqs")
	err := s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(key, v []byte) error {
		if kind, qid, id, ok := parseMsgKey(key); ok {
			maxID = max(maxID, qid)
			switch kind {
			case kindBody:
				m, err := decodeBody(v)
				if err != nil {
					return fmt.Errorf("decoding message record %s: %w", id, err)
				}
				get(qid).bodies[m.ID] = m
			case kindStatus:
				st, err := decodeStatus(v)
				if err != nil {
					return fmt.Errorf("decoding message state %s: %w", id, err)
				}
				get(qid).status[id] = st
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
	now := s.now()
	var orphans store.Batch
	for qid, l := range byID {
		if l.rec == nil {
			// Messages of a queue deleted while a send to it was being
			// written (lifecycle.go): drop them.
			for id := range l.bodies {
				deleteMessage(&orphans, qid, id)
			}
			for id := range l.status {
				orphans.Delete(statusKey(qid, id))
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
			id := b.ID
			m := &message{b: b, status: msgStatus{VisibleAt: b.VisibleAt}}
			if st, ok := l.status[id]; ok {
				m.status = st
			}
			if q.fifo && b.Seq > q.mu.lastSeq {
				q.mu.lastSeq = b.Seq
			}
			q.insertLocked(m, now)
			if q.fifo && b.DedupID != "" {
				if exp := time.UnixMilli(b.SentAt).Add(dedupWindow); exp.After(now) {
					q.rememberDedupLocked(q.dedupKeyLocked(b.GroupID, b.DedupID), dedupEntry{exp, b.ID, b.Seq})
				}
			}
		}
		for id := range l.status {
			if _, ok := l.bodies[id]; !ok {
				orphans.Delete(statusKey(q.id, id))
			}
		}
		expired := q.advanceLocked(now)
		q.mu.Unlock()
		for _, m := range expired {
			deleteMessage(&orphans, q.id, m.b.ID)
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
