// Package sqs is Fogbank's Amazon Simple Queue Service: standard and FIFO
// queues, served over both wire protocols SQS speaks (JSON 1.0 for current
// SDKs, query for the AWS CLI v2.9 and older SDKs) on the same queues.
//
// # Shape
//
// Every queue lives in one (account, region) scope and is found by name.
// Queues and messages are plain Go values in memory (queue.go, message.go);
// the store holds their records (records.go) so that everything a client was
// told succeeded is still there after a restart.
//
// # Durability
//
// Each request that changes state makes its change durable with exactly one
// store.Apply before it answers; concurrent requests share fsyncs through the
// engine's group commit, so no request waits for another's lock while an
// fsync runs. The order is always: take the queue lock, decide and change
// memory, release the lock, Apply. SendMessage is the one exception to
// "memory first": a message is inserted into its queue only after its record
// is durable, so a receiver can never be handed a message that a crash could
// take back.
//
// # Locks
//
// Service.mu guards the map of queues; each queue has its own mu (queue.go).
// The order is Service.mu → queue.mu, and at most one queue lock is held at a
// time: a dead-letter move takes the message out of the source under the
// source's lock, applies the move durably with no lock held, and then inserts
// it into the target under the target's lock. Nothing waits on the store or
// calls another service with a lock held. Message move tasks have a lock of
// their own, a leaf, and a per-task write lock (movetask.go).
package sqs

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/validate"
)

// Info is SQS's descriptor, listed in internal/services/all.go.
var Info = service.Info{Name: "sqs", New: New}

// deletedQueueHold is how long a deleted queue's name stays reserved: AWS
// answers QueueDeletedRecently to a CreateQueue of the same name for 60 s.
const deletedQueueHold = 60 * time.Second

// queueKey identifies a queue: its scope and its name.
type queueKey struct {
	account, region, name string
}

// Service implements the generated sqsapi.Handler (every operation; the
// embedded Unimplemented only answers for operations a newer model adds).
type Service struct {
	sqsapi.Unimplemented
	env service.Env

	// lifecycle serializes CreateQueue and DeleteQueue and is held across
	// their Apply (lifecycle.go); nothing else takes it.
	lifecycle sync.Mutex
	// nextQueueID is the last queue id handed out (records.go); load
	// starts it above every id in the store.
	nextQueueID atomic.Uint64
	// nextMsgKey is the last message record number handed out
	// (records.go); load starts it above every number in the store.
	nextMsgKey atomic.Uint64

	mu struct {
		sync.RWMutex
		// queues are the live queues.
		queues map[queueKey]*queue
		// deleted holds when each recently deleted queue name was deleted,
		// for QueueDeletedRecently. Entries older than deletedQueueHold are
		// dropped when next looked at.
		deleted map[queueKey]time.Time
	}

	// tasks are the message move tasks (movetask.go), with their own lock.
	tasks moveTasks
}

var (
	_ sqsapi.Handler             = (*Service)(nil)
	_ service.Resetter           = (*Service)(nil)
	_ service.Starter            = (*Service)(nil)
	_ service.Stopper            = (*Service)(nil)
	_ service.HTTPRouter         = (*Service)(nil)
	_ service.ValidationOptioner = (*Service)(nil)
)

// New builds SQS and loads its queues and messages from the store. In-flight
// messages keep their visible-at time, so they reappear once it passes.
func New(env service.Env) (service.Service, error) {
	s := &Service{env: env}
	s.mu.queues = map[queueKey]*queue{}
	s.mu.deleted = map[queueKey]time.Time{}
	if err := s.load(context.Background()); err != nil {
		return nil, fmt.Errorf("sqs: %w", err)
	}
	if err := s.loadTasks(context.Background()); err != nil {
		return nil, fmt.Errorf("sqs: %w", err)
	}
	return s, nil
}

// Start implements service.Starter: message move tasks that were running
// when the service last stopped resume (movetask.go).
func (s *Service) Start(context.Context) error {
	s.startTasks()
	return nil
}

// APIs implements service.Service.
func (s *Service) APIs() []service.Binding {
	return []service.Binding{{API: sqsapi.Service, Handler: s}}
}

// ValidationOptions implements service.ValidationOptioner: SQS reports an
// absent required parameter as MissingParameter in both protocols (JSON
// clients see MissingRequiredParameterException with the query code in
// x-amzn-query-error, as recorded).
func (s *Service) ValidationOptions() validate.Options {
	return validate.Options{
		Missing: func(member string) *api.Error {
			return newMissingParameter(member)
		},
		// Attribute names are checked by the service, with SQS's own
		// errors (InvalidAttributeName) and its wider set of accepted names.
		SkipEnums: true,
	}
}

// Stop implements service.Stopper: queue timers and move tasks stop so
// none fires into a closed store.
func (s *Service) Stop(context.Context) error {
	s.stopTasks(false)
	s.mu.Lock()
	qs := make([]*queue, 0, len(s.mu.queues))
	for _, q := range s.mu.queues {
		qs = append(qs, q)
	}
	s.mu.Unlock()
	for _, q := range qs {
		q.close()
	}
	return nil
}

// Reset implements service.Resetter: every queue, message and move task is
// dropped, from memory and from the store.
func (s *Service) Reset(ctx context.Context) error {
	s.stopTasks(true)
	s.mu.Lock()
	qs := s.mu.queues
	s.mu.queues = map[queueKey]*queue{}
	s.mu.deleted = map[queueKey]time.Time{}
	s.mu.Unlock()
	for _, q := range qs {
		q.close()
	}
	prefix := store.KeyPrefix("sqs")
	var b store.Batch
	err := s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(k, _ []byte) error {
		b.Delete(append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqs: listing records: %w", err)
	}
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("sqs: deleting records: %w", err)
	}
	return nil
}

// Routes implements service.HTTPRouter: the inspection endpoint.
func (s *Service) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /_fogbank/sqs/messages": http.HandlerFunc(s.serveMessages),
	}
}

// call returns the request's Call; handlers are only reached through the
// pipeline, which always sets one, but a missing one is not a panic.
func call(ctx context.Context) *api.Call {
	if c := api.CallFrom(ctx); c != nil {
		return c
	}
	return &api.Call{Account: "000000000000", Region: "us-east-1", Protocol: "json"}
}

// now is the service's clock, in the millisecond precision SQS reports.
func (s *Service) now() time.Time { return s.env.Clock.Now() }
