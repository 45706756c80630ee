package sqs

import (
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/clock"
)

// Limits AWS enforces per queue.
const (
	maxInflightStandard = 120000
	maxInflightFIFO     = 20000
)

// queue is one queue and its messages. The fields outside mu never change
// after the queue is built.
//
// Invariants (under mu): every message in msgs is in exactly one of ready (state
// ready) or notReady (state delayed or inflight), and in expiry; delayed and
// inflight count the notReady messages by state; on a FIFO queue every message
// is also in its group's list, in sequence order, and a group's inflight
// counts its messages in flight. The timer, when armed, is due at the earliest
// deadline of notReady or expiry, so long pollers wake and retention runs
// without a goroutine per message.
type queue struct {
	svc *Service
	key queueKey
	// id is the queue's number in its message keys (records.go).
	id      uint64
	arn     string
	fifo    bool
	created time.Time
	// inflightLimit is the OverLimit threshold: 120,000 in-flight messages
	// on a standard queue, 20,000 on a FIFO queue (tests lower it).
	inflightLimit int

	mu struct {
		sync.Mutex
		// closed is set when the queue is deleted (or the service stops);
		// operations that looked the queue up before then find nothing.
		closed bool
		// attrs are the settable attributes in their canonical string form,
		// as the queue record stores them; cfg is attrs parsed.
		attrs    map[string]string
		cfg      queueConfig
		tags     map[string]string
		modified time.Time

		msgs     map[string]*message
		ready    list[message] // newReadyList
		notReady msgHeap       // delayed and in-flight messages by deadline
		expiry   expiryIndex   // every message, oldest first
		delayed  int
		inflight int

		// FIFO state (fifo.go).
		groups     map[string]*group
		avail      list[group] // newAvailList
		dedup      map[string]dedupEntry
		dedupOrder []dedupKeyAt
		dedupHead  int // dedupOrder[:dedupHead] is consumed
		// dedupGone lists the deduplication records of expired entries,
		// for the next send to delete.
		dedupGone []uint64
		attempts  map[string]*attempt
		// attemptOrder lists attempt ids in expiry order from attemptHead.
		attemptOrder []dedupKeyAt
		attemptHead  int
		lastSeq      uint64

		lastPurge time.Time

		timer   clock.Timer
		timerAt time.Time
		// wake is closed (and replaced) when a message becomes ready, waking
		// every long poller of this queue at once.
		wake chan struct{}
	}
}

func newQueue(s *Service, k queueKey, id uint64, fifo bool, created time.Time) *queue {
	q := &queue{svc: s, key: k, id: id, fifo: fifo, created: created, arn: queueARN(k), inflightLimit: maxInflightStandard}
	if fifo {
		q.inflightLimit = maxInflightFIFO
	}
	q.mu.msgs = map[string]*message{}
	q.mu.ready = newReadyList()
	q.mu.avail = newAvailList()
	q.mu.notReady = newDeadlineHeap()
	q.mu.expiry = newExpiryIndex()
	q.mu.tags = map[string]string{}
	if fifo {
		q.mu.groups = map[string]*group{}
		q.mu.dedup = map[string]dedupEntry{}
		q.mu.attempts = map[string]*attempt{}
	}
	return q
}

// close stops the queue's timer and wakes its pollers; the queue takes no
// more messages.
func (q *queue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.mu.closed = true
	if q.mu.timer != nil {
		q.mu.timer.Stop()
		q.mu.timer = nil
	}
	q.signalLocked()
}

// insertLocked adds m, whose record is durable, in the state its deadline
// and receive count say.
func (q *queue) insertLocked(m *message, now time.Time) {
	m.heapIdx, m.expIdx = -1, -1
	q.mu.msgs[m.b.ID] = m
	q.mu.expiry.push(m)
	if q.fifo {
		q.groupInsertLocked(m)
	}
	m.deadline = time.UnixMilli(m.status.VisibleAt)
	switch {
	case !m.deadline.After(now):
		q.makeReadyLocked(m)
	case m.status.ReceiveCount > 0:
		m.state = stateInflight
		q.mu.inflight++
		q.mu.notReady.push(m)
		if m.grp != nil {
			m.grp.inflight++
		}
	default:
		m.state = stateDelayed
		q.mu.delayed++
		q.mu.notReady.push(m)
	}
	q.refreshGroupLocked(m.grp)
	q.armLocked(now)
}

func (q *queue) makeReadyLocked(m *message) {
	m.state = stateReady
	q.mu.ready.pushBack(m)
	q.refreshGroupLocked(m.grp)
	q.signalLocked()
}

// takeLocked moves a ready message to in flight until deadline.
func (q *queue) takeLocked(m *message, deadline time.Time) {
	q.mu.ready.remove(m)
	m.state = stateInflight
	m.deadline = deadline
	m.status.VisibleAt = deadline.UnixMilli()
	q.mu.inflight++
	q.mu.notReady.push(m)
	if m.grp != nil {
		m.grp.inflight++
		q.refreshGroupLocked(m.grp)
	}
}

// setDeadlineLocked changes the visibility of an in-flight (or, for a
// standard queue whose handle is still current, ready) message. A deadline
// not after now makes it ready.
func (q *queue) setDeadlineLocked(m *message, deadline, now time.Time) {
	m.status.VisibleAt = deadline.UnixMilli()
	m.deadline = deadline
	switch m.state {
	case stateInflight:
		if !deadline.After(now) {
			q.leaveInflightLocked(m)
			q.mu.notReady.remove(m)
			q.makeReadyLocked(m)
		} else {
			q.mu.notReady.fix(m)
		}
	case stateReady:
		if deadline.After(now) {
			q.mu.ready.remove(m)
			m.state = stateInflight
			q.mu.inflight++
			q.mu.notReady.push(m)
			if m.grp != nil {
				m.grp.inflight++
			}
		}
	}
	q.refreshGroupLocked(m.grp)
	q.armLocked(now)
}

func (q *queue) leaveInflightLocked(m *message) {
	q.mu.inflight--
	if m.grp != nil {
		// Whatever this makes receivable in the group (the message itself
		// ready again, or the next one once this is removed) signals from
		// refreshGroupLocked when the group becomes available.
		m.grp.inflight--
	}
}

// removeLocked takes m out of the queue entirely.
func (q *queue) removeLocked(m *message) {
	switch m.state {
	case stateReady:
		q.mu.ready.remove(m)
	case stateDelayed:
		q.mu.delayed--
		q.mu.notReady.remove(m)
	case stateInflight:
		q.leaveInflightLocked(m)
		q.mu.notReady.remove(m)
	}
	m.state = 0
	q.mu.expiry.remove(m)
	delete(q.mu.msgs, m.b.ID)
	if m.grp != nil {
		q.groupRemoveLocked(m)
	}
}

// advanceLocked brings the queue to now: messages past the retention period
// are removed (and returned, for the caller to delete durably once the lock
// is released), and delayed or in-flight messages whose deadline passed
// become ready. Every operation calls it first, so counts and receives are
// true at every moment even between timer firings.
func (q *queue) advanceLocked(now time.Time) (expired []*message) {
	keep := time.Duration(q.mu.cfg.retention) * time.Second
	for m := q.mu.expiry.peek(); m != nil && !m.sentAt().Add(keep).After(now); m = q.mu.expiry.peek() {
		q.removeLocked(m)
		expired = append(expired, m)
	}
	for m := q.mu.notReady.peek(); m != nil && !m.deadline.After(now); m = q.mu.notReady.peek() {
		q.mu.notReady.remove(m)
		if m.state == stateDelayed {
			q.mu.delayed--
		} else {
			q.leaveInflightLocked(m)
		}
		q.makeReadyLocked(m)
	}
	if q.fifo {
		q.pruneAttemptsLocked(now)
	}
	q.armLocked(now)
	return expired
}

// armLocked keeps the queue's one timer due at its next event.
func (q *queue) armLocked(now time.Time) {
	if q.mu.closed {
		return
	}
	var next time.Time
	if m := q.mu.notReady.peek(); m != nil {
		next = m.deadline
	}
	if m := q.mu.expiry.peek(); m != nil {
		exp := m.sentAt().Add(time.Duration(q.mu.cfg.retention) * time.Second)
		if next.IsZero() || exp.Before(next) {
			next = exp
		}
	}
	if q.mu.timer != nil {
		if !next.IsZero() && q.mu.timerAt.Equal(next) {
			return
		}
		q.mu.timer.Stop()
		q.mu.timer = nil
	}
	if next.IsZero() {
		return
	}
	d := next.Sub(now)
	if d < 0 {
		d = 0
	}
	q.mu.timerAt = next
	q.mu.timer = q.svc.env.Clock.AfterFunc(d, q.onTimer)
}

// onTimer runs when the earliest deadline comes: it promotes and expires,
// then deletes expired messages' records with the lock released.
func (q *queue) onTimer() {
	q.mu.Lock()
	if q.mu.closed {
		q.mu.Unlock()
		return
	}
	q.mu.timer = nil
	expired := q.advanceLocked(q.svc.now())
	q.mu.Unlock()
	if len(expired) > 0 {
		q.svc.dropExpired(q, expired)
	}
}

// signalLocked wakes every long poller waiting on the queue.
func (q *queue) signalLocked() {
	if q.mu.wake != nil {
		close(q.mu.wake)
		q.mu.wake = nil
	}
}

// waitChanLocked returns the channel the next signal closes.
func (q *queue) waitChanLocked() <-chan struct{} {
	if q.mu.wake == nil {
		q.mu.wake = make(chan struct{})
	}
	return q.mu.wake
}

// counts returns the approximate numbers of messages, brought up to now.
func (q *queue) countsLocked() (visible, notVisible, delayed int) {
	return q.mu.ready.n, q.mu.inflight, q.mu.delayed
}

// maxInflight is the OverLimit threshold of this queue.
func (q *queue) maxInflight() int { return q.inflightLimit }
