package sqs

// Message state invariant. A message in a queue is in exactly one state:
//
//   - ready: in the queue's ready list, receivable (on a FIFO queue, when no
//     send to its group is still being written and every earlier message of
//     its group is ready too, so none is in flight: the group's receivable
//     messages are the ready run from its first message up to, not
//     including, the first in flight or delayed, and a group whose first
//     message is ready is in the queue's list of available groups, whatever
//     later messages of it are in flight);
//   - delayed: in the not-ready heap, never received, until SentAt+delay;
//   - in flight: in the not-ready heap, received, until its visibility
//     timeout ends.
//
// Never two at once, never none: every transition (insertLocked,
// takeLocked, setDeadlineLocked, advanceLocked, removeLocked in queue.go)
// moves a message out of one structure and into another under the queue
// lock, and the counts (ApproximateNumberOfMessages, …NotVisible, …Delayed)
// are the sizes of those structures, so they are true at every moment.
// A receipt handle names a message and the token of the receive that issued
// it; it stays valid until the message is received again or deleted (on a
// FIFO queue, also until its visibility timeout ends). checkLocked verifies
// all of this; builds with -tags invariants run it after every receive and
// the tests run it after every step.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/store"
)

// maxVisibilitySeconds bounds every visibility timeout (12 hours).
const maxVisibilitySeconds = 43200

// received is what a receive hands out: the message record and a copy of
// its state at the time, rendered after the lock is released.
type received struct {
	b  *body
	st msgStatus
}

// ReceiveMessage hands out up to MaxNumberOfMessages ready messages, making
// them invisible for the visibility timeout; with a wait time it long-polls
// until a message is ready, the wait ends or the client goes away.
func (s *Service) ReceiveMessage(ctx context.Context, in *sqsapi.ReceiveMessageRequest) (*sqsapi.ReceiveMessageResult, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	q.mu.Lock()
	cfg := q.mu.cfg
	q.mu.Unlock()
	max := 1
	if in.MaxNumberOfMessages != nil {
		max = int(*in.MaxNumberOfMessages)
		if max < 1 || max > 10 {
			return nil, invalidParam(max, "MaxNumberOfMessages", "Must be between 1 and 10, if provided.")
		}
	}
	wait := cfg.wait
	if in.WaitTimeSeconds != nil {
		wait = int(*in.WaitTimeSeconds)
		if wait < 0 || wait > 20 {
			return nil, invalidParam(wait, "WaitTimeSeconds", "Must be >= 0 and <= 20, if provided.")
		}
	}
	vt := cfg.visibility
	if in.VisibilityTimeout != nil {
		vt = int(*in.VisibilityTimeout)
		if vt < 0 || vt > maxVisibilitySeconds {
			return nil, invalidParam(vt, "VisibilityTimeout", "Must be >= 0 and <= 43200, if provided.")
		}
	}
	attemptID := ""
	if q.fifo {
		attemptID = api.ToString(in.ReceiveRequestAttemptId)
	}
	sysNames := in.MessageSystemAttributeNames
	if call(ctx).Protocol == "query" && len(in.AttributeNames) > 0 {
		// Over query, AWS answers the legacy AttributeName.N list alone when
		// both lists are given (recorded:
		// test_message_system_attribute_names_with_attribute_names[sqs_query],
		// SenderId with All returned only SenderId); over JSON it answers
		// their union (the [sqs] recording).
		sysNames = nil
	}
	sel := newSelection(in.AttributeNames, sysNames, in.MessageAttributeNames)

	deadline := s.now().Add(time.Duration(wait) * time.Second)
	for {
		got, wake, err := s.receiveOnce(ctx, q, max, time.Duration(vt)*time.Second, attemptID)
		if err != nil {
			return nil, err
		}
		if len(got) > 0 || wake == nil {
			return s.renderReceived(q, got, sel), nil
		}
		if !s.now().Before(deadline) {
			return &sqsapi.ReceiveMessageResult{}, nil
		}
		switch err := clock.WaitUntil(ctx, s.env.Clock, deadline, wake); {
		case errors.Is(err, clock.ErrWoken):
		case err == nil:
			// The wait is over: one last look, without waiting.
			got, _, err := s.receiveOnce(ctx, q, max, time.Duration(vt)*time.Second, attemptID)
			if err != nil {
				return nil, err
			}
			return s.renderReceived(q, got, sel), nil
		default:
			// The client went away or the server is stopping: nothing was
			// taken, so an empty answer loses nothing.
			return &sqsapi.ReceiveMessageResult{}, nil
		}
	}
}

// receiveOnce takes up to max ready messages in flight for vt and writes
// their new state durably. Messages whose receive count has reached the
// redrive policy's maxReceiveCount are moved to the dead-letter queue
// instead. If nothing was ready it returns the channel that the next arrival
// closes (nil if the queue is gone).
func (s *Service) receiveOnce(ctx context.Context, q *queue, max int, vt time.Duration, attemptID string) ([]received, <-chan struct{}, error) {
	q.mu.Lock()
	rp := q.mu.cfg.redrive
	q.mu.Unlock()
	var dlq *queue
	if rp != nil {
		if d := s.queueForARN(rp.target); d != nil && d != q {
			dlq = d
		}
	}

	now := s.now()
	var (
		out   []received
		moves []*message
		batch store.Batch
		wake  <-chan struct{}
	)
	q.mu.Lock()
	if q.mu.closed {
		q.mu.Unlock()
		return nil, nil, nil
	}
	expired := q.advanceLocked(now)
	if attemptID != "" {
		if ms, ok := q.replayAttemptLocked(attemptID, now); ok {
			for _, m := range ms {
				out = append(out, received{m.b, m.status})
			}
			q.mu.Unlock()
			return out, nil, nil
		}
	}
	if !q.fifo && q.mu.inflight >= q.maxInflight() && q.mu.ready.n > 0 {
		// A standard queue answers OverLimit; a FIFO queue at its limit
		// returns nothing, without an error (as AWS documents).
		q.mu.Unlock()
		return nil, nil, overLimit(fmt.Sprintf("Too many messages in flight: the limit is %d per queue.", q.maxInflight()))
	}
	deadline := now.Add(vt)
	take := func(m *message) bool {
		if dlq != nil && m.status.ReceiveCount >= rp.maxReceiveCount {
			q.removeLocked(m)
			moves = append(moves, m)
			return false
		}
		if q.mu.inflight >= q.maxInflight() {
			return false
		}
		m.status.ReceiveCount++
		if m.status.FirstReceive == 0 {
			m.status.FirstReceive = now.UnixMilli()
		}
		m.status.Token = newToken()
		q.takeLocked(m, deadline)
		if out == nil { // sized once for the whole receive
			out, batch.Ops = make([]received, 0, max), make([]store.Op, 0, max)
		}
		putStatus(&batch, q.id, m.b.Key, m.status)
		out = append(out, received{m.b, m.status})
		return true
	}
	if q.fifo {
		for len(out) < max {
			cands := q.pickFIFOLocked(max - len(out))
			if len(cands) == 0 {
				break
			}
			progress := false
			for _, m := range cands {
				moved := len(moves)
				if take(m) || len(moves) > moved {
					progress = true
				}
			}
			if !progress {
				break
			}
		}
	} else {
		for m := q.mu.ready.head; m != nil && len(out) < max; {
			next := m.ready.next
			take(m)
			m = next
		}
	}
	if attemptID != "" && len(out) > 0 {
		a := &attempt{expires: now.Add(attemptWindow)}
		for _, r := range out {
			a.ids = append(a.ids, r.b.ID)
			a.tokens = append(a.tokens, r.st.Token)
		}
		q.rememberAttemptLocked(attemptID, a)
	}
	if len(out) == 0 && len(moves) == 0 {
		wake = q.waitChanLocked()
	}
	if invariantsEnabled {
		if err := q.checkLocked(now); err != nil {
			panic(err)
		}
	}
	q.mu.Unlock()

	for _, m := range expired {
		deleteMessage(&batch, q.id, m.b.Key)
	}
	if len(moves) > 0 {
		if err := s.transfer(ctx, q, dlq, moves, &batch, true); err != nil {
			// Nothing was written: the moved messages go back so they are
			// not lost until a restart.
			q.mu.Lock()
			if !q.mu.closed {
				for _, m := range moves {
					q.insertLocked(m, s.now())
				}
			}
			q.mu.Unlock()
			return nil, nil, err
		}
	} else if err := s.apply(ctx, &batch); err != nil {
		return nil, nil, err
	}
	if len(out) == 0 && len(moves) > 0 {
		// Everything found went to the dead-letter queue; look again.
		return s.receiveOnce(ctx, q, max, vt, attemptID)
	}
	return out, wake, nil
}

// renderReceived builds the response for received messages.
func (s *Service) renderReceived(q *queue, got []received, sel selection) *sqsapi.ReceiveMessageResult {
	out := &sqsapi.ReceiveMessageResult{}
	for _, r := range got {
		out.Messages = append(out.Messages, s.renderMessage(q, r, sel))
	}
	return out
}

// selection is what a receive asked to see besides the body.
type selection struct {
	allSys   bool
	sys      map[string]bool
	allAttrs bool
	attrs    map[string]bool
	prefixes []string
}

func newSelection(attrNames, sysNames, msgAttrNames []string) selection {
	sel := selection{sys: map[string]bool{}, attrs: map[string]bool{}}
	for _, list := range [][]string{attrNames, sysNames} {
		for _, n := range list {
			if n == "All" {
				sel.allSys = true
			}
			sel.sys[n] = true
		}
	}
	for _, n := range msgAttrNames {
		switch {
		case n == "All" || n == ".*" || n == "*":
			sel.allAttrs = true
		case strings.HasSuffix(n, ".*"):
			// "Hel.*" selects Hello and Help.Me (recorded:
			// test_receive_message_message_attribute_names_filters).
			sel.prefixes = append(sel.prefixes, strings.TrimSuffix(n, ".*"))
		default:
			sel.attrs[n] = true
		}
	}
	return sel
}

func (sel selection) wantsAttr(name string) bool {
	if sel.allAttrs || sel.attrs[name] {
		return true
	}
	for _, p := range sel.prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// renderMessage is a message as ReceiveMessage returns it.
func (s *Service) renderMessage(q *queue, r received, sel selection) *sqsapi.Message {
	b := r.b
	// The message and the strings its fields point at are one
	// allocation: a receive renders up to ten messages, and allocation
	// (with the GC it brings) was a visible share of its CPU.
	one := &struct {
		m                     sqsapi.Message
		id, handle, md5, body string
	}{id: b.ID, handle: encodeHandle(q.key, b.ID, r.st.Token), md5: b.MD5Body, body: b.Body}
	m := &one.m
	m.MessageId, m.ReceiptHandle, m.MD5OfBody, m.Body = &one.id, &one.handle, &one.md5, &one.body
	if sel.allSys || len(sel.sys) > 0 {
		m.Attributes = systemAttributes(q, r, sel)
	}
	if len(b.Attrs) > 0 {
		picked := map[string]*sqsapi.MessageAttributeValue{}
		for k, v := range b.Attrs {
			if sel.wantsAttr(k) {
				picked[k] = v
			}
		}
		if len(picked) > 0 {
			m.MessageAttributes = picked
			if len(picked) == len(b.Attrs) {
				m.MD5OfMessageAttributes = api.String(b.MD5Attrs)
			} else {
				m.MD5OfMessageAttributes = api.String(md5OfMessageAttributes(picked))
			}
		}
	}
	return m
}

// systemAttributes are the message's system attributes that sel asks for,
// or nil if none. Only called when sel asks for some: most receives (the
// SDKs' default) ask for none, and building them costs a map and three
// number formats per message.
func systemAttributes(q *queue, r received, sel selection) map[string]string {
	b := r.b
	sys := map[string]string{
		"SenderId":                         b.SenderID,
		"SentTimestamp":                    strconv.FormatInt(b.SentAt, 10),
		"ApproximateReceiveCount":          strconv.Itoa(r.st.ReceiveCount),
		"ApproximateFirstReceiveTimestamp": strconv.FormatInt(r.st.FirstReceive, 10),
	}
	if b.TraceHeader != "" {
		sys["AWSTraceHeader"] = b.TraceHeader
	}
	if b.DLQSource != "" {
		sys["DeadLetterQueueSourceArn"] = b.DLQSource
	}
	if b.GroupID != "" {
		sys["MessageGroupId"] = b.GroupID
	}
	if q.fifo {
		sys["MessageDeduplicationId"] = b.DedupID
		sys["SequenceNumber"] = formatSeq(b.Seq)
	}
	var out map[string]string
	for k, v := range sys {
		if sel.allSys || sel.sys[k] {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v
		}
	}
	return out
}

// checkLocked verifies the message state invariant and the counts.
func (q *queue) checkLocked(now time.Time) error {
	ready, delayed, inflight := 0, 0, 0
	for m := q.mu.ready.head; m != nil; m = m.ready.next {
		if m.state != stateReady {
			return fmt.Errorf("sqs invariant: message %s in the ready list is %v", m.b.ID, m.state)
		}
		if q.mu.msgs[m.b.ID] != m {
			return fmt.Errorf("sqs invariant: ready message %s is not in the queue", m.b.ID)
		}
		ready++
	}
	for i, m := range q.mu.notReady.items {
		if m.heapIdx != i {
			return fmt.Errorf("sqs invariant: message %s has heap index %d at %d", m.b.ID, m.heapIdx, i)
		}
		switch m.state {
		case stateDelayed:
			delayed++
		case stateInflight:
			inflight++
		default:
			return fmt.Errorf("sqs invariant: message %s in the not-ready heap is %v", m.b.ID, m.state)
		}
	}
	if ready != q.mu.ready.n || delayed != q.mu.delayed || inflight != q.mu.inflight {
		return fmt.Errorf("sqs invariant: counted %d/%d/%d ready/delayed/inflight, recorded %d/%d/%d",
			ready, delayed, inflight, q.mu.ready.n, q.mu.delayed, q.mu.inflight)
	}
	if err := q.mu.expiry.check(); err != nil {
		return fmt.Errorf("sqs invariant: %w", err)
	}
	if n := ready + delayed + inflight; n != len(q.mu.msgs) || n != q.mu.expiry.len() {
		return fmt.Errorf("sqs invariant: %d messages in states, %d in the queue, %d in the retention index",
			n, len(q.mu.msgs), q.mu.expiry.len())
	}
	if q.fifo {
		n, avail := 0, 0
		for _, g := range q.mu.groups {
			in := 0
			for i, m := range g.msgs {
				if m.grp != g {
					return fmt.Errorf("sqs invariant: message %s in group %q points elsewhere", m.b.ID, g.id)
				}
				if i > 0 && g.msgs[i-1].b.Seq > m.b.Seq {
					return fmt.Errorf("sqs invariant: group %q out of sequence order", g.id)
				}
				if m.state == stateInflight {
					in++
				}
			}
			if in != g.inflight {
				return fmt.Errorf("sqs invariant: group %q has %d in flight, recorded %d", g.id, in, g.inflight)
			}
			if len(g.msgs) == 0 && g.pending == 0 {
				return fmt.Errorf("sqs invariant: empty group %q kept", g.id)
			}
			want := groupAvailable(g)
			if want != g.inAvail {
				return fmt.Errorf("sqs invariant: group %q available %v, listed %v", g.id, want, g.inAvail)
			}
			if want {
				avail++
			}
			n += len(g.msgs)
		}
		if n != len(q.mu.msgs) {
			return fmt.Errorf("sqs invariant: %d messages in groups, %d in the queue", n, len(q.mu.msgs))
		}
		if avail != q.mu.avail.n {
			return fmt.Errorf("sqs invariant: %d groups available, %d listed", avail, q.mu.avail.n)
		}
	}
	return nil
}
