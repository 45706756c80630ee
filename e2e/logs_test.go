package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// CloudWatch Logs through the AWS CLI v2, the AWS CLI v1 and boto3: a group
// and stream are created, events put, read back with get-log-events and
// filter-log-events, a missing group is ResourceNotFoundException, and
// `aws logs tail` (CLI v2) prints what was put. The JS SDK v3 is left out:
// @aws-sdk/client-cloudwatch-logs is not installed in e2e/js.

// logsClients are the clients that speak CloudWatch Logs here.
func logsClients(t *testing.T, fn func(t *testing.T, c *Client)) {
	t.Helper()
	for _, c := range clients {
		if c.Name == "js-sdk-v3" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			require(t, c.Name, c.check("logs"))
			fn(t, c)
		})
	}
}

func TestLogs(t *testing.T) {
	s := startServer(t, ServerOptions{})
	logsClients(t, func(t *testing.T, c *Client) {
		group := "/e2e/" + c.Name
		c.Call(t, s, "logs", "CreateLogGroup", map[string]any{"logGroupName": group}).OK(t)
		c.Call(t, s, "logs", "CreateLogStream", map[string]any{"logGroupName": group, "logStreamName": "app"}).OK(t)
		now := time.Now().UnixMilli()
		put := c.Call(t, s, "logs", "PutLogEvents", map[string]any{
			"logGroupName": group, "logStreamName": "app",
			"logEvents": []map[string]any{
				{"timestamp": now - 2, "message": "first line"},
				{"timestamp": now - 1, "message": `{"level":"error","msg":"boom"}`},
				{"timestamp": now, "message": "ERROR last line"},
			},
		}).OK(t)
		if str(put, "nextSequenceToken") == "" {
			t.Errorf("PutLogEvents: %v", put)
		}

		got := c.Call(t, s, "logs", "GetLogEvents", map[string]any{"logGroupName": group, "logStreamName": "app", "startFromHead": true}).OK(t)
		if msgs := eventMessages(got); msgs != `first line|{"level":"error","msg":"boom"}|ERROR last line` {
			t.Errorf("GetLogEvents: %s", msgs)
		}
		fwd := str(got, "nextForwardToken")
		again := c.Call(t, s, "logs", "GetLogEvents", map[string]any{"logGroupName": group, "logStreamName": "app", "nextToken": fwd}).OK(t)
		if eventMessages(again) != "" || str(again, "nextForwardToken") != fwd {
			t.Errorf("GetLogEvents at the end: %v", again)
		}

		for pattern, want := range map[string]string{
			"ERROR":                      "ERROR last line",
			`{ $.level = "error" }`:      `{"level":"error","msg":"boom"}`,
			`"first line"`:               "first line",
			`?first ?ERROR`:              "first line|ERROR last line",
			`{ $.msg = "nothing-here" }`: "",
			`{ $.level = "error" && $.x NOT EXISTS }`: `{"level":"error","msg":"boom"}`,
		} {
			out := c.Call(t, s, "logs", "FilterLogEvents", map[string]any{"logGroupName": group, "filterPattern": pattern}).OK(t)
			if got := eventMessages(out); got != want {
				t.Errorf("FilterLogEvents %q: %s, want %s", pattern, got, want)
			}
		}

		desc := c.Call(t, s, "logs", "DescribeLogGroups", map[string]any{"logGroupNamePrefix": group}).OK(t)
		groups, _ := desc["logGroups"].([]any)
		if len(groups) != 1 {
			t.Fatalf("DescribeLogGroups: %v", desc)
		}
		if g := groups[0].(map[string]any); g["storedBytes"] == float64(0) || str(g, "arn") != "arn:aws:logs:us-east-1:000000000000:log-group:"+group+":*" {
			t.Errorf("log group: %v", g)
		}
		c.Call(t, s, "logs", "PutRetentionPolicy", map[string]any{"logGroupName": group, "retentionInDays": 7}).OK(t)

		e := c.Call(t, s, "logs", "GetLogEvents", map[string]any{"logGroupName": group + "-missing", "logStreamName": "app"}).Fails(t, "ResourceNotFoundException")
		if e.Message != "The specified log group does not exist." {
			t.Errorf("missing group message %q", e.Message)
		}
		c.Call(t, s, "logs", "CreateLogGroup", map[string]any{"logGroupName": group}).Fails(t, "ResourceAlreadyExistsException")

		if c.Name == "aws-cli-v2" {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			out, stderr, err := run(ctx, clientEnv(s.URL, testCreds), "", awsCLIv2, "--endpoint-url", s.URL, "logs", "tail", group, "--since", "1h")
			if err != nil {
				t.Fatalf("aws logs tail: %v\n%s", err, stderr)
			}
			for _, want := range []string{"app first line", `app {"level":"error","msg":"boom"}`, "app ERROR last line"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("aws logs tail output lacks %q:\n%s", want, out)
				}
			}
		}
		c.Call(t, s, "logs", "DeleteLogGroup", map[string]any{"logGroupName": group}).OK(t)
	})
}

// eventMessages joins the messages of a GetLogEvents or FilterLogEvents
// output with "|".
func eventMessages(out map[string]any) string {
	evs, _ := out["events"].([]any)
	var msgs []string
	for _, e := range evs {
		m, _ := e.(map[string]any)
		msgs = append(msgs, fmt.Sprint(m["message"]))
	}
	return strings.Join(msgs, "|")
}

// printHandler prints its event's msg, for the function-logs test.
const printHandler = `
def handler(event, context):
    print("function says:", event.get("msg"))
    return "ok"
`

// TestLambdaLogsCLIv2 creates and invokes a Python function with the AWS CLI
// v2 and reads its output back with `aws logs tail /aws/lambda/<name>` and
// `aws logs filter-log-events`: START, the print, END and REPORT.
func TestLambdaLogsCLIv2(t *testing.T) {
	require(t, "aws-cli-v2", checkCLIv2(""))
	s := startServer(t, ServerOptions{})
	dir := t.TempDir()
	aws := cliV2(t, s, dir)
	writeZip(t, filepath.Join(dir, "fn.zip"), printHandler)
	aws("lambda", "create-function", "--function-name", "logged", "--runtime", "python3.11",
		"--role", "arn:aws:iam::000000000000:role/r", "--handler", "handler.handler", "--zip-file", "fileb://fn.zip")
	aws("lambda", "wait", "function-active-v2", "--function-name", "logged")
	aws("lambda", "invoke", "--function-name", "logged", "--cli-binary-format", "raw-in-base64-out",
		"--payload", `{"msg":"hello logs"}`, "out.json")

	// The output reaches Logs asynchronously: wait (bounded) for REPORT.
	var tail string
	deadline := time.Now().Add(30 * time.Second)
	for {
		tail = aws("logs", "tail", "/aws/lambda/logged", "--since", "1h")
		if strings.Contains(tail, "REPORT RequestId:") || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, want := range []string{"START RequestId:", "function says: hello logs", "END RequestId:", "REPORT RequestId:"} {
		if !strings.Contains(tail, want) {
			t.Errorf("aws logs tail lacks %q:\n%s", want, tail)
		}
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(aws("logs", "filter-log-events", "--log-group-name", "/aws/lambda/logged", "--filter-pattern", `"function says"`)), &out); err != nil {
		t.Fatal(err)
	}
	evs, _ := out["events"].([]any)
	if len(evs) != 1 {
		t.Fatalf("filter-log-events: %v", out)
	}
	stream := str(evs[0].(map[string]any), "logStreamName")
	if !regexp.MustCompile(`^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$`).MatchString(stream) {
		t.Errorf("log stream name %q", stream)
	}
}
