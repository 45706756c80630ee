package sns_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"
)

// TestRecordedFilterPolicyErrors replays, through Subscribe or
// SetSubscriptionAttributes (whichever the recorded message's prefix says
// the LocalStack test used), every filter-policy error recorded from AWS in
// test_sns_filter_policy.snapshot.json whose policy internal/eventpattern's
// testdata reconstructs: code, status and the whole message, column
// included.
func TestRecordedFilterPolicyErrors(t *testing.T) {
	var cases []struct {
		Snapshot, Dialect, Pattern, Code, Message string
		Status                                    int
	}
	raw, err := os.ReadFile("testdata/recorded_filter_errors.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	topic := e.topic("filters", nil)
	_, q := e.queue("q")
	sub := e.subscribe(topic, "sqs", q, nil)
	for _, c := range cases {
		t.Run(c.Snapshot, func(t *testing.T) {
			scope := "MessageAttributes"
			if c.Dialect == "SNSBody" {
				scope = "MessageBody"
			}
			if strings.HasPrefix(c.Message, "Invalid parameter: Attributes Reason: ") {
				_, err = e.sns.Subscribe(e.ctx, &sns.SubscribeInput{TopicArn: aws.String(topic), Protocol: aws.String("sqs"), Endpoint: aws.String(q),
					Attributes: map[string]string{"FilterPolicy": c.Pattern, "FilterPolicyScope": scope}})
			} else {
				if _, serr := e.sns.SetSubscriptionAttributes(e.ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub),
					AttributeName: aws.String("FilterPolicyScope"), AttributeValue: aws.String(scope)}); serr != nil {
					t.Fatal(serr)
				}
				_, err = e.sns.SetSubscriptionAttributes(e.ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub),
					AttributeName: aws.String("FilterPolicy"), AttributeValue: aws.String(c.Pattern)})
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("want %s, got %v", c.Message, err)
			}
			if ae.ErrorCode() != c.Code || ae.ErrorMessage() != c.Message {
				t.Errorf("got %s %q\nwant %s %q", ae.ErrorCode(), ae.ErrorMessage(), c.Code, c.Message)
			}
		})
	}
}
