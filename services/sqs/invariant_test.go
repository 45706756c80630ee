package sqs

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/internal/store/memstore"
)

// TestStateInvariant drives random sends, receives, deletes, visibility
// changes and clock advances against a standard and a FIFO queue (with a
// dead-letter queue each) and checks the message state invariant of
// receive.go after every step, and that a reload from the store rebuilds
// the same counts.
func TestStateInvariant(t *testing.T) {
	for _, fifo := range []bool{false, true} {
		t.Run(fmt.Sprintf("fifo=%v", fifo), func(t *testing.T) {
			clk := clock.New()
			defer clk.Close()
			st := memstore.New()
			env := service.Env{Store: st, Clock: clk, DefaultAccount: "000000000000"}
			svc, err := New(env)
			if err != nil {
				t.Fatal(err)
			}
			s := svc.(*Service)
			ctx := api.WithCall(context.Background(), &api.Call{Account: "000000000000", Region: "us-east-1", Protocol: "json"})
			suffix, attrs := "", map[string]string{}
			if fifo {
				suffix, attrs = ".fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"}
			}
			dlq, err := s.CreateQueue(ctx, &sqsapi.CreateQueueRequest{QueueName: api.String("dlq" + suffix), Attributes: attrs})
			if err != nil {
				t.Fatal(err)
			}
			qa := map[string]string{"VisibilityTimeout": "5",
				"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq` + suffix + `","maxReceiveCount":3}`}
			for k, v := range attrs {
				qa[k] = v
			}
			created, err := s.CreateQueue(ctx, &sqsapi.CreateQueueRequest{QueueName: api.String("q" + suffix), Attributes: qa})
			if err != nil {
				t.Fatal(err)
			}
			urls := []*string{created.QueueUrl, dlq.QueueUrl}
			check := func(step int) {
				t.Helper()
				for _, u := range urls {
					q, _ := s.queueForURL(ctx, u)
					q.mu.Lock()
					err := q.checkLocked(s.now())
					q.mu.Unlock()
					if err != nil {
						t.Fatalf("step %d: %v", step, err)
					}
				}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			var handles []string
			for step := range 1500 {
				u := created.QueueUrl
				switch op := rng.IntN(10); {
				case op < 4:
					in := &sqsapi.SendMessageRequest{QueueUrl: u, MessageBody: api.String(fmt.Sprintf("m%d", step))}
					if fifo {
						in.MessageGroupId = api.String(fmt.Sprintf("g%d", rng.IntN(5)))
					} else if rng.IntN(3) == 0 {
						in.DelaySeconds = api.Int32(int32(rng.IntN(4)))
					}
					if _, err := s.SendMessage(ctx, in); err != nil {
						t.Fatal(err)
					}
				case op < 7:
					// The receivable rule (FIFO): a message is received
					// only if every earlier message of its group was ready
					// before the receive and is received with it, in order.
					var before map[string][]fifoSnap
					if fifo {
						before = snapGroups(s, ctx, u)
					}
					max := 1 + rng.IntN(3)
					out, err := s.ReceiveMessage(ctx, &sqsapi.ReceiveMessageRequest{QueueUrl: u, MaxNumberOfMessages: api.Int32(int32(max)),
						MessageSystemAttributeNames: []string{"MessageGroupId"}})
					if err != nil {
						t.Fatal(err)
					}
					for _, m := range out.Messages {
						handles = append(handles, *m.ReceiptHandle)
					}
					if fifo {
						skipped, err := checkReceivable(before, out.Messages, max)
						if err != nil {
							t.Fatalf("step %d: %v", step, err)
						}
						q, _ := s.queueForURL(ctx, u)
						q.mu.Lock()
						for _, id := range skipped {
							if q.mu.msgs[id] != nil {
								err = fmt.Errorf("ready message %s was passed over but is still in the queue", id)
							}
						}
						q.mu.Unlock()
						if err != nil {
							t.Fatalf("step %d: %v", step, err)
						}
					}
				case op < 8 && len(handles) > 0:
					h := handles[rng.IntN(len(handles))]
					_, _ = s.DeleteMessage(ctx, &sqsapi.DeleteMessageRequest{QueueUrl: u, ReceiptHandle: &h})
				case op < 9 && len(handles) > 0:
					h := handles[rng.IntN(len(handles))]
					_, _ = s.ChangeMessageVisibility(ctx, &sqsapi.ChangeMessageVisibilityRequest{QueueUrl: u, ReceiptHandle: &h, VisibilityTimeout: api.Int32(int32(rng.IntN(3)))})
				default:
					if err := clk.Advance(time.Duration(rng.IntN(4)) * time.Second); err != nil {
						t.Fatal(err)
					}
				}
				check(step)
			}

			// Reload from the store: the same messages in the same states.
			before := map[string]string{}
			for _, u := range urls {
				q, _ := s.queueForURL(ctx, u)
				before[*u] = fmt.Sprint(q.attributes()["ApproximateNumberOfMessages"], q.attributes()["ApproximateNumberOfMessagesNotVisible"], q.attributes()["ApproximateNumberOfMessagesDelayed"])
			}
			_ = s.Stop(ctx)
			svc2, err := New(env)
			if err != nil {
				t.Fatal(err)
			}
			s = svc2.(*Service)
			for _, u := range urls {
				q, err := s.queueForURL(ctx, u)
				if err != nil {
					t.Fatal(err)
				}
				after := fmt.Sprint(q.attributes()["ApproximateNumberOfMessages"], q.attributes()["ApproximateNumberOfMessagesNotVisible"], q.attributes()["ApproximateNumberOfMessagesDelayed"])
				if after != before[*u] {
					t.Errorf("%s: counts %s after reload, %s before", *u, after, before[*u])
				}
			}
			check(-1)
			_ = s.Stop(ctx)
		})
	}
}

// fifoSnap is a FIFO message's id and state before a receive.
type fifoSnap struct {
	id    string
	state msgState
}

// snapGroups returns every group's messages, in order, with their states
// at this moment (brought up to now, as a receive would).
func snapGroups(s *Service, ctx context.Context, u *string) map[string][]fifoSnap {
	q, _ := s.queueForURL(ctx, u)
	q.mu.Lock()
	defer q.mu.Unlock()
	q.advanceLocked(s.now())
	out := map[string][]fifoSnap{}
	for id, g := range q.mu.groups {
		for _, m := range g.msgs {
			out[id] = append(out[id], fifoSnap{m.b.ID, m.state})
		}
	}
	return out
}

// checkReceivable verifies that the messages a FIFO receive returned for
// each group are a run of its first messages (a prefix with none in flight
// or delayed), in order. Messages moved to the dead-letter queue by the
// receive leave gaps, so a group's run may skip messages that the receive
// took out of the queue; those are returned for the caller to check. A
// receive that returned fewer than max must have taken every group whose
// first message was ready (AWS delivers a group's head that is visible
// again while later messages of the group are in flight).
func checkReceivable(before map[string][]fifoSnap, got []*sqsapi.Message, max int) (skipped []string, err error) {
	next := map[string]int{} // per group: index in before of the next message expected
	for _, m := range got {
		g := m.Attributes["MessageGroupId"]
		msgs := before[g]
		i := next[g]
		for i < len(msgs) && msgs[i].id != *m.MessageId {
			if msgs[i].state != stateReady {
				return nil, fmt.Errorf("group %q: received %s after %s, which was %v", g, *m.MessageId, msgs[i].id, msgs[i].state)
			}
			skipped = append(skipped, msgs[i].id) // ready, not returned: moved to the dead-letter queue
			i++
		}
		if i == len(msgs) {
			return nil, fmt.Errorf("group %q: received %s, not in the group's order before the receive", g, *m.MessageId)
		}
		if msgs[i].state != stateReady {
			return nil, fmt.Errorf("group %q: received %s, which was %v", g, *m.MessageId, msgs[i].state)
		}
		next[g] = i + 1
	}
	if len(got) < max {
		for g, msgs := range before {
			if len(msgs) > 0 && msgs[0].state == stateReady && next[g] == 0 {
				skipped = append(skipped, msgs[0].id) // must have moved to the dead-letter queue
			}
		}
	}
	return skipped, nil
}

// newTestService builds SQS on a memory store and its own clock, and a
// context that calls it as the default account over JSON.
func newTestService(t *testing.T) (*Service, context.Context, *clock.Process) {
	t.Helper()
	clk := clock.New()
	t.Cleanup(func() { _ = clk.Close() })
	svc, err := New(service.Env{Store: memstore.New(), Clock: clk, DefaultAccount: "000000000000"})
	if err != nil {
		t.Fatal(err)
	}
	s := svc.(*Service)
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s, api.WithCall(context.Background(), &api.Call{Account: "000000000000", Region: "us-east-1", Protocol: "json"}), clk
}

func TestOverLimit(t *testing.T) {
	s, ctx, _ := newTestService(t)
	out, err := s.CreateQueue(ctx, &sqsapi.CreateQueueRequest{QueueName: api.String("limited")})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := s.queueForURL(ctx, out.QueueUrl)
	q.inflightLimit = 2
	for i := range 3 {
		if _, err := s.SendMessage(ctx, &sqsapi.SendMessageRequest{QueueUrl: out.QueueUrl, MessageBody: api.String(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ReceiveMessage(ctx, &sqsapi.ReceiveMessageRequest{QueueUrl: out.QueueUrl, MaxNumberOfMessages: api.Int32(10)})
	if err != nil || len(got.Messages) != 2 {
		t.Fatalf("receive up to the limit: %v, %v", got, err)
	}
	_, err = s.ReceiveMessage(ctx, &sqsapi.ReceiveMessageRequest{QueueUrl: out.QueueUrl})
	if ae := api.AsError(err); ae.Code != "OverLimit" || ae.HTTPStatus() != 403 {
		t.Fatalf("receive over the limit: %v", err)
	}
}

func TestEnqueue(t *testing.T) {
	s, ctx, _ := newTestService(t)
	out, err := s.CreateQueue(ctx, &sqsapi.CreateQueueRequest{QueueName: api.String("target.fifo"),
		Attributes: map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:sqs:us-east-1:000000000000:target.fifo"
	if _, err := s.Enqueue(context.Background(), arn, Message{Body: "b", DelaySeconds: -1}); api.AsError(err).Code != "MissingRequiredParameterException" {
		t.Fatalf("FIFO enqueue without a group: %v", err)
	}
	id, err := s.Enqueue(context.Background(), arn, Message{Body: "b", GroupID: "g", DelaySeconds: -1, SenderID: "arn:aws:sns:us-east-1:000000000000:t"})
	if err != nil || id == "" {
		t.Fatalf("Enqueue: %q, %v", id, err)
	}
	got, err := s.ReceiveMessage(ctx, &sqsapi.ReceiveMessageRequest{QueueUrl: out.QueueUrl, MessageSystemAttributeNames: []string{"SenderId"}})
	if err != nil || len(got.Messages) != 1 || *got.Messages[0].MessageId != id || got.Messages[0].Attributes["SenderId"] != "arn:aws:sns:us-east-1:000000000000:t" {
		t.Fatalf("received %+v, %v", got, err)
	}
	if _, err := s.Enqueue(context.Background(), "arn:aws:sqs:us-east-1:000000000000:nope", Message{Body: "b"}); api.AsError(err).Code != "QueueDoesNotExist" {
		t.Fatalf("Enqueue to a missing queue: %v", err)
	}
}

// TestMoveHooks exercises what message move tasks build on: listing a
// dead-letter queue's messages in order, its sources, and moving a message
// back to the queue it came from with its attributes.
func TestMoveHooks(t *testing.T) {
	s, ctx, _ := newTestService(t)
	dlq, _ := s.CreateQueue(ctx, &sqsapi.CreateQueueRequest{QueueName: api.String("dlq")})
	src, err := s.CreateQueue(ctx, &sqsapi.CreateQueueRequest{QueueName: api.String("src"), Attributes: map[string]string{
		"VisibilityTimeout": "0", "RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":1}`}})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"first", "second"} {
		if _, err := s.SendMessage(ctx, &sqsapi.SendMessageRequest{QueueUrl: src.QueueUrl, MessageBody: api.String(b),
			MessageAttributes: map[string]*sqsapi.MessageAttributeValue{"k": {DataType: api.String("String"), StringValue: api.String(b)}}}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		if _, err := s.ReceiveMessage(ctx, &sqsapi.ReceiveMessageRequest{QueueUrl: src.QueueUrl, MaxNumberOfMessages: api.Int32(10)}); err != nil {
			t.Fatal(err)
		}
	}
	dlqARN, srcARN := "arn:aws:sqs:us-east-1:000000000000:dlq", "arn:aws:sqs:us-east-1:000000000000:src"
	ids, err := s.MessageIDs(dlqARN)
	if err != nil || len(ids) != 2 {
		t.Fatalf("MessageIDs %v %v", ids, err)
	}
	if srcs, err := s.DeadLetterSources(dlqARN); err != nil || len(srcs) != 1 || srcs[0] != srcARN {
		t.Fatalf("DeadLetterSources %v %v", srcs, err)
	}
	if err := s.MoveMessage(ctx, dlqARN, ids[0], ""); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveMessage(ctx, dlqARN, ids[0], ""); err != ErrNotMovable {
		t.Fatalf("moving a moved message: %v", err)
	}
	got, err := s.ReceiveMessage(ctx, &sqsapi.ReceiveMessageRequest{QueueUrl: src.QueueUrl, MessageAttributeNames: []string{"All"},
		MessageSystemAttributeNames: []string{"All"}})
	if err != nil || len(got.Messages) != 1 {
		t.Fatalf("after the move %v %v", got, err)
	}
	m := got.Messages[0]
	if *m.MessageId != ids[0] || *m.Body != "first" || *m.MessageAttributes["k"].StringValue != "first" ||
		m.Attributes["ApproximateReceiveCount"] != "1" || m.Attributes["DeadLetterQueueSourceArn"] != "" {
		t.Fatalf("moved message %+v", m)
	}
	if _, err := s.MessageIDs("arn:aws:sqs:us-east-1:000000000000:none"); err != ErrNoQueue {
		t.Fatalf("MessageIDs of a missing queue: %v", err)
	}
	_ = dlq
}

// TestFIFOConcurrentSends sends to one group from several goroutines while
// others receive and delete: every message arrives once, in sequence-number
// order, even though sends become durable in any order.
func TestFIFOConcurrentSends(t *testing.T) {
	s, ctx, _ := newTestService(t)
	out, err := s.CreateQueue(ctx, &sqsapi.CreateQueueRequest{QueueName: api.String("race.fifo"),
		Attributes: map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	const senders, each = 8, 50
	var (
		mu   sync.Mutex
		seqs []string
		wg   sync.WaitGroup
	)
	for i := range senders {
		wg.Go(func() {
			for j := range each {
				if _, err := s.SendMessage(ctx, &sqsapi.SendMessageRequest{QueueUrl: out.QueueUrl,
					MessageBody: api.String(fmt.Sprintf("%d-%d", i, j)), MessageGroupId: api.String("g")}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	var rwg sync.WaitGroup
	for range 2 {
		rwg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				got, err := s.ReceiveMessage(ctx, &sqsapi.ReceiveMessageRequest{QueueUrl: out.QueueUrl, MaxNumberOfMessages: api.Int32(3),
					MessageSystemAttributeNames: []string{"SequenceNumber"}})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, m := range got.Messages {
					seqs = append(seqs, m.Attributes["SequenceNumber"])
				}
				mu.Unlock()
				for _, m := range got.Messages {
					if _, err := s.DeleteMessage(ctx, &sqsapi.DeleteMessageRequest{QueueUrl: out.QueueUrl, ReceiptHandle: m.ReceiptHandle}); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	for {
		mu.Lock()
		n := len(seqs)
		mu.Unlock()
		if n >= senders*each || t.Failed() {
			break
		}
		runtime.Gosched()
	}
	close(done)
	rwg.Wait()
	if len(seqs) != senders*each {
		t.Fatalf("received %d messages, want %d", len(seqs), senders*each)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("message %d has sequence %s after %s", i, seqs[i], seqs[i-1])
		}
	}
}
