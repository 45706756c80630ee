package s3_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/service"
	s3svc "github.com/fogbank/fogbank/services/s3"
	"github.com/fogbank/fogbank/services/sns"
	"github.com/fogbank/fogbank/services/sqs"
)

// fakeLambda stands in for Lambda: it records async invokes.
type fakeLambda struct {
	mu       sync.Mutex
	payloads []string
}

func (*fakeLambda) APIs() []service.Binding { return nil }

func (f *fakeLambda) InvokeAsync(_ context.Context, arn string, payload []byte) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.payloads = append(f.payloads, arn+" "+string(payload))
	return "req", nil
}

type s3Event struct {
	Records []struct {
		EventVersion, EventSource, AwsRegion, EventName string
		S3                                              struct {
			ConfigurationID string `json:"configurationId"`
			Bucket          struct{ Name, Arn string }
			Object          struct {
				Key, ETag, VersionID, Sequencer string
				Size                            int64
			}
		}
	}
	Event string
}

func receiveAll(t *testing.T, q *awssqs.Client, url string) []s3Event {
	t.Helper()
	var out []s3Event
	for {
		r, err := q.ReceiveMessage(context.Background(), &awssqs.ReceiveMessageInput{QueueUrl: &url, MaxNumberOfMessages: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Messages) == 0 {
			return out
		}
		for _, m := range r.Messages {
			var e s3Event
			if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &e); err != nil {
				t.Fatalf("event %q: %v", aws.ToString(m.Body), err)
			}
			out = append(out, e)
			q.DeleteMessage(context.Background(), &awssqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: m.ReceiptHandle})
		}
	}
}

func names(evs []s3Event) string {
	var s []string
	for _, e := range evs {
		if e.Event != "" {
			s = append(s, e.Event)
			continue
		}
		for _, r := range e.Records {
			s = append(s, r.EventName+" "+r.S3.Object.Key)
		}
	}
	return strings.Join(s, ", ")
}

func TestNotifications(t *testing.T) {
	ctx := context.Background()
	lam := &fakeLambda{}
	srv := fogbanktest.Start(t, fogbanktest.WithOptions(func(o *fogbank.Options) {
		o.Services = []service.Info{sqs.Info, sns.Info,
			{Name: "lambda", New: func(service.Env) (service.Service, error) { return lam, nil }}, s3svc.Info}
	}))
	c := client(srv, "us-east-1")
	q := awssqs.NewFromConfig(srv.AWSConfig())
	tp := awssns.NewFromConfig(srv.AWSConfig())
	mustCreate(t, c, "events")
	b := aws.String("events")
	qu, err := q.CreateQueue(ctx, &awssqs.CreateQueueInput{QueueName: aws.String("s3-events")})
	if err != nil {
		t.Fatal(err)
	}
	qarn := "arn:aws:sqs:us-east-1:000000000000:s3-events"
	viaTopic, _ := q.CreateQueue(ctx, &awssqs.CreateQueueInput{QueueName: aws.String("via-topic")})
	topic, err := tp.CreateTopic(ctx, &awssns.CreateTopicInput{Name: aws.String("s3-topic")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tp.Subscribe(ctx, &awssns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"),
		Endpoint: aws.String("arn:aws:sqs:us-east-1:000000000000:via-topic"), Attributes: map[string]string{"RawMessageDelivery": "true"}}); err != nil {
		t.Fatal(err)
	}

	// Bad configurations change nothing.
	for _, tc := range []struct {
		name string
		cfg  types.NotificationConfiguration
		code string
	}{
		{"unparsable arn", types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{QueueArn: aws.String("invalid-queue"), Events: []types.Event{"s3:ObjectCreated:*"}}}}, "InvalidArgument"},
		{"missing queue", types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{QueueArn: aws.String("arn:aws:sqs:us-east-1:000000000000:nope"), Events: []types.Event{"s3:ObjectCreated:*"}}}}, "InvalidArgument"},
		{"missing topic", types.NotificationConfiguration{TopicConfigurations: []types.TopicConfiguration{{TopicArn: aws.String("arn:aws:sns:us-east-1:000000000000:nope"), Events: []types.Event{"s3:ObjectCreated:*"}}}}, "InvalidArgument"},
		{"bad event", types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{QueueArn: &qarn, Events: []types.Event{"s3:Nonsense"}}}}, "InvalidArgument"},
		{"bad filter", types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{QueueArn: &qarn, Events: []types.Event{"s3:ObjectCreated:*"},
			Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{{Name: "INVALID", Value: aws.String("x")}}}}}}}, "InvalidArgument"},
	} {
		cfg := tc.cfg
		_, err := c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: b, NotificationConfiguration: &cfg})
		wantErr(t, err, tc.code, 400)
	}
	got, _ := c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: b})
	if len(got.QueueConfigurations)+len(got.TopicConfigurations) != 0 {
		t.Fatalf("a refused configuration was stored: %+v", got)
	}
	// SkipDestinationValidation stores a missing queue.
	_, err = c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: b, SkipDestinationValidation: aws.Bool(true),
		NotificationConfiguration: &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{Id: aws.String("id123"), QueueArn: aws.String("arn:aws:sqs:us-east-1:000000000000:nope"), Events: []types.Event{"s3:ObjectCreated:*"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	receiveAll(t, q, aws.ToString(qu.QueueUrl))

	_, err = c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: b, NotificationConfiguration: &types.NotificationConfiguration{
		QueueConfigurations: []types.QueueConfiguration{{Id: aws.String("q"), QueueArn: &qarn, Events: []types.Event{"s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectTagging:*"},
			Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{{Name: "prefix", Value: aws.String("up/")}, {Name: "suffix", Value: aws.String(".txt")}}}}}},
		TopicConfigurations:          []types.TopicConfiguration{{Id: aws.String("t"), TopicArn: topic.TopicArn, Events: []types.Event{"s3:ObjectCreated:Put"}}},
		LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{{Id: aws.String("l"), LambdaFunctionArn: aws.String("arn:aws:lambda:us-east-1:000000000000:function:fn"), Events: []types.Event{"s3:ObjectRemoved:Delete"}}},
		EventBridgeConfiguration:     &types.EventBridgeConfiguration{},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, err = c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: b})
	if err != nil || len(got.QueueConfigurations) != 1 || got.EventBridgeConfiguration == nil ||
		got.QueueConfigurations[0].Filter.Key.FilterRules[0].Name != "Prefix" {
		t.Fatalf("GetBucketNotificationConfiguration: %v %+v", err, got)
	}
	if n := names(receiveAll(t, q, aws.ToString(qu.QueueUrl))); n != "s3:TestEvent" {
		t.Errorf("test event: %q", n)
	}
	receiveAll(t, q, aws.ToString(viaTopic.QueueUrl))

	mustPut(t, c, "events", "up/a@b.txt", "hello")
	mustPut(t, c, "events", "up/skip.bin", "x")
	mustPut(t, c, "events", "other.txt", "x")
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("up/copy.txt"), CopySource: aws.String("events/up/a@b.txt")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: aws.String("up/copy.txt"), Tagging: tagSet("a", "b")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("up/copy.txt")}); err != nil {
		t.Fatal(err)
	}
	evs := receiveAll(t, q, aws.ToString(qu.QueueUrl))
	want := "ObjectCreated:Put up%2Fa%40b.txt, ObjectCreated:Copy up%2Fcopy.txt, ObjectTagging:Put up%2Fcopy.txt, ObjectRemoved:Delete up%2Fcopy.txt"
	if n := names(evs); n != want {
		t.Errorf("queue events\n got %s\nwant %s", n, want)
	}
	if len(evs) > 0 {
		r := evs[0].Records[0]
		if r.EventVersion != "2.1" || r.EventSource != "aws:s3" || r.AwsRegion != "us-east-1" || r.S3.ConfigurationID != "q" ||
			r.S3.Bucket.Arn != "arn:aws:s3:::events" || r.S3.Object.Size != 5 || r.S3.Object.ETag != "5d41402abc4b2a76b9719d911017c592" {
			t.Errorf("event record: %+v", r)
		}
	}
	if n := names(receiveAll(t, q, aws.ToString(viaTopic.QueueUrl))); n != "ObjectCreated:Put up%2Fa%40b.txt, ObjectCreated:Put up%2Fskip.bin, ObjectCreated:Put other.txt" {
		t.Errorf("topic events: %s", n)
	}
	lam.mu.Lock()
	if len(lam.payloads) != 1 || !strings.HasPrefix(lam.payloads[0], "arn:aws:lambda:us-east-1:000000000000:function:fn {\"Records\"") {
		t.Errorf("lambda payloads: %v", lam.payloads)
	}
	lam.mu.Unlock()

	// A versioned bucket's delete makes a marker.
	setVersioning(t, c, "events", "Enabled")
	mustPut(t, c, "events", "up/v.txt", "v")
	c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("up/v.txt")})
	evs = receiveAll(t, q, aws.ToString(qu.QueueUrl))
	if n := names(evs); n != "ObjectCreated:Put up%2Fv.txt, ObjectRemoved:DeleteMarkerCreated up%2Fv.txt" {
		t.Errorf("versioned events: %s", n)
	}
	if len(evs) == 2 && evs[0].Records[0].S3.Object.VersionID == "" {
		t.Errorf("versioned event without versionId")
	}
}
