package sqs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/store"
)

// Dead-letter queues. A queue with a RedrivePolicy
// {"deadLetterTargetArn": arn, "maxReceiveCount": n} moves a message to the
// target instead of handing it out on the receive that finds it already
// received n times (so its receive count would exceed n), keeping its id,
// body, attributes, receive count and first-receive time and adding
// DeadLetterQueueSourceArn (recorded: test_dead_letter_queue_message_attributes).
// The move is one Apply (delete from the source, write into the target);
// the message leaves the source's memory before and enters the target's
// after, so it is never receivable in both.
//
// A target's RedriveAllowPolicy (allowAll, denyAll, byQueue with up to ten
// source ARNs) is enforced when a source sets its RedrivePolicy.
//
// Message move tasks (movetask.go) snapshot a dead-letter queue with
// MessageIDs and move its messages in batches with transfer, carrying the
// task's record in the same Apply; MoveMessage moves one message the same
// way for other in-process callers.

// redrivePolicy is a parsed RedrivePolicy.
type redrivePolicy struct {
	target          string
	maxReceiveCount int
}

type redrivePolicyJSON struct {
	DeadLetterTargetArn string          `json:"deadLetterTargetArn"`
	MaxReceiveCount     json.RawMessage `json:"maxReceiveCount"`
}

type redriveAllowJSON struct {
	RedrivePermission string   `json:"redrivePermission"`
	SourceQueueArns   []string `json:"sourceQueueArns,omitempty"`
}

// checkRedrivePolicy validates a RedrivePolicy set on queue k and returns
// its canonical form ("" removes the policy).
func (s *Service) checkRedrivePolicy(k queueKey, fifo bool, v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	bad := func(reason string) error {
		return invalidParam(v, "RedrivePolicy", reason)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		return "", invalidAttributeValue("Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.")
	}
	var p redrivePolicyJSON
	_ = json.Unmarshal([]byte(v), &p)
	if _, ok := raw["deadLetterTargetArn"]; !ok {
		return "", bad("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")
	}
	if _, ok := raw["maxReceiveCount"]; !ok {
		return "", bad("Redrive policy does not contain mandatory attribute: maxReceiveCount.")
	}
	n, err := strconv.Atoi(strings.Trim(string(p.MaxReceiveCount), `"`))
	if err != nil || n < 1 || n > 1000 {
		return "", bad(fmt.Sprintf("Invalid value for maxReceiveCount: %s, valid values are from 1 to 1000 both inclusive.", strings.Trim(string(p.MaxReceiveCount), `"`)))
	}
	f := strings.SplitN(p.DeadLetterTargetArn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[2] != "sqs" || f[3] == "" || f[4] == "" || f[5] == "" {
		return "", bad("Invalid value for deadLetterTargetArn.")
	}
	dlq := s.queueForARN(p.DeadLetterTargetArn)
	if dlq == nil {
		return "", bad("Dead letter target does not exist.")
	}
	if dlq.fifo != fifo {
		return "", bad("Dead-letter queue must be same type of queue as the source.")
	}
	dlq.mu.Lock()
	allow := dlq.mu.attrs["RedriveAllowPolicy"]
	dlq.mu.Unlock()
	if allow != "" {
		var a redriveAllowJSON
		_ = json.Unmarshal([]byte(allow), &a)
		src := queueARN(k)
		permitted := a.RedrivePermission == "allowAll"
		if a.RedrivePermission == "byQueue" {
			for _, arn := range a.SourceQueueArns {
				permitted = permitted || arn == src
			}
		}
		if !permitted {
			return "", bad(fmt.Sprintf("Queue %s does not allow %s to use it as a dead-letter queue.", p.DeadLetterTargetArn, src))
		}
	}
	out, _ := json.Marshal(struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
		MaxReceiveCount     int    `json:"maxReceiveCount"`
	}{p.DeadLetterTargetArn, n})
	return string(out), nil
}

// checkRedriveAllowPolicy validates a RedriveAllowPolicy and returns its
// canonical form ("" removes it).
func checkRedriveAllowPolicy(v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	bad := func(reason string) error {
		return invalidAttributeValue("Invalid value for the parameter RedriveAllowPolicy. Reason: %s", reason)
	}
	var a redriveAllowJSON
	if err := json.Unmarshal([]byte(v), &a); err != nil {
		return "", bad("Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.")
	}
	switch a.RedrivePermission {
	case "allowAll", "denyAll":
		if len(a.SourceQueueArns) > 0 {
			return "", bad("Only byQueue redrivePermission supports sourceQueueArns.")
		}
	case "byQueue":
		if len(a.SourceQueueArns) == 0 || len(a.SourceQueueArns) > 10 {
			return "", bad("Between 1 and 10 sourceQueueArns must be specified for byQueue redrivePermission.")
		}
	default:
		return "", bad("Value of redrivePermission must be one of allowAll, denyAll, byQueue.")
	}
	out, _ := json.Marshal(a)
	return string(out), nil
}

// transfer moves messages, already taken out of src's memory, into dst: one
// Apply deletes them from src and writes them into dst (together with
// whatever b already holds), then they enter dst's memory. toDLQ marks a
// dead-letter move (DeadLetterQueueSourceArn, receive count kept); otherwise
// the message arrives as if new (receive count reset), as a redrive does.
func (s *Service) transfer(ctx context.Context, src, dst *queue, ms []*message, b *store.Batch, toDLQ bool) error {
	now := s.now()
	moved := make([]*message, 0, len(ms))
	for _, m := range ms {
		nb := *m.b
		nb.Key = s.nextMsgKey.Add(1)
		nb.VisibleAt = now.UnixMilli()
		st := msgStatus{VisibleAt: nb.VisibleAt}
		if toDLQ {
			nb.DLQSource = src.arn
			st.ReceiveCount, st.FirstReceive = m.status.ReceiveCount, m.status.FirstReceive
		} else {
			nb.DLQSource = ""
		}
		if dst.fifo {
			dst.mu.Lock()
			nb.Seq = dst.nextSeqLocked(now)
			dst.mu.Unlock()
		}
		deleteMessage(b, src.id, m.b.Key)
		putBody(b, dst.id, &nb)
		if st.ReceiveCount > 0 {
			putStatus(b, dst.id, nb.Key, st)
		}
		moved = append(moved, &message{b: &nb, status: st})
	}
	if err := s.apply(ctx, b); err != nil {
		return err
	}
	dst.mu.Lock()
	if !dst.mu.closed {
		for _, m := range moved {
			if _, dup := dst.mu.msgs[m.b.ID]; !dup {
				dst.insertLocked(m, now)
			}
		}
	}
	dst.mu.Unlock()
	return nil
}

// ListDeadLetterSourceQueues lists the queues whose RedrivePolicy targets
// this queue, by name, paginated like ListQueues.
func (s *Service) ListDeadLetterSourceQueues(ctx context.Context, in *sqsapi.ListDeadLetterSourceQueuesRequest) (*sqsapi.ListDeadLetterSourceQueuesResult, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	limit, after, err := pageArgs(in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	names := s.queueNames(q.key.account, q.key.region, func(src *queue) bool {
		src.mu.Lock()
		defer src.mu.Unlock()
		return src.mu.cfg.redrive != nil && src.mu.cfg.redrive.target == q.arn
	})
	out := &sqsapi.ListDeadLetterSourceQueuesResult{QueueUrls: []string{}}
	for _, n := range names {
		if after != "" && n <= after {
			continue
		}
		if len(out.QueueUrls) == limit {
			if in.MaxResults != nil {
				last := out.QueueUrls[len(out.QueueUrls)-1]
				out.NextToken = api.String(base64.StdEncoding.EncodeToString([]byte(last[strings.LastIndexByte(last, '/')+1:])))
			}
			break
		}
		out.QueueUrls = append(out.QueueUrls, queueURL(ctx, queueKey{q.key.account, q.key.region, n}))
	}
	return out, nil
}

// ErrNoQueue is returned by MessageIDs and MoveMessage for an ARN that names
// no queue.
var ErrNoQueue = errors.New("sqs: no such queue")

// ErrNotMovable is returned by MoveMessage for a message that is gone or not
// ready (in flight or delayed).
var ErrNotMovable = errors.New("sqs: message is not available to move")

// MessageIDs lists the ids of the ready messages of the queue arn, oldest
// first (FIFO: in sequence order). It changes nothing. Message move tasks
// use it to walk a dead-letter queue.
func (s *Service) MessageIDs(arn string) ([]string, error) {
	q := s.queueForARN(arn)
	if q == nil {
		return nil, ErrNoQueue
	}
	q.mu.Lock()
	var ms []*message
	for m := q.mu.ready.head; m != nil; m = m.ready.next {
		ms = append(ms, m)
	}
	q.mu.Unlock()
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := ms[i].b, ms[j].b
		if a.SentAt != b.SentAt {
			return a.SentAt < b.SentAt
		}
		return a.Seq < b.Seq
	})
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.b.ID
	}
	return ids, nil
}

// DeadLetterSources returns the ARNs of the queues whose RedrivePolicy
// targets the queue arn, sorted (StartMessageMoveTask requires its source
// to be some queue's dead-letter queue).
func (s *Service) DeadLetterSources(arn string) ([]string, error) {
	q := s.queueForARN(arn)
	if q == nil {
		return nil, ErrNoQueue
	}
	names := s.queueNames(q.key.account, q.key.region, func(src *queue) bool {
		src.mu.Lock()
		defer src.mu.Unlock()
		return src.mu.cfg.redrive != nil && src.mu.cfg.redrive.target == q.arn
	})
	arns := make([]string, len(names))
	for i, n := range names {
		arns[i] = queueARN(queueKey{q.key.account, q.key.region, n})
	}
	return arns, nil
}

// MoveMessage moves the ready message id from the queue srcARN to dstARN
// (or, when dstARN is "", to the queue it was dead-lettered from), durably
// and keeping its id, body and attributes; its receive count starts over.
func (s *Service) MoveMessage(ctx context.Context, srcARN, id, dstARN string) error {
	src := s.queueForARN(srcARN)
	if src == nil {
		return ErrNoQueue
	}
	src.mu.Lock()
	m := src.mu.msgs[id]
	if m == nil || m.state != stateReady {
		src.mu.Unlock()
		return ErrNotMovable
	}
	if dstARN == "" {
		dstARN = m.b.DLQSource
	}
	dst := s.queueForARN(dstARN)
	if dst == nil || dst == src {
		src.mu.Unlock()
		return ErrNoQueue
	}
	src.removeLocked(m)
	src.mu.Unlock()
	var b store.Batch
	if err := s.transfer(ctx, src, dst, []*message{m}, &b, false); err != nil {
		// The message left the source's memory but not the store: put it
		// back so it is not lost until a restart.
		src.mu.Lock()
		if !src.mu.closed {
			src.insertLocked(m, s.now())
		}
		src.mu.Unlock()
		return fmt.Errorf("moving message %s: %w", id, err)
	}
	return nil
}
