package sqs_test

// More recorded message move task entries (test_sqs_move_task.snapshot.json),
// replayed with the runner of recorded_test.go. TestRecorded only knows the
// cases its own file lists, so these entries stay in
// testdata/recorded/skip.json with a reason that names this file, and
// TestRecordedMoveTasks runs them (and checks that the reason is there, so
// no entry is counted twice or silently dropped).

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// moveTaskHandle forges a task handle in AWS's format, as LocalStack's
// encode_move_task_handle does.
func moveTaskHandle(id, source string) *string {
	return aws.String(base64.StdEncoding.EncodeToString(fmt.Appendf(nil, `{"taskId":"%s","sourceArn":"%s"}`, id, source)))
}

// redriveInto makes another queue whose dead-letter queue is dlq and
// dead-letters bodies through it.
func (r *run) redriveInto(dlq string, bodies ...string) string {
	r.t.Helper()
	src := r.queue(map[string]string{"VisibilityTimeout": "0",
		"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":1}`, r.arn(dlq))})
	for _, b := range bodies {
		r.send(src, b)
	}
	for range 2*len(bodies) + 2 {
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(src), MaxNumberOfMessages: 10})
	}
	return src
}

// receivedBodies receives (and deletes) what q holds and returns the
// bodies, sorted. A receive whose answer the client lost (the SDK then
// retries) leaves its messages in flight: time is let pass their visibility
// timeout.
func (r *run) receivedBodies(q string) []string {
	r.t.Helper()
	var out []string
	for {
		ms := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MaxNumberOfMessages: 10, VisibilityTimeout: 5})
		if len(ms) == 0 {
			out2, err := r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q), AttributeNames: qAttrNames("ApproximateNumberOfMessagesNotVisible")})
			r.ok(err)
			if out2.Attributes["ApproximateNumberOfMessagesNotVisible"] != "0" {
				r.advance(6 * time.Second)
				continue
			}
			sort.Strings(out)
			return out
		}
		for _, m := range ms {
			out = append(out, aws.ToString(m.Body))
			_, err := r.c.DeleteMessage(r.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(q), ReceiptHandle: m.ReceiptHandle})
			r.ok(err)
		}
	}
}

// now is the server's clock (real time against -recorded.endpoint).
func (r *run) now() time.Time {
	if r.srv == nil {
		return time.Now()
	}
	return r.srv.Clock().Now()
}

func moreMoveTaskCases() []recordedCase {
	const file = "test_sqs_move_task.py::"
	var cs []recordedCase
	add := func(name string, run func(r *run)) {
		cs = append(cs, recordedCase{id: file + name, run: run})
	}
	add("test_cancel_with_invalid_source_arn_in_task_handle", func(r *run) {
		source := "arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456"
		r.c.CancelMessageMoveTask(r.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: moveTaskHandle("10f57157-fc38-4da9-a113-4de7e12d05dd", source)})
		r.snap("error")
	})
	add("test_cancel_with_invalid_task_id_in_task_handle", func(r *run) {
		q := r.queue(nil)
		r.c.CancelMessageMoveTask(r.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: moveTaskHandle("10f57157-fc38-4da9-a113-4de7e12d05aa", r.arn(q))})
		r.snap("error")
	})
	add("test_move_task_with_throughput_limit", func(r *run) {
		_, dlq := r.dlqWith(4)
		dest := r.queue(nil)
		source := r.arn(dlq)
		// Read before the start (LocalStack reads it after), so the bound
		// below holds whatever the request's latency.
		started := r.now()
		r.ok2(r.c.StartMessageMoveTask(r.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source),
			DestinationArn: aws.String(r.arn(dest)), MaxNumberOfMessagesPerSecond: aws.Int32(1)}))
		r.snap("start-message-move-task-response")
		for range 60 {
			out, err := r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(dest), AttributeNames: qAttrNames("ApproximateNumberOfMessages")})
			r.ok(err)
			if out.Attributes["ApproximateNumberOfMessages"] == "4" {
				break
			}
			r.advance(time.Second)
		}
		// At one message a second, the first moved at the start, four take
		// at least three seconds.
		if d := r.now().Sub(started); d < 3*time.Second {
			r.t.Errorf("four messages moved at 1/s within %v", d)
		}
		if got := r.receivedBodies(dest); strings.Join(got, ",") != "message-0,message-1,message-2,message-3" {
			r.t.Errorf("destination received %v", got)
		}
	})
	add("test_move_task_workflow_with_multiple_sources_as_default_destination", func(r *run) {
		dlq := r.queue(nil)
		q1 := r.redriveInto(dlq, "message-1-1", "message-1-2")
		q2 := r.redriveInto(dlq, "message-2-1", "message-2-2")
		r.checkCounts(dlq, "4", "0", "0")
		source := r.arn(dlq)
		r.got["source-arn"] = source
		r.got["original-source-1"] = r.arn(q1)
		r.got["original-source-2"] = r.arn(q2)
		r.ok2(r.c.StartMessageMoveTask(r.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source)}))
		r.snap("start-message-move-task-response")
		r.waitTask(source, "COMPLETED", "list-message-move-task-response")
		if got := r.receivedBodies(q1); strings.Join(got, ",") != "message-1-1,message-1-2" {
			r.t.Errorf("first source received %v", got)
		}
		if got := r.receivedBodies(q2); strings.Join(got, ",") != "message-2-1,message-2-2" {
			r.t.Errorf("second source received %v", got)
		}
		r.checkCounts(dlq, "0", "0", "0")
	})
	return cs
}

func TestRecordedMoveTasks(t *testing.T) {
	dir := recordedDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "test_sqs_move_task.snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries map[string]struct {
		Content map[string]any `json:"recorded-content"`
	}
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(filepath.Join("testdata", "recorded", "skip.json"))
	if err != nil {
		t.Fatal(err)
	}
	skip := map[string]string{}
	if err := json.Unmarshal(b, &skip); err != nil {
		t.Fatalf("skip.json: %v", err)
	}
	for _, c := range moreMoveTaskCases() {
		want, ok := entries["tests/aws/services/sqs/"+c.id]
		if !ok {
			t.Errorf("case %s has no recorded entry", c.id)
			continue
		}
		if !strings.Contains(skip[c.id], "recorded_movetask_test.go") {
			t.Errorf("skip.json must list %s with a reason naming recorded_movetask_test.go (TestRecorded has no case for it)", c.id)
		}
		t.Run(c.id, func(t *testing.T) {
			t.Parallel()
			r := newRun(t)
			c.run(r)
			compareRecorded(t, want.Content, r.got)
		})
	}
}
