package sqs_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/fogbank/fogbank/fogbanktest"
)

// Message move tasks (movetask.go) through aws-sdk-go-v2. Steps run on the
// server's clock: the tests advance it and read the counts, bounding them by
// the clock time that really passed (real time counts too), never by a
// timing assumption.

// redriving creates a queue whose dead-letter queue is dlq (maxReceiveCount
// 1, visibility 0, so the second receive of a message dead-letters it).
func (e *env) redriving(name, dlq string) string {
	e.t.Helper()
	return e.createQueue(name, map[string]string{"VisibilityTimeout": "0", "RedrivePolicy": redrive(e.arn(dlq), 1)})
}

// deadLetter sends bodies to src (with a message attribute each) and
// receives until all of them are in dlq; it returns their ids by body.
func (e *env) deadLetter(src, dlq string, bodies ...string) map[string]string {
	e.t.Helper()
	ids := map[string]string{}
	for _, b := range bodies {
		out, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(src), MessageBody: aws.String(b),
			MessageAttributes: map[string]types.MessageAttributeValue{"origin": {DataType: aws.String("String"), StringValue: aws.String(b)}}})
		if err != nil {
			e.t.Fatalf("SendMessage: %v", err)
		}
		ids[b] = *out.MessageId
	}
	want := e.counts(dlq)[0] + len(bodies)
	for range 2*len(bodies) + 4 {
		e.receive(src, 10)
		if e.counts(dlq)[0] == want {
			return ids
		}
	}
	e.t.Fatalf("dead-letter queue has %v messages, want %d", e.counts(dlq), want)
	return nil
}

// tasks lists the move tasks of source.
func (e *env) tasks(source string, max int32) []types.ListMessageMoveTasksResultEntry {
	e.t.Helper()
	in := &sqs.ListMessageMoveTasksInput{SourceArn: aws.String(source)}
	if max > 0 {
		in.MaxResults = aws.Int32(max)
	}
	out, err := e.c.ListMessageMoveTasks(e.ctx, in)
	if err != nil {
		e.t.Fatalf("ListMessageMoveTasks: %v", err)
	}
	return out.Results
}

// startTask starts a task and returns its handle. Now and then the client
// loses an answer the server sent and the SDK retries; a retried start then
// finds the task it started running, and the handle comes from the listing.
func (e *env) startTask(in *sqs.StartMessageMoveTaskInput) string {
	e.t.Helper()
	since := e.srv.Clock().Now().UnixMilli()
	out, err := e.c.StartMessageMoveTask(e.ctx, in)
	if err != nil {
		ts := e.tasks(aws.ToString(in.SourceArn), 1)
		if !strings.Contains(err.Error(), "There is already a task running") || len(ts) != 1 || ts[0].StartedTimestamp < since {
			e.t.Fatalf("StartMessageMoveTask: %v", err)
		}
		return aws.ToString(ts[0].TaskHandle)
	}
	return aws.ToString(out.TaskHandle)
}

// cancelTask cancels the running task handle of source and returns the count
// the cancel answered. A retried cancel (see startTask) finds the task no
// longer RUNNING; the count then comes from the listing, which no longer
// changes once the task is CANCELLING.
func (e *env) cancelTask(source, handle string) int64 {
	e.t.Helper()
	out, err := e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: aws.String(handle)})
	if err != nil {
		ts := e.tasks(source, 1)
		if apiCode(err) != "ResourceNotFoundException" || len(ts) != 1 ||
			aws.ToString(ts[0].Status) != "CANCELLING" && aws.ToString(ts[0].Status) != "CANCELLED" {
			e.t.Fatalf("CancelMessageMoveTask: %v", err)
		}
		return ts[0].ApproximateNumberOfMessagesMoved
	}
	return out.ApproximateNumberOfMessagesMoved
}

// settle advances the clock until the newest task of source is no longer
// RUNNING (or CANCELLING) and returns it.
func (e *env) settle(source string) types.ListMessageMoveTasksResultEntry {
	e.t.Helper()
	for range 100 {
		ts := e.tasks(source, 1)
		if len(ts) == 1 {
			if s := aws.ToString(ts[0].Status); s != "RUNNING" && s != "CANCELLING" {
				return ts[0]
			}
		}
		e.srv.Advance(e.t, time.Second)
	}
	e.t.Fatalf("the task of %s did not end: %+v", source, e.tasks(source, 1))
	return types.ListMessageMoveTasksResultEntry{}
}

// drain receives and deletes every message of url and returns them by body.
// A receive whose answer the client lost (the SDK then retries) leaves its
// messages in flight: the clock is moved past their visibility timeout.
func (e *env) drain(url string) map[string]types.Message {
	e.t.Helper()
	got := map[string]types.Message{}
	for {
		ms := e.receive(url, 10, 60)
		if len(ms) == 0 {
			if e.counts(url)[1] == 0 {
				return got
			}
			e.srv.Advance(e.t, 61*time.Second)
			continue
		}
		for _, m := range ms {
			got[*m.Body] = m
			if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle}); err != nil {
				e.t.Fatalf("DeleteMessage: %v", err)
			}
		}
	}
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d", prefix, i)
	}
	return out
}

// TestMoveTaskRate moves ten messages at two a second to a custom
// destination: each step moves at most two (bounded by the clock time that
// passed), every advanced second moves two more, and the moved messages keep
// body, id and attributes.
func TestMoveTaskRate(t *testing.T) {
	e := newEnv(t)
	dlq := e.createQueue("rate-dlq", nil)
	src := e.redriving("rate-src", dlq)
	dest := e.createQueue("rate-dest", nil)
	ids := e.deadLetter(src, dlq, numbered("m", 10)...)
	source := e.arn(dlq)

	started := e.srv.Clock().Now()
	handle := e.startTask(&sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source),
		DestinationArn: aws.String(e.arn(dest)), MaxNumberOfMessagesPerSecond: aws.Int32(2)})
	raw, err := base64.StdEncoding.DecodeString(handle)
	if err != nil {
		t.Fatalf("task handle %q is not base64: %v", handle, err)
	}
	var h struct{ TaskID, SourceArn string }
	if err := json.Unmarshal(raw, &h); err != nil || h.SourceArn != source || len(h.TaskID) != 36 {
		t.Fatalf("task handle %s: %+v %v", raw, h, err)
	}

	const rate, n = 2, 10
	for k := 0; ; k++ {
		if k > 0 {
			e.srv.Advance(t, time.Second)
		} else {
			e.srv.Advance(t, 0) // the first step is due at the start
		}
		// A step may come due by real time between two reads: the
		// destination's count is read before and after the listing.
		arrivedBefore := e.counts(dest)[0]
		ts := e.tasks(source, 0)
		arrivedAfter := e.counts(dest)[0]
		if len(ts) != 1 {
			t.Fatalf("tasks %+v", ts)
		}
		tk := ts[0]
		moved := int(tk.ApproximateNumberOfMessagesMoved)
		elapsed := e.srv.Clock().Now().Sub(started)
		upper := min(rate*(int(elapsed/time.Second)+1), n)
		lower := min(rate*(k+1), n)
		if moved < lower || moved > upper {
			t.Fatalf("after %d s (clock %v): %d moved, want %d..%d", k, elapsed, moved, lower, upper)
		}
		// Messages enter the destination just before the count grows, so a
		// step in progress may show in the first read and not in the count.
		if moved < arrivedBefore-rate || moved > arrivedAfter {
			t.Fatalf("%d moved, but the destination held %d then %d", moved, arrivedBefore, arrivedAfter)
		}
		if aws.ToInt64(tk.ApproximateNumberOfMessagesToMove) != n || aws.ToInt32(tk.MaxNumberOfMessagesPerSecond) != rate ||
			aws.ToString(tk.DestinationArn) != e.arn(dest) || aws.ToString(tk.SourceArn) != source ||
			tk.StartedTimestamp < started.UnixMilli() {
			t.Fatalf("task %+v", tk)
		}
		if moved < n {
			if aws.ToString(tk.Status) != "RUNNING" || aws.ToString(tk.TaskHandle) != handle {
				t.Fatalf("running task %+v", tk)
			}
			continue
		}
		if aws.ToString(tk.Status) != "COMPLETED" || tk.TaskHandle != nil || tk.FailureReason != nil {
			t.Fatalf("completed task %+v", tk)
		}
		break
	}
	got := e.drain(dest)
	if len(got) != n {
		t.Fatalf("destination has %d messages", len(got))
	}
	for body, m := range got {
		if *m.MessageId != ids[body] || aws.ToString(m.MessageAttributes["origin"].StringValue) != body ||
			m.Attributes["ApproximateReceiveCount"] != "1" || m.Attributes["DeadLetterQueueSourceArn"] != "" {
			t.Fatalf("moved message %s: %+v", body, m)
		}
	}
}

// TestMoveTaskBackToSources moves without a destination: each message goes
// back to the queue it was dead-lettered from, and the listing has no
// DestinationArn or rate.
func TestMoveTaskBackToSources(t *testing.T) {
	e := newEnv(t)
	dlq := e.createQueue("back-dlq", nil)
	a := e.redriving("back-a", dlq)
	b := e.redriving("back-b", dlq)
	e.deadLetter(a, dlq, "a1", "a2")
	e.deadLetter(b, dlq, "b1", "b2", "b3")
	source := e.arn(dlq)
	e.startTask(&sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source)})
	tk := e.settle(source)
	if aws.ToString(tk.Status) != "COMPLETED" || tk.ApproximateNumberOfMessagesMoved != 5 ||
		aws.ToInt64(tk.ApproximateNumberOfMessagesToMove) != 5 || tk.DestinationArn != nil || tk.MaxNumberOfMessagesPerSecond != nil {
		t.Fatalf("task %+v", tk)
	}
	for url, want := range map[string][]string{a: {"a1", "a2"}, b: {"b1", "b2", "b3"}, dlq: nil} {
		var got []string
		for body := range e.drain(url) {
			got = append(got, body)
		}
		sort.Strings(got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s holds %v, want %v", url, got, want)
		}
	}
}

// TestMoveTaskCancel cancels a task mid-way: the answer counts what moved,
// the task ends CANCELLED and the rest stays in the dead-letter queue; a
// second cancel, and a cancel of a completed task, find no task.
func TestMoveTaskCancel(t *testing.T) {
	e := newEnv(t)
	dlq := e.createQueue("cancel-dlq", nil)
	src := e.redriving("cancel-src", dlq)
	dest := e.createQueue("cancel-dest", nil)
	e.deadLetter(src, dlq, numbered("m", 10)...)
	source := e.arn(dlq)
	handle := e.startTask(&sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source),
		DestinationArn: aws.String(e.arn(dest)), MaxNumberOfMessagesPerSecond: aws.Int32(1)})
	e.srv.Advance(t, time.Second)

	moved := e.cancelTask(source, handle)
	if moved < 2 || moved >= 10 {
		t.Fatalf("cancel answered %d moved", moved)
	}
	if s := aws.ToString(e.tasks(source, 1)[0].Status); s != "CANCELLING" && s != "CANCELLED" {
		t.Fatalf("status after cancel %s", s)
	}
	tk := e.settle(source)
	if aws.ToString(tk.Status) != "CANCELLED" || tk.ApproximateNumberOfMessagesMoved != moved || tk.TaskHandle != nil {
		t.Fatalf("task %+v, cancel said %d moved", tk, moved)
	}
	e.srv.Advance(t, 5*time.Second)
	if c := e.counts(dest)[0]; int64(c) != moved {
		t.Fatalf("destination has %d, %d moved", c, moved)
	}
	if c := e.counts(dlq)[0]; int64(c) != 10-moved {
		t.Fatalf("dead-letter queue kept %d, want %d", c, 10-moved)
	}
	_, err := e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: aws.String(handle)})
	wantCode(t, err, "ResourceNotFoundException", "Task does not exist.")

	// A completed task cannot be cancelled either.
	done := e.startTask(&sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), DestinationArn: aws.String(e.arn(dest))})
	if tk := e.settle(source); aws.ToString(tk.Status) != "COMPLETED" || tk.ApproximateNumberOfMessagesMoved != 10-moved {
		t.Fatalf("second task %+v", tk)
	}
	_, err = e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: aws.String(done)})
	wantCode(t, err, "ResourceNotFoundException", "Task does not exist.")
	if ts := e.tasks(source, 10); len(ts) != 2 || aws.ToString(ts[0].Status) != "COMPLETED" || aws.ToString(ts[1].Status) != "CANCELLED" {
		t.Fatalf("listing %+v", ts)
	}
}

// TestMoveTaskDestinationDeleted: a task whose destination goes away fails
// with the queue error's code, and the rest stays in the dead-letter queue.
func TestMoveTaskDestinationDeleted(t *testing.T) {
	e := newEnv(t)
	dlq := e.createQueue("gone-dlq", nil)
	src := e.redriving("gone-src", dlq)
	dest := e.createQueue("gone-dest", nil)
	e.deadLetter(src, dlq, numbered("m", 5)...)
	source := e.arn(dlq)
	e.startTask(&sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source),
		DestinationArn: aws.String(e.arn(dest)), MaxNumberOfMessagesPerSecond: aws.Int32(1)})
	e.srv.Advance(t, 0)
	if _, err := e.c.DeleteQueue(e.ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(dest)}); err != nil {
		t.Fatal(err)
	}
	tk := e.settle(source)
	if aws.ToString(tk.Status) != "FAILED" || aws.ToString(tk.FailureReason) != "AWS.SimpleQueueService.NonExistentQueue" ||
		tk.ApproximateNumberOfMessagesMoved < 1 || tk.ApproximateNumberOfMessagesMoved > 4 {
		t.Fatalf("task %+v", tk)
	}
	if c := e.counts(dlq)[0]; int64(c) != 5-tk.ApproximateNumberOfMessagesMoved {
		t.Fatalf("dead-letter queue kept %d", c)
	}
}

// TestMoveTaskErrors checks the refusals, with AWS's words where they were
// recorded (test_sqs_move_task.snapshot.json).
func TestMoveTaskErrors(t *testing.T) {
	e := newEnv(t)
	dlq := e.createQueue("err-dlq", nil)
	src := e.redriving("err-src", dlq)
	plain := e.createQueue("err-plain", nil)
	fifo := e.createQueue("err-other.fifo", map[string]string{"FifoQueue": "true"})
	busyDLQ := e.createQueue("err-busy-dlq", nil)
	busySrc := e.redriving("err-busy-src", busyDLQ)
	e.deadLetter(src, dlq, "m")
	e.deadLetter(busySrc, busyDLQ, "m1", "m2")
	source, busy := e.arn(dlq), e.arn(busyDLQ)
	e.startTask(&sqs.StartMessageMoveTaskInput{SourceArn: aws.String(busy), DestinationArn: aws.String(e.arn(plain)), MaxNumberOfMessagesPerSecond: aws.Int32(1)})
	missing := source + "-does-not-exist"
	handle := func(id, arn string) *string {
		return aws.String(base64.StdEncoding.EncodeToString(fmt.Appendf(nil, `{"taskId":%q,"sourceArn":%q}`, id, arn)))
	}

	cases := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"source not a dead-letter queue", func() error {
			_, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(e.arn(plain)), DestinationArn: aws.String(source)})
			return err
		}, "InvalidParameterValue", "Source queue must be configured as a Dead Letter Queue."},
		{"destination missing", func() error {
			_, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), DestinationArn: aws.String(missing)})
			return err
		}, "ResourceNotFoundException", "The resource that you specified for the DestinationArn parameter doesn't exist."},
		{"source missing", func() error {
			_, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(missing)})
			return err
		}, "ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist."},
		{"rate 0", func() error {
			_, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), MaxNumberOfMessagesPerSecond: aws.Int32(0)})
			return err
		}, "InvalidParameterValue", "MaxNumberOfMessagesPerSecond"},
		{"rate 501", func() error {
			_, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), MaxNumberOfMessagesPerSecond: aws.Int32(501)})
			return err
		}, "InvalidParameterValue", "between 1 and 500"},
		{"destination is the source", func() error {
			_, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), DestinationArn: aws.String(source)})
			return err
		}, "InvalidParameterValue", "cannot be the same"},
		{"destination of another type", func() error {
			_, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), DestinationArn: aws.String(e.arn(fifo))})
			return err
		}, "InvalidParameterValue", "same queue type"},
		{"a task is already running", func() error {
			_, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(busy), DestinationArn: aws.String(e.arn(plain)), MaxNumberOfMessagesPerSecond: aws.Int32(1)})
			return err
		}, "InvalidParameterValue", "There is already a task running. Only one active task is allowed for a source queue arn at a given time."},
		{"cancel: handle not base64 JSON", func() error {
			_, err := e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: aws.String("foobared")})
			return err
		}, "InvalidParameterValue", "Value for parameter TaskHandle is invalid."},
		{"cancel: handle without a source", func() error {
			_, err := e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: aws.String(base64.StdEncoding.EncodeToString([]byte(`{"taskId":"x"}`)))})
			return err
		}, "InvalidParameterValue", "Value for parameter TaskHandle is invalid."},
		{"cancel: source in the handle missing", func() error {
			_, err := e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: handle("10f57157-fc38-4da9-a113-4de7e12d05dd", "arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456")})
			return err
		}, "ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist."},
		{"cancel: task id unknown", func() error {
			_, err := e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: handle("10f57157-fc38-4da9-a113-4de7e12d05aa", e.arn(plain))})
			return err
		}, "ResourceNotFoundException", "Task does not exist."},
		{"list: MaxResults 11", func() error {
			_, err := e.c.ListMessageMoveTasks(e.ctx, &sqs.ListMessageMoveTasksInput{SourceArn: aws.String(source), MaxResults: aws.Int32(11)})
			return err
		}, "InvalidParameterValue", "MaxResults"},
		{"list: source missing", func() error {
			_, err := e.c.ListMessageMoveTasks(e.ctx, &sqs.ListMessageMoveTasksInput{SourceArn: aws.String(missing)})
			return err
		}, "ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.call(), tc.code, tc.msg)
		})
	}
	if ts := e.tasks(source, 10); len(ts) != 0 {
		t.Fatalf("refused starts left tasks: %+v", ts)
	}
	if c := e.counts(dlq)[0]; c != 1 {
		t.Fatalf("refused starts moved messages: %d left", c)
	}
}

// TestMoveTaskListing keeps the ten most recent tasks per source, newest
// first, one by default.
func TestMoveTaskListing(t *testing.T) {
	e := newEnv(t)
	dlq := e.createQueue("list-dlq", nil)
	src := e.redriving("list-src", dlq)
	source := e.arn(dlq)
	if ts := e.tasks(source, 0); len(ts) != 0 {
		t.Fatalf("tasks of a new queue %+v", ts)
	}
	for i := range 12 {
		e.deadLetter(src, dlq, fmt.Sprint("m", i))
		e.startTask(&sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source)})
		if tk := e.settle(source); aws.ToString(tk.Status) != "COMPLETED" || tk.ApproximateNumberOfMessagesMoved != 1 {
			t.Fatalf("task %d: %+v", i, tk)
		}
		e.drain(src)
	}
	if ts := e.tasks(source, 0); len(ts) != 1 {
		t.Fatalf("default listing %d tasks", len(ts))
	}
	ts := e.tasks(source, 10)
	if len(ts) != 10 {
		t.Fatalf("listing %d tasks, want 10", len(ts))
	}
	for i := 1; i < len(ts); i++ {
		if ts[i].StartedTimestamp > ts[i-1].StartedTimestamp {
			t.Fatalf("not newest first: %d then %d", ts[i-1].StartedTimestamp, ts[i].StartedTimestamp)
		}
	}
}

// TestMoveTaskRestart stops a durable server while a task runs: after the
// restart the task resumes from where it was, with its count, and completes.
func TestMoveTaskRestart(t *testing.T) {
	dir := t.TempDir()
	durable := fogbanktest.Durable(dir)
	e := newEnv(t, durable)
	dlq := e.createQueue("restart-dlq", nil)
	src := e.redriving("restart-src", dlq)
	dest := e.createQueue("restart-dest", nil)
	e.deadLetter(src, dlq, numbered("m", 6)...)
	source := e.arn(dlq)
	handle := e.startTask(&sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source),
		DestinationArn: aws.String(e.arn(dest)), MaxNumberOfMessagesPerSecond: aws.Int32(1)})
	e.srv.Advance(t, time.Second)
	before := e.tasks(source, 1)[0].ApproximateNumberOfMessagesMoved
	if before < 2 || before >= 6 {
		t.Skipf("%d of 6 moved before the restart: real time ran too far to see a resume", before)
	}
	if err := e.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	e = newEnv(t, durable)
	// The resumed task's first step is due at once, and real time runs on.
	tk := e.tasks(source, 1)[0]
	if m := tk.ApproximateNumberOfMessagesMoved; m < before {
		t.Fatalf("after restart %+v; %d moved before", tk, before)
	}
	if s := aws.ToString(tk.Status); s != "COMPLETED" && (s != "RUNNING" || aws.ToString(tk.TaskHandle) != handle) {
		t.Fatalf("after restart %+v", tk)
	}
	tk = e.settle(source)
	if aws.ToString(tk.Status) != "COMPLETED" || tk.ApproximateNumberOfMessagesMoved != 6 || e.counts(dest)[0] != 6 || e.counts(dlq)[0] != 0 {
		t.Fatalf("after completing %+v, destination %v, dlq %v", tk, e.counts(dest), e.counts(dlq))
	}
}

// TestMoveTaskFIFO redrives a FIFO dead-letter queue back to its source:
// the messages keep their group and their order in it.
func TestMoveTaskFIFO(t *testing.T) {
	e := newEnv(t)
	dlq := e.createQueue("fifo-dlq.fifo", map[string]string{"FifoQueue": "true"})
	src := e.createQueue("fifo-src.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true",
		"VisibilityTimeout": "0", "RedrivePolicy": redrive(e.arn(dlq), 1)})
	for _, b := range []string{"f0", "f1", "f2"} {
		e.sendFIFO(src, b, "g")
	}
	for range 8 {
		e.receive(src, 10)
		if e.counts(dlq)[0] == 3 {
			break
		}
	}
	if c := e.counts(dlq)[0]; c != 3 {
		t.Fatalf("dead-letter queue holds %d", c)
	}
	source := e.arn(dlq)
	e.startTask(&sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source)})
	if tk := e.settle(source); aws.ToString(tk.Status) != "COMPLETED" || tk.ApproximateNumberOfMessagesMoved != 3 {
		t.Fatalf("task %+v", tk)
	}
	ms := e.receive(src, 10, 60)
	if len(ms) == 0 && e.counts(src)[1] > 0 {
		// The answer was lost and the SDK retried (see drain).
		e.srv.Advance(t, 61*time.Second)
		ms = e.receive(src, 10, 60)
	}
	if got := bodies(ms); fmt.Sprint(got) != "[f0 f1 f2]" {
		t.Fatalf("source received %v", got)
	}
	for _, m := range ms {
		if m.Attributes["MessageGroupId"] != "g" {
			t.Fatalf("moved message %s lost its group: %v", *m.Body, m.Attributes)
		}
	}
}
