package sqs

import (
	"context"
	"fmt"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/uuid"
)

// Sending. A send is checked entirely before anything changes (a refused
// request changes nothing), its message record is made durable, and only
// then is the message inserted into the queue where receivers can see it.
// A batch is one Apply for all its accepted entries.

// maxBatchBytes is the most a SendMessageBatch may carry, all entries
// together (recorded: "Batch requests cannot be longer than 1048576 bytes").
const maxBatchBytes = 1048576

// maxDelaySeconds bounds a message's DelaySeconds.
const maxDelaySeconds = 900

// sendEntry is one message to send, from SendMessage or a batch entry.
type sendEntry struct {
	body      *string
	delay     *int32
	attrs     map[string]*sqsapi.MessageAttributeValue
	sysAttrs  map[string]*sqsapi.MessageSystemAttributeValue
	dedupID   *string
	groupID   *string
	fromBatch bool
}

// sent is the outcome of enqueuing one message.
type sent struct {
	b   *body
	seq uint64 // FIFO: the message's (or, for a duplicate, the first's) sequence number
	id  string // the message id to report (a duplicate reports the first's)
}

// SendMessage sends one message.
func (s *Service) SendMessage(ctx context.Context, in *sqsapi.SendMessageRequest) (*sqsapi.SendMessageResult, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	b, err := s.prepare(ctx, q, sendEntry{body: in.MessageBody, delay: in.DelaySeconds, attrs: in.MessageAttributes,
		sysAttrs: in.MessageSystemAttributes, dedupID: in.MessageDeduplicationId, groupID: in.MessageGroupId})
	if err != nil {
		return nil, err
	}
	res, err := s.enqueue(ctx, q, []*body{b})
	if err != nil {
		return nil, err
	}
	r := res[0]
	// The result and its two strings are one allocation.
	one := &struct {
		out         sqsapi.SendMessageResult
		id, md5Body string
	}{id: r.id, md5Body: b.MD5Body}
	out := &one.out
	out.MessageId, out.MD5OfMessageBody = &one.id, &one.md5Body
	if b.MD5Attrs != "" {
		out.MD5OfMessageAttributes = api.String(b.MD5Attrs)
	}
	if b.MD5Sys != "" {
		out.MD5OfMessageSystemAttributes = api.String(b.MD5Sys)
	}
	if q.fifo {
		out.SequenceNumber = api.String(formatSeq(r.seq))
	}
	return out, nil
}

// SendMessageBatch sends up to ten messages; entries that fail their checks
// are reported in Failed and the rest are sent together.
func (s *Service) SendMessageBatch(ctx context.Context, in *sqsapi.SendMessageBatchRequest) (*sqsapi.SendMessageBatchResult, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(in.Entries))
	total := 0
	for i, e := range in.Entries {
		if e != nil {
			ids[i] = api.ToString(e.Id)
			total += messageSize(api.ToString(e.MessageBody), e.MessageAttributes)
		}
	}
	if err := validateBatchEntryIDs(ids); err != nil {
		return nil, err
	}
	if total > maxBatchBytes {
		return nil, sqsapi.NewBatchRequestTooLong(fmt.Sprintf("Batch requests cannot be longer than %d bytes. You have sent %d bytes.", maxBatchBytes, total))
	}
	if q.fifo {
		// On a FIFO queue a missing group or deduplication id fails the whole
		// request, not the entry (recorded:
		// test_send_batch_missing_message_group_id_for_fifo_queue).
		q.mu.Lock()
		contentDedup := q.mu.cfg.contentDedup
		q.mu.Unlock()
		for _, e := range in.Entries {
			if e == nil {
				continue
			}
			if e.MessageGroupId == nil {
				return nil, newInvalidParameterValue("The request must contain the parameter MessageGroupId.")
			}
			if e.MessageDeduplicationId == nil && !contentDedup {
				return nil, newInvalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
			}
		}
	}
	out := &sqsapi.SendMessageBatchResult{}
	var bodies []*body
	var okIDs []string
	for i, e := range in.Entries {
		if e == nil {
			continue
		}
		b, err := s.prepare(ctx, q, sendEntry{body: e.MessageBody, delay: e.DelaySeconds, attrs: e.MessageAttributes,
			sysAttrs: e.MessageSystemAttributes, dedupID: e.MessageDeduplicationId, groupID: e.MessageGroupId, fromBatch: true})
		if err != nil {
			out.Failed = append(out.Failed, batchEntryError(ids[i], err))
			continue
		}
		bodies = append(bodies, b)
		okIDs = append(okIDs, ids[i])
	}
	if len(bodies) == 0 {
		return out, nil
	}
	res, err := s.enqueue(ctx, q, bodies)
	if err != nil {
		return nil, err
	}
	// Each entry and the strings it points at are one allocation: a batch
	// answers up to ten entries.
	type entry struct {
		e                                    sqsapi.SendMessageBatchResultEntry
		id, msgID, md5Body, md5Attrs, md5Sys string
	}
	entries := make([]entry, len(res))
	out.Successful = make([]*sqsapi.SendMessageBatchResultEntry, 0, len(res))
	for i, r := range res {
		en := &entries[i]
		en.id, en.msgID, en.md5Body = okIDs[i], r.id, r.b.MD5Body
		e := &en.e
		e.Id, e.MessageId, e.MD5OfMessageBody = &en.id, &en.msgID, &en.md5Body
		if r.b.MD5Attrs != "" {
			en.md5Attrs = r.b.MD5Attrs
			e.MD5OfMessageAttributes = &en.md5Attrs
		}
		if r.b.MD5Sys != "" {
			en.md5Sys = r.b.MD5Sys
			e.MD5OfMessageSystemAttributes = &en.md5Sys
		}
		if q.fifo {
			e.SequenceNumber = api.String(formatSeq(r.seq))
		}
		out.Successful = append(out.Successful, e)
	}
	return out, nil
}

// prepare checks one message against the rules and the queue's settings and
// builds its record. It changes nothing.
func (s *Service) prepare(ctx context.Context, q *queue, e sendEntry) (*body, error) {
	c := call(ctx)
	text := api.ToString(e.body)
	if text == "" {
		return nil, newMissingParameter("MessageBody")
	}
	if err := validateMessageBody(text); err != nil {
		return nil, err
	}
	if err := validateMessageAttributes(e.attrs); err != nil {
		return nil, err
	}
	if err := validateSystemAttributes(e.sysAttrs); err != nil {
		return nil, err
	}
	q.mu.Lock()
	cfg := q.mu.cfg
	q.mu.Unlock()
	if n := messageSize(text, e.attrs); n > cfg.maxSize {
		if e.fromBatch {
			return nil, newInvalidParameterValue("One or more parameters cannot be validated. Reason: Message must be shorter than %d bytes.", cfg.maxSize)
		}
		return nil, newInvalidParameterValue("One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", cfg.maxSize)
	}
	delay := cfg.delay
	if e.delay != nil {
		d := int(*e.delay)
		if d < 0 || d > maxDelaySeconds {
			return nil, invalidParam(d, "DelaySeconds", "DelaySeconds must be >= 0 and <= 900.")
		}
		if q.fifo && d != 0 {
			return nil, invalidParam(d, "DelaySeconds", "The request include parameter that is not valid for this queue type.")
		}
		if !q.fifo {
			delay = d
		}
	}
	b := &body{Body: text, Attrs: e.attrs, SenderID: senderID(c)}
	if e.groupID != nil {
		if !validFIFOID(*e.groupID) {
			return nil, invalidParam(*e.groupID, "MessageGroupId", "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.")
		}
		b.GroupID = *e.groupID
	}
	if e.dedupID != nil {
		if !validFIFOID(*e.dedupID) {
			return nil, invalidParam(*e.dedupID, "MessageDeduplicationId", "MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.")
		}
		if !q.fifo {
			return nil, invalidParam(*e.dedupID, "MessageDeduplicationId", "The request include parameter that is not valid for this queue type.")
		}
		b.DedupID = *e.dedupID
	}
	if q.fifo {
		if e.groupID == nil {
			if e.fromBatch {
				return nil, newInvalidParameterValue("The request must contain the parameter MessageGroupId.")
			}
			return nil, newMissingParameter("MessageGroupId")
		}
		if b.DedupID == "" {
			if !cfg.contentDedup {
				return nil, newInvalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
			}
			b.DedupID = contentDedupID(text)
		}
	}
	if v := e.sysAttrs["AWSTraceHeader"]; v != nil {
		b.TraceHeader = api.ToString(v.StringValue)
	}
	b.MD5Body = md5Hex(text)
	b.MD5Attrs = md5OfMessageAttributes(e.attrs)
	if len(e.sysAttrs) > 0 {
		b.MD5Sys = md5OfSystemAttributes(e.sysAttrs)
	}
	b.ID = uuid.New()
	b.Key = s.nextMsgKey.Add(1)
	b.VisibleAt = int64(delay) * 1000 // relative until enqueue stamps SentAt
	return b, nil
}

// enqueue makes bodies durable and then receivable, in order. On a FIFO
// queue it assigns sequence numbers and drops duplicates (which report the
// first message's id) under the queue lock before writing.
func (s *Service) enqueue(ctx context.Context, q *queue, bodies []*body) ([]sent, error) {
	res := make([]sent, len(bodies))
	fresh := make([]bool, len(bodies))
	var dedupKeys []string
	var dedupEntries []dedupEntry
	batch := store.Batch{Ops: make([]store.Op, 0, len(bodies))}
	now := s.now()

	q.mu.Lock()
	if q.mu.closed {
		q.mu.Unlock()
		return nil, queueDoesNotExist(call(ctx).Protocol)
	}
	for i, b := range bodies {
		b.SentAt = now.UnixMilli()
		b.VisibleAt += b.SentAt
		res[i] = sent{b: b, id: b.ID}
		if q.fifo {
			key := q.dedupKeyLocked(b.GroupID, b.DedupID)
			if e, dup := q.lookupDedupAnyScopeLocked(key, b.DedupID, now); dup {
				res[i].id, res[i].seq = e.id, e.seq
				continue
			}
			b.Seq = q.nextSeqLocked(now)
			res[i].seq = b.Seq
			de := dedupEntry{expires: now.Add(dedupWindow), id: b.ID, seq: b.Seq, n: b.Key}
			q.rememberDedupLocked(key, de)
			dedupKeys = append(dedupKeys, key)
			dedupEntries = append(dedupEntries, de)
			q.beginSendLocked(b.GroupID)
		}
		fresh[i] = true
	}
	for _, n := range q.mu.dedupGone {
		batch.Delete(dedupKey(q.id, n))
	}
	q.mu.dedupGone = q.mu.dedupGone[:0]
	q.mu.Unlock()

	for i, k := range dedupKeys {
		putDedup(&batch, q.id, k, dedupEntries[i])
	}

	for i, b := range bodies {
		if fresh[i] {
			putBody(&batch, q.id, b)
		}
	}
	err := s.apply(ctx, &batch)

	q.mu.Lock()
	defer q.mu.Unlock()
	now = s.now()
	for i, b := range bodies {
		if !fresh[i] {
			continue
		}
		if err == nil && !q.mu.closed {
			q.insertLocked(&message{b: b, status: msgStatus{VisibleAt: b.VisibleAt}}, now)
		}
		if q.fifo {
			q.endSendLocked(b.GroupID)
		}
	}
	if err != nil {
		q.undoDedupLocked(dedupKeys, bodies)
		return nil, err
	}
	return res, nil
}

// undoDedupLocked forgets the deduplication ids a failed send remembered,
// so a retry is not taken for a duplicate of a message that was never
// stored.
func (q *queue) undoDedupLocked(keys []string, bodies []*body) {
	for _, k := range keys {
		for _, b := range bodies {
			q.forgetDedupLocked(k, b.ID)
		}
	}
}

// senderID is the SenderId of a message: the caller's access key, or its
// account when the request was not signed.
func senderID(c *api.Call) string {
	if c.AccessKey != "" {
		return c.AccessKey
	}
	return c.Account
}
