package sqs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// Record layout. Every key starts "sqs", account, region (store.Key parts),
// then a kind and the queue name:
//
//	sqs|acct|region|q|name        queue record: settings, tags, timestamps (queueRecord)
//	sqs|acct|region|m|name|id     message record: body, attributes, ids, sent time (body); written once
//	sqs|acct|region|s|name|id     state record: receive count, first receive, visible-at, token (msgStatus)
//
// A message's body record is written once, by its send (or by the
// dead-letter move that brings it into a queue); a receive or visibility
// change writes only the small state record, so a 1 MiB body is never
// rewritten. A message without a state record was never received and becomes
// visible at body.VisibleAt. Deleting a message deletes both.

const (
	kindQueue  = "q"
	kindBody   = "m"
	kindStatus = "s"
)

func queueRecordKey(k queueKey) []byte {
	return store.Key("sqs", k.account, k.region, kindQueue, k.name)
}
func bodyKey(k queueKey, id string) []byte {
	return store.Key("sqs", k.account, k.region, kindBody, k.name, id)
}
func statusKey(k queueKey, id string) []byte {
	return store.Key("sqs", k.account, k.region, kindStatus, k.name, id)
}

// queueRecord is a queue's record.
type queueRecord struct {
	Name     string            `json:"name"`
	Account  string            `json:"account"`
	Region   string            `json:"region"`
	FIFO     bool              `json:"fifo"`
	Created  int64             `json:"created"`  // Unix ms
	Modified int64             `json:"modified"` // Unix ms
	Attrs    map[string]string `json:"attrs"`
	Tags     map[string]string `json:"tags,omitempty"`
}

// recordLocked encodes q's record into a batch.
func (q *queue) recordLocked() (*store.Batch, error) {
	v, err := json.Marshal(queueRecord{
		Name: q.key.name, Account: q.key.account, Region: q.key.region, FIFO: q.fifo,
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

// putBody adds m's body record to b.
func putBody(b *store.Batch, k queueKey, m *body) error {
	v, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("sqs: encoding message %s: %w", m.ID, err)
	}
	b.Put(bodyKey(k, m.ID), v)
	return nil
}

// putStatus adds m's state record to b.
func putStatus(b *store.Batch, k queueKey, id string, st msgStatus) {
	v, _ := json.Marshal(st) // a struct of numbers and a string cannot fail
	b.Put(statusKey(k, id), v)
}

// deleteMessage adds the deletion of both of a message's records to b.
func deleteMessage(b *store.Batch, k queueKey, id string) {
	b.Delete(bodyKey(k, id))
	b.Delete(statusKey(k, id))
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
		deleteMessage(&b, q.key, m.b.ID)
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
	get := func(k queueKey) *loaded {
		l := all[k]
		if l == nil {
			l = &loaded{bodies: map[string]*body{}, status: map[string]msgStatus{}}
			all[k] = l
		}
		return l
	}
	prefix := store.KeyPrefix("sqs")
	err := s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(key, v []byte) error {
		parts := bytes.Split(key, []byte{0})
		if len(parts) < 5 {
			return nil
		}
		k := queueKey{string(parts[1]), string(parts[2]), string(parts[4])}
		switch string(parts[3]) {
		case kindQueue:
			var r queueRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decoding queue record %q: %w", k.name, err)
			}
			get(k).rec = &r
		case kindBody:
			var m body
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("decoding message record in %q: %w", k.name, err)
			}
			get(k).bodies[m.ID] = &m
		case kindStatus:
			if len(parts) < 6 {
				return nil
			}
			var st msgStatus
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("decoding message state in %q: %w", k.name, err)
			}
			get(k).status[string(parts[5])] = st
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading records: %w", err)
	}
	now := s.now()
	var orphans store.Batch
	for k, l := range all {
		if l.rec == nil {
			// Messages of a queue whose delete was applied only in part
			// cannot happen (one batch); be safe and drop them.
			for id := range l.bodies {
				deleteMessage(&orphans, k, id)
			}
			continue
		}
		q := newQueue(s, k, l.rec.FIFO, time.UnixMilli(l.rec.Created))
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
				orphans.Delete(statusKey(k, id))
			}
		}
		expired := q.advanceLocked(now)
		q.mu.Unlock()
		for _, m := range expired {
			deleteMessage(&orphans, k, m.b.ID)
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
