package sns_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// forwarder is a Python function that sends the event it got to a queue.
const forwarder = `import json, os, boto3

def handler(event, context):
    boto3.client("sqs").send_message(QueueUrl=os.environ["QUEUE"], MessageBody=json.dumps(event))
    return {"ok": True}
`

// TestRealLambdaSubscription delivers through the real lambda service
// (services/lambda, asynchronous invoke): the function receives AWS's SNS
// event and forwards it to a queue.
func TestRealLambdaSubscription(t *testing.T) {
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skipf("python3 with boto3 is needed to run a Python function here: %v", err)
	}
	e := newEnv(t)
	lc := lambda.NewFromConfig(e.srv.AWSConfig())
	qURL, _ := e.queue("from-lambda")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("handler.py")
	_, _ = w.Write([]byte(forwarder))
	_ = zw.Close()
	fn, err := lc.CreateFunction(e.ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("forward"), Runtime: lambdatypes.RuntimePython312,
		Role: aws.String("arn:aws:iam::000000000000:role/lambda"), Handler: aws.String("handler.handler"), Timeout: aws.Int32(30),
		Code:        &lambdatypes.FunctionCode{ZipFile: zb.Bytes()},
		Environment: &lambdatypes.Environment{Variables: map[string]string{"QUEUE": qURL}}})
	if err != nil {
		t.Skipf("the lambda service cannot create a Python function here: %v", err)
	}
	e.srv.Advance(t, time.Second)
	topic := e.topic("to-lambda", nil)
	sub := e.subscribe(topic, "lambda", *fn.FunctionArn, nil)
	out := e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("hello function"), Subject: aws.String("subj"),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{"k": strAttr("v")}})
	var body string
	waitFor(t, "the function's message", func() bool {
		ms := e.receive(qURL)
		if len(ms) == 1 {
			body = *ms[0].Body
		}
		return body != ""
	})
	var ev struct {
		Records []struct {
			EventSource, EventSubscriptionArn string
			Sns                               struct {
				MessageId, Message, Subject, TopicArn string
				MessageAttributes                     map[string]struct{ Type, Value string }
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &ev); err != nil || len(ev.Records) != 1 {
		t.Fatalf("event %s: %v", body, err)
	}
	r := ev.Records[0]
	if r.EventSource != "aws:sns" || r.EventSubscriptionArn != sub || r.Sns.MessageId != *out.MessageId || r.Sns.Message != "hello function" ||
		r.Sns.Subject != "subj" || r.Sns.TopicArn != topic || r.Sns.MessageAttributes["k"].Value != "v" {
		t.Fatalf("event %s", body)
	}
}
