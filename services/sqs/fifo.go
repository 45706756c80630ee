package sqs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"
)

// FIFO queues (names ending in .fifo) deliver the messages of one
// MessageGroupId in order: a message is receivable only if no earlier
// message of its group is in flight (or delayed), so a group's receivable
// messages are the ready run at its head, from its first message up to, not
// including, the first that is not ready. A consumer that fails and lets a
// message's visibility expire (or sets it to 0) gets that same message back
// first, even while later messages of the group it received with it are
// still in flight (as AWS: LocalStack's AWS-validated
// test_fifo_message_group_visibility_after_terminate_visibility_timeout and
// the recorded test_fifo_group_visibility_extends_with_change_message_visibility).
// Groups are independent of each other.
//
// Deduplication: a send whose deduplication id (explicit, or the SHA-256 of
// the body with ContentBasedDeduplication) was seen in the last 5 minutes is
// accepted but not enqueued, and answers with the first message's id and
// sequence number. DeduplicationScope "messageGroup" scopes ids per group;
// ids remembered under the queue scope still hold for every group after a
// switch to messageGroup, until their window passes (as AWS).
// Each remembered id has a small durable record (records.go), written in the
// same Apply as its message, so the window survives a restart even after
// the message is deleted; records whose window has passed are deleted
// lazily, with a later send or at load.
//
// ReceiveRequestAttemptId: a receive retried with the same attempt id within
// 5 minutes gets the same messages and receipt handles, as long as they are
// all still in flight under those handles; otherwise it is a new receive.

// dedupWindow is how long a deduplication id is remembered.
const dedupWindow = 5 * time.Minute

// attemptWindow is how long a ReceiveRequestAttemptId is remembered.
const attemptWindow = 5 * time.Minute

// group is a FIFO message group: its messages in sequence order and how
// many of them are in flight.
//
// A group is available when its first message is ready and no send to it is
// pending (messages in flight after the head do not matter: they come later
// in the group); available groups are linked in the queue's avail list
// (in the order they became available), so a receive finds receivable
// messages in time proportional to what it returns, however many groups
// are locked or waiting. refreshGroupLocked keeps the list true and is called
// after every change to a group's messages or their states.
type group struct {
	id       string
	msgs     []*message
	inflight int
	// pending counts sends to the group that have their sequence number
	// but are not durable yet. The group yields nothing until they land, so
	// a message is never delivered before one with a lower sequence number
	// that a concurrent send is still writing.
	pending int
	// inAvail says whether the group is in the avail list; avail links it.
	inAvail bool
	avail   links[group]
}

// newAvailList returns the list of a FIFO queue's available groups, in the
// order they became available.
func newAvailList() list[group] {
	return list[group]{at: func(g *group) *links[group] { return &g.avail }}
}

// groupAvailable says whether g's head is receivable: its first message is
// ready and no send to it is pending.
func groupAvailable(g *group) bool {
	return g.pending == 0 && len(g.msgs) > 0 && g.msgs[0].state == stateReady
}

// refreshGroupLocked puts g into or out of the avail list; a group that
// becomes available wakes the long pollers (its head may have become ready,
// or an in-flight head may have been deleted before a ready message).
func (q *queue) refreshGroupLocked(g *group) {
	if g == nil {
		return
	}
	avail := groupAvailable(g)
	switch {
	case avail && !g.inAvail:
		q.mu.avail.pushBack(g)
		g.inAvail = true
		q.signalLocked()
	case !avail && g.inAvail:
		q.mu.avail.remove(g)
		g.inAvail = false
	}
}

type dedupEntry struct {
	expires time.Time
	id      string
	seq     uint64
	n       uint64 // the record number of its message and deduplication record
}

type dedupKeyAt struct {
	key     string
	expires time.Time
}

// attempt is the result of a receive made with a ReceiveRequestAttemptId.
type attempt struct {
	expires time.Time
	ids     []string
	tokens  []string
}

// groupLocked returns the group id, creating it if needed.
func (q *queue) groupLocked(id string) *group {
	g := q.mu.groups[id]
	if g == nil {
		g = &group{id: id}
		q.mu.groups[id] = g
	}
	return g
}

// beginSendLocked marks a send to group id as pending (see group.pending).
func (q *queue) beginSendLocked(id string) {
	g := q.groupLocked(id)
	g.pending++
	q.refreshGroupLocked(g)
}

// endSendLocked ends a pending send to group id, inserted or failed.
func (q *queue) endSendLocked(id string) {
	g := q.mu.groups[id]
	if g == nil {
		return
	}
	g.pending--
	if len(g.msgs) == 0 && g.pending == 0 {
		delete(q.mu.groups, id)
	}
	q.refreshGroupLocked(g)
	if g.inAvail {
		q.signalLocked()
	}
}

func (q *queue) groupInsertLocked(m *message) {
	g := q.groupLocked(m.b.GroupID)
	m.grp = g
	// Sends to a group are durable in nearly the order their sequence
	// numbers were assigned; insert by sequence so delivery follows it.
	i := len(g.msgs)
	for i > 0 && g.msgs[i-1].b.Seq > m.b.Seq {
		i--
	}
	g.msgs = append(g.msgs, nil)
	copy(g.msgs[i+1:], g.msgs[i:])
	g.msgs[i] = m
}

// groupRemoveLocked takes m out of its group; the group goes when empty.
// Removing the head (the usual delete) is O(1).
func (q *queue) groupRemoveLocked(m *message) {
	g := m.grp
	if len(g.msgs) > 0 && g.msgs[0] == m {
		g.msgs[0] = nil
		g.msgs = g.msgs[1:]
	} else {
		for i, x := range g.msgs {
			if x == m {
				g.msgs = append(g.msgs[:i], g.msgs[i+1:]...)
				break
			}
		}
	}
	m.grp = nil
	if len(g.msgs) == 0 {
		g.msgs = nil
		if g.pending == 0 {
			delete(q.mu.groups, g.id)
		}
	}
	q.refreshGroupLocked(g)
}

// pickFIFOLocked chooses up to max ready messages: from each available
// group in turn, the run of ready messages at its head, up to (not
// including) its first message in flight or delayed.
func (q *queue) pickFIFOLocked(max int) []*message {
	var out []*message
	for g := q.mu.avail.head; g != nil && len(out) < max; g = g.avail.next {
		for _, m := range g.msgs {
			if m.state != stateReady || len(out) == max {
				break
			}
			out = append(out, m)
		}
	}
	return out
}

// nextSeqLocked returns a sequence number larger than any before in the
// queue. It follows the clock so numbers grow across restarts too.
func (q *queue) nextSeqLocked(now time.Time) uint64 {
	s := uint64(now.UnixMilli()) * 1000
	if s <= q.mu.lastSeq {
		s = q.mu.lastSeq + 1
	}
	q.mu.lastSeq = s
	return s
}

// formatSeq renders a sequence number with AWS's 20 digits.
func formatSeq(seq uint64) string { return fmt.Sprintf("1%019d", seq) }

// dedupKey is the key a deduplication id is remembered under.
func (q *queue) dedupKeyLocked(groupID, dedupID string) string {
	if q.mu.cfg.dedupScope == "messageGroup" {
		return groupID + "\x00" + dedupID
	}
	return dedupID
}

// contentDedupID is the deduplication id ContentBasedDeduplication derives.
func contentDedupID(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// lookupDedupLocked returns the entry of a deduplication key seen within the
// window.
func (q *queue) lookupDedupLocked(key string, now time.Time) (dedupEntry, bool) {
	q.pruneDedupLocked(now)
	e, ok := q.mu.dedup[key]
	return e, ok && e.expires.After(now)
}

// lookupDedupAnyScopeLocked looks key up and, under DeduplicationScope
// messageGroup, also the bare dedupID: an id deduplicated while the scope was
// queue keeps deduplicating sends to every group for the rest of its 5
// minutes after a switch to messageGroup (recorded:
// test_fifo_change_to_high_throughput_after_creation, where AWS delivered
// neither resend). Bare ids contain no NUL (validFIFOID), so they never
// collide with messageGroup keys.
func (q *queue) lookupDedupAnyScopeLocked(key, dedupID string, now time.Time) (dedupEntry, bool) {
	if e, ok := q.lookupDedupLocked(key, now); ok {
		return e, true
	}
	if key != dedupID {
		return q.lookupDedupLocked(dedupID, now)
	}
	return dedupEntry{}, false
}

func (q *queue) rememberDedupLocked(key string, e dedupEntry) {
	q.mu.dedup[key] = e
	q.mu.dedupOrder = append(q.mu.dedupOrder, dedupKeyAt{key, e.expires})
}

// forgetDedupLocked undoes rememberDedupLocked for a send that failed.
func (q *queue) forgetDedupLocked(key, id string) {
	if e, ok := q.mu.dedup[key]; ok && e.id == id {
		delete(q.mu.dedup, key)
	}
}

// pruneDedupLocked forgets ids whose window has passed. dedupOrder is in
// expiry order; it is consumed from dedupHead and compacted only when more
// than half of it is consumed, so each send costs O(1) amortized.
func (q *queue) pruneDedupLocked(now time.Time) {
	o := q.mu.dedupOrder
	i := q.mu.dedupHead
	for ; i < len(o) && !o[i].expires.After(now); i++ {
		if e, ok := q.mu.dedup[o[i].key]; ok && !e.expires.After(now) {
			delete(q.mu.dedup, o[i].key)
			if e.n != 0 {
				q.mu.dedupGone = append(q.mu.dedupGone, e.n)
			}
		}
		o[i] = dedupKeyAt{}
	}
	q.mu.dedupHead = i
	if i > 64 && i > len(o)/2 {
		q.mu.dedupOrder = append(make([]dedupKeyAt, 0, len(o)-i+16), o[i:]...)
		q.mu.dedupHead = 0
	}
}

// pruneAttemptsLocked forgets attempts whose window has passed, oldest
// first (attemptOrder is in expiry order), amortized O(1) per receive like
// pruneDedupLocked: SDKs that set an attempt id on every receive would
// otherwise make every operation scan them all.
func (q *queue) pruneAttemptsLocked(now time.Time) {
	o := q.mu.attemptOrder
	i := q.mu.attemptHead
	for ; i < len(o) && !o[i].expires.After(now); i++ {
		if a, ok := q.mu.attempts[o[i].key]; ok && !a.expires.After(now) {
			delete(q.mu.attempts, o[i].key)
		}
		o[i] = dedupKeyAt{}
	}
	q.mu.attemptHead = i
	if i > 64 && i > len(o)/2 {
		q.mu.attemptOrder = append(make([]dedupKeyAt, 0, len(o)-i+16), o[i:]...)
		q.mu.attemptHead = 0
	}
}

// rememberAttemptLocked records the result of a receive made with an
// attempt id.
func (q *queue) rememberAttemptLocked(id string, a *attempt) {
	q.mu.attempts[id] = a
	q.mu.attemptOrder = append(q.mu.attemptOrder, dedupKeyAt{id, a.expires})
}

// replayAttemptLocked returns the messages of an earlier receive with the
// same attempt id if every one is still in flight under the same token.
func (q *queue) replayAttemptLocked(id string, now time.Time) ([]*message, bool) {
	a := q.mu.attempts[id]
	if a == nil || !a.expires.After(now) {
		return nil, false
	}
	out := make([]*message, 0, len(a.ids))
	for i, mid := range a.ids {
		m := q.mu.msgs[mid]
		if m == nil || m.state != stateInflight || m.status.Token != a.tokens[i] {
			delete(q.mu.attempts, id)
			return nil, false
		}
		out = append(out, m)
	}
	return out, true
}

// validFIFOID reports whether s is a valid MessageGroupId or
// MessageDeduplicationId: 1 to 128 alphanumeric or punctuation characters.
func validFIFOID(s string) bool {
	if len(s) < 1 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// sortDedupOrder orders remembered deduplication keys by expiry, as
// pruneDedupLocked expects.
func sortDedupOrder(o []dedupKeyAt) {
	sort.Slice(o, func(i, j int) bool { return o[i].expires.Before(o[j].expires) })
}
