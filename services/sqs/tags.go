package sqs

import (
	"context"

	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// Queue tags: TagQueue, UntagQueue, ListQueueTags. Tags live in the queue
// record.

// maxTags is how many tags a queue may have.
const maxTags = 50

// TagQueue adds or replaces tags.
func (s *Service) TagQueue(ctx context.Context, in *sqsapi.TagQueueRequest) (*sqsapi.TagQueueOutput, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	q.mu.Lock()
	n := len(q.mu.tags)
	for k := range in.Tags {
		if _, ok := q.mu.tags[k]; !ok {
			n++
		}
	}
	q.mu.Unlock()
	if n > maxTags {
		return nil, newInvalidParameterValue("Too many tags added for queue %s.", q.key.name)
	}
	err = s.updateQueue(ctx, q, func() {
		for k, v := range in.Tags {
			q.mu.tags[k] = v
		}
	})
	if err != nil {
		return nil, err
	}
	return &sqsapi.TagQueueOutput{}, nil
}

// UntagQueue removes tags; keys that are not there are ignored.
func (s *Service) UntagQueue(ctx context.Context, in *sqsapi.UntagQueueRequest) (*sqsapi.UntagQueueOutput, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	err = s.updateQueue(ctx, q, func() {
		for _, k := range in.TagKeys {
			delete(q.mu.tags, k)
		}
	})
	if err != nil {
		return nil, err
	}
	return &sqsapi.UntagQueueOutput{}, nil
}

// ListQueueTags returns a queue's tags (no Tags member when there are none,
// as recorded).
func (s *Service) ListQueueTags(ctx context.Context, in *sqsapi.ListQueueTagsRequest) (*sqsapi.ListQueueTagsResult, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	out := &sqsapi.ListQueueTagsResult{}
	q.mu.Lock()
	if len(q.mu.tags) > 0 {
		out.Tags = make(map[string]string, len(q.mu.tags))
		for k, v := range q.mu.tags {
			out.Tags[k] = v
		}
	}
	q.mu.Unlock()
	return out, nil
}
