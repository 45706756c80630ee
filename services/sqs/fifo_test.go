package sqs_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

func TestFIFOGroupOrderAndLock(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("order.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "30"})
	var seqs []string
	for _, m := range []struct{ body, group string }{{"a1", "a"}, {"b1", "b"}, {"a2", "a"}, {"a3", "a"}, {"b2", "b"}} {
		out := e.sendFIFO(url, m.body, m.group)
		if out.SequenceNumber == nil || len(*out.SequenceNumber) != 20 {
			t.Fatalf("SequenceNumber %v", out.SequenceNumber)
		}
		if len(seqs) > 0 && *out.SequenceNumber <= seqs[len(seqs)-1] {
			t.Fatalf("sequence numbers not increasing: %v then %s", seqs, *out.SequenceNumber)
		}
		seqs = append(seqs, *out.SequenceNumber)
	}
	first := e.receive(url, 1)
	if got := bodies(first); len(got) != 1 || got[0] != "a1" {
		t.Fatalf("first receive %v", got)
	}
	if a := first[0].Attributes; a["MessageGroupId"] != "a" || a["SequenceNumber"] != seqs[0] || a["MessageDeduplicationId"] == "" {
		t.Errorf("FIFO attributes %v", a)
	}
	// a1, the head of group a, is in flight, so nothing of a is
	// receivable (a2, a3 come after it): only b's messages come.
	if got := bodies(e.receive(url, 10, 300)); len(got) != 2 || got[0] != "b1" || got[1] != "b2" {
		t.Fatalf("second receive %v, want [b1 b2]", got)
	}
	if got := bodies(e.receive(url, 10)); len(got) != 0 {
		t.Fatalf("both groups locked, got %v", got)
	}
	// a1's timeout ends: a1 comes back first, then a2, a3.
	e.srv.Advance(t, 30*time.Second)
	again := e.receive(url, 10)
	if got := bodies(again); len(got) != 3 || got[0] != "a1" || got[1] != "a2" || got[2] != "a3" {
		t.Fatalf("after the timeout %v, want [a1 a2 a3]", got)
	}
	// An expired FIFO handle no longer deletes.
	_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: first[0].ReceiptHandle})
	wantCode(t, err, "InvalidParameterValue", "The receipt handle has expired.")
	for _, m := range again {
		if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFIFODeduplication(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("dedup.fifo", map[string]string{"FifoQueue": "true"})
	send := func(body, group, dedup string) *sqs.SendMessageOutput {
		out, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body),
			MessageGroupId: aws.String(group), MessageDeduplicationId: aws.String(dedup)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := send("one", "g1", "d")
	dup := send("two", "g2", "d") // queue scope: same id in another group is a duplicate
	if *dup.MessageId != *first.MessageId || *dup.SequenceNumber != *first.SequenceNumber {
		t.Errorf("duplicate answered %s/%s, want the first's %s/%s", *dup.MessageId, *dup.SequenceNumber, *first.MessageId, *first.SequenceNumber)
	}
	if c := e.counts(url); c != [3]int{1, 0, 0} {
		t.Fatalf("counts %v", c)
	}
	e.srv.Advance(t, 5*time.Minute)
	send("three", "g1", "d")
	if c := e.counts(url); c != [3]int{2, 0, 0} {
		t.Fatalf("after the dedup window counts %v", c)
	}
	// messageGroup scope: the same id in two groups is two messages.
	if _, err := e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(url),
		Attributes: map[string]string{"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}}); err != nil {
		t.Fatal(err)
	}
	send("four", "g1", "x")
	send("five", "g2", "x")
	if c := e.counts(url); c != [3]int{4, 0, 0} {
		t.Fatalf("messageGroup scope counts %v", c)
	}
}

func TestFIFOErrors(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("errs.fifo", map[string]string{"FifoQueue": "true"})
	tests := []struct {
		name string
		in   sqs.SendMessageInput
		code string
		msg  string
	}{
		{"no group", sqs.SendMessageInput{MessageBody: aws.String("x"), MessageDeduplicationId: aws.String("d")},
			"MissingParameter", "The request must contain the parameter MessageGroupId."},
		{"no dedup", sqs.SendMessageInput{MessageBody: aws.String("x"), MessageGroupId: aws.String("g")},
			"InvalidParameterValue", "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"},
		{"delay", sqs.SendMessageInput{MessageBody: aws.String("x"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d"), DelaySeconds: 2},
			"InvalidParameterValue", "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."},
		{"bad group", sqs.SendMessageInput{MessageBody: aws.String("x"), MessageGroupId: aws.String("group 123"), MessageDeduplicationId: aws.String("d")},
			"InvalidParameterValue", "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.QueueUrl = aws.String(url)
			_, err := e.c.SendMessage(e.ctx, &in)
			wantCode(t, err, tc.code, tc.msg)
		})
	}
	if c := e.counts(url); c != [3]int{0, 0, 0} {
		t.Fatalf("refused sends changed the queue: %v", c)
	}
}

func TestReceiveRequestAttemptID(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("attempt.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	e.sendFIFO(url, "m1", "g")
	e.sendFIFO(url, "m2", "h")
	recv := func() []types.Message {
		out, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 1,
			ReceiveRequestAttemptId: aws.String("attempt-1")})
		if err != nil {
			t.Fatal(err)
		}
		return out.Messages
	}
	a, b := recv(), recv()
	if len(a) != 1 || len(b) != 1 || *a[0].MessageId != *b[0].MessageId || *a[0].ReceiptHandle != *b[0].ReceiptHandle {
		t.Fatalf("a retried attempt got different messages: %v %v", a, b)
	}
	if c := e.counts(url); c != [3]int{1, 1, 0} {
		t.Fatalf("counts %v", c)
	}
}

// TestFIFOGroupHeadVisibleAgain: a message is receivable when no earlier
// message of its group is in flight. m1, m2, m3 of one group are received;
// m1 made visible again (ChangeMessageVisibility 0) comes back at once while
// m2 and m3 stay in flight; m2 visible again behind an in-flight m1 waits
// until m1 is deleted, and then comes alone (m3 is still in flight).
func TestFIFOGroupHeadVisibleAgain(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("head.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "30"})
	for _, b := range []string{"m1", "m2", "m3"} {
		e.sendFIFO(url, b, "g")
	}
	first := e.receive(url, 10)
	if got := bodies(first); len(got) != 3 || got[0] != "m1" || got[1] != "m2" || got[2] != "m3" {
		t.Fatalf("first receive %v, want [m1 m2 m3]", got)
	}
	visible := func(m types.Message) {
		t.Helper()
		if _, err := e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url),
			ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0}); err != nil {
			t.Fatal(err)
		}
	}
	visible(first[0])
	if c := e.counts(url); c != [3]int{1, 2, 0} {
		t.Fatalf("counts after m1 is visible: %v, want [1 2 0]", c)
	}
	again := e.receive(url, 10)
	if got := bodies(again); len(got) != 1 || got[0] != "m1" {
		t.Fatalf("after m1 is visible again: %v, want [m1] (m2, m3 still in flight)", got)
	}
	if again[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Errorf("m1 ApproximateReceiveCount %q, want 2", again[0].Attributes["ApproximateReceiveCount"])
	}
	if c := e.counts(url); c != [3]int{0, 3, 0} {
		t.Fatalf("counts: %v, want [0 3 0]", c)
	}
	// m2 visible again, m1 in flight before it: nothing is receivable.
	visible(first[1])
	if got := bodies(e.receive(url, 10)); len(got) != 0 {
		t.Fatalf("m2 visible behind an in-flight m1: received %v, want nothing", got)
	}
	// m1 deleted: m2 is the head and comes alone, m3 is in flight.
	if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: again[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	if got := bodies(e.receive(url, 10)); len(got) != 1 || got[0] != "m2" {
		t.Fatalf("after m1 is deleted: %v, want [m2]", got)
	}
	// m3's handle from the first receive is still current.
	if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: first[2].ReceiptHandle}); err != nil {
		t.Fatalf("m3's handle: %v", err)
	}
	if c := e.counts(url); c != [3]int{0, 1, 0} {
		t.Fatalf("counts at the end: %v, want [0 1 0]", c)
	}
}

// TestFIFOGroupHeadTwoGroups is the e2e TestSQSFIFOGroupHead scenario:
// g1-m1 and g1-m2 received, g1-m1 made visible again; the next receive
// answers [g2-m1 g1-m1] as AWS does (g1-m2 stays in flight).
func TestFIFOGroupHeadTwoGroups(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("head2.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	for _, m := range [][2]string{{"g1-m1", "g1"}, {"g1-m2", "g1"}, {"g2-m1", "g2"}} {
		e.sendFIFO(url, m[0], m[1])
	}
	first := e.receive(url, 2)
	if got := bodies(first); len(got) != 2 || got[0] != "g1-m1" || got[1] != "g1-m2" {
		t.Fatalf("first receive %v, want [g1-m1 g1-m2]", got)
	}
	if _, err := e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url),
		ReceiptHandle: first[0].ReceiptHandle, VisibilityTimeout: 0}); err != nil {
		t.Fatal(err)
	}
	if got := bodies(e.receive(url, 3)); len(got) != 2 || got[0] != "g2-m1" || got[1] != "g1-m1" {
		t.Fatalf("after g1-m1 is visible again: %v, want [g2-m1 g1-m1]", got)
	}
	if c := e.counts(url); c != [3]int{0, 3, 0} {
		t.Fatalf("counts: %v, want [0 3 0]", c)
	}
}

// TestDedupSurvivesScopeSwitch: an id deduplicated under DeduplicationScope
// queue still deduplicates sends to any group after the switch to
// messageGroup, within its 5 minutes, answering the first message's id.
func TestDedupSurvivesScopeSwitch(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("switch.fifo", map[string]string{"FifoQueue": "true"})
	send := func(body, group, dedup string) *sqs.SendMessageOutput {
		t.Helper()
		out, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body),
			MessageGroupId: aws.String(group), MessageDeduplicationId: aws.String(dedup)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := send("one", "g1", "same")
	if _, err := e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(url),
		Attributes: map[string]string{"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}}); err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"g1", "g2"} {
		if out := send("again", g, "same"); *out.MessageId != *first.MessageId {
			t.Fatalf("resend to %s after the switch was not deduplicated", g)
		}
	}
	if got := bodies(e.receive(url, 10)); len(got) != 1 || got[0] != "one" {
		t.Fatalf("received %v", got)
	}
	e.srv.Advance(t, 5*time.Minute+time.Second)
	if out := send("later", "g2", "same"); *out.MessageId == *first.MessageId {
		t.Fatal("deduplicated after the window")
	}
}
