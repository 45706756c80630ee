// Package sns is Fogbank's Amazon Simple Notification Service: standard and
// FIFO topics, subscriptions, and publishing that really delivers — to SQS
// queues in-process, to HTTP/HTTPS endpoints with signed messages, to Lambda
// functions through the lambda peer, and to email, SMS and mobile push,
// which are recorded in an outbox (GET /_fogbank/sns/outbox) instead of sent.
//
// # Shape
//
// Topics, subscriptions, platform applications and endpoints are plain Go
// values in memory behind Service.mu; each change writes its record to the
// store (records.go) before the client is answered, and New loads them back.
//
// # Delivery
//
// A publish is checked entirely before anything happens (refused input
// publishes nothing). SQS subscriptions are delivered inline, before Publish
// answers, through the sqs peer's Enqueue, so a message acknowledged to the
// publisher is already durable in every subscribed queue. Deliveries AWS
// retries (http/https, lambda) are jobs of internal/delivery: durable
// records with a next-attempt time on env.Clock, retried with the
// subscription's delivery policy and dead-lettered to the subscription's
// RedrivePolicy queue when retries are exhausted (deliver.go).
//
// # Locks
//
// Service.mu guards every map; it is never held across a store Apply or a
// call to another service. Changes are decided under the lock on copies,
// made durable with the lock released, and then installed under the lock
// again. lifecycle serializes the operations that create or delete things
// (so two CreateTopic of one name cannot both write), and is held across
// their Apply; publishing never takes it.
package sns

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	snsapi "github.com/fogbank/fogbank/internal/api/sns"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/validate"
)

// Info is SNS's descriptor, listed in internal/services/all.go.
var Info = service.Info{Name: "sns", New: New}

// Service is SNS. The generated snsapi.Handler is implemented by handler
// (a *Service whose Publish is the API's), because Service.Publish is the
// in-process publish other services call (peer.go).
type Service struct {
	env service.Env

	lifecycle sync.Mutex

	mu struct {
		sync.RWMutex
		topics map[string]*topic            // by ARN
		subs   map[string]*subscription     // by ARN
		apps   map[string]*platformApp      // by ARN
		eps    map[string]*platformEndpoint // by ARN
		sms    map[string]*smsSettings      // by account/region
		outbox []outboxEntry
		// outboxSeq is the last outbox record number handed out.
		outboxSeq uint64
	}

	signer *signer
	jobs   *delivery.Queue
	httpc  *http.Client
	// throttle spaces HTTP deliveries per subscription (throttle.go).
	throttle throttle
}

var (
	_ snsapi.Handler             = handler{}
	_ service.Resetter           = (*Service)(nil)
	_ service.Starter            = (*Service)(nil)
	_ service.Stopper            = (*Service)(nil)
	_ service.HTTPRouter         = (*Service)(nil)
	_ service.ValidationOptioner = (*Service)(nil)
)

// handler is what the pipeline calls: every API operation is a method of
// *Service except Publish, whose name the in-process publish takes.
type handler struct{ *Service }

// Publish implements the API's Publish (publish.go).
func (h handler) Publish(ctx context.Context, in *snsapi.PublishInput) (*snsapi.PublishResponse, error) {
	return h.publishAPI(ctx, in)
}

// New builds SNS and loads its records from the store.
func New(env service.Env) (service.Service, error) {
	s := &Service{env: env}
	s.resetMemory()
	s.signer = newSigner(env.Store)
	s.httpc = &http.Client{Timeout: 15 * time.Second}
	s.jobs = delivery.New(delivery.Config{Store: env.Store, Clock: env.Clock, Logger: env.Logger, Prefix: "sns"})
	s.jobs.Handle(jobKind, jobHandler{s})
	s.jobs.Handle(expireKind, expirer{s})
	if err := s.load(context.Background()); err != nil {
		return nil, fmt.Errorf("sns: %w", err)
	}
	return s, nil
}

func (s *Service) resetMemory() {
	s.mu.topics = map[string]*topic{}
	s.mu.subs = map[string]*subscription{}
	s.mu.apps = map[string]*platformApp{}
	s.mu.eps = map[string]*platformEndpoint{}
	s.mu.sms = map[string]*smsSettings{}
	s.mu.outbox = nil
}

// Start implements service.Starter: deliveries pending when the service last
// stopped are scheduled again.
func (s *Service) Start(ctx context.Context) error {
	return s.jobs.Start(ctx)
}

// Stop implements service.Stopper: no delivery fires into a closed store.
func (s *Service) Stop(context.Context) error {
	s.jobs.Stop()
	return nil
}

// APIs implements service.Service.
func (s *Service) APIs() []service.Binding {
	return []service.Binding{{API: snsapi.Service, Handler: handler{s}}}
}

// ValidationOptions implements service.ValidationOptioner: SNS checks its
// enum-like strings (protocols, attribute names) itself, with its own errors.
func (s *Service) ValidationOptions() validate.Options {
	return validate.Options{SkipEnums: true}
}

// Reset implements service.Resetter: every topic, subscription, pending
// delivery and outbox entry is dropped, from memory and the store. The
// signing key is kept: certificates already handed out stay valid.
func (s *Service) Reset(ctx context.Context) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	if err := s.jobs.Reset(ctx); err != nil {
		return fmt.Errorf("sns: %w", err)
	}
	s.mu.Lock()
	s.resetMemory()
	s.mu.Unlock()
	var b store.Batch
	for _, kind := range []string{kindTopic, kindSub, kindApp, kindEndpoint, kindSMS, kindOutbox, kindDedup, kindArchive} {
		p := store.KeyPrefix("sns", kind)
		err := s.env.Store.Scan(ctx, p, store.PrefixEnd(p), func(k, _ []byte) error {
			b.Delete(append([]byte(nil), k...))
			return nil
		})
		if err != nil {
			return fmt.Errorf("sns: listing records: %w", err)
		}
	}
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("sns: deleting records: %w", err)
	}
	return nil
}

// Routes implements service.HTTPRouter: the signing certificate, the
// outbox and the pending deliveries. (The confirm and unsubscribe links are
// AWS-shaped query requests the pipeline serves.)
func (s *Service) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /_fogbank/sns/outbox":     http.HandlerFunc(s.serveOutbox),
		"GET /_fogbank/sns/deliveries": http.HandlerFunc(s.serveDeliveries),
		"DELETE /_fogbank/sns/outbox":  http.HandlerFunc(s.serveOutboxClear),
		"GET /_fogbank/sns/{file}":     http.HandlerFunc(s.serveCert),
	}
}

// call returns the request's Call; a missing one is not a panic.
func call(ctx context.Context) *api.Call {
	if c := api.CallFrom(ctx); c != nil {
		return c
	}
	return &api.Call{Account: "000000000000", Region: "us-east-1", Protocol: "query"}
}

func (s *Service) now() time.Time { return s.env.Clock.Now() }
