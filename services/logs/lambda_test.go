package logs_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

const pyPrinter = `
def handler(event, context):
    print("hello from python:", event.get("msg"))
    return {"requestId": context.aws_request_id}
`

func zipOne(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(content))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// streamNameRE is AWS's Lambda log stream name: date/[version]32 hex.
var streamNameRE = regexp.MustCompile(`^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$`)

// TestLambdaLogs invokes a Python function and reads its output back from
// /aws/lambda/<name>: the group is created on the first write, one stream per
// execution environment, START, the print, END and REPORT each one event.
func TestLambdaLogs(t *testing.T) {
	e := newEnv(t)
	lc := lambda.NewFromConfig(e.srv.AWSConfig())
	ctx := context.Background()
	_, err := lc.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("printer"),
		Runtime:      ltypes.RuntimePython312,
		Role:         aws.String("arn:aws:iam::000000000000:role/lambda-role"),
		Handler:      aws.String("handler.handler"),
		Code:         &ltypes.FunctionCode{ZipFile: zipOne(t, "handler.py", pyPrinter)},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Advance(t, time.Second)
	out, err := lc.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("printer"), Payload: []byte(`{"msg":"hi there"}`)})
	if err != nil {
		t.Fatal(err)
	}
	var res struct{ RequestID string }
	if err := json.Unmarshal(out.Payload, &res); err != nil || res.RequestID == "" {
		t.Fatalf("payload %s: %v", out.Payload, err)
	}

	// The sink writes asynchronously: wait (bounded) for REPORT to land.
	group := aws.String("/aws/lambda/printer")
	var stream string
	deadline := time.Now().Add(20 * time.Second)
	for {
		fl, err := e.c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: group, FilterPattern: aws.String(`"REPORT RequestId: ` + res.RequestID + `"`)})
		if err == nil && len(fl.Events) == 1 {
			stream = *fl.Events[0].LogStreamName
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no REPORT event in /aws/lambda/printer: %v %v", fl, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !streamNameRE.MatchString(stream) {
		t.Errorf("stream name %q", stream)
	}
	ge, err := e.c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: group, LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	msgs := outMsgs(ge.Events)
	want := []string{"START RequestId: " + res.RequestID + " Version: $LATEST", "hello from python: hi there", "END RequestId: " + res.RequestID, "REPORT RequestId: " + res.RequestID}
	i := 0
	for _, m := range msgs {
		if i < len(want) && strings.HasPrefix(m, want[i]) {
			i++
		}
	}
	if i != len(want) {
		t.Errorf("events of %s:\n%s", stream, strings.Join(msgs, "\n"))
	}
	for _, ev := range ge.Events {
		if *ev.Timestamp <= 0 || *ev.IngestionTime < *ev.Timestamp {
			t.Errorf("event times %d %d", *ev.Timestamp, *ev.IngestionTime)
		}
	}
	fl, err := e.c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: group, FilterPattern: aws.String("hello")})
	if err != nil || len(fl.Events) != 1 || *fl.Events[0].Message != "hello from python: hi there" {
		t.Errorf("filter hello: %+v %v", fl, err)
	}
}
