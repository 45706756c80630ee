package sqs_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/fogbank/fogbank/fogbanktest"
)

// TestRestart stops a durable server and starts another on its data
// directory: queues, messages, receive counts and in-flight visibility are
// all back, and deleted messages stay deleted.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	durable := fogbanktest.Durable(dir)

	e := newEnv(t, durable)
	url := e.createQueue("durable", map[string]string{"VisibilityTimeout": "60"})
	fifo := e.createQueue("durable.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	e.send(url, "kept")
	e.send(url, "deleted")
	e.send(url, "in-flight")
	e.sendFIFO(fifo, "f1", "g")
	e.sendFIFO(fifo, "f2", "g")
	ms := e.receive(url, 10)
	if len(ms) != 3 {
		t.Fatalf("received %v", bodies(ms))
	}
	for _, m := range ms {
		if *m.Body == "deleted" {
			if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
		if *m.Body == "kept" {
			if _, err := e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := e.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	e = newEnv(t, durable)
	if c := e.counts(url); c != [3]int{1, 1, 0} {
		t.Fatalf("counts after restart %v, want 1 visible, 1 in flight", c)
	}
	got := e.receive(url, 10)
	if len(got) != 1 || *got[0].Body != "kept" || got[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("after restart received %v %v", bodies(got), got)
	}
	e.srv.Advance(t, 61*time.Second)
	got = e.receive(url, 10)
	if len(got) != 2 {
		t.Fatalf("after the visibility timeout received %v", bodies(got))
	}
	for _, m := range got {
		if *m.Body == "deleted" {
			t.Fatal("a deleted message came back")
		}
	}
	f := e.receive(fifo, 10)
	if len(f) != 2 || *f[0].Body != "f1" || *f[1].Body != "f2" {
		t.Fatalf("FIFO after restart %v", bodies(f))
	}
}

// TestRestartKeepsDedup: a FIFO deduplication id whose message was deleted
// still deduplicates after a restart, within its 5 minutes, with the first
// message's id and sequence number; after the window it is a new message.
func TestRestartKeepsDedup(t *testing.T) {
	dir := t.TempDir()
	durable := fogbanktest.Durable(dir)

	e := newEnv(t, durable)
	fifo := e.createQueue("dedup.fifo", map[string]string{"FifoQueue": "true"})
	send := func() *sqs.SendMessageOutput {
		t.Helper()
		out, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(fifo), MessageBody: aws.String("once"),
			MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d1")})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := send()
	ms := e.receive(fifo, 10)
	if len(ms) != 1 {
		t.Fatalf("received %v", bodies(ms))
	}
	if _, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(fifo), ReceiptHandle: ms[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	e = newEnv(t, durable)
	again := send()
	if *again.MessageId != *first.MessageId || *again.SequenceNumber != *first.SequenceNumber {
		t.Fatalf("resend after restart got %s/%s, want the first %s/%s", *again.MessageId, *again.SequenceNumber, *first.MessageId, *first.SequenceNumber)
	}
	if got := e.receive(fifo, 10); len(got) != 0 {
		t.Fatalf("a duplicate was enqueued: %v", bodies(got))
	}
	e.srv.Advance(t, dedupWindowForTest+time.Second)
	later := send()
	if *later.MessageId == *first.MessageId {
		t.Fatal("deduplicated after the 5-minute window")
	}
	if got := e.receive(fifo, 10); len(got) != 1 {
		t.Fatalf("after the window received %v", bodies(got))
	}
}

const dedupWindowForTest = 5 * time.Minute
