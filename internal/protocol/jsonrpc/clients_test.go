package jsonrpc_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/protocol/jsonrpc"
)

// stubSQS serves a few SQS operations through the codec alone, so a real
// client can judge the wire format: what it sent must decode, what we send
// must parse, and our errors must become its typed exceptions.
func stubSQS(t *testing.T) *httptest.Server {
	codec := jsonrpc.Codec{}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &api.Call{Service: sqs.Service, Request: r, RequestID: "stub-request", Protocol: jsonrpc.Protocol}
		c.Body, _ = io.ReadAll(r.Body)
		if err := codec.Resolve(c); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
			return
		}
		in := c.Op.NewInput()
		if err := codec.Decode(c, in); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
			return
		}
		md5hex := func(s string) *string { h := md5.Sum([]byte(s)); return api.String(hex.EncodeToString(h[:])) }
		var out any
		switch in := in.(type) {
		case *sqs.SendMessageRequest:
			body := api.ToString(in.MessageBody)
			bin := in.MessageAttributes["bin"]
			if a := in.MessageAttributes["trace"]; a == nil || api.ToString(a.StringValue) != "t-1" || bin != nil && string(bin.BinaryValue) != "\x00\xff" {
				codec.EncodeError(w, c, api.NewValidationError("attributes did not decode: %+v", in.MessageAttributes))
				return
			}
			out = &sqs.SendMessageResult{MessageId: api.String("m-1"), MD5OfMessageBody: md5hex(body)}
		case *sqs.ReceiveMessageRequest:
			body := "héllo \"world\"\n<&>"
			out = &sqs.ReceiveMessageResult{Messages: []*sqs.Message{{
				MessageId: api.String("m-1"), ReceiptHandle: api.String("rh-1"), Body: &body, MD5OfBody: md5hex(body),
				Attributes: map[string]string{"ApproximateReceiveCount": "1"},
			}}}
		case *sqs.GetQueueUrlRequest:
			codec.EncodeError(w, c, sqs.NewQueueDoesNotExist("The specified queue does not exist."))
			return
		default:
			codec.EncodeError(w, c, api.NewNotImplemented("sqs", c.Op.Name))
			return
		}
		if err := codec.Encode(w, c, out); err != nil {
			t.Error(err)
		}
	}))
}

const boto3Script = `
import json, sys, boto3, botocore
sqs = boto3.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
q = sys.argv[1] + "/000000000000/q"
out = {}
r = sqs.send_message(QueueUrl=q, MessageBody="hi", MessageAttributes={
    "trace": {"DataType": "String", "StringValue": "t-1"},
    "bin": {"DataType": "Binary", "BinaryValue": b"\x00\xff"}})
out["send"] = r["MessageId"]
r = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=1, AttributeNames=["All"])
out["receive"] = r["Messages"][0]["Body"]
out["count"] = r["Messages"][0]["Attributes"]["ApproximateReceiveCount"]
try:
    sqs.get_queue_url(QueueName="nope")
except sqs.exceptions.QueueDoesNotExist as e:
    out["error"] = e.response["Error"]["Code"]
    out["message"] = e.response["Error"]["Message"]
    out["status"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
try:
    sqs.delete_queue(QueueUrl=q)
except botocore.exceptions.ClientError as e:
    out["unimplemented"] = e.response["Error"]["Code"]
print(json.dumps(out))
`

// TestBoto3 runs boto3 (SQS over JSON in current versions) against the codec.
func TestBoto3(t *testing.T) {
	if testing.Short() {
		t.Skip("runs python3")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	if exec.Command(py, "-c", "import boto3").Run() != nil {
		t.Skip("no boto3")
	}
	srv := stubSQS(t)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-c", boto3Script, srv.URL)
	cmd.Env = append(cmd.Environ(), "AWS_MAX_ATTEMPTS=1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, b)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("boto3 output %q: %v", b, err)
	}
	want := map[string]any{
		"send": "m-1", "receive": "héllo \"world\"\n<&>", "count": "1",
		"error": "AWS.SimpleQueueService.NonExistentQueue", "message": "The specified queue does not exist.", "status": 400.0,
		"unimplemented": "NotImplemented",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
}

// TestJSSDK runs the AWS SDK for JavaScript v3 SQS client (JSON protocol)
// against the codec, through the e2e harness's call.mjs when its
// node_modules are installed.
func TestJSSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	node, err := exec.LookPath("node")
	script, _ := filepath.Abs("../../../e2e/js/call.mjs")
	if err != nil {
		t.Skip("no node")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(script), "node_modules", "@aws-sdk", "client-sqs")); err != nil {
		t.Skip("e2e/js node_modules not installed")
	}
	srv := stubSQS(t)
	defer srv.Close()
	q := srv.URL + "/000000000000/q"
	call := func(op string, params any) map[string]any {
		p, _ := json.Marshal(params)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, script, "sqs", op, string(p))
		cmd.Env = append(cmd.Environ(), "AWS_ENDPOINT_URL="+srv.URL, "AWS_REGION=us-east-1", "AWS_MAX_ATTEMPTS=1",
			"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret")
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s", op, err, b)
		}
		var res map[string]any
		if err := json.Unmarshal(b, &res); err != nil {
			t.Fatalf("%s: output %q: %v", op, b, err)
		}
		return res
	}
	send := call("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": "hi", "MessageAttributes": map[string]any{
		"trace": map[string]any{"DataType": "String", "StringValue": "t-1"},
	}}) // call.mjs takes JSON params, which cannot carry a Uint8Array

	if out, _ := send["output"].(map[string]any); send["ok"] != true || out["MessageId"] != "m-1" {
		t.Errorf("SendMessage: %v", send)
	}
	recv := call("ReceiveMessage", map[string]any{"QueueUrl": q})
	out, _ := recv["output"].(map[string]any)
	msgs, _ := out["Messages"].([]any)
	if len(msgs) != 1 || msgs[0].(map[string]any)["Body"] != "héllo \"world\"\n<&>" {
		t.Errorf("ReceiveMessage: %v", recv)
	}
	gq := call("GetQueueUrl", map[string]any{"QueueName": "nope"})
	e, _ := gq["error"].(map[string]any)
	if gq["ok"] != false || e["code"] != "AWS.SimpleQueueService.NonExistentQueue" && e["code"] != "QueueDoesNotExist" || e["status"] != 400.0 {
		t.Errorf("GetQueueUrl: %v", gq)
	}
	t.Logf("JS SDK error for a missing queue: %v", e)
}

// TestGoSDK runs aws-sdk-go-v2's SQS client (JSON protocol, query-compatible
// error codes) against the codec.
func TestGoSDK(t *testing.T) {
	srv := stubSQS(t)
	defer srv.Close()
	client := awssqs.New(awssqs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	})
	ctx := context.Background()
	q := srv.URL + "/000000000000/q"
	sent, err := client.SendMessage(ctx, &awssqs.SendMessageInput{QueueUrl: &q, MessageBody: aws.String("hi"),
		MessageAttributes: map[string]sqstypes.MessageAttributeValue{
			"trace": {DataType: aws.String("String"), StringValue: aws.String("t-1")},
			"bin":   {DataType: aws.String("Binary"), BinaryValue: []byte{0, 0xff}},
		}})
	if err != nil || aws.ToString(sent.MessageId) != "m-1" {
		t.Fatalf("SendMessage: %v %v", sent, err)
	}
	got, err := client.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{QueueUrl: &q})
	if err != nil || len(got.Messages) != 1 || aws.ToString(got.Messages[0].Body) != "héllo \"world\"\n<&>" ||
		got.Messages[0].Attributes["ApproximateReceiveCount"] != "1" {
		t.Fatalf("ReceiveMessage: %+v %v", got, err)
	}
	_, err = client.GetQueueUrl(ctx, &awssqs.GetQueueUrlInput{QueueName: aws.String("nope")})
	var qdne *sqstypes.QueueDoesNotExist
	if !errors.As(err, &qdne) {
		t.Fatalf("GetQueueUrl: %v, want a QueueDoesNotExist", err)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AWS.SimpleQueueService.NonExistentQueue" || ae.ErrorMessage() != "The specified queue does not exist." {
		t.Errorf("GetQueueUrl error code %q message %q", ae.ErrorCode(), ae.ErrorMessage())
	}
}
