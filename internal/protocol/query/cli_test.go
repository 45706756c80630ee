package query

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/sqs"
)

// awsCLI is AWS CLI v2.9 from Debian, the client that speaks SQS over query.
const awsCLI = "/usr/bin/aws"

// TestAWSCLI drives the codec with the real AWS CLI v2.9 (SQS over query):
// its requests must decode to what was typed, and it must accept what
// Encode and EncodeError write, including the MD5 checks it makes of message
// bodies that need escaping. Skipped without the CLI or in -short mode.
func TestAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an external client")
	}
	if _, err := os.Stat(awsCLI); err != nil {
		t.Skip("AWS CLI v2 not installed at " + awsCLI)
	}
	const body = "line1\r\nline2 <&> \"q\" 'a' ünï 😹\ttab\rcr"
	var mu sync.Mutex
	var sent *sqs.SendMessageRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c := &api.Call{Service: sqs.Service, Request: r, Body: b, RequestID: "11111111-2222-3333-4444-555555555555", Protocol: Protocol}
		codec := Codec{}
		if err := codec.Resolve(c); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
			return
		}
		in := c.Op.NewInput()
		if err := codec.Decode(c, in); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
			return
		}
		var out any
		switch c.Op.Name {
		case "SendMessage":
			req := in.(*sqs.SendMessageRequest)
			mu.Lock()
			sent = req
			mu.Unlock()
			out = &sqs.SendMessageResult{MessageId: api.String("m-1"), MD5OfMessageBody: api.String(md5hex(api.ToString(req.MessageBody)))}
		case "ReceiveMessage":
			out = &sqs.ReceiveMessageResult{Messages: []*sqs.Message{{
				MessageId: api.String("m-1"), ReceiptHandle: api.String("rh+/="), Body: api.String(body),
				MD5OfBody: api.String(md5hex(body)), Attributes: map[string]string{"SentTimestamp": "1764460000000", "ApproximateReceiveCount": "2"},
				MessageAttributes: map[string]*sqs.MessageAttributeValue{
					"s": {DataType: api.String("String"), StringValue: api.String("v<&>")},
					"b": {DataType: api.String("Binary"), BinaryValue: []byte{0, 1, 2}},
				},
			}}}
		default:
			codec.EncodeError(w, c, sqs.NewQueueDoesNotExist("The specified queue does not exist."))
			return
		}
		if err := codec.Encode(w, c, out); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
		}
	}))
	defer srv.Close()

	run := func(args ...string) (string, error) {
		cmd := exec.Command(awsCLI, append([]string{"--endpoint-url", srv.URL, "--output", "json", "sqs"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
			"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	queue := srv.URL + "/000000000000/q"

	t.Run("send-message", func(t *testing.T) {
		out, err := run("send-message", "--queue-url", queue, "--message-body", body, "--delay-seconds", "3",
			"--message-attributes", `{"a":{"DataType":"String","StringValue":"x&y"},"b":{"DataType":"Binary","BinaryValue":"AQI="}}`)
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		mu.Lock()
		defer mu.Unlock()
		if sent == nil || api.ToString(sent.MessageBody) != body || api.ToInt32(sent.DelaySeconds) != 3 || api.ToString(sent.QueueUrl) != queue {
			t.Fatalf("decoded %+v", sent)
		}
		a, b := sent.MessageAttributes["a"], sent.MessageAttributes["b"]
		if a == nil || api.ToString(a.StringValue) != "x&y" || b == nil || string(b.BinaryValue) != "\x01\x02" {
			t.Fatalf("attributes %+v", sent.MessageAttributes)
		}
	})
	t.Run("receive-message", func(t *testing.T) {
		out, err := run("receive-message", "--queue-url", queue, "--attribute-names", "All", "--max-number-of-messages", "10")
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var got struct {
			Messages []struct {
				Body, ReceiptHandle string
				Attributes          map[string]string
				MessageAttributes   map[string]struct{ DataType, StringValue, BinaryValue string }
			}
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if len(got.Messages) != 1 || got.Messages[0].Body != body || got.Messages[0].ReceiptHandle != "rh+/=" ||
			got.Messages[0].Attributes["ApproximateReceiveCount"] != "2" ||
			got.Messages[0].MessageAttributes["s"].StringValue != "v<&>" || got.Messages[0].MessageAttributes["b"].BinaryValue != "AAEC" {
			t.Fatalf("parsed %+v", got)
		}
	})
	t.Run("error", func(t *testing.T) {
		out, err := run("get-queue-url", "--queue-name", "nope")
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("want a failing exit, got %v: %s", err, out)
		}
		for _, want := range []string{"An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation",
			": The specified queue does not exist."} {
			if !strings.Contains(out, want) {
				t.Fatalf("output %q lacks %q", out, want)
			}
		}
	})
}

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}
