package sns_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// TestArchiveAndReplay: a FIFO topic with an ArchivePolicy keeps what is
// published; a subscription given a ReplayPolicy gets the messages of its
// window, through its filter policy; messages past the retention are gone.
func TestArchiveAndReplay(t *testing.T) {
	e := newEnv(t)
	arn := e.topic("archived.fifo", map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true",
		"ArchivePolicy": `{"MessageRetentionPeriod":"2"}`})
	a, err := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if err != nil || a.Attributes["BeginningArchiveTime"] == "" {
		t.Fatalf("attributes %v %v", a, err)
	}
	start := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	for _, m := range []struct{ body, kind string }{{"one", "keep"}, {"two", "skip"}, {"three", "keep"}} {
		e.publish(&sns.PublishInput{TopicArn: aws.String(arn), Message: aws.String(m.body), MessageGroupId: aws.String("g"),
			MessageAttributes: map[string]snstypes.MessageAttributeValue{"kind": strAttr(m.kind)}})
	}
	u, q := e.queue("replayed")
	sub := e.subscribe(arn, "sqs", q, map[string]string{"RawMessageDelivery": "true", "FilterPolicy": `{"kind":["keep"]}`,
		"ReplayPolicy": `{"PointType":"Timestamp","StartingPoint":"` + start + `"}`})
	ms := e.receive(u)
	if len(ms) != 2 || *ms[0].Body != "one" || *ms[1].Body != "three" {
		t.Fatalf("replayed %v", ms)
	}
	sa, _ := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)})
	if sa.Attributes["ReplayStatus"] != "Completed" {
		t.Fatalf("ReplayStatus %q", sa.Attributes["ReplayStatus"])
	}
	// A window that ends before anything was published replays nothing.
	u2, q2 := e.queue("empty")
	e.subscribe(arn, "sqs", q2, map[string]string{"RawMessageDelivery": "true",
		"ReplayPolicy": `{"PointType":"Timestamp","StartingPoint":"2020-01-01T00:00:00Z","EndingPoint":"2020-01-02T00:00:00Z"}`})
	if ms := e.receive(u2); len(ms) != 0 {
		t.Fatalf("empty window replayed %v", ms)
	}
	// Past the 2-day retention the archive is empty.
	e.srv.Advance(t, 49*time.Hour)
	u3, q3 := e.queue("late")
	e.subscribe(arn, "sqs", q3, map[string]string{"RawMessageDelivery": "true",
		"ReplayPolicy": `{"PointType":"Timestamp","StartingPoint":"` + start + `"}`})
	if ms := e.receive(u3); len(ms) != 0 {
		t.Fatalf("expired messages replayed %v", ms)
	}
	// Refused: a replay policy on a standard topic; a bad retention.
	std := e.topic("plain", nil)
	_, err = e.sns.Subscribe(e.ctx, &sns.SubscribeInput{TopicArn: aws.String(std), Protocol: aws.String("sqs"), Endpoint: aws.String(q3),
		Attributes: map[string]string{"ReplayPolicy": `{"PointType":"Timestamp","StartingPoint":"` + start + `"}`}})
	apiErr(t, err, "InvalidParameter", "")
	_, err = e.sns.SetTopicAttributes(e.ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(arn), AttributeName: aws.String("ArchivePolicy"),
		AttributeValue: aws.String(`{"MessageRetentionPeriod":"366"}`)})
	apiErr(t, err, "InvalidParameter", "")
	// Removing the policy stops archiving and clears BeginningArchiveTime.
	if _, err := e.sns.SetTopicAttributes(e.ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(arn), AttributeName: aws.String("ArchivePolicy"),
		AttributeValue: aws.String(`{}`)}); err != nil {
		t.Fatal(err)
	}
	a, _ = e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if _, ok := a.Attributes["BeginningArchiveTime"]; ok {
		t.Fatalf("attributes after removing the archive policy %v", a.Attributes)
	}
}
