package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/uuid"
)

// Asynchronous invokes (InvocationType Event, the legacy InvokeAsync, and
// other services through Service.InvokeAsync) behave as AWS's event queue:
// each event is a job of internal/delivery (durable in the store before the
// 202, attempted on timers of the service clock, so it survives a restart
// and tests drive its retries with Advance). An attempt that ends in a
// function error or timeout is retried per the event invoke configuration
// of the qualifier it was invoked through (MaximumRetryAttempts, default 2,
// after one and then two minutes); an attempt throttled by concurrency is
// retried without counting, from one second doubling to five minutes; an
// event older than MaximumEventAgeInSeconds (default six hours) is dropped.
// The outcome goes to the configured destinations and the dead-letter queue
// (destinations.go).

const (
	asyncKind = "event"
	// asyncConcurrent bounds the attempts running at once: each holds a
	// function environment, and more would only be throttled.
	asyncConcurrent = 16

	defaultRetries = 2
	defaultMaxAge  = 6 * time.Hour
	maxThrottleGap = 5 * time.Minute
)

// retryDelays is AWS's backoff between attempts of a failed event.
var retryDelays = delivery.Delays{time.Minute, 2 * time.Minute}

// asyncEvent is a queued invoke: the job's payload. Deliver updates the
// counts and the last response, which the queue stores with the retry.
type asyncEvent struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	Name    string `json:"name"`
	// Qualifier is what the invoke named ("" unqualified): its event invoke
	// configuration applies, and the invocation record's functionArn names it.
	Qualifier string `json:"qualifier,omitempty"`
	Version   string `json:"version"` // resolved at enqueue (an alias's routing picks then)
	Payload   []byte `json:"payload"`
	RequestID string `json:"requestId"`

	// Invokes counts attempts that ran the function; Throttles those
	// refused for concurrency.
	Invokes   int `json:"invokes,omitempty"`
	Throttles int `json:"throttles,omitempty"`
	// Last is the last run's response, for a failure record.
	Last *eventResponse `json:"last,omitempty"`
	// Condition is why the event was given up on (set by Retry).
	Condition string `json:"condition,omitempty"`
}

// eventResponse is one run's outcome.
type eventResponse struct {
	FunctionError string `json:"functionError,omitempty"`
	Payload       []byte `json:"payload,omitempty"`
	Version       string `json:"version"`
}

// Attempt outcomes the handler's Retry tells apart.
var (
	errThrottled  = errors.New("lambda: event throttled")
	errFunction   = errors.New("lambda: function error")
	errEventAge   = errors.New("lambda: event older than its maximum age")
	errFnDeleted  = errors.New("lambda: function deleted")
	errNoEventRun = errors.New("lambda: event could not run")
)

// asyncQueue owns the delivery queue (built at first use, since New cannot
// fail on it) and records of the earlier queue format, resubmitted at Start.
type asyncQueue struct {
	once   sync.Once
	q      *delivery.Queue
	mu     sync.Mutex
	legacy [][]byte
}

// queue returns the delivery queue, building it with s as its handler.
func (s *Service) queue() *delivery.Queue {
	s.async.once.Do(func() {
		s.async.q = delivery.New(delivery.Config{Store: s.env.Store, Clock: s.env.Clock, Logger: s.env.Logger,
			Prefix: "lambda", MaxConcurrent: asyncConcurrent})
		s.async.q.Handle(asyncKind, eventHandler{s})
	})
	return s.async.q
}

// loadRecord takes a record load did not recognise: an event queued by the
// earlier format (lambda/~event/<id>) is kept to be resubmitted; delivery
// jobs (lambda/dlv/<id>) are the queue's own.
func (q *asyncQueue) loadRecord(k, v []byte) error {
	parts := splitKey(k)
	if len(parts) == 3 && parts[1] == "~event" {
		q.mu.Lock()
		q.legacy = append(q.legacy, append([]byte(nil), v...))
		q.mu.Unlock()
	}
	return nil
}

// close stops the queue's timers and waits for running attempts (their
// records stay for the next start).
func (q *asyncQueue) close() {
	if q.q != nil {
		q.q.Stop()
	}
}

// drop forgets every queued event (Reset deletes the records).
func (q *asyncQueue) drop() {
	q.mu.Lock()
	q.legacy = nil
	q.mu.Unlock()
	if q.q != nil {
		// An error here leaves records that the service's Reset deletes
		// with all of Lambda's keys right after.
		_ = q.q.Reset(context.Background())
	}
}

// startAsync starts the queue; events queued before a restart resume.
func (s *Service) startAsync() {
	q := s.queue()
	if err := q.Start(s.ctx); err != nil && s.env.Logger != nil {
		s.env.Logger.Warn("lambda: loading queued events", "err", err)
	}
	s.async.mu.Lock()
	legacy := s.async.legacy
	s.async.legacy = nil
	s.async.mu.Unlock()
	for _, v := range legacy {
		var old struct {
			asyncEvent
			ID string `json:"id"`
		}
		if json.Unmarshal(v, &old) != nil {
			continue
		}
		if err := s.submit(s.ctx, &old.asyncEvent); err != nil {
			continue
		}
		var b store.Batch
		b.Delete(store.Key("lambda", "~event", old.ID))
		_ = s.apply(s.ctx, &b)
	}
}

// enqueue makes an event durable, then queues it.
func (s *Service) enqueue(ctx context.Context, r fnRef, v *fnVersion, payload []byte, requestID string) error {
	if requestID == "" {
		requestID = uuid.New()
	}
	return s.submit(ctx, &asyncEvent{
		Account: r.account, Region: r.region, Name: r.name, Qualifier: r.qualifier,
		Version: api.ToString(v.Config.Version), Payload: payload, RequestID: requestID,
	})
}

func (s *Service) submit(ctx context.Context, e *asyncEvent) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("lambda: encoding event: %w", err)
	}
	if err := s.queue().Submit(context.WithoutCancel(ctx), delivery.Job{Kind: asyncKind, Payload: b}); err != nil {
		return fmt.Errorf("lambda: queueing event: %w", err)
	}
	return nil
}

// eventHandler runs queued events for the delivery queue.
type eventHandler struct{ s *Service }

// eventLimits is what the event's invoke configuration allows.
func (s *Service) eventLimits(f *function, qualifier string) (retries int, maxAge time.Duration, c *lambdaapi.FunctionEventInvokeConfig) {
	retries, maxAge = defaultRetries, defaultMaxAge
	if f == nil {
		return
	}
	q := qualifier
	if q == "" {
		q = "$LATEST"
	}
	c = f.EventConfigs[q]
	if c != nil {
		if c.MaximumRetryAttempts != nil {
			retries = int(*c.MaximumRetryAttempts)
		}
		if c.MaximumEventAgeInSeconds != nil {
			maxAge = time.Duration(*c.MaximumEventAgeInSeconds) * time.Second
		}
	}
	return
}

func decodeEvent(j *delivery.Job) (*asyncEvent, error) {
	e := &asyncEvent{}
	if err := json.Unmarshal(j.Payload, e); err != nil {
		return nil, delivery.Permanent(fmt.Errorf("lambda: decoding event: %w", err))
	}
	return e, nil
}

func encodeEvent(j *delivery.Job, e *asyncEvent) {
	if b, err := json.Marshal(e); err == nil {
		j.Payload = b
	}
}

// Deliver runs the event once.
func (h eventHandler) Deliver(ctx context.Context, j *delivery.Job) error {
	s := h.s
	e, err := decodeEvent(j)
	if err != nil {
		return err
	}
	defer encodeEvent(j, e)
	f := s.lookup(fnKey{e.Account, e.Region, e.Name})
	var v *fnVersion
	if f != nil {
		v = f.version(e.Version)
	}
	if v == nil {
		return delivery.Permanent(errFnDeleted)
	}
	_, maxAge, _ := s.eventLimits(f, e.Qualifier)
	if s.now().Sub(j.First) >= maxAge {
		e.Condition = "EventAgeExceeded"
		return delivery.Permanent(errEventAge)
	}
	res, rerr := s.run(ctx, invocation{f: f, v: v, payload: e.Payload}, e.RequestID, nil)
	if ctx.Err() != nil {
		return ctx.Err() // stopping: the record stays and the event runs after a restart
	}
	var ae *api.Error
	if errors.As(rerr, &ae) && ae.Code == "TooManyRequestsException" {
		e.Throttles++
		return errThrottled
	}
	e.Invokes++
	if rerr != nil {
		// The invoke could not run (missing runtime, engine failure): AWS
		// counts such errors as failed attempts, retried like function errors.
		msg := rerr.Error()
		if ae != nil {
			msg = ae.Message
		}
		doc, _ := json.Marshal(map[string]string{"errorMessage": msg, "errorType": "ServiceException"})
		e.Last = &eventResponse{FunctionError: "Unhandled", Payload: doc, Version: e.Version}
		return fmt.Errorf("%w: %w", errNoEventRun, rerr)
	}
	e.Last = &eventResponse{FunctionError: res.FunctionError, Payload: res.Payload, Version: e.Version}
	if res.FunctionError != "" {
		return errFunction
	}
	s.sendOutcome(ctx, f, e, "Success")
	return nil
}

// Retry implements delivery.Handler: throttles back off from one second to
// five minutes without counting as attempts; failed runs are retried after
// one and then two minutes, MaximumRetryAttempts times; no retry is made
// that would start after the event's maximum age.
func (h eventHandler) Retry(j *delivery.Job, err error) (time.Duration, bool) {
	s := h.s
	e, derr := decodeEvent(j)
	if derr != nil {
		return 0, false
	}
	defer encodeEvent(j, e)
	f := s.lookup(fnKey{e.Account, e.Region, e.Name})
	retries, maxAge, _ := s.eventLimits(f, e.Qualifier)
	var delay time.Duration
	if errors.Is(err, errThrottled) {
		delay = time.Second << min(e.Throttles-1, 9)
		delay = min(delay, maxThrottleGap)
	} else {
		d, ok := retryDelays.Delay(e.Invokes)
		if !ok || e.Invokes > retries {
			e.Condition = "RetriesExhausted"
			return 0, false
		}
		delay = d
	}
	if !s.now().Add(delay).Before(j.First.Add(maxAge)) {
		e.Condition = "EventAgeExceeded"
		return 0, false
	}
	return delay, true
}

// Dead implements delivery.Handler: the failure goes to the OnFailure
// destination and to the function's dead-letter queue (AWS: destinations
// work "in addition to or instead of" a dead-letter queue).
func (h eventHandler) Dead(ctx context.Context, j *delivery.Job, err error) error {
	s := h.s
	e, derr := decodeEvent(j)
	if derr != nil {
		return derr
	}
	if errors.Is(err, errFnDeleted) {
		return nil // AWS discards the events of a deleted function
	}
	if e.Condition == "" {
		e.Condition = "RetriesExhausted"
	}
	f := s.lookup(fnKey{e.Account, e.Region, e.Name})
	if f == nil {
		return nil
	}
	if s.env.Logger != nil {
		s.env.Logger.Info("lambda: asynchronous invoke failed", "function", f.arn(), "requestId", e.RequestID,
			"condition", e.Condition, "attempts", e.Invokes, "err", err)
	}
	s.sendOutcome(ctx, f, e, e.Condition)
	return s.deadLetter(ctx, f, e)
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
// The event is retried and sent to destinations as an Event invoke is.
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
	id := uuid.New()
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
