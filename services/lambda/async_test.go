package lambda_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/pebblestore"
)

// asyncHandler sleeps and notes each run in the file the event names when
// asked to, then fails when asked to.
const asyncHandler = `
import json, time
def handler(event, context):
    if event.get("sleep"):
        time.sleep(event["sleep"])
    p = event.get("log")
    if p:
        with open(p, "a") as f:
            f.write(context.aws_request_id + "\n")
    if event.get("fail"):
        raise Exception("intentional failure")
    return {"ok": True, "event": event}
`

// asyncFunction creates a function running asyncHandler.
func asyncFunction(t *testing.T, srv *fogbanktest.Server, c *lambda.Client, name string, mod ...func(*lambda.CreateFunctionInput)) {
	t.Helper()
	create(t, srv, c, name, append([]func(*lambda.CreateFunctionInput){func(in *lambda.CreateFunctionInput) {
		in.Code = &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": asyncHandler})}
	}}, mod...)...)
}

// runs counts the runs noted in a log file.
func runs(path string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), "\n")
}

// advanceUntil moves the clock on in steps until cond holds, at most by
// limit. The first attempt of an event runs on its own goroutine, so its
// retry timer is armed some real time after the function's side effect
// shows (the runtime still has to report the error): the steps leave the
// server a moment each, and the limit leaves room for a slow machine.
func advanceUntil(t *testing.T, srv *fogbanktest.Server, step, limit time.Duration, cond func() bool) {
	t.Helper()
	for moved := time.Duration(0); !cond(); moved += step {
		if moved >= limit {
			t.Fatalf("condition not met within %v of clock", limit)
		}
		srv.Advance(t, step)
		time.Sleep(5 * time.Millisecond)
	}
}

func newQueue(t *testing.T, c *sqs.Client, name string) (url, arn string) {
	t.Helper()
	ctx := context.Background()
	q, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	if err != nil {
		t.Fatal(err)
	}
	return *q.QueueUrl, a.Attributes["QueueArn"]
}

// rawTopic makes a topic with a raw-delivery SQS subscriber: the queue
// receives what is published as it is, attributes included.
func rawTopic(t *testing.T, sc *sns.Client, qc *sqs.Client, name string) (topicARN, queueURL string) {
	t.Helper()
	ctx := context.Background()
	url, qARN := newQueue(t, qc, name+"-subscriber")
	topic, err := sc.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"), Endpoint: aws.String(qARN),
		Attributes: map[string]string{"RawMessageDelivery": "true"}}); err != nil {
		t.Fatal(err)
	}
	return *topic.TopicArn, url
}

// receiveOne waits for one message on the queue.
func receiveOne(t *testing.T, c *sqs.Client, url string) sqstypes.Message {
	t.Helper()
	var got []sqstypes.Message
	waitFor(t, func() bool {
		out, err := c.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MessageAttributeNames: []string{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		got = out.Messages
		return len(got) > 0
	})
	if len(got) != 1 {
		t.Fatalf("want one message, got %d", len(got))
	}
	return got[0]
}

// queueEmpty says no message is visible on the queue now.
func queueEmpty(t *testing.T, c *sqs.Client, url string) bool {
	t.Helper()
	out, err := c.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Messages) == 0
}

// invocationRecord is what AWS sends a destination.
type invocationRecord struct {
	Version        string `json:"version"`
	Timestamp      string `json:"timestamp"`
	RequestContext struct {
		RequestID              string `json:"requestId"`
		FunctionArn            string `json:"functionArn"`
		Condition              string `json:"condition"`
		ApproximateInvokeCount int    `json:"approximateInvokeCount"`
	} `json:"requestContext"`
	RequestPayload  map[string]any `json:"requestPayload"`
	ResponseContext struct {
		StatusCode      int    `json:"statusCode"`
		ExecutedVersion string `json:"executedVersion"`
		FunctionError   string `json:"functionError"`
	} `json:"responseContext"`
	ResponsePayload map[string]any `json:"responsePayload"`
}

func decodeRecord(t *testing.T, body string) invocationRecord {
	t.Helper()
	var r invocationRecord
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("record %q: %v", body, err)
	}
	if r.Version != "1.0" || r.Timestamp == "" || r.RequestContext.RequestID == "" || r.ResponseContext.StatusCode != 200 {
		t.Errorf("record: %s", body)
	}
	if _, err := time.Parse(time.RFC3339Nano, r.Timestamp); err != nil {
		t.Errorf("timestamp %q: %v", r.Timestamp, err)
	}
	return r
}

// TestAsyncRetriesAndDestinations (test_lambda_destinations
// test_assess_lambda_destination_invocation, test_retries): a failing Event
// invoke with MaximumRetryAttempts 1 runs again a minute later, not before,
// and its record reaches the OnFailure queue as RetriesExhausted after two
// runs (and the event itself the dead-letter queue, beside it); a
// succeeding one reaches the OnSuccess queue at once.
func TestAsyncRetriesAndDestinations(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	qc := sqs.NewFromConfig(srv.AWSConfig())
	failURL, failARN := newQueue(t, qc, "on-failure")
	okURL, okARN := newQueue(t, qc, "on-success")
	dlqURL, dlqARN := newQueue(t, qc, "flaky-dlq")
	asyncFunction(t, srv, c, "flaky", func(in *lambda.CreateFunctionInput) {
		in.DeadLetterConfig = &types.DeadLetterConfig{TargetArn: aws.String(dlqARN)}
	})
	cfg, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("flaky"),
		MaximumRetryAttempts: aws.Int32(1),
		DestinationConfig: &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String(failARN)},
			OnSuccess: &types.OnSuccess{Destination: aws.String(okARN)}}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(cfg.DestinationConfig.OnFailure.Destination) != failARN {
		t.Errorf("config: %+v", cfg.DestinationConfig)
	}

	log := filepath.Join(t.TempDir(), "runs")
	payload := `{"fail":true,"log":"` + log + `"}`
	out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("flaky"), InvocationType: types.InvocationTypeEvent, Payload: []byte(payload)})
	if out.StatusCode != 202 {
		t.Fatalf("status %d", out.StatusCode)
	}
	waitFor(t, func() bool { return runs(log) == 1 })
	srv.Advance(t, 50*time.Second)
	if n := runs(log); n != 1 {
		t.Fatalf("retried before a minute: %d runs", n)
	}
	if !queueEmpty(t, qc, failURL) {
		t.Fatal("failure recorded while a retry was left")
	}
	advanceUntil(t, srv, 5*time.Second, 10*time.Minute, func() bool { return runs(log) == 2 })
	m := receiveOne(t, qc, failURL)
	r := decodeRecord(t, aws.ToString(m.Body))
	if r.RequestContext.Condition != "RetriesExhausted" || r.RequestContext.ApproximateInvokeCount != 2 ||
		r.RequestContext.FunctionArn != arn("flaky")+":$LATEST" || r.ResponseContext.FunctionError != "Unhandled" ||
		r.ResponseContext.ExecutedVersion != "$LATEST" || r.RequestPayload["fail"] != true ||
		r.ResponsePayload["errorMessage"] != "intentional failure" || r.ResponsePayload["errorType"] != "Exception" {
		t.Errorf("failure record: %s", aws.ToString(m.Body))
	}
	if r.ResponsePayload["requestId"] != nil && r.ResponsePayload["requestId"] != r.RequestContext.RequestID {
		t.Errorf("request ids differ: %s", aws.ToString(m.Body))
	}
	if m := receiveOne(t, qc, dlqURL); aws.ToString(m.Body) != payload {
		t.Errorf("dead-letter queue beside the destination: %q", aws.ToString(m.Body))
	}
	srv.Advance(t, 10*time.Minute)
	if n := runs(log); n != 2 {
		t.Errorf("ran %d times, want 2", n)
	}

	invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("flaky"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"x":1}`)})
	m = receiveOne(t, qc, okURL)
	r = decodeRecord(t, aws.ToString(m.Body))
	if r.RequestContext.Condition != "Success" || r.RequestContext.ApproximateInvokeCount != 1 || r.ResponseContext.FunctionError != "" ||
		r.ResponsePayload["ok"] != true || r.RequestPayload["x"] != float64(1) {
		t.Errorf("success record: %s", aws.ToString(m.Body))
	}
}

// TestAsyncDefaultRetriesDeadLetter (test_dead_letter_queue,
// test_lambda_destination_default_retries): without a configuration an
// event runs three times (after one, then two more minutes); an EventBridge
// OnFailure destination cannot take the record (no such bus here, as for a
// missing target on AWS: logged), and the original payload goes to the
// function's dead-letter queue with RequestID, ErrorCode and ErrorMessage.
func TestAsyncDefaultRetriesDeadLetter(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	qc := sqs.NewFromConfig(srv.AWSConfig())
	dlqURL, dlqARN := newQueue(t, qc, "dlq")
	asyncFunction(t, srv, c, "doomed", func(in *lambda.CreateFunctionInput) {
		in.DeadLetterConfig = &types.DeadLetterConfig{TargetArn: aws.String(dlqARN)}
	})
	if _, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("doomed"),
		DestinationConfig: &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:events:us-east-1:000000000000:event-bus/default")}}}); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "runs")
	payload := `{"fail":true,"log":"` + log + `"}`
	invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("doomed"), InvocationType: types.InvocationTypeEvent, Payload: []byte(payload)})
	waitFor(t, func() bool { return runs(log) == 1 })
	advanceUntil(t, srv, 5*time.Second, 10*time.Minute, func() bool { return runs(log) == 2 })
	srv.Advance(t, 110*time.Second)
	if n := runs(log); n != 2 {
		t.Fatalf("second retry before two minutes: %d runs", n)
	}
	if !queueEmpty(t, qc, dlqURL) {
		t.Fatal("dead-lettered while a retry was left")
	}
	srv.Advance(t, 10*time.Second)
	if n := runs(log); n != 3 {
		t.Fatalf("%d runs after three minutes, want 3", n)
	}
	m := receiveOne(t, qc, dlqURL)
	if aws.ToString(m.Body) != payload {
		t.Errorf("body %q, want the event %q", aws.ToString(m.Body), payload)
	}
	want := map[string][2]string{"ErrorCode": {"Number", "200"}, "ErrorMessage": {"String", "intentional failure"}}
	for k, w := range want {
		a := m.MessageAttributes[k]
		if aws.ToString(a.DataType) != w[0] || aws.ToString(a.StringValue) != w[1] {
			t.Errorf("attribute %s: %s %q, want %v", k, aws.ToString(a.DataType), aws.ToString(a.StringValue), w)
		}
	}
	if id := m.MessageAttributes["RequestID"]; aws.ToString(id.DataType) != "String" || len(aws.ToString(id.StringValue)) != 36 {
		t.Errorf("RequestID: %+v", id)
	}
}

// TestAsyncMaxEventAge (test_maxeventage): with MaximumEventAgeInSeconds
// 60 the retry due after a minute would be too old, so the record goes to
// the OnFailure SNS topic after one run as EventAgeExceeded.
func TestAsyncMaxEventAge(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	qc := sqs.NewFromConfig(srv.AWSConfig())
	sc := sns.NewFromConfig(srv.AWSConfig())
	topicARN, subURL := rawTopic(t, sc, qc, "failures")
	asyncFunction(t, srv, c, "old")
	if _, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("old"),
		MaximumEventAgeInSeconds: aws.Int32(60),
		DestinationConfig:        &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String(topicARN)}}}); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "runs")
	invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("old"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"fail":true,"log":"` + log + `"}`)})
	m := receiveOne(t, qc, subURL)
	r := decodeRecord(t, aws.ToString(m.Body))
	if r.RequestContext.Condition != "EventAgeExceeded" || r.RequestContext.ApproximateInvokeCount != 1 || r.ResponseContext.FunctionError != "Unhandled" {
		t.Errorf("record: %s", aws.ToString(m.Body))
	}
	srv.Advance(t, 5*time.Minute)
	if n := runs(log); n != 1 {
		t.Errorf("ran %d times, want 1", n)
	}
}

// TestAsyncThrottledAndLambdaDestination: an event SNS hands over while the
// function's reserved concurrency is 0 is throttled and retried (without
// counting as an attempt) until concurrency allows it; its success record
// goes to another function, invoked asynchronously.
func TestAsyncThrottledAndLambdaDestination(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	dir := t.TempDir()
	got := filepath.Join(dir, "record")
	create(t, srv, c, "sink", func(in *lambda.CreateFunctionInput) {
		in.Code = &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": `
import json
def handler(event, context):
    with open("` + got + `", "w") as f:
        json.dump(event, f)
`})}
	})
	asyncFunction(t, srv, c, "gated")
	if _, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("gated"),
		DestinationConfig: &types.DestinationConfig{OnSuccess: &types.OnSuccess{Destination: aws.String(arn("sink"))}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("gated"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	sc := sns.NewFromConfig(srv.AWSConfig())
	topic, err := sc.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("to-gated")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("lambda"), Endpoint: aws.String(arn("gated"))}); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Publish(ctx, &sns.PublishInput{TopicArn: topic.TopicArn, Message: aws.String("hi")}); err != nil {
		t.Fatal(err)
	}
	srv.Advance(t, 10*time.Minute) // throttled throughout
	if _, err := os.Stat(got); err == nil {
		t.Fatal("ran with reserved concurrency 0")
	}
	if _, err := c.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("gated")}); err != nil {
		t.Fatal(err)
	}
	srv.Advance(t, 6*time.Minute) // the throttle backoff tops out at five minutes
	var rec invocationRecord
	waitFor(t, func() bool {
		b, err := os.ReadFile(got)
		return err == nil && json.Unmarshal(b, &rec) == nil
	})
	if rec.RequestContext.Condition != "Success" || rec.RequestContext.ApproximateInvokeCount != 1 || rec.RequestContext.FunctionArn != arn("gated")+":$LATEST" {
		t.Errorf("record: %+v", rec)
	}
	recs, _ := rec.RequestPayload["Records"].([]any)
	if len(recs) != 1 {
		t.Errorf("request payload: %+v", rec.RequestPayload)
	}
}

// TestDestinationValidation replays test_lambda_eventinvokeconfig_exceptions
// cases about destinations and limits: bad input changes nothing.
func TestDestinationValidation(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	create(t, srv, c, "fn")
	put := func(d *types.DestinationConfig, retries, age *int32) error {
		_, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("fn"),
			DestinationConfig: d, MaximumRetryAttempts: retries, MaximumEventAgeInSeconds: age})
		return err
	}
	iamARN := "arn:aws:iam:us-east-1:000000000000:function:fn"
	tests := []struct {
		name   string
		err    error
		code   string
		status int
		msg    string
	}{
		{"put_destination_lambda_doesntexist", put(&types.DestinationConfig{OnSuccess: &types.OnSuccess{Destination: aws.String(arn("doesnotexist"))}}, nil, nil),
			"InvalidParameterValueException", 400, "The destination ARN " + arn("doesnotexist") + " is invalid."},
		{"put_destination_invalid_service_arn", put(&types.DestinationConfig{OnSuccess: &types.OnSuccess{Destination: aws.String(iamARN)}}, nil, nil),
			"InvalidParameterValueException", 400, "The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=" + iamARN + "), onFailure=null) is invalid."},
		{"put_destination_invalid_arn_pattern", put(&types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:_-/!lambda:us-east-1:000000000000:function:fn")}}, nil, nil),
			"ValidationException", 400, "1 validation error detected: Value 'arn:aws:_-/!lambda:us-east-1:000000000000:function:fn' at 'destinationConfig.onFailure.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: …"},
		{"retries above 2", put(nil, aws.Int32(3), nil), "ValidationException", 400, "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2"},
		{"age below 60", put(nil, nil, aws.Int32(59)), "ValidationException", 400, "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, tc.code, tc.status, tc.msg) })
	}
	if _, err := c.GetFunctionEventInvokeConfig(ctx, &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("fn")}); err == nil {
		t.Error("a refused configuration was stored")
	}
	create(t, srv, c, "other")
	if err := put(&types.DestinationConfig{OnSuccess: &types.OnSuccess{Destination: aws.String(arn("other"))}}, aws.Int32(2), aws.Int32(21600)); err != nil {
		t.Errorf("put_destination_other_lambda: %v", err)
	}
}

// TestAsyncAliasTimeoutSNSDeadLetter: an alias's event invoke configuration
// applies to invokes through the alias — its OnSuccess record names the
// alias and the version that ran — and a timed-out run is a failure: with
// MaximumRetryAttempts 0 and no OnFailure destination the event goes at
// once to the version's dead-letter topic, whose raw SQS subscriber sees
// the payload and AWS's attributes.
func TestAsyncAliasTimeoutSNSDeadLetter(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	qc := sqs.NewFromConfig(srv.AWSConfig())
	sc := sns.NewFromConfig(srv.AWSConfig())
	okURL, okARN := newQueue(t, qc, "alias-success")
	topicARN, subURL := rawTopic(t, sc, qc, "dlq")
	asyncFunction(t, srv, c, "slow", func(in *lambda.CreateFunctionInput) {
		in.Timeout = aws.Int32(1)
		in.DeadLetterConfig = &types.DeadLetterConfig{TargetArn: aws.String(topicARN)}
	})
	v, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("slow")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("slow"), Name: aws.String("live"), FunctionVersion: v.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("slow"), Qualifier: aws.String("live"),
		MaximumRetryAttempts: aws.Int32(0), DestinationConfig: &types.DestinationConfig{OnSuccess: &types.OnSuccess{Destination: aws.String(okARN)}}}); err != nil {
		t.Fatal(err)
	}
	invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("slow"), Qualifier: aws.String("live"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"x":1}`)})
	r := decodeRecord(t, aws.ToString(receiveOne(t, qc, okURL).Body))
	if r.RequestContext.FunctionArn != arn("slow")+":live" || r.ResponseContext.ExecutedVersion != "1" || r.RequestContext.Condition != "Success" {
		t.Errorf("alias record: %+v", r)
	}

	payload := `{"sleep":3}`
	invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("slow"), Qualifier: aws.String("live"), InvocationType: types.InvocationTypeEvent, Payload: []byte(payload)})
	m := receiveOne(t, qc, subURL)
	if aws.ToString(m.Body) != payload {
		t.Errorf("dead-lettered body %q, want %q", aws.ToString(m.Body), payload)
	}
	attrs := map[string]string{}
	for k, a := range m.MessageAttributes {
		attrs[k] = aws.ToString(a.DataType) + " " + aws.ToString(a.StringValue)
	}
	if attrs["ErrorCode"] != "Number 200" || !strings.Contains(attrs["ErrorMessage"], "Task timed out after") || len(attrs["RequestID"]) != len("String ")+36 {
		t.Errorf("attributes: %v", attrs)
	}
	if !queueEmpty(t, qc, okURL) {
		t.Error("a timed-out run was reported as a success")
	}
}

// TestAsyncRetrySurvivesRestart: an event waiting for its retry when the
// server stops is retried after it starts again on its data directory, and
// its record still reaches the destination.
func TestAsyncRetrySurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	durable := fogbanktest.Durable(dataDir)
	srv := fogbanktest.Start(t, durable)
	c := lambda.NewFromConfig(srv.AWSConfig())
	qc := sqs.NewFromConfig(srv.AWSConfig())
	failURL, failARN := newQueue(t, qc, "after-restart")
	asyncFunction(t, srv, c, "persistent")
	if _, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("persistent"),
		MaximumRetryAttempts: aws.Int32(1), DestinationConfig: &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String(failARN)}}}); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "runs")
	invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("persistent"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"fail":true,"log":"` + log + `"}`)})
	waitFor(t, func() bool { return runs(log) == 1 })
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	srv = fogbanktest.Start(t, durable)
	qc = sqs.NewFromConfig(srv.AWSConfig())
	// The retry is due a minute after the first run (or the first run is
	// repeated at once when the stop came before its retry was stored: at
	// least once).
	advanceUntil(t, srv, 10*time.Second, 10*time.Minute, func() bool { return runs(log) >= 2 })
	srv.Advance(t, 3*time.Minute)
	r := decodeRecord(t, aws.ToString(receiveOne(t, qc, failURL).Body))
	if r.RequestContext.Condition != "RetriesExhausted" || r.RequestContext.ApproximateInvokeCount != 2 {
		t.Errorf("record after restart: %+v", r)
	}
}

// BenchmarkEventInvoke measures Event invokes of a Go no-op function
// through aws-sdk-go-v2: how fast they are acknowledged (each made durable
// as a delivery job first) and how fast the queue runs them to their
// OnSuccess destination (an SQS queue), end to end.
//
//	go test ./services/lambda -run '^$' -bench EventInvoke -benchtime 500x
func BenchmarkEventInvoke(b *testing.B) {
	ctx := context.Background()
	srv := fogbanktestStart(b)
	c := lambda.NewFromConfig(srv.AWSConfig())
	qc := sqs.NewFromConfig(srv.AWSConfig())
	q, err := qc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("records")})
	if err != nil {
		b.Fatal(err)
	}
	qa, err := qc.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	if err != nil {
		b.Fatal(err)
	}
	rt := benchRuntimes(b)[0]
	if _, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("events"), Runtime: types.Runtime(rt.runtime),
		Role: aws.String(role), Handler: aws.String(rt.handler), Code: &types.FunctionCode{ZipFile: zipOf(b, rt.files)}}); err != nil {
		b.Fatal(err)
	}
	srv.Advance(b, time.Second)
	if _, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("events"),
		DestinationConfig: &types.DestinationConfig{OnSuccess: &types.OnSuccess{Destination: aws.String(qa.Attributes["QueueArn"])}}}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("events"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{}`)}); err != nil {
			b.Fatal(err)
		}
	}
	acked := time.Since(start)
	for {
		a, err := qc.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"ApproximateNumberOfMessages"}})
		if err != nil {
			b.Fatal(err)
		}
		if a.Attributes["ApproximateNumberOfMessages"] == fmt.Sprint(b.N) {
			break
		}
		if time.Since(start) > time.Minute {
			b.Fatalf("%s of %d records after a minute", a.Attributes["ApproximateNumberOfMessages"], b.N)
		}
		time.Sleep(2 * time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/acked.Seconds(), "acks/s")
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// TestLegacyQueuedEventRuns: an event the earlier queue wrote
// (lambda/~event/<id>) before an upgrade is resubmitted at start, runs, and
// its old record is gone afterwards.
func TestLegacyQueuedEventRuns(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	durable := fogbanktest.Durable(dataDir)
	srv := fogbanktest.Start(t, durable)
	asyncFunction(t, srv, lambda.NewFromConfig(srv.AWSConfig()), "upgraded")
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "runs")
	old, _ := json.Marshal(map[string]any{"id": "00000000000000000001-legacy", "account": "000000000000", "region": "us-east-1",
		"name": "upgraded", "version": "$LATEST", "payload": []byte(`{"log":"` + log + `"}`), "requestId": "legacy"})
	legacyKey := store.Key("lambda", "~event", "00000000000000000001-legacy")
	st, err := pebblestore.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	var b store.Batch
	b.Put(legacyKey, old)
	if err := st.Apply(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	srv = fogbanktest.Start(t, durable)
	waitFor(t, func() bool { return runs(log) == 1 })
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	st, err = pebblestore.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	found := false
	if err := st.Scan(ctx, legacyKey, store.PrefixEnd(legacyKey), func(_, _ []byte) error { found = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if found {
		t.Error("the legacy record is still there")
	}
}
