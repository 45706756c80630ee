package sns

import (
	"context"

	snsapi "github.com/fogbank/fogbank/internal/api/sns"
)

// Other services publish to topics in-process (S3 event notifications,
// EventBridge targets), through the small interface they declare:
//
//	type publisher interface {
//		Publish(ctx context.Context, topicARN string, m sns.Message) (string, error)
//	}
//
// and env.Peers.Lookup("sns").(publisher). Publish applies exactly the
// rules of the Publish API (size, attributes, FIFO group and deduplication
// ids) and fans out the same way; the topic's account and region come from
// its ARN.

// Message is a message another service publishes to a topic.
type Message struct {
	// Subject is the notification's Subject ("Amazon S3 Notification"); may
	// be empty.
	Subject string
	// Body is the Message: what subscribers receive (the JSON envelope's
	// Message, or the whole body with raw delivery).
	Body string
	// Attributes are message attributes (DataType String, Number, Binary,
	// String.Array), checked as Publish checks them.
	Attributes map[string]*snsapi.MessageAttributeValue
	// GroupID and DeduplicationID are required by FIFO topics (a FIFO topic
	// with ContentBasedDeduplication derives the latter from Body).
	GroupID         string
	DeduplicationID string
}

// Publish publishes m to the topic with ARN topicARN and returns the
// message id. Errors are the *api.Error the Publish API would return
// (NotFound for a topic that does not exist).
func (s *Service) Publish(ctx context.Context, topicARN string, m Message) (string, error) {
	return s.publishInternal(ctx, topicARN, m)
}
