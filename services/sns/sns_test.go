package sns_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
)

// env is a test server with SNS and SQS clients.
type env struct {
	t   *testing.T
	srv *fogbanktest.Server
	sns *sns.Client
	sqs *sqs.Client
	ctx context.Context
}

func newEnv(t *testing.T, opts ...fogbanktest.Option) *env {
	t.Helper()
	srv := fogbanktest.Start(t, opts...)
	cfg := srv.AWSConfig()
	return &env{t: t, srv: srv, sns: sns.NewFromConfig(cfg), sqs: sqs.NewFromConfig(cfg), ctx: context.Background()}
}

func (e *env) topic(name string, attrs map[string]string) string {
	e.t.Helper()
	out, err := e.sns.CreateTopic(e.ctx, &sns.CreateTopicInput{Name: aws.String(name), Attributes: attrs})
	if err != nil {
		e.t.Fatalf("CreateTopic %s: %v", name, err)
	}
	return *out.TopicArn
}

// queue creates a queue and returns its URL and ARN.
func (e *env) queue(name string) (string, string) {
	e.t.Helper()
	attrs := map[string]string{}
	if strings.HasSuffix(name, ".fifo") {
		attrs["FifoQueue"] = "true"
	}
	out, err := e.sqs.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		e.t.Fatalf("CreateQueue %s: %v", name, err)
	}
	a, err := e.sqs.GetQueueAttributes(e.ctx, &sqs.GetQueueAttributesInput{QueueUrl: out.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	if err != nil {
		e.t.Fatalf("GetQueueAttributes: %v", err)
	}
	return *out.QueueUrl, a.Attributes["QueueArn"]
}

func (e *env) subscribe(topic, proto, endpoint string, attrs map[string]string) string {
	e.t.Helper()
	out, err := e.sns.Subscribe(e.ctx, &sns.SubscribeInput{TopicArn: aws.String(topic), Protocol: aws.String(proto),
		Endpoint: aws.String(endpoint), Attributes: attrs, ReturnSubscriptionArn: true})
	if err != nil {
		e.t.Fatalf("Subscribe %s %s: %v", proto, endpoint, err)
	}
	return *out.SubscriptionArn
}

// receive returns every message now visible in a queue (deleting them).
func (e *env) receive(url string) []sqstypes.Message {
	e.t.Helper()
	var all []sqstypes.Message
	for {
		out, err := e.sqs.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10,
			MessageAttributeNames: []string{"All"}, MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"All"}})
		if err != nil {
			e.t.Fatalf("ReceiveMessage: %v", err)
		}
		if len(out.Messages) == 0 {
			return all
		}
		for _, m := range out.Messages {
			_, _ = e.sqs.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
		}
		all = append(all, out.Messages...)
	}
}

func (e *env) publish(in *sns.PublishInput) *sns.PublishOutput {
	e.t.Helper()
	out, err := e.sns.Publish(e.ctx, in)
	if err != nil {
		e.t.Fatalf("Publish: %v", err)
	}
	return out
}

// apiErr asserts err is an API error with code and (if not "") message.
func apiErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s error, got %v", code, err)
	}
	if ae.ErrorCode() != code || (msg != "" && ae.ErrorMessage() != msg) {
		t.Fatalf("want %s %q, got %s %q", code, msg, ae.ErrorCode(), ae.ErrorMessage())
	}
}

type envelope struct {
	Type, MessageId, TopicArn, Subject, Message, Timestamp, SignatureVersion, Signature, SigningCertURL, UnsubscribeURL string
	SequenceNumber, Token, SubscribeURL                                                                                 string
	MessageAttributes                                                                                                   map[string]struct{ Type, Value string }
}

func parseEnvelope(t *testing.T, body string) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("envelope %q: %v", body, err)
	}
	return e
}

func TestPublishToSQSEnvelopeAndRaw(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("orders", nil)
	u1, a1 := e.queue("env")
	u2, a2 := e.queue("raw")
	e.subscribe(topic, "sqs", a1, nil)
	e.subscribe(topic, "sqs", a2, map[string]string{"RawMessageDelivery": "true"})
	out := e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("hello"), Subject: aws.String("greeting"),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{
			"n": {DataType: aws.String("Number"), StringValue: aws.String("99.12")},
			"b": {DataType: aws.String("Binary"), BinaryValue: []byte{1, 2, 3}},
		}})

	ms := e.receive(u1)
	if len(ms) != 1 {
		t.Fatalf("envelope queue: %d messages", len(ms))
	}
	env := parseEnvelope(t, *ms[0].Body)
	if env.Type != "Notification" || env.MessageId != *out.MessageId || env.TopicArn != topic || env.Message != "hello" ||
		env.Subject != "greeting" || env.SignatureVersion != "1" || env.Signature == "" || env.SigningCertURL == "" || env.UnsubscribeURL == "" {
		t.Fatalf("envelope %+v", env)
	}
	if a := env.MessageAttributes["n"]; a.Type != "Number" || a.Value != "99.12" {
		t.Fatalf("attrs %+v", env.MessageAttributes)
	}
	if a := env.MessageAttributes["b"]; a.Type != "Binary" || a.Value != "AQID" {
		t.Fatalf("binary attr %+v", a)
	}
	if len(ms[0].MessageAttributes) != 0 {
		t.Fatalf("envelope delivery has SQS attributes %v", ms[0].MessageAttributes)
	}
	// An SQS subscription's UnsubscribeURL needs a signature.
	resp, err := http.Get(env.UnsubscribeURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unsigned unsubscribe of an SQS subscription: %d", resp.StatusCode)
	}

	ms = e.receive(u2)
	if len(ms) != 1 || *ms[0].Body != "hello" {
		t.Fatalf("raw queue: %+v", ms)
	}
	if a := ms[0].MessageAttributes["n"]; aws.ToString(a.DataType) != "Number" || aws.ToString(a.StringValue) != "99.12" {
		t.Fatalf("raw attrs %+v", ms[0].MessageAttributes)
	}
	if a := ms[0].MessageAttributes["b"]; string(a.BinaryValue) != "\x01\x02\x03" {
		t.Fatalf("raw binary attr %+v", a)
	}
}

type sqsDeleteInput = sqs.DeleteQueueInput

func fogbanktestWith(f func(*fogbank.Options)) fogbanktest.Option { return fogbanktest.WithOptions(f) }
