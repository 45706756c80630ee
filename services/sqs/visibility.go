package sqs

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/store"
)

// Receipt handles, DeleteMessage and ChangeMessageVisibility.
//
// A receipt handle is opaque to clients: base64url of the queue name, the
// message id and the token of the receive that issued it. Each receive gives
// a message a new token, so a handle from an earlier receive no longer
// matches. What AWS does with a handle that no longer matches (recorded where
// noted):
//
//   - DeleteMessage of a message already deleted: success (idempotent).
//   - DeleteMessage with a handle from an earlier receive, on a standard
//     queue: success, the message stays (AWS documents that only the latest
//     handle deletes).
//   - DeleteMessage on a standard queue after the visibility timeout ended,
//     before another receive: deletes it (recorded:
//     test_delete_after_visibility_timeout).
//   - On a FIFO queue, once the visibility timeout ended: InvalidParameterValue
//     "The receipt handle has expired." (recorded:
//     test_fifo_delete_after_visibility_timeout).
//   - ChangeMessageVisibility on a standard queue after the timeout ended:
//     success, the message is hidden again (recorded:
//     test_change_message_visibility_after_visibility_timeout_expiration).
//   - ChangeMessageVisibility of a deleted message or with an earlier
//     handle: InvalidParameterValue, "Message does not exist or is not
//     available for visibility timeout change."
//   - A handle that is not one of ours: ReceiptHandleIsInvalid.

// encodeHandle builds a receipt handle.
func encodeHandle(k queueKey, id, token string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(k.name + "\x00" + id + "\x00" + token))
}

// decodeHandle splits a receipt handle of queue k.
func decodeHandle(k queueKey, h string) (id, token string, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(string(raw), "\x00")
	if len(parts) != 3 || parts[0] != k.name || parts[1] == "" || parts[2] == "" {
		return "", "", false
	}
	return parts[1], parts[2], true
}

// newToken returns a fresh receive token.
func newToken() string {
	var b [9]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// DeleteMessage deletes the message a receipt handle names.
func (s *Service) DeleteMessage(ctx context.Context, in *sqsapi.DeleteMessageRequest) (*sqsapi.DeleteMessageOutput, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	errs, err := s.deleteHandles(ctx, q, []string{api.ToString(in.ReceiptHandle)})
	if err != nil {
		return nil, err
	}
	if errs[0] != nil {
		return nil, errs[0]
	}
	return &sqsapi.DeleteMessageOutput{}, nil
}

// DeleteMessageBatch deletes up to ten messages; each entry succeeds or
// fails on its own.
func (s *Service) DeleteMessageBatch(ctx context.Context, in *sqsapi.DeleteMessageBatchRequest) (*sqsapi.DeleteMessageBatchResult, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(in.Entries))
	handles := make([]string, len(in.Entries))
	for i, e := range in.Entries {
		if e != nil {
			ids[i], handles[i] = api.ToString(e.Id), api.ToString(e.ReceiptHandle)
		}
	}
	if err := validateBatchEntries(deleteBatchEntry, ids); err != nil {
		return nil, err
	}
	errs, err := s.deleteHandles(ctx, q, handles)
	if err != nil {
		return nil, err
	}
	out := &sqsapi.DeleteMessageBatchResult{}
	// The entries are one allocation, and each Id points into ids: a
	// batch delete answers up to ten of them.
	entries := make([]sqsapi.DeleteMessageBatchResultEntry, len(errs))
	if ok := countNil(errs); ok > 0 { // nil when none succeeded, as before
		out.Successful = make([]*sqsapi.DeleteMessageBatchResultEntry, 0, ok)
	}
	for i, e := range errs {
		if e != nil {
			out.Failed = append(out.Failed, batchEntryError(ids[i], e))
		} else {
			entries[i].Id = &ids[i]
			out.Successful = append(out.Successful, &entries[i])
		}
	}
	return out, nil
}

// countNil is how many of errs are nil.
func countNil(errs []error) int {
	n := 0
	for _, e := range errs {
		if e == nil {
			n++
		}
	}
	return n
}

// deleteHandles deletes the messages of handles, durably, in one Apply. The
// per-handle errors are returned; err is a failure of the whole request.
func (s *Service) deleteHandles(ctx context.Context, q *queue, handles []string) (errs []error, err error) {
	errs = make([]error, len(handles))
	b := store.Batch{Ops: make([]store.Op, 0, 2*len(handles))} // two records a message
	now := s.now()
	q.mu.Lock()
	if q.mu.closed {
		q.mu.Unlock()
		return nil, queueDoesNotExist(call(ctx).Protocol)
	}
	expired := q.advanceLocked(now)
	for i, h := range handles {
		id, token, ok := decodeHandle(q.key, h)
		if !ok {
			errs[i] = receiptHandleIsInvalid(h)
			continue
		}
		m := q.mu.msgs[id]
		switch {
		case m == nil:
			// Already deleted: deleting is idempotent.
		case m.status.Token != token:
			if q.fifo {
				errs[i] = invalidParam(h, "ReceiptHandle", "The receipt handle has expired.")
			}
			// Standard: an earlier receive's handle deletes nothing.
		case q.fifo && m.state != stateInflight:
			errs[i] = invalidParam(h, "ReceiptHandle", "The receipt handle has expired.")
		default:
			q.removeLocked(m)
			deleteMessage(&b, q.id, m.b.Key)
		}
	}
	q.armLocked(now)
	q.mu.Unlock()
	for _, m := range expired {
		deleteMessage(&b, q.id, m.b.Key)
	}
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	return errs, nil
}

// ChangeMessageVisibility sets a received message's remaining visibility
// timeout, counted from now; 0 makes it receivable at once.
func (s *Service) ChangeMessageVisibility(ctx context.Context, in *sqsapi.ChangeMessageVisibilityRequest) (*sqsapi.ChangeMessageVisibilityOutput, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	if in.VisibilityTimeout == nil {
		return nil, newMissingParameter("VisibilityTimeout")
	}
	errs, err := s.changeVisibility(ctx, q, []string{api.ToString(in.ReceiptHandle)}, []int32{*in.VisibilityTimeout})
	if err != nil {
		return nil, err
	}
	if errs[0] != nil {
		return nil, errs[0]
	}
	return &sqsapi.ChangeMessageVisibilityOutput{}, nil
}

// ChangeMessageVisibilityBatch changes the visibility of up to ten messages.
func (s *Service) ChangeMessageVisibilityBatch(ctx context.Context, in *sqsapi.ChangeMessageVisibilityBatchRequest) (*sqsapi.ChangeMessageVisibilityBatchResult, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(in.Entries))
	handles := make([]string, len(in.Entries))
	vts := make([]int32, len(in.Entries))
	for i, e := range in.Entries {
		if e != nil {
			ids[i], handles[i], vts[i] = api.ToString(e.Id), api.ToString(e.ReceiptHandle), api.ToInt32(e.VisibilityTimeout)
		}
	}
	if err := validateBatchEntries(visibilityBatchEntry, ids); err != nil {
		return nil, err
	}
	errs, err := s.changeVisibility(ctx, q, handles, vts)
	if err != nil {
		return nil, err
	}
	out := &sqsapi.ChangeMessageVisibilityBatchResult{}
	for i, e := range errs {
		if e != nil {
			out.Failed = append(out.Failed, batchEntryError(ids[i], e))
		} else {
			out.Successful = append(out.Successful, &sqsapi.ChangeMessageVisibilityBatchResultEntry{Id: api.String(ids[i])})
		}
	}
	return out, nil
}

// changeVisibility applies visibility changes and writes the new state
// records in one Apply.
func (s *Service) changeVisibility(ctx context.Context, q *queue, handles []string, vts []int32) (errs []error, err error) {
	errs = make([]error, len(handles))
	b := store.Batch{Ops: make([]store.Op, 0, 2*len(handles))} // two records a message
	now := s.now()
	q.mu.Lock()
	if q.mu.closed {
		q.mu.Unlock()
		return nil, queueDoesNotExist(call(ctx).Protocol)
	}
	expired := q.advanceLocked(now)
	for i, h := range handles {
		vt := vts[i]
		if vt < 0 || vt > maxVisibilitySeconds {
			errs[i] = invalidParam(vt, "VisibilityTimeout", "Must be between 0 and 43200, if provided.")
			continue
		}
		id, token, ok := decodeHandle(q.key, h)
		if !ok {
			errs[i] = receiptHandleIsInvalid(h)
			continue
		}
		m := q.mu.msgs[id]
		switch {
		case m == nil || m.status.Token != token || m.state == stateDelayed:
			errs[i] = invalidParam(h, "ReceiptHandle", "Message does not exist or is not available for visibility timeout change.")
			continue
		case q.fifo && m.state != stateInflight:
			errs[i] = invalidParam(h, "ReceiptHandle", "The receipt handle has expired.")
			continue
		}
		q.setDeadlineLocked(m, now.Add(time.Duration(vt)*time.Second), now)
		putStatus(&b, q.id, m.b.Key, m.status)
	}
	q.mu.Unlock()
	for _, m := range expired {
		deleteMessage(&b, q.id, m.b.Key)
	}
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	return errs, nil
}
