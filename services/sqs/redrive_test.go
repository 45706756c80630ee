package sqs_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

func (e *env) arn(url string) string {
	e.t.Helper()
	out, err := e.c.GetQueueAttributes(e.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: []types.QueueAttributeName{"QueueArn"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.Attributes["QueueArn"]
}

func redrive(arn string, n int) string {
	b, _ := json.Marshal(map[string]any{"deadLetterTargetArn": arn, "maxReceiveCount": n})
	return string(b)
}

func TestDeadLetterMove(t *testing.T) {
	e := newEnv(t)
	dlq := e.createQueue("dlq", nil)
	src := e.createQueue("src", map[string]string{"VisibilityTimeout": "0", "RedrivePolicy": redrive(e.arn(dlq), 1)})
	sent := e.send(src, "poison")
	if ms := e.receive(src, 10); len(ms) != 1 || ms[0].Attributes["ApproximateReceiveCount"] != "1" {
		t.Fatalf("first receive %v", ms)
	}
	// The second receive finds it received maxReceiveCount times: it moves.
	if ms := e.receive(src, 10); len(ms) != 0 {
		t.Fatalf("second receive returned %v instead of moving it", bodies(ms))
	}
	if c := e.counts(src); c != [3]int{0, 0, 0} {
		t.Fatalf("source counts %v", c)
	}
	ms := e.receive(dlq, 10)
	if len(ms) != 1 || *ms[0].MessageId != *sent.MessageId {
		t.Fatalf("dead-letter queue got %v", ms)
	}
	if a := ms[0].Attributes; a["DeadLetterQueueSourceArn"] != e.arn(src) || a["ApproximateReceiveCount"] != "2" {
		t.Errorf("moved message attributes %v", a)
	}
	out, err := e.c.ListDeadLetterSourceQueues(e.ctx, &sqs.ListDeadLetterSourceQueuesInput{QueueUrl: aws.String(dlq)})
	if err != nil || len(out.QueueUrls) != 1 || out.QueueUrls[0] != src {
		t.Fatalf("ListDeadLetterSourceQueues %v %v", out, err)
	}
}

func TestRedrivePolicyChecks(t *testing.T) {
	e := newEnv(t)
	denying := e.createQueue("denying", map[string]string{"RedriveAllowPolicy": `{"redrivePermission":"denyAll"}`})
	src := e.createQueue("source", nil)
	fifo := e.createQueue("f.fifo", map[string]string{"FifoQueue": "true"})
	tests := []struct {
		name, policy, code, msg string
	}{
		{"not json", "{", "InvalidAttributeValue", "Redrive policy is not a valid JSON map."},
		{"missing target", `{"maxReceiveCount":1}`, "InvalidParameterValue", "mandatory attribute: deadLetterTargetArn"},
		{"count range", redrive(e.arn(denying), 0), "InvalidParameterValue", "valid values are from 1 to 1000"},
		{"no such target", redrive("arn:aws:sqs:us-east-1:000000000000:nope", 3), "InvalidParameterValue", "Dead letter target does not exist."},
		{"type mismatch", redrive(e.arn(fifo), 3), "InvalidParameterValue", "same type"},
		{"denied", redrive(e.arn(denying), 3), "InvalidParameterValue", "does not allow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(src),
				Attributes: map[string]string{"RedrivePolicy": tc.policy}})
			wantCode(t, err, tc.code, tc.msg)
		})
	}
	if _, ok := e.attrs(src)["RedrivePolicy"]; ok {
		t.Fatal("a refused RedrivePolicy was stored")
	}
	// An empty policy removes it.
	ok := e.createQueue("ok", nil)
	for _, p := range []string{redrive(e.arn(ok), 5), ""} {
		if _, err := e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(src),
			Attributes: map[string]string{"RedrivePolicy": p}}); err != nil {
			t.Fatal(err)
		}
		if got := e.attrs(src)["RedrivePolicy"]; got != p {
			t.Fatalf("RedrivePolicy %q, want %q", got, p)
		}
	}
}

func TestRedriveAllowByQueueAndSourcePages(t *testing.T) {
	e := newEnv(t)
	dlq := e.createQueue("shared-dlq", nil)
	var srcs []string
	for _, n := range []string{"s1", "s2", "s3"} {
		srcs = append(srcs, e.createQueue(n, nil))
	}
	allow := `{"redrivePermission":"byQueue","sourceQueueArns":["` + e.arn(srcs[0]) + `","` + e.arn(srcs[1]) + `","` + e.arn(srcs[2]) + `"]}`
	if _, err := e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(dlq), Attributes: map[string]string{"RedriveAllowPolicy": allow}}); err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if _, err := e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(s), Attributes: map[string]string{"RedrivePolicy": redrive(e.arn(dlq), 2)}}); err != nil {
			t.Fatal(err)
		}
	}
	other := e.createQueue("not-listed", nil)
	_, err := e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(other), Attributes: map[string]string{"RedrivePolicy": redrive(e.arn(dlq), 2)}})
	wantCode(t, err, "InvalidParameterValue", "does not allow")

	var got []string
	var token *string
	for range 3 {
		out, err := e.c.ListDeadLetterSourceQueues(e.ctx, &sqs.ListDeadLetterSourceQueuesInput{QueueUrl: aws.String(dlq), MaxResults: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out.QueueUrls...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	if len(got) != 3 || got[0] != srcs[0] || got[2] != srcs[2] {
		t.Fatalf("sources %v, want %v", got, srcs)
	}
}
