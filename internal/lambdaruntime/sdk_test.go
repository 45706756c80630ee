package lambdaruntime_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/lambdaruntime"
)

// TestFunctionSDKCallsReachFogbank runs functions whose own AWS SDK (boto3; the JS SDK v3
// imported from an ES module) sends to an SQS queue of a real Fogbank server, configured only
// by what the engine puts in their environment (AWS_ENDPOINT_URL, credentials, region).
func TestFunctionSDKCallsReachFogbank(t *testing.T) {
	srv := fogbanktest.Start(t)
	client := sqs.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	q, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("from-functions")})
	if err != nil {
		t.Fatal(err)
	}
	e := lambdaruntime.New(lambdaruntime.Config{WorkDir: t.TempDir(), Endpoint: srv.URL})
	t.Cleanup(func() { _ = e.Close(context.Background()) })
	code, _ := filepath.Abs("testdata/sdkcalls")

	for _, tc := range []struct{ runtime, handler string }{
		{"python3.12", "send.handler"},
		{"nodejs20.x", "send.handler"},
	} {
		t.Run(tc.runtime, func(t *testing.T) {
			fn := &lambdaruntime.Function{
				ARN:  "arn:aws:lambda:us-east-1:000000000000:function:sdk-" + strings.ReplaceAll(tc.runtime, ".", "") + ":$LATEST",
				Name: "sdk", Version: "$LATEST", Revision: "1", Runtime: tc.runtime, Handler: tc.handler,
				CodeDir: code, MemoryMB: 256, Timeout: 20 * time.Second, Region: "us-east-1", Account: "000000000000",
				AccessKey: "AKIDFUNCTION", SecretKey: "secret",
			}
			body := "hello from " + tc.runtime
			payload, _ := json.Marshal(map[string]string{"queueUrl": *q.QueueUrl, "body": body})
			res, err := e.Invoke(ctx, fn, lambdaruntime.Invocation{Payload: payload})
			if err != nil {
				if strings.Contains(err.Error(), "unavailable") {
					t.Skip(err)
				}
				t.Fatal(err)
			}
			if res.FunctionError != "" {
				if (strings.Contains(string(res.Payload), "Cannot find") || strings.Contains(string(res.Payload), "No module named 'boto3'")) && os.Getenv("CI") == "" {
					t.Skipf("SDK not installed here (scripts/install-lambda-node-sdk.sh; CI fails instead): %s", res.Payload)
				}
				t.Fatalf("%s: %s\n%s", res.FunctionError, res.Payload, res.Log)
			}
			var sent struct{ MessageID string }
			if err := json.Unmarshal(res.Payload, &sent); err != nil || sent.MessageID == "" {
				t.Fatalf("result %s", res.Payload)
			}
			got, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Messages) != 1 || aws.ToString(got.Messages[0].Body) != body || aws.ToString(got.Messages[0].MessageId) != sent.MessageID {
				t.Fatalf("queue holds %+v, want the function's message %q", got.Messages, body)
			}
			if _, err := client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: got.Messages[0].ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
