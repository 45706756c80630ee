package sqs

import (
	"context"
	"encoding/base64"
	"sort"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/store"
)

// Queue lifecycle: CreateQueue, DeleteQueue, GetQueueUrl, ListQueues,
// PurgeQueue.
//
// CreateQueue and DeleteQueue are serialized by Service.lifecycle, which they
// hold across their Apply: a queue enters Service.mu.queues only once its
// record is durable, and two creates of one name cannot both write a record.
// No other path takes lifecycle, so sends and receives never wait on it.

// purgeHold is how long after a PurgeQueue another one is refused.
const purgeHold = 60 * time.Second

// CreateQueue creates a queue, or returns the URL of an existing one with the
// same name and attributes.
func (s *Service) CreateQueue(ctx context.Context, in *sqsapi.CreateQueueRequest) (*sqsapi.CreateQueueResult, error) {
	c := call(ctx)
	name := api.ToString(in.QueueName)
	if err := validateQueueName(name); err != nil {
		return nil, err
	}
	fifoName := strings.HasSuffix(name, ".fifo")
	fifoAttr, hasFifoAttr := in.Attributes["FifoQueue"]
	fifo := hasFifoAttr && strings.EqualFold(fifoAttr, "true")
	switch {
	case fifo && !fifoName:
		return nil, newInvalidParameterValue("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
	case !fifo && fifoName && !hasFifoAttr:
		return nil, newInvalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
	}
	k := queueKey{c.Account, c.Region, name}
	set, err := s.canonicalAttrs(ctx, k, fifo, true, in.Attributes)
	if err != nil {
		return nil, err
	}

	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	if q := s.lookup(k); q != nil {
		q.mu.Lock()
		defer q.mu.Unlock()
		names := make([]string, 0, len(set))
		for n := range set {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if q.mu.attrs[n] != set[n] {
				return nil, sqsapi.NewQueueNameExists("A queue already exists with the same name and a different value for attribute " + n)
			}
		}
		return &sqsapi.CreateQueueResult{QueueUrl: api.String(queueURL(ctx, k))}, nil
	}
	now := s.now()
	s.mu.Lock()
	at, recently := s.mu.deleted[k]
	if recently && now.Sub(at) >= deletedQueueHold {
		delete(s.mu.deleted, k)
		recently = false
	}
	s.mu.Unlock()
	if recently {
		return nil, sqsapi.NewQueueDeletedRecently("You must wait 60 seconds after deleting a queue before you can create another with the same name.")
	}

	q := newQueue(s, k, s.nextQueueID.Add(1), fifo, now)
	q.mu.Lock()
	q.mu.attrs = mergeAttrs(defaultAttrs(fifo), set)
	q.mu.cfg = parseConfig(q.mu.attrs)
	q.mu.modified = now
	for tk, tv := range in.Tags {
		q.mu.tags[tk] = tv
	}
	b, err := q.recordLocked()
	q.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := s.apply(ctx, b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.mu.queues[k] = q
	s.mu.Unlock()
	return &sqsapi.CreateQueueResult{QueueUrl: api.String(queueURL(ctx, k))}, nil
}

// DeleteQueue deletes a queue and every message in it.
func (s *Service) DeleteQueue(ctx context.Context, in *sqsapi.DeleteQueueRequest) (*sqsapi.DeleteQueueOutput, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	if s.lookup(q.key) != q {
		return nil, queueDoesNotExist(call(ctx).Protocol)
	}
	var b store.Batch
	b.Delete(queueRecordKey(q.key))
	q.mu.Lock()
	for _, m := range q.mu.msgs {
		deleteMessage(&b, q.id, m.b.Key)
	}
	q.mu.Unlock()
	// Messages sent between here and the removal below are left without a
	// queue record; load drops such orphans.
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	delete(s.mu.queues, q.key)
	s.mu.deleted[q.key] = s.now()
	s.mu.Unlock()
	q.close()
	return &sqsapi.DeleteQueueOutput{}, nil
}

// GetQueueUrl returns the URL of a queue of the caller's account, or of
// QueueOwnerAWSAccountId's.
func (s *Service) GetQueueUrl(ctx context.Context, in *sqsapi.GetQueueUrlRequest) (*sqsapi.GetQueueUrlResult, error) {
	c := call(ctx)
	account := c.Account
	if o := api.ToString(in.QueueOwnerAWSAccountId); o != "" {
		account = o
	}
	k := queueKey{account, c.Region, api.ToString(in.QueueName)}
	if s.lookup(k) == nil {
		return nil, queueDoesNotExist(c.Protocol)
	}
	return &sqsapi.GetQueueUrlResult{QueueUrl: api.String(queueURL(ctx, k))}, nil
}

// ListQueues lists the caller's queues in this region by name, filtered by
// prefix; MaxResults turns on pagination (NextToken), as in AWS, where
// without it up to 1,000 URLs come back and no token.
func (s *Service) ListQueues(ctx context.Context, in *sqsapi.ListQueuesRequest) (*sqsapi.ListQueuesResult, error) {
	c := call(ctx)
	limit, after, err := pageArgs(in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	prefix := api.ToString(in.QueueNamePrefix)
	names := s.queueNames(c.Account, c.Region, func(q *queue) bool { return strings.HasPrefix(q.key.name, prefix) })
	out := &sqsapi.ListQueuesResult{}
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
		out.QueueUrls = append(out.QueueUrls, queueURL(ctx, queueKey{c.Account, c.Region, n}))
	}
	return out, nil
}

// queueNames returns the sorted names of a scope's queues that keep says to.
func (s *Service) queueNames(account, region string, keep func(*queue) bool) []string {
	s.mu.RLock()
	var qs []*queue
	for k, q := range s.mu.queues {
		if k.account == account && k.region == region {
			qs = append(qs, q)
		}
	}
	s.mu.RUnlock()
	var names []string
	for _, q := range qs {
		if keep(q) {
			names = append(names, q.key.name)
		}
	}
	sort.Strings(names)
	return names
}

// PurgeQueue deletes every message of a queue, at most once a minute.
func (s *Service) PurgeQueue(ctx context.Context, in *sqsapi.PurgeQueueRequest) (*sqsapi.PurgeQueueOutput, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var b store.Batch
	q.mu.Lock()
	if !q.mu.lastPurge.IsZero() && now.Sub(q.mu.lastPurge) < purgeHold {
		q.mu.Unlock()
		return nil, sqsapi.NewPurgeQueueInProgress("Only one PurgeQueue operation on " + q.key.name + " is allowed every 60 seconds.")
	}
	q.mu.lastPurge = now
	for _, m := range q.mu.msgs {
		q.removeLocked(m)
		deleteMessage(&b, q.id, m.b.Key)
	}
	q.armLocked(now)
	q.mu.Unlock()
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	return &sqsapi.PurgeQueueOutput{}, nil
}

// pageArgs reads the paging members ListQueues and ListDeadLetterSourceQueues
// share: MaxResults (1–1000; 1000 when absent) and NextToken (the base64 of
// the last queue name of the previous page; "" when absent).
func pageArgs(maxResults *int32, nextToken *string) (limit int, after string, err error) {
	limit = 1000
	if maxResults != nil {
		limit = int(*maxResults)
		if limit < 1 || limit > 1000 {
			return 0, "", invalidParam(limit, "MaxResults", "MaxResults must be an integer between 1 and 1000.")
		}
	}
	if t := api.ToString(nextToken); t != "" {
		raw, err := base64.StdEncoding.DecodeString(t)
		if err != nil {
			return 0, "", newInvalidParameterValue("Invalid NextToken value.")
		}
		after = string(raw)
	}
	return limit, after, nil
}
