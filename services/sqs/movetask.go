package sqs

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/uuid"
)

// Message move tasks: StartMessageMoveTask, ListMessageMoveTasks and
// CancelMessageMoveTask, the "DLQ redrive" of the console. A task moves the
// messages of a dead-letter queue (the source: some queue's RedrivePolicy
// must target it) to a destination queue, or, without DestinationArn, each
// message back to the queue it was dead-lettered from (its
// DeadLetterQueueSourceArn). A moved message keeps its id, body, message
// attributes, trace header and, on FIFO queues, group and deduplication id;
// its receive count starts over and it loses DeadLetterQueueSourceArn (the
// move is redrive.go's transfer).
//
// # What a task moves
//
// Start takes a snapshot of the ids of the source's ready messages, oldest
// first (MessageIDs); ApproximateNumberOfMessagesToMove is its length. The
// task walks that list with a cursor: a message still in the source and
// ready when its turn comes is moved, one that is gone (deleted, expired,
// moved) or not ready (received meanwhile) is skipped and not counted.
// Messages that reach the source after the start are left there.
//
// # Rate
//
// A task advances in steps run by env.Clock timers, so tests move it with
// the clock (Advance). With MaxNumberOfMessagesPerSecond r (1–500), a step
// moves at most r messages and the next step is due one second later; the
// first step is due at the start. So by clock time T after the start at most
// r·(⌊T/1s⌋+1) messages have moved, and with the clock advanced k seconds at
// least min(r·(k+1), ToMove) have been considered. Without a rate a step
// moves up to unlimitedBatch messages and the next one is due at once.
//
// # Status
//
// RUNNING until the cursor reaches the end (COMPLETED), a step fails
// (FAILED; FailureReason is the query error code, as recorded:
// AWS.SimpleQueueService.NonExistentQueue when the source or a destination
// queue no longer exists), or CancelMessageMoveTask (CANCELLING, durable
// before it answers, then CANCELLED at the next step, which is due at once).
// Only a RUNNING task can be cancelled, and only one task per source is
// active (RUNNING or CANCELLING) at a time. ListMessageMoveTasks shows a
// task's TaskHandle only while it is RUNNING, as AWS does. The ten most
// recent tasks of each source are kept; older ones are deleted when an
// eleventh starts.
//
// # Durability and restart
//
// A task has two records (keys below): the task record (settings, status,
// moved count, cursor), small and rewritten as the task advances, and the
// id list, written once at Start and deleted when the task ends. Every
// Apply that moves messages also writes the task record with the count
// including those messages, so after a crash the count is exactly the
// number of messages moved; the cursor may lag by one step, which is
// harmless because a message already moved is no longer in the source and
// is skipped. On start (Service.Start) a RUNNING task resumes from its
// cursor and a CANCELLING one becomes CANCELLED.
//
// # Locks
//
// Service.tasks.mu guards the task list and every task's mutable fields; it
// is a leaf: no queue lock is taken and no store call is made while it is
// held. A task's writeMu serializes everything that writes that task's
// record (Start, a step, Cancel) and is held across their Apply, so the
// store sees a task's records in the order memory changed. It is the one
// lock besides Service.lifecycle held across an Apply; it is per task and
// only Cancel of the same task (and Stop/Reset) ever wait for it. The order
// is writeMu → tasks.mu, and writeMu → queue.mu (a step takes queue locks
// with writeMu held, never with tasks.mu held).

// Task statuses, as the API spells them.
const (
	taskRunning    = "RUNNING"
	taskCompleted  = "COMPLETED"
	taskCancelling = "CANCELLING"
	taskCancelled  = "CANCELLED"
	taskFailed     = "FAILED"
)

const (
	// maxMoveRate is the largest MaxNumberOfMessagesPerSecond.
	maxMoveRate = 500
	// unlimitedBatch is how many messages a step of a task without a rate
	// moves; such steps follow one another without pause.
	unlimitedBatch = 100
	// keptTasks is how many tasks per source are remembered: the most
	// ListMessageMoveTasks can return.
	keptTasks = 10
	// moveStep is the interval between the steps of a rate-limited task.
	moveStep = time.Second
)

// Record keys. They sit in a namespace of their own under "sqs" (Reset
// drops them with everything else) that the queue loader in records.go
// skips, because its fourth part is an account, not one of its kinds:
//
//	sqs|_movetask|t|acct|region|source name|task id   task record (taskRecord)
//	sqs|_movetask|i|acct|region|source name|task id   id list (JSON array), written once
const taskSpace = "_movetask"

func taskRecordKey(k queueKey, id string) []byte {
	return store.Key("sqs", taskSpace, "t", k.account, k.region, k.name, id)
}

func taskIDsKey(k queueKey, id string) []byte {
	return store.Key("sqs", taskSpace, "i", k.account, k.region, k.name, id)
}

// errMoveQueueGone fails a step whose source or destination queue no longer
// exists.
var errMoveQueueGone = errors.New("sqs: move task queue does not exist")

// moveTasks is the service's set of message move tasks.
type moveTasks struct {
	mu struct {
		sync.Mutex
		// closed is set by Stop: no step runs and no timer is armed after.
		closed bool
		// bySource holds each source ARN's tasks, oldest first, at most
		// keptTasks of them; at most one is active.
		bySource map[string][]*moveTask
		// seq orders tasks started in the same millisecond.
		seq uint64
	}
}

// moveTask is one task. The fields outside the comment's groups never change
// after Start (or load).
type moveTask struct {
	svc     *Service
	id      string
	source  string // ARN
	srcKey  queueKey
	dest    string // ARN, "" for each message's dead-letter source
	rate    int    // MaxNumberOfMessagesPerSecond, 0 if not given
	started time.Time
	seq     uint64
	toMove  int64

	// writeMu is held by whatever writes this task's record, across the
	// Apply (see Locks above).
	writeMu sync.Mutex

	// Guarded by svc.tasks.mu.
	status  string
	moved   int64
	next    int      // index in ids of the next message to consider
	ids     []string // the snapshot; nil once the task has ended
	failure string
	timer   clock.Timer
	// gone is set when Reset drops the task; its steps do nothing.
	gone bool
}

// taskRecord is a task's record.
type taskRecord struct {
	ID      string `json:"id"`
	Source  string `json:"source"`
	Dest    string `json:"dest,omitempty"`
	Rate    int    `json:"rate,omitempty"`
	Started int64  `json:"started"` // Unix ms
	Seq     uint64 `json:"seq"`
	ToMove  int64  `json:"toMove"`
	Status  string `json:"status"`
	Moved   int64  `json:"moved"`
	Next    int    `json:"next"`
	Failure string `json:"failure,omitempty"`
}

// recordLocked is t's record with moved and next as given.
func (t *moveTask) recordLocked(moved int64, next int) taskRecord {
	return taskRecord{ID: t.id, Source: t.source, Dest: t.dest, Rate: t.rate, Started: t.started.UnixMilli(),
		Seq: t.seq, ToMove: t.toMove, Status: t.status, Moved: moved, Next: next, Failure: t.failure}
}

// putTask adds t's record r to b.
func putTask(b *store.Batch, k queueKey, r taskRecord) {
	v, _ := json.Marshal(r) // strings and numbers cannot fail
	b.Put(taskRecordKey(k, r.ID), v)
}

// taskHandle is AWS's handle format: base64 of {"taskId":…,"sourceArn":…}.
type taskHandle struct {
	TaskID    string `json:"taskId"`
	SourceArn string `json:"sourceArn"`
}

func encodeTaskHandle(id, source string) string {
	v, _ := json.Marshal(taskHandle{id, source})
	return base64.StdEncoding.EncodeToString(v)
}

func decodeTaskHandle(h string) (taskHandle, bool) {
	raw, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return taskHandle{}, false
	}
	var th taskHandle
	if err := json.Unmarshal(raw, &th); err != nil || th.TaskID == "" || th.SourceArn == "" {
		return taskHandle{}, false
	}
	return th, true
}

// resourceNotFound is the recorded answer for an ARN parameter naming no
// queue.
func resourceNotFound(param string) *api.Error {
	return sqsapi.NewResourceNotFoundException("The resource that you specified for the " + param + " parameter doesn't exist.")
}

func taskDoesNotExist() *api.Error {
	return sqsapi.NewResourceNotFoundException("Task does not exist.")
}

// StartMessageMoveTask starts moving the messages of a dead-letter queue.
func (s *Service) StartMessageMoveTask(ctx context.Context, in *sqsapi.StartMessageMoveTaskRequest) (*sqsapi.StartMessageMoveTaskResult, error) {
	source := api.ToString(in.SourceArn)
	rate := 0
	if in.MaxNumberOfMessagesPerSecond != nil {
		rate = int(*in.MaxNumberOfMessagesPerSecond)
		if rate < 1 || rate > maxMoveRate {
			return nil, newInvalidParameterValue("Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and %d.", maxMoveRate)
		}
	}
	src := s.queueForARN(source)
	if src == nil {
		return nil, resourceNotFound("SourceArn")
	}
	if srcs, err := s.DeadLetterSources(source); err != nil || len(srcs) == 0 {
		return nil, newInvalidParameterValue("Source queue must be configured as a Dead Letter Queue.")
	}
	dest := api.ToString(in.DestinationArn)
	if dest != "" {
		dst := s.queueForARN(dest)
		switch {
		case dst == nil:
			return nil, resourceNotFound("DestinationArn")
		case dst == src:
			return nil, newInvalidParameterValue("Source queue arn and destination queue arn cannot be the same.")
		case dst.fifo != src.fifo:
			return nil, newInvalidParameterValue("The source queue and destination queue must be of the same queue type.")
		}
	}
	ids, err := s.MessageIDs(source)
	if err != nil {
		return nil, resourceNotFound("SourceArn")
	}
	t := &moveTask{svc: s, id: uuid.New(), source: source, srcKey: src.key, dest: dest, rate: rate,
		started: s.now(), toMove: int64(len(ids)), status: taskRunning, ids: ids}
	// t is not yet visible: taking its writeMu first keeps the order
	// writeMu → tasks.mu without ever waiting.
	t.writeMu.Lock()
	defer t.writeMu.Unlock()

	s.tasks.mu.Lock()
	if s.tasks.mu.closed {
		s.tasks.mu.Unlock()
		return nil, fmt.Errorf("sqs: starting a move task: service stopped")
	}
	list := s.tasks.mu.bySource[source]
	for _, o := range list {
		if (o.status == taskRunning || o.status == taskCancelling) && !o.started.Before(src.created) {
			s.tasks.mu.Unlock()
			return nil, newInvalidParameterValue("There is already a task running. Only one active task is allowed for a source queue arn at a given time.")
		}
	}
	s.tasks.mu.seq++
	t.seq = s.tasks.mu.seq
	s.tasks.mu.bySource[source] = append(list, t)
	rec := t.recordLocked(0, 0)
	s.tasks.mu.Unlock()

	var b store.Batch
	putTask(&b, src.key, rec)
	idsJSON, err := json.Marshal(ids)
	if err != nil {
		s.dropTask(t)
		return nil, fmt.Errorf("sqs: encoding move task ids: %w", err)
	}
	b.Put(taskIDsKey(src.key, t.id), idsJSON)
	dropped := s.oldTasks(source)
	for _, o := range dropped {
		b.Delete(taskRecordKey(o.srcKey, o.id))
		b.Delete(taskIDsKey(o.srcKey, o.id))
	}
	if err := s.apply(ctx, &b); err != nil {
		s.dropTask(t)
		return nil, fmt.Errorf("starting move task: %w", err)
	}
	s.tasks.mu.Lock()
	s.forgetLocked(source, dropped)
	t.armLocked(0)
	s.tasks.mu.Unlock()
	return &sqsapi.StartMessageMoveTaskResult{TaskHandle: api.String(encodeTaskHandle(t.id, source))}, nil
}

// dropTask takes back a task whose start did not become durable.
func (s *Service) dropTask(t *moveTask) {
	s.tasks.mu.Lock()
	defer s.tasks.mu.Unlock()
	s.forgetLocked(t.source, []*moveTask{t})
}

// oldTasks returns the tasks of source beyond the keptTasks most recent.
func (s *Service) oldTasks(source string) []*moveTask {
	s.tasks.mu.Lock()
	defer s.tasks.mu.Unlock()
	list := s.tasks.mu.bySource[source]
	if len(list) <= keptTasks {
		return nil
	}
	return append([]*moveTask(nil), list[:len(list)-keptTasks]...)
}

// forgetLocked removes ts from source's list; their steps do nothing.
func (s *Service) forgetLocked(source string, ts []*moveTask) {
	if len(ts) == 0 {
		return
	}
	drop := map[*moveTask]bool{}
	for _, t := range ts {
		drop[t] = true
		t.gone = true
		if t.timer != nil {
			t.timer.Stop()
			t.timer = nil
		}
	}
	var keep []*moveTask
	for _, t := range s.tasks.mu.bySource[source] {
		if !drop[t] {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		delete(s.tasks.mu.bySource, source)
		return
	}
	s.tasks.mu.bySource[source] = keep
}

// ListMessageMoveTasks lists the most recent tasks of a source, newest
// first.
func (s *Service) ListMessageMoveTasks(ctx context.Context, in *sqsapi.ListMessageMoveTasksRequest) (*sqsapi.ListMessageMoveTasksResult, error) {
	limit := 1
	if in.MaxResults != nil {
		limit = int(*in.MaxResults)
		if limit < 1 || limit > keptTasks {
			return nil, newInvalidParameterValue("Value for parameter MaxResults is invalid. Reason: You must enter a number that's between 1 and %d.", keptTasks)
		}
	}
	source := api.ToString(in.SourceArn)
	src := s.queueForARN(source)
	if src == nil {
		return nil, resourceNotFound("SourceArn")
	}
	out := &sqsapi.ListMessageMoveTasksResult{Results: []*sqsapi.ListMessageMoveTasksResultEntry{}}
	s.tasks.mu.Lock()
	defer s.tasks.mu.Unlock()
	list := s.tasks.mu.bySource[source]
	for i := len(list) - 1; i >= 0 && len(out.Results) < limit; i-- {
		t := list[i]
		// A task of an earlier queue of the same name is not this one's.
		if t.started.Before(src.created) {
			continue
		}
		out.Results = append(out.Results, t.entryLocked())
	}
	return out, nil
}

// entryLocked is t as ListMessageMoveTasks shows it: the handle only while
// RUNNING, the destination and rate only if given, the reason only if
// FAILED (as recorded).
func (t *moveTask) entryLocked() *sqsapi.ListMessageMoveTasksResultEntry {
	e := &sqsapi.ListMessageMoveTasksResultEntry{
		Status:                            api.String(t.status),
		SourceArn:                         api.String(t.source),
		ApproximateNumberOfMessagesMoved:  api.Int64(t.moved),
		ApproximateNumberOfMessagesToMove: api.Int64(t.toMove),
		StartedTimestamp:                  api.Int64(t.started.UnixMilli()),
	}
	if t.status == taskRunning {
		e.TaskHandle = api.String(encodeTaskHandle(t.id, t.source))
	}
	if t.dest != "" {
		e.DestinationArn = api.String(t.dest)
	}
	if t.rate > 0 {
		e.MaxNumberOfMessagesPerSecond = api.Int32(int32(t.rate))
	}
	if t.status == taskFailed {
		e.FailureReason = api.String(t.failure)
	}
	return e
}

// CancelMessageMoveTask cancels a RUNNING task: it is CANCELLING, durably,
// when this answers, and CANCELLED after its next step (due at once).
// Messages already moved stay moved. A task that is not RUNNING answers
// "Task does not exist." (AWS's answer for another status is not recorded;
// its handles only ever name running tasks).
func (s *Service) CancelMessageMoveTask(ctx context.Context, in *sqsapi.CancelMessageMoveTaskRequest) (*sqsapi.CancelMessageMoveTaskResult, error) {
	th, ok := decodeTaskHandle(api.ToString(in.TaskHandle))
	if !ok {
		return nil, newInvalidParameterValue("Value for parameter TaskHandle is invalid.")
	}
	src := s.queueForARN(th.SourceArn)
	if src == nil {
		return nil, resourceNotFound("SourceArn")
	}
	var t *moveTask
	s.tasks.mu.Lock()
	for _, o := range s.tasks.mu.bySource[th.SourceArn] {
		if o.id == th.TaskID && !o.started.Before(src.created) {
			t = o
		}
	}
	s.tasks.mu.Unlock()
	if t == nil {
		return nil, taskDoesNotExist()
	}

	t.writeMu.Lock()
	defer t.writeMu.Unlock()
	s.tasks.mu.Lock()
	if t.status != taskRunning || t.gone {
		s.tasks.mu.Unlock()
		return nil, taskDoesNotExist()
	}
	t.status = taskCancelling
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	t.armLocked(0)
	moved := t.moved
	rec := t.recordLocked(t.moved, t.next)
	s.tasks.mu.Unlock()

	var b store.Batch
	putTask(&b, t.srcKey, rec)
	if err := s.apply(ctx, &b); err != nil {
		// Memory says CANCELLING and the step due now makes it
		// CANCELLED; only the answer reports the failed write.
		return nil, fmt.Errorf("cancelling move task: %w", err)
	}
	return &sqsapi.CancelMessageMoveTaskResult{ApproximateNumberOfMessagesMoved: api.Int64(moved)}, nil
}

// armLocked arms t's next step d from now, unless the service stopped.
func (t *moveTask) armLocked(d time.Duration) {
	if t.svc.tasks.mu.closed || t.gone {
		return
	}
	t.timer = t.svc.env.Clock.AfterFunc(d, t.step)
}

// step is a timer function: it moves the next batch of messages, then
// arms the next step or ends the task. It never waits for the clock.
func (t *moveTask) step() {
	s := t.svc
	t.writeMu.Lock()
	defer t.writeMu.Unlock()

	s.tasks.mu.Lock()
	if s.tasks.mu.closed || t.gone {
		s.tasks.mu.Unlock()
		return
	}
	t.timer = nil
	switch t.status {
	case taskRunning:
	case taskCancelling:
		rec := t.endLocked(taskCancelled, "")
		s.tasks.mu.Unlock()
		t.writeEnd(rec)
		return
	default:
		s.tasks.mu.Unlock()
		return
	}
	n := unlimitedBatch
	if t.rate > 0 {
		n = t.rate
	}
	end := min(t.next+n, len(t.ids))
	batch := t.ids[t.next:end]
	s.tasks.mu.Unlock()

	err := t.moveBatch(batch, end)

	s.tasks.mu.Lock()
	var rec *taskRecord
	switch {
	case s.tasks.mu.closed || t.gone:
	case err != nil:
		reason := "AWS.SimpleQueueService.InternalError"
		if errors.Is(err, errMoveQueueGone) {
			reason = "AWS.SimpleQueueService.NonExistentQueue"
		} else if s.env.Logger != nil {
			s.env.Logger.Warn("sqs: move task failed", "task", t.id, "source", t.source, "err", err)
		}
		rec = t.endLocked(taskFailed, reason)
	case t.next >= len(t.ids):
		rec = t.endLocked(taskCompleted, "")
	case t.rate > 0:
		t.armLocked(moveStep)
	default:
		t.armLocked(0)
	}
	s.tasks.mu.Unlock()
	if rec != nil {
		t.writeEnd(rec)
	}
}

// endLocked gives t its final status and returns the record to write.
func (t *moveTask) endLocked(status, reason string) *taskRecord {
	t.status, t.failure = status, reason
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	t.ids = nil
	r := t.recordLocked(t.moved, t.next)
	return &r
}

// writeEnd writes an ended task's record and drops its id list. A failed
// write is logged: the task ended in memory, and after a restart the older
// record resumes or ends it again.
func (t *moveTask) writeEnd(r *taskRecord) {
	var b store.Batch
	putTask(&b, t.srcKey, *r)
	b.Delete(taskIDsKey(t.srcKey, t.id))
	if err := t.svc.apply(context.Background(), &b); err != nil && t.svc.env.Logger != nil {
		t.svc.env.Logger.Warn("sqs: writing move task record", "task", t.id, "err", err)
	}
}

// moveBatch moves the messages of batch that are still ready in the source,
// grouped by destination (one Apply per destination, carrying the task
// record), and leaves the cursor at end. Called with writeMu held and no
// other lock.
func (t *moveTask) moveBatch(batch []string, end int) error {
	s := t.svc
	src := s.lookup(t.srcKey)
	if src == nil {
		return errMoveQueueGone
	}
	// Which messages, to where: read under the source lock, resolved
	// without it (queueForARN takes Service.mu, which comes first).
	var order []string
	groups := map[string][]string{}
	src.mu.Lock()
	expired := src.advanceLocked(s.now())
	for _, id := range batch {
		m := src.mu.msgs[id]
		if m == nil || m.state != stateReady {
			continue
		}
		to := t.dest
		if to == "" {
			to = m.b.DLQSource
		}
		if _, seen := groups[to]; !seen {
			order = append(order, to)
		}
		groups[to] = append(groups[to], id)
	}
	src.mu.Unlock()
	if len(expired) > 0 {
		s.dropExpired(src, expired)
	}

	for i, to := range order {
		last := i == len(order)-1
		dst := s.queueForARN(to)
		if dst == nil || dst == src {
			return errMoveQueueGone
		}
		now := s.now()
		src.mu.Lock()
		var ms []*message
		for _, id := range groups[to] {
			if m := src.mu.msgs[id]; m != nil && m.state == stateReady {
				src.removeLocked(m)
				ms = append(ms, m)
			}
		}
		src.armLocked(now)
		src.mu.Unlock()
		if len(ms) == 0 && !last {
			continue
		}
		s.tasks.mu.Lock()
		next := t.next
		if last {
			next = end
		}
		rec := t.recordLocked(t.moved+int64(len(ms)), next)
		s.tasks.mu.Unlock()
		var b store.Batch
		putTask(&b, t.srcKey, rec)
		if err := s.transfer(context.Background(), src, dst, ms, &b, false); err != nil {
			// The messages left the source's memory but not the store:
			// put them back, as MoveMessage does.
			src.mu.Lock()
			if !src.mu.closed {
				for _, m := range ms {
					src.insertLocked(m, s.now())
				}
			}
			src.mu.Unlock()
			return fmt.Errorf("moving %d messages to %s: %w", len(ms), to, err)
		}
		s.tasks.mu.Lock()
		t.moved += int64(len(ms))
		t.next = next
		s.tasks.mu.Unlock()
	}
	s.tasks.mu.Lock()
	t.next = end
	s.tasks.mu.Unlock()
	return nil
}

// loadTasks reads the task records back (New). Steps are armed by
// startTasks.
func (s *Service) loadTasks(ctx context.Context) error {
	s.tasks.mu.bySource = map[string][]*moveTask{}
	ids := map[string][]string{}
	prefix := store.KeyPrefix("sqs", taskSpace, "i")
	err := s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(k, v []byte) error {
		parts := bytes.Split(k, []byte{0})
		var list []string
		if err := json.Unmarshal(v, &list); err != nil {
			return fmt.Errorf("decoding move task ids %q: %w", parts[len(parts)-1], err)
		}
		ids[string(parts[len(parts)-1])] = list
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading move task ids: %w", err)
	}
	prefix = store.KeyPrefix("sqs", taskSpace, "t")
	err = s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(k, v []byte) error {
		parts := bytes.Split(k, []byte{0})
		if len(parts) != 7 {
			return nil
		}
		var r taskRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decoding move task %q: %w", parts[6], err)
		}
		t := &moveTask{svc: s, id: r.ID, source: r.Source, srcKey: queueKey{string(parts[3]), string(parts[4]), string(parts[5])},
			dest: r.Dest, rate: r.Rate, started: time.UnixMilli(r.Started), seq: r.Seq, toMove: r.ToMove,
			status: r.Status, moved: r.Moved, next: r.Next, failure: r.Failure}
		if t.status == taskRunning {
			list, ok := ids[t.id]
			if !ok {
				// The id list goes only when the task ends; a running task
				// without one cannot go on.
				t.status, t.failure = taskFailed, "AWS.SimpleQueueService.InternalError"
			}
			t.ids = list
			t.next = min(t.next, len(list))
		}
		s.tasks.mu.bySource[t.source] = append(s.tasks.mu.bySource[t.source], t)
		s.tasks.mu.seq = max(s.tasks.mu.seq, t.seq)
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading move tasks: %w", err)
	}
	for _, list := range s.tasks.mu.bySource {
		sort.Slice(list, func(i, j int) bool { return list[i].seq < list[j].seq })
	}
	return nil
}

// startTasks resumes the tasks that were active when the service last
// stopped: a RUNNING task goes on from its cursor, a CANCELLING one becomes
// CANCELLED at its first step.
func (s *Service) startTasks() {
	s.tasks.mu.Lock()
	defer s.tasks.mu.Unlock()
	for _, list := range s.tasks.mu.bySource {
		for _, t := range list {
			if t.status == taskRunning || t.status == taskCancelling {
				t.armLocked(0)
			}
		}
	}
}

// stopTasks stops every task's timer and waits for a step in progress, so
// none writes after the store closes (Stop) or after the records are
// deleted (Reset, which then drops the tasks).
func (s *Service) stopTasks(drop bool) {
	s.tasks.mu.Lock()
	s.tasks.mu.closed = true
	var all []*moveTask
	for _, list := range s.tasks.mu.bySource {
		for _, t := range list {
			if t.timer != nil {
				t.timer.Stop()
				t.timer = nil
			}
			all = append(all, t)
		}
	}
	s.tasks.mu.Unlock()
	for _, t := range all {
		t.writeMu.Lock()
		//lint:ignore SA2001 an empty critical section waits for a step in progress
		t.writeMu.Unlock()
	}
	if drop {
		s.tasks.mu.Lock()
		for _, t := range all {
			t.gone = true
		}
		s.tasks.mu.bySource = map[string][]*moveTask{}
		s.tasks.mu.closed = false
		s.tasks.mu.Unlock()
	}
}
