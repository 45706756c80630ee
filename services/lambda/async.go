package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/store"
)

// Asynchronous invokes (InvocationType Event, the legacy InvokeAsync, and
// other services through Service.InvokeAsync) are written to the store
// before they are acknowledged and run in the background by a few workers;
// a record is deleted once its invoke has run, so events acknowledged
// before a crash run after the restart. Retries and destinations are a
// later step: a throttled event waits and tries again, a failed one is
// logged.

const (
	asyncWorkers    = 4
	throttleBackoff = time.Second
)

// asyncEvent is a queued invoke; its JSON form is the store record.
type asyncEvent struct {
	ID        string `json:"id"`
	Account   string `json:"account"`
	Region    string `json:"region"`
	Name      string `json:"name"`
	Version   string `json:"version"` // resolved at enqueue (an alias's routing picks then)
	Payload   []byte `json:"payload"`
	RequestID string `json:"requestId"`
}

func eventKey(id string) []byte { return store.Key("lambda", "~event", id) }

// asyncQueue holds events waiting for a worker.
type asyncQueue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pending []*asyncEvent
	closed  bool
}

func (q *asyncQueue) lazyInit() {
	if q.cond == nil {
		q.cond = sync.NewCond(&q.mu)
	}
}

// loadRecord takes a queued event read by load.
func (q *asyncQueue) loadRecord(k, v []byte) error {
	parts := splitKey(k)
	if len(parts) != 3 || parts[1] != "~event" {
		return nil
	}
	var e asyncEvent
	if err := json.Unmarshal(v, &e); err != nil {
		return fmt.Errorf("decoding queued event: %w", err)
	}
	q.mu.Lock()
	q.pending = append(q.pending, &e)
	q.mu.Unlock()
	return nil
}

func (q *asyncQueue) push(e *asyncEvent) {
	q.mu.Lock()
	q.lazyInit()
	q.pending = append(q.pending, e)
	q.mu.Unlock()
	q.cond.Signal()
}

// pop waits for an event; nil once closed.
func (q *asyncQueue) pop() *asyncEvent {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.lazyInit()
	for len(q.pending) == 0 && !q.closed {
		q.cond.Wait()
	}
	if q.closed {
		return nil
	}
	e := q.pending[0]
	q.pending = q.pending[1:]
	return e
}

func (q *asyncQueue) close() {
	q.mu.Lock()
	q.lazyInit()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

func (q *asyncQueue) drop() {
	q.mu.Lock()
	q.pending = nil
	q.mu.Unlock()
}

// startAsync starts the workers; events loaded from the store run first,
// oldest first.
func (s *Service) startAsync() {
	s.async.mu.Lock()
	s.async.lazyInit()
	sort.Slice(s.async.pending, func(i, j int) bool { return s.async.pending[i].ID < s.async.pending[j].ID })
	s.async.mu.Unlock()
	for range asyncWorkers {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for {
				e := s.async.pop()
				if e == nil {
					return
				}
				s.runEvent(e)
			}
		}()
	}
}

// enqueue makes an event durable, then queues it.
func (s *Service) enqueue(ctx context.Context, r fnRef, v *fnVersion, payload []byte, requestID string) error {
	if requestID == "" {
		requestID = newUUID()
	}
	e := &asyncEvent{
		ID:      fmt.Sprintf("%020d-%s", s.now().UnixNano(), requestID),
		Account: r.account, Region: r.region, Name: r.name,
		Version: api.ToString(v.Config.Version), Payload: payload, RequestID: requestID,
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("lambda: encoding event: %w", err)
	}
	var batch store.Batch
	batch.Put(eventKey(e.ID), b)
	if err := s.apply(ctx, &batch); err != nil {
		return err
	}
	s.async.push(e)
	return nil
}

// runEvent runs one queued event and forgets it, unless it was throttled.
func (s *Service) runEvent(e *asyncEvent) {
	if s.ctx.Err() != nil {
		return
	}
	f := s.lookup(fnKey{e.Account, e.Region, e.Name})
	var v *fnVersion
	if f != nil {
		v = f.version(e.Version)
	}
	if v != nil {
		_, err := s.run(s.ctx, invocation{f: f, v: v, payload: e.Payload}, e.RequestID, nil)
		if s.ctx.Err() != nil {
			return // stopped mid-invoke: the record stays, and the event runs again after a restart
		}
		if ae, ok := err.(*api.Error); ok && ae.Code == "TooManyRequestsException" && !(f.Reserved != nil && *f.Reserved == 0) {
			s.env.Clock.AfterFunc(throttleBackoff, func() {
				if s.ctx.Err() == nil {
					s.async.push(e)
				}
			})
			return
		}
		if err != nil && s.env.Logger != nil {
			s.env.Logger.Warn("lambda: asynchronous invoke failed", "function", f.arn(), "requestId", e.RequestID, "err", err)
		}
	}
	var b store.Batch
	b.Delete(eventKey(e.ID))
	if err := s.apply(s.ctx, &b); err != nil && s.env.Logger != nil {
		s.env.Logger.Warn("lambda: forgetting an event", "err", err)
	}
}

var fnARNRE = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$`)

// InvokeAsync queues an asynchronous invoke of the function (optionally
// qualified) with ARN functionARN, for other services (SNS, S3
// notifications, EventBridge), which declare:
//
//	type asyncInvoker interface {
//		InvokeAsync(ctx context.Context, functionARN string, payload []byte) (requestID string, err error)
//	}
//
// Errors are *api.Error as Invoke would answer: ResourceNotFoundException
// when the function does not exist, RequestEntityTooLargeException over
// 256 KB.
func (s *Service) InvokeAsync(ctx context.Context, functionARN string, payload []byte) (string, error) {
	m := fnARNRE.FindStringSubmatch(functionARN)
	if m == nil {
		return "", fnNotFound(functionARN)
	}
	r := fnRef{account: m[2], region: m[1], name: m[3], qualifier: m[4]}
	f := s.lookup(r.key())
	if f == nil {
		return "", fnNotFound(r.qarn())
	}
	v, e := s.target(f, r)
	if e != nil {
		return "", e
	}
	if len(payload) > maxAsyncPayload {
		return "", tooLarge(fmt.Sprintf("%d byte payload is too large for the Event invocation type (limit %d bytes)", len(payload), maxAsyncPayload))
	}
	id := newUUID()
	if err := s.enqueue(ctx, r, v, payload, id); err != nil {
		return "", err
	}
	return id, nil
}

// invokeAsyncAPI is the deprecated InvokeAsync operation (202, Status 202).
func (s *Service) invokeAsyncAPI(ctx context.Context, in *lambdaapi.InvokeAsyncRequest) (*lambdaapi.InvokeAsyncResponse, error) {
	var payload []byte
	if in.InvokeArgs != nil {
		defer in.InvokeArgs.Close()
		b, err := io.ReadAll(io.LimitReader(in.InvokeArgs, maxAsyncPayload+1))
		if err != nil {
			return nil, fmt.Errorf("lambda: reading InvokeArgs: %w", err)
		}
		payload = b
	}
	if len(payload) > maxAsyncPayload {
		return nil, tooLarge(fmt.Sprintf("%d byte payload is too large for the Event invocation type (limit %d bytes)", len(payload), maxAsyncPayload))
	}
	r, _, v, err := s.resolve(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	if err := s.enqueue(ctx, r, v, payload, call(ctx).RequestID); err != nil {
		return nil, err
	}
	return &lambdaapi.InvokeAsyncResponse{Status: api.Int32(202)}, nil
}
