package sqs

import (
	"context"
	"fmt"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// Other services deliver into SQS in-process (SNS fan-out, EventBridge
// targets, Lambda destinations), through the small interface they declare:
//
//	type enqueuer interface {
//		Enqueue(ctx context.Context, queueARN string, m sqs.Message) (string, error)
//	}
//
// Enqueue applies exactly the rules and durability of SendMessage: the
// message is checked, made durable, and only then receivable.

// Message is a message another service sends to a queue.
type Message struct {
	Body       string
	Attributes map[string]*sqsapi.MessageAttributeValue
	// GroupID and DeduplicationID are required by FIFO queues (a FIFO queue
	// with ContentBasedDeduplication derives the latter).
	GroupID         string
	DeduplicationID string
	// DelaySeconds is -1 for the queue's default.
	DelaySeconds int
	// SenderID is reported as the message's SenderId (an ARN or account).
	SenderID    string
	TraceHeader string
}

// Enqueue sends m to the queue with ARN queueARN and returns the message id.
// Errors are the *api.Error SendMessage would return.
func (s *Service) Enqueue(ctx context.Context, queueARN string, m Message) (string, error) {
	q := s.queueForARN(queueARN)
	if q == nil {
		return "", queueDoesNotExist("json")
	}
	e := sendEntry{body: &m.Body, attrs: m.Attributes}
	if m.DelaySeconds >= 0 {
		d := int32(m.DelaySeconds)
		e.delay = &d
	}
	if m.GroupID != "" {
		e.groupID = &m.GroupID
	}
	if m.DeduplicationID != "" {
		e.dedupID = &m.DeduplicationID
	}
	if m.TraceHeader != "" {
		e.sysAttrs = map[string]*sqsapi.MessageSystemAttributeValue{
			"AWSTraceHeader": {DataType: api.String("String"), StringValue: api.String(m.TraceHeader)},
		}
	}
	ctx = api.WithCall(ctx, &api.Call{Account: q.key.account, Region: q.key.region, Protocol: "json", AccessKey: m.SenderID})
	b, err := s.prepare(ctx, q, e)
	if err != nil {
		return "", err
	}
	res, err := s.enqueue(ctx, q, []*body{b})
	if err != nil {
		return "", fmt.Errorf("sqs: enqueue to %s: %w", queueARN, err)
	}
	return res[0].id, nil
}
