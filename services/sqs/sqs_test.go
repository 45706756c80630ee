package sqs_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/fogbank/fogbank/fogbanktest"
)

// env is one test server and an SQS client of it.
type env struct {
	t   *testing.T
	srv *fogbanktest.Server
	c   *sqs.Client
	ctx context.Context
}

func newEnv(t *testing.T, opts ...fogbanktest.Option) *env {
	t.Helper()
	srv := fogbanktest.Start(t, opts...)
	return &env{t: t, srv: srv, c: sqs.NewFromConfig(srv.AWSConfig()), ctx: context.Background()}
}

func (e *env) createQueue(name string, attrs map[string]string) string {
	e.t.Helper()
	out, err := e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		e.t.Fatalf("CreateQueue %s: %v", name, err)
	}
	return *out.QueueUrl
}

func (e *env) send(url, body string) *sqs.SendMessageOutput {
	e.t.Helper()
	out, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body)})
	if err != nil {
		e.t.Fatalf("SendMessage: %v", err)
	}
	return out
}

func (e *env) sendFIFO(url, body, group string) *sqs.SendMessageOutput {
	e.t.Helper()
	out, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body),
		MessageGroupId: aws.String(group)})
	if err != nil {
		e.t.Fatalf("SendMessage: %v", err)
	}
	return out
}

func (e *env) receive(url string, max int32, vt ...int32) []types.Message {
	e.t.Helper()
	in := &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: max,
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{"All"}, MessageAttributeNames: []string{"All"}}
	if len(vt) > 0 {
		in.VisibilityTimeout = vt[0]
	}
	out, err := e.c.ReceiveMessage(e.ctx, in)
	if err != nil {
		e.t.Fatalf("ReceiveMessage: %v", err)
	}
	return out.Messages
}

func (e *env) attrs(url string) map[string]string {
	e.t.Helper()
	out, err := e.c.GetQueueAttributes(e.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []types.QueueAttributeName{"All"}})
	if err != nil {
		e.t.Fatalf("GetQueueAttributes: %v", err)
	}
	return out.Attributes
}

// counts returns ApproximateNumberOfMessages, …NotVisible, …Delayed.
func (e *env) counts(url string) [3]int {
	e.t.Helper()
	a := e.attrs(url)
	n := func(k string) int { v, _ := strconv.Atoi(a[k]); return v }
	return [3]int{n("ApproximateNumberOfMessages"), n("ApproximateNumberOfMessagesNotVisible"), n("ApproximateNumberOfMessagesDelayed")}
}

func bodies(ms []types.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, *m.Body)
	}
	return out
}

// apiCode returns the error code a client sees, "" for nil.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

func wantCode(t *testing.T, err error, code, msgPart string) {
	t.Helper()
	if got := apiCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && !strings.Contains(ae.ErrorMessage(), msgPart) {
		t.Fatalf("error message %q, want it to contain %q", ae.ErrorMessage(), msgPart)
	}
}

func TestSendReceiveDelete(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("q1", nil)
	if want := e.srv.URL() + "/000000000000/q1"; url != want {
		t.Fatalf("queue URL %q, want %q", url, want)
	}
	sent := e.send(url, "hello")
	if *sent.MD5OfMessageBody != "5d41402abc4b2a76b9719d911017c592" {
		t.Errorf("MD5OfMessageBody %s", *sent.MD5OfMessageBody)
	}
	ms := e.receive(url, 10)
	if len(ms) != 1 || *ms[0].Body != "hello" || *ms[0].MessageId != *sent.MessageId {
		t.Fatalf("received %+v", ms)
	}
	a := ms[0].Attributes
	if a["ApproximateReceiveCount"] != "1" || a["SenderId"] == "" || a["SentTimestamp"] == "" || a["ApproximateFirstReceiveTimestamp"] == "" {
		t.Errorf("system attributes %v", a)
	}
	if c := e.counts(url); c != [3]int{0, 1, 0} {
		t.Errorf("counts after receive %v", c)
	}
	if again := e.receive(url, 10); len(again) != 0 {
		t.Fatalf("in-flight message received again: %v", bodies(again))
	}
	if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: ms[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	if c := e.counts(url); c != [3]int{0, 0, 0} {
		t.Errorf("counts after delete %v", c)
	}
	e.srv.Advance(t, time.Hour)
	if again := e.receive(url, 10); len(again) != 0 {
		t.Fatalf("deleted message came back: %v", bodies(again))
	}
	// Deleting again is idempotent.
	if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: ms[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
}

func TestVisibilityTimeout(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("vis", map[string]string{"VisibilityTimeout": "30"})
	e.send(url, "m")
	first := e.receive(url, 1)
	e.srv.Advance(t, 29*time.Second)
	if ms := e.receive(url, 1); len(ms) != 0 {
		t.Fatal("message visible before its timeout")
	}
	e.srv.Advance(t, time.Second)
	if c := e.counts(url); c != [3]int{1, 0, 0} {
		t.Errorf("counts after timeout %v", c)
	}
	second := e.receive(url, 1, 60)
	if len(second) != 1 || second[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("second receive %+v", second)
	}
	// The first handle no longer works: ChangeMessageVisibility refuses it,
	// DeleteMessage leaves the message.
	_, err := e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url),
		ReceiptHandle: first[0].ReceiptHandle, VisibilityTimeout: 0})
	wantCode(t, err, "InvalidParameterValue", "not available for visibility timeout change")
	if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: first[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	if c := e.counts(url); c != [3]int{0, 1, 0} {
		t.Errorf("an old handle deleted the message: counts %v", c)
	}
	// ChangeMessageVisibility to 0 makes it receivable at once.
	if _, err := e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url),
		ReceiptHandle: second[0].ReceiptHandle, VisibilityTimeout: 0}); err != nil {
		t.Fatal(err)
	}
	if ms := e.receive(url, 1); len(ms) != 1 {
		t.Fatal("message not visible after ChangeMessageVisibility 0")
	}
	_, err = e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: aws.String("garbage")})
	wantCode(t, err, "ReceiptHandleIsInvalid", "not a valid receipt handle")
}

func TestDelaySeconds(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("delay", map[string]string{"DelaySeconds": "10"})
	e.send(url, "queue-delay")
	if _, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("own-delay"), DelaySeconds: 20}); err != nil {
		t.Fatal(err)
	}
	if c := e.counts(url); c != [3]int{0, 0, 2} {
		t.Fatalf("counts %v", c)
	}
	e.srv.Advance(t, 10*time.Second)
	if got := bodies(e.receive(url, 10)); len(got) != 1 || got[0] != "queue-delay" {
		t.Fatalf("after 10s got %v", got)
	}
	e.srv.Advance(t, 10*time.Second)
	if got := bodies(e.receive(url, 10)); len(got) != 1 || got[0] != "own-delay" {
		t.Fatalf("after 20s got %v", got)
	}
}

func TestLongPoll(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("poll", nil)
	done := make(chan []types.Message, 1)
	go func() {
		out, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 20})
		if err != nil {
			t.Error(err)
		}
		done <- out.Messages
	}()
	// The poller returns as soon as a message arrives, with no clock advance.
	e.send(url, "arrived")
	select {
	case ms := <-done:
		if len(ms) != 1 || *ms[0].Body != "arrived" {
			t.Fatalf("long poll got %v", bodies(ms))
		}
		if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: ms[0].ReceiptHandle}); err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("long poll did not return on arrival")
	}

	// An empty long poll ends when the clock passes its wait time.
	go func() {
		out, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 20})
		if err != nil {
			t.Error(err)
		}
		done <- out.Messages
	}()
	for {
		e.srv.Advance(t, 20*time.Second)
		select {
		case ms := <-done:
			if len(ms) != 0 {
				t.Fatalf("empty poll got %v", bodies(ms))
			}
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func TestRetention(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("ret", map[string]string{"MessageRetentionPeriod": "60"})
	e.send(url, "old")
	e.srv.Advance(t, 30*time.Second)
	e.send(url, "new")
	e.srv.Advance(t, 30*time.Second)
	if c := e.counts(url); c != [3]int{1, 0, 0} {
		t.Fatalf("counts after the first expired %v", c)
	}
	if got := bodies(e.receive(url, 10)); len(got) != 1 || got[0] != "new" {
		t.Fatalf("got %v", got)
	}
}

func TestPurge(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("purge", nil)
	e.send(url, "a")
	e.send(url, "b")
	e.receive(url, 1)
	if _, err := e.c.PurgeQueue(e.ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	if c := e.counts(url); c != [3]int{0, 0, 0} {
		t.Fatalf("counts after purge %v", c)
	}
	_, err := e.c.PurgeQueue(e.ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(url)})
	wantCode(t, err, "AWS.SimpleQueueService.PurgeQueueInProgress", "Only one PurgeQueue operation on purge is allowed every 60 seconds.")
	e.srv.Advance(t, 60*time.Second)
	if _, err := e.c.PurgeQueue(e.ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
}

func TestBatches(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("batch", map[string]string{"MaximumMessageSize": "1024"})
	out, err := e.c.SendMessageBatch(e.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: []types.SendMessageBatchRequestEntry{
		{Id: aws.String("a"), MessageBody: aws.String("one")},
		{Id: aws.String("b"), MessageBody: aws.String(strings.Repeat("x", 1025))},
		{Id: aws.String("c"), MessageBody: aws.String("three")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Successful) != 2 || len(out.Failed) != 1 || *out.Failed[0].Id != "b" || *out.Failed[0].Code != "InvalidParameterValue" ||
		*out.Failed[0].Message != "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes." {
		t.Fatalf("batch result %+v", out)
	}
	ms := e.receive(url, 10)
	if len(ms) != 2 {
		t.Fatalf("received %v", bodies(ms))
	}
	del, err := e.c.DeleteMessageBatch(e.ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: []types.DeleteMessageBatchRequestEntry{
		{Id: aws.String("x"), ReceiptHandle: ms[0].ReceiptHandle},
		{Id: aws.String("y"), ReceiptHandle: aws.String("bad")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(del.Successful) != 1 || len(del.Failed) != 1 || *del.Failed[0].Code != "ReceiptHandleIsInvalid" {
		t.Fatalf("delete batch %+v", del)
	}
	cv, err := e.c.ChangeMessageVisibilityBatch(e.ctx, &sqs.ChangeMessageVisibilityBatchInput{QueueUrl: aws.String(url), Entries: []types.ChangeMessageVisibilityBatchRequestEntry{
		{Id: aws.String("x"), ReceiptHandle: ms[1].ReceiptHandle, VisibilityTimeout: 0},
	}})
	if err != nil || len(cv.Successful) != 1 {
		t.Fatalf("visibility batch %+v %v", cv, err)
	}
	if c := e.counts(url); c != [3]int{1, 0, 0} {
		t.Fatalf("counts %v", c)
	}
	var entries []types.SendMessageBatchRequestEntry
	for i := range 11 {
		entries = append(entries, types.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String("m")})
	}
	_, err = e.c.SendMessageBatch(e.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: entries})
	wantCode(t, err, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent 11.")
	if c := e.counts(url); c != [3]int{1, 0, 0} {
		t.Fatalf("a refused batch changed the queue: %v", c)
	}
}

func TestReceiveParameterErrors(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("params", nil)
	tests := []struct {
		in   sqs.ReceiveMessageInput
		code string
		msg  string
	}{
		{sqs.ReceiveMessageInput{MaxNumberOfMessages: 11}, "InvalidParameterValue", "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."},
		{sqs.ReceiveMessageInput{WaitTimeSeconds: 21}, "InvalidParameterValue", "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."},
		{sqs.ReceiveMessageInput{WaitTimeSeconds: -1}, "InvalidParameterValue", "Value -1 for parameter WaitTimeSeconds is invalid."},
	}
	for _, tc := range tests {
		in := tc.in
		in.QueueUrl = aws.String(url)
		_, err := e.c.ReceiveMessage(e.ctx, &in)
		wantCode(t, err, tc.code, tc.msg)
	}
	_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("")})
	wantCode(t, err, "MissingParameter", "The request must contain the parameter MessageBody.")
	_, err = e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(e.srv.URL() + "/000000000000/nope"), MessageBody: aws.String("x")})
	wantCode(t, err, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
	var qdne *types.QueueDoesNotExist
	if !errors.As(err, &qdne) {
		t.Errorf("error %T is not a typed QueueDoesNotExist", err)
	}
}

func TestReset(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("gone", nil)
	e.send(url, "x")
	e.srv.Reset(t)
	_, err := e.c.GetQueueUrl(e.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("gone")})
	wantCode(t, err, "AWS.SimpleQueueService.NonExistentQueue", "does not exist")
	// The name is free again at once: a reset is not a delete.
	e.createQueue("gone", nil)
	if c := e.counts(url); c != [3]int{0, 0, 0} {
		t.Fatalf("counts after reset %v", c)
	}
}

// TestLongPollWokenByTimer: a poller waiting on an empty queue is released
// when a delayed message's delay ends, which only the queue's timer notices.
func TestLongPollWokenByTimer(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("timer-wake", nil)
	if _, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("late"), DelaySeconds: 5}); err != nil {
		t.Fatal(err)
	}
	done := make(chan []types.Message, 1)
	go func() {
		out, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 20})
		if err != nil {
			t.Error(err)
		}
		done <- out.Messages
	}()
	// Advance in steps until the poller returns; it must return with the
	// message, since the wait (20 s) outlasts the delay (5 s).
	for {
		e.srv.Advance(t, time.Second)
		select {
		case ms := <-done:
			if len(ms) != 1 || *ms[0].Body != "late" {
				t.Fatalf("poll got %v, want the delayed message", bodies(ms))
			}
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}
