package sqs

import (
	"fmt"
	"time"

	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// msgState is where a message is in its life; see the invariant at the top
// of receive.go.
type msgState uint8

const (
	stateReady    msgState = iota + 1 // in the queue's ready list
	stateDelayed                      // in the not-ready heap, never received, waiting out DelaySeconds
	stateInflight                     // in the not-ready heap, received, waiting out its visibility timeout
)

func (st msgState) String() string {
	switch st {
	case stateReady:
		return "ready"
	case stateDelayed:
		return "delayed"
	case stateInflight:
		return "inflight"
	}
	return "gone"
}

// body is the immutable part of a message: written once (the message record)
// when the message is sent, never rewritten on receive.
type body struct {
	// Key numbers the message's records in its queue (records.go): not
	// part of the record itself, and new in each queue the message is in.
	Key uint64 `json:"-"`

	ID          string                                   `json:"id"`
	Body        string                                   `json:"body"`
	Attrs       map[string]*sqsapi.MessageAttributeValue `json:"attrs,omitempty"`
	TraceHeader string                                   `json:"trace,omitempty"`
	SentAt      int64                                    `json:"sent"` // Unix ms
	SenderID    string                                   `json:"sender"`
	GroupID     string                                   `json:"group,omitempty"`
	DedupID     string                                   `json:"dedup,omitempty"`
	Seq         uint64                                   `json:"seq,omitempty"` // FIFO only
	DLQSource   string                                   `json:"dlqSource,omitempty"`
	// VisibleAt is when the message first becomes receivable (SentAt plus its
	// delay), Unix ms; the state record overrides it once there is one.
	VisibleAt int64 `json:"visible"`
	// MD5s are computed once at send.
	MD5Body  string `json:"md5"`
	MD5Attrs string `json:"md5Attrs,omitempty"`
	MD5Sys   string `json:"md5Sys,omitempty"`
}

// msgStatus is the mutable part of a message, the state record: what a
// receive or a visibility change writes.
type msgStatus struct {
	ReceiveCount int    `json:"rc"`
	FirstReceive int64  `json:"first,omitempty"` // Unix ms
	VisibleAt    int64  `json:"vis"`             // Unix ms
	Token        string `json:"tok,omitempty"`   // current receipt token
}

// message is a message in a queue. b never changes; everything else is
// guarded by the owning queue's mu.
type message struct {
	b *body

	state  msgState
	status msgStatus
	// deadline is status.VisibleAt as a time, the not-ready heap's key.
	deadline time.Time
	// heapIdx is the index in the queue's not-ready heap, -1 when not there.
	heapIdx int
	// expIdx is where the message is in the queue's retention index: an
	// index of its heap, inExpiryList, or -1 when not there.
	expIdx int
	// ready links the queue's ready list; exp the retention index's list.
	ready, exp links[message]
	// grp is the FIFO group the message belongs to (nil on standard queues).
	grp *group
}

func (m *message) sentAt() time.Time { return time.UnixMilli(m.b.SentAt) }

// newReadyList returns the list of a queue's ready messages, in the order
// they became ready.
func newReadyList() list[message] {
	return list[message]{at: func(m *message) *links[message] { return &m.ready }}
}

// msgHeap is a min-heap of messages with each message's index kept current
// (through idx), so a message can be removed or re-keyed in O(log n).
type msgHeap struct {
	items []*message
	less  func(a, b *message) bool
	idx   func(m *message) *int
}

func newDeadlineHeap() msgHeap {
	return msgHeap{
		less: func(a, b *message) bool { return a.deadline.Before(b.deadline) },
		idx:  func(m *message) *int { return &m.heapIdx },
	}
}

// expiryIndex holds every message of a queue, oldest SentAt first, for
// retention: peek finds the message to expire next.
//
// Messages nearly always arrive in SentAt order (a send is stamped with the
// service clock, which never goes back, and a restart inserts them in key
// order, which is send order), so they are kept in a linked list appended
// at the tail, and deleting one — what every DeleteMessage does — is O(1).
// A heap would be O(log n) there, each step loading messages scattered
// over memory: on a queue of 100,000 messages that was a quarter of the
// CPU of DeleteMessageBatch. The few that arrive older than the list's tail
// (a dead-letter move keeps the original SentAt, as AWS does) go to a heap
// beside it, and peek takes the older of the two minima.
type expiryIndex struct {
	list list[message]
	heap msgHeap
}

// inExpiryList is message.expIdx for a message in the index's list.
const inExpiryList = -2

func newExpiryIndex() expiryIndex {
	return expiryIndex{
		list: list[message]{at: func(m *message) *links[message] { return &m.exp }},
		heap: newExpiryHeap(),
	}
}

func (x *expiryIndex) len() int { return x.list.n + x.heap.len() }

func (x *expiryIndex) push(m *message) {
	if t := x.list.tail; t != nil && m.b.SentAt < t.b.SentAt {
		x.heap.push(m)
		return
	}
	m.expIdx = inExpiryList
	x.list.pushBack(m)
}

func (x *expiryIndex) remove(m *message) {
	if m.expIdx != inExpiryList {
		x.heap.remove(m) // a no-op for a message not in the index
		return
	}
	x.list.remove(m)
	m.expIdx = -1
}

// peek returns the message with the oldest SentAt, nil if there is none.
func (x *expiryIndex) peek() *message {
	h, l := x.heap.peek(), x.list.head
	if l == nil || (h != nil && h.b.SentAt < l.b.SentAt) {
		return h
	}
	return l
}

// check verifies the index's links, its list's order and every message's
// expIdx, for checkLocked and tests.
func (x *expiryIndex) check() error {
	n := 0
	var prev *message
	for m := x.list.head; m != nil; prev, m = m, m.exp.next {
		switch {
		case m.expIdx != inExpiryList:
			return fmt.Errorf("message %s in the retention list has index %d", m.b.ID, m.expIdx)
		case m.exp.prev != prev:
			return fmt.Errorf("message %s in the retention list is linked back to the wrong message", m.b.ID)
		case prev != nil && m.b.SentAt < prev.b.SentAt:
			return fmt.Errorf("retention list out of order at message %s", m.b.ID)
		}
		n++
	}
	if prev != x.list.tail || n != x.list.n {
		return fmt.Errorf("retention list has %d messages ending at %p, recorded %d ending at %p", n, prev, x.list.n, x.list.tail)
	}
	for i, m := range x.heap.items {
		if m.expIdx != i {
			return fmt.Errorf("message %s has retention heap index %d at %d", m.b.ID, m.expIdx, i)
		}
	}
	return nil
}

// newExpiryHeap orders by SentAt: retention is the same for every message of
// a queue, so the oldest message always expires first, whatever the
// retention period is changed to.
func newExpiryHeap() msgHeap {
	return msgHeap{
		less: func(a, b *message) bool { return a.b.SentAt < b.b.SentAt },
		idx:  func(m *message) *int { return &m.expIdx },
	}
}

func (h *msgHeap) len() int { return len(h.items) }

func (h *msgHeap) peek() *message {
	if len(h.items) == 0 {
		return nil
	}
	return h.items[0]
}

func (h *msgHeap) push(m *message) {
	*h.idx(m) = len(h.items)
	h.items = append(h.items, m)
	h.up(len(h.items) - 1)
}

func (h *msgHeap) remove(m *message) {
	i := *h.idx(m)
	if i < 0 {
		return
	}
	n := len(h.items) - 1
	if i != n {
		h.swap(i, n)
	}
	h.items[n] = nil
	h.items = h.items[:n]
	if i != n {
		if !h.down(i) {
			h.up(i)
		}
	}
	*h.idx(m) = -1
	if c := cap(h.items); c > 1024 && len(h.items) < c/4 {
		h.items = append(make([]*message, 0, c/2), h.items...)
	}
}

// fix restores heap order after m's key changed.
func (h *msgHeap) fix(m *message) {
	i := *h.idx(m)
	if i < 0 {
		return
	}
	if !h.down(i) {
		h.up(i)
	}
}

func (h *msgHeap) swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	*h.idx(h.items[i]) = i
	*h.idx(h.items[j]) = j
}

func (h *msgHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(h.items[i], h.items[p]) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h *msgHeap) down(i int) bool {
	start, n := i, len(h.items)
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		j := l
		if r := l + 1; r < n && h.less(h.items[r], h.items[l]) {
			j = r
		}
		if !h.less(h.items[j], h.items[i]) {
			break
		}
		h.swap(i, j)
		i = j
	}
	return i > start
}
