package lambda_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// TestSNSInvokesFunction: a topic with a lambda subscription invokes the
// function through Service.InvokeAsync, with SNS's event.
func TestSNSInvokesFunction(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	path := filepath.Join(t.TempDir(), "sns-event")
	pyFunction(t, srv, c, "subscriber", func(in *lambda.CreateFunctionInput) {
		in.Handler = aws.String("sub.handler")
		in.Code.ZipFile = zipOf(t, map[string]string{"sub.py": `
import json
def handler(event, context):
    with open(` + "'" + path + "'" + `, "w") as f:
        json.dump(event, f)
`})
	})
	sc := sns.NewFromConfig(srv.AWSConfig())
	topic, err := sc.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("to-lambda")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("lambda"), Endpoint: aws.String(arn("subscriber"))}); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("hello lambda")}); err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Records []struct {
			EventSource string
			Sns         struct{ Message string }
		}
	}
	waitFor(t, func() bool {
		b, err := os.ReadFile(path)
		return err == nil && json.Unmarshal(b, &ev) == nil
	})
	if len(ev.Records) != 1 || ev.Records[0].Sns.Message != "hello lambda" || ev.Records[0].EventSource != "aws:sns" {
		t.Errorf("event: %+v", ev)
	}
}
