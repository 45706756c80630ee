// Package logs is Fogbank's Amazon CloudWatch Logs: log groups, log streams
// and their events (PutLogEvents, GetLogEvents, FilterLogEvents), retention
// applied on the service clock, and tags. Lambda writes its functions' output
// here in-process (AppendLines, peer.go).
//
// # Shape
//
// Groups and streams are Go values in memory (their metadata: creation time,
// first/last event, stored bytes, tags) backed by one store record each.
// Events are never held in memory: each is a store record keyed by
// (account, region, group, stream, timestamp, sequence), so GetLogEvents is a
// range scan of one stream and FilterLogEvents a merge of scans.
//
// # Locks
//
// Service.mu guards the group map and every group's and stream's metadata.
// Each stream also has a write lock (stream.wmu), taken before Service.mu and
// held across the Apply of a PutLogEvents batch: a stream's sequence numbers
// and its metadata record are then written in the order they were handed out.
// Deleting a stream or group takes the write locks of what it deletes, so no
// batch lands after the deletion's scan.
package logs

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	logsapi "github.com/fogbank/fogbank/internal/api/logs"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/validate"
)

// Info is CloudWatch Logs' descriptor, listed in internal/services/all.go.
var Info = service.Info{Name: "logs", New: New}

// sweepInterval is how often expired events are deleted. Reads hide expired
// events at once; the sweep only reclaims their records and stored bytes.
const sweepInterval = time.Hour

// scope is an account and region: every group lives in one.
type scope struct{ account, region string }

// groupID names a group within the whole service.
type groupID struct {
	scope
	name string
}

// group is a log group; its exported fields are its store record.
type group struct {
	Name      string            `json:"name"`
	Account   string            `json:"account"`
	Region    string            `json:"region"`
	Created   int64             `json:"created"`             // ms
	Retention int32             `json:"retention,omitempty"` // days, 0 = never expire
	KmsKeyID  string            `json:"kmsKeyId,omitempty"`
	Class     string            `json:"class,omitempty"`
	Tags      map[string]string `json:"tags,omitempty"`

	streams map[string]*stream
}

// stream is a log stream: its record and its write lock.
type stream struct {
	streamRec
	wmu sync.Mutex
}

// streamRec is a stream's store record.
type streamRec struct {
	Name       string `json:"name"`
	Created    int64  `json:"created"`
	First      int64  `json:"first,omitempty"` // event timestamps, ms; 0 = no event yet
	Last       int64  `json:"last,omitempty"`
	LastIngest int64  `json:"lastIngest,omitempty"`
	Stored     int64  `json:"stored"`
	Count      int64  `json:"count"` // events stored: sizes GetLogEvents' backward windows
	// Seq is the last sequence number given to an event of this stream; it
	// orders events with equal timestamps in arrival order.
	Seq uint64 `json:"seq"`
}

// Service implements the generated logsapi.Handler; operations it does not
// implement answer NotImplemented through the embedded Unimplemented.
type Service struct {
	logsapi.Unimplemented
	env service.Env

	mu struct {
		sync.RWMutex
		groups map[groupID]*group
		sweep  clock.Timer
		closed bool
	}
}

var (
	_ logsapi.Handler            = (*Service)(nil)
	_ service.Resetter           = (*Service)(nil)
	_ service.Starter            = (*Service)(nil)
	_ service.Stopper            = (*Service)(nil)
	_ service.ValidationOptioner = (*Service)(nil)
)

// New builds the service and loads its groups and streams from the store.
func New(env service.Env) (service.Service, error) {
	s := &Service{env: env}
	s.mu.groups = map[groupID]*group{}
	if err := s.load(context.Background()); err != nil {
		return nil, fmt.Errorf("logs: %w", err)
	}
	return s, nil
}

// APIs implements service.Service.
func (s *Service) APIs() []service.Binding {
	return []service.Binding{{API: logsapi.Service, Handler: s}}
}

// Start implements service.Starter: the retention sweep begins.
func (s *Service) Start(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scheduleLocked()
	return nil
}

func (s *Service) scheduleLocked() {
	if s.mu.closed {
		return
	}
	s.mu.sweep = s.env.Clock.AfterFunc(sweepInterval, func() {
		_ = s.sweep(context.Background())
		s.mu.Lock()
		s.scheduleLocked()
		s.mu.Unlock()
	})
}

// Stop implements service.Stopper: no sweep runs into a closed store.
func (s *Service) Stop(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.closed = true
	if s.mu.sweep != nil {
		s.mu.sweep.Stop()
	}
	return nil
}

// Reset implements service.Resetter: every group, stream and event is dropped.
func (s *Service) Reset(ctx context.Context) error {
	s.mu.Lock()
	s.mu.groups = map[groupID]*group{}
	s.mu.Unlock()
	return s.deleteRange(ctx, store.KeyPrefix("logs"))
}

// deleteRange deletes every record under prefix, in batches.
func (s *Service) deleteRange(ctx context.Context, prefix []byte) error {
	var b store.Batch
	err := s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(k, _ []byte) error {
		b.Delete(append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return fmt.Errorf("logs: listing records: %w", err)
	}
	for len(b.Ops) > 0 {
		n := min(len(b.Ops), 10000)
		part := store.Batch{Ops: b.Ops[:n]}
		if err := s.env.Store.Apply(ctx, &part); err != nil {
			return fmt.Errorf("logs: deleting records: %w", err)
		}
		b.Ops = b.Ops[n:]
	}
	return nil
}

// Store keys. Timestamps and sequence numbers are fixed-width hex, so the
// store's byte order is (timestamp, sequence) order.
func groupKey(g *group) []byte { return store.Key("logs", "group", g.Account, g.Region, g.Name) }
func streamKey(g *group, st string) []byte {
	return store.Key("logs", "stream", g.Account, g.Region, g.Name, st)
}
func streamEventsPrefix(g *group, st string) []byte {
	return store.KeyPrefix("logs", "event", g.Account, g.Region, g.Name, st)
}
func groupEventsPrefix(g *group) []byte {
	return store.KeyPrefix("logs", "event", g.Account, g.Region, g.Name)
}
func eventKey(g *group, st string, p pos) []byte {
	return append(streamEventsPrefix(g, st), p.String()...)
}

// pos is an event's place in its stream.
type pos struct {
	ts  int64
	seq uint64
}

func (p pos) String() string { return fmt.Sprintf("%016x%016x", uint64(p.ts), p.seq) }

func parsePos(b []byte) (pos, bool) {
	if len(b) != 32 {
		return pos{}, false
	}
	ts, err1 := strconv.ParseUint(string(b[:16]), 16, 64)
	seq, err2 := strconv.ParseUint(string(b[16:]), 16, 64)
	return pos{int64(ts), seq}, err1 == nil && err2 == nil
}

func (p pos) less(q pos) bool { return p.ts < q.ts || p.ts == q.ts && p.seq < q.seq }

// load reads every group and stream record.
func (s *Service) load(ctx context.Context) error {
	gp := store.KeyPrefix("logs", "group")
	err := s.env.Store.Scan(ctx, gp, store.PrefixEnd(gp), func(_, v []byte) error {
		var g group
		if err := json.Unmarshal(v, &g); err != nil {
			return fmt.Errorf("decoding log group record: %w", err)
		}
		g.streams = map[string]*stream{}
		s.mu.groups[groupID{scope{g.Account, g.Region}, g.Name}] = &g
		return nil
	})
	if err != nil {
		return err
	}
	sp := store.KeyPrefix("logs", "stream")
	return s.env.Store.Scan(ctx, sp, store.PrefixEnd(sp), func(k, v []byte) error {
		parts := splitKey(k)
		if len(parts) != 6 {
			return fmt.Errorf("malformed log stream key %q", k)
		}
		g := s.mu.groups[groupID{scope{parts[2], parts[3]}, parts[4]}]
		if g == nil {
			return nil // a stream left by a crash between deletions
		}
		st := &stream{}
		if err := json.Unmarshal(v, st); err != nil {
			return fmt.Errorf("decoding log stream record: %w", err)
		}
		g.streams[st.Name] = st
		return nil
	})
}

func splitKey(k []byte) []string {
	var parts []string
	start := 0
	for i, c := range k {
		if c == 0 {
			parts = append(parts, string(k[start:i]))
			start = i + 1
		}
	}
	return append(parts, string(k[start:]))
}

func encodeEvent(ingest int64, msg string) []byte {
	b := make([]byte, 8, 8+len(msg))
	for i := range 8 {
		b[i] = byte(uint64(ingest) >> (56 - 8*i))
	}
	return append(b, msg...)
}

func decodeEvent(v []byte) (ingest int64, msg string) {
	if len(v) < 8 {
		return 0, ""
	}
	var u uint64
	for i := range 8 {
		u = u<<8 | uint64(v[i])
	}
	return int64(u), string(v[8:])
}

// call returns the request's Call; handlers are only reached through the
// pipeline, which always sets one, but a missing one is not a panic.
func call(ctx context.Context) *api.Call {
	if c := api.CallFrom(ctx); c != nil {
		return c
	}
	return &api.Call{Account: "000000000000", Region: "us-east-1", Protocol: "json"}
}

func scopeOf(ctx context.Context) scope {
	c := call(ctx)
	return scope{c.Account, c.Region}
}

func (s *Service) nowMS() int64 { return s.env.Clock.Now().UnixMilli() }

func partition(region string) string {
	switch {
	case len(region) >= 3 && region[:3] == "cn-":
		return "aws-cn"
	case len(region) >= 7 && region[:7] == "us-gov-":
		return "aws-us-gov"
	}
	return "aws"
}

// groupARN is the log group's ARN without the trailing ":*" (logGroupArn).
func groupARN(g *group) string {
	return "arn:" + partition(g.Region) + ":logs:" + g.Region + ":" + g.Account + ":log-group:" + g.Name
}

// cutoff is the oldest timestamp g still keeps (ms), or MinInt64.
func (s *Service) cutoff(retention int32) int64 {
	if retention <= 0 {
		return -1 << 63
	}
	return s.nowMS() - int64(retention)*24*3600*1000
}

// sweep deletes the events retention has expired and subtracts their bytes.
func (s *Service) sweep(ctx context.Context) error {
	type target struct {
		g      *group
		name   string
		st     *stream
		cutoff int64
	}
	var ts []target
	s.mu.RLock()
	for _, g := range s.mu.groups {
		if g.Retention <= 0 {
			continue
		}
		c := s.cutoff(g.Retention)
		for n, st := range g.streams {
			if st.First != 0 && st.First < c {
				ts = append(ts, target{g, n, st, c})
			}
		}
	}
	s.mu.RUnlock()
	for _, t := range ts {
		if err := s.expireStream(ctx, t.g, t.name, t.st, t.cutoff); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) expireStream(ctx context.Context, g *group, name string, st *stream, cutoff int64) error {
	st.wmu.Lock()
	defer st.wmu.Unlock()
	prefix := streamEventsPrefix(g, name)
	end := append(append([]byte(nil), prefix...), pos{ts: cutoff}.String()...)
	var b store.Batch
	var freed int64
	first := int64(0)
	err := s.env.Store.Scan(ctx, prefix, end, func(k, v []byte) error {
		b.Delete(append([]byte(nil), k...))
		freed += int64(len(v) - 8)
		return nil
	})
	if err != nil {
		return fmt.Errorf("logs: scanning expired events: %w", err)
	}
	_ = s.env.Store.Scan(ctx, end, store.PrefixEnd(prefix), func(k, _ []byte) error {
		if p, ok := parsePos(k[len(prefix):]); ok {
			first = p.ts
		}
		return errStop
	})
	s.mu.Lock()
	if g.streams[name] != st {
		s.mu.Unlock()
		return nil
	}
	st.Stored = max(0, st.Stored-freed)
	st.Count = max(0, st.Count-int64(b.Len()))
	st.First = first
	rec, _ := json.Marshal(st)
	s.mu.Unlock()
	b.Put(streamKey(g, name), rec)
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("logs: deleting expired events: %w", err)
	}
	return nil
}

// errStop ends a Scan early.
var errStop = fmt.Errorf("stop")

// ValidationOptions implements service.ValidationOptioner: Logs reports a
// value outside the model's constraints (a limit over 10000) as
// InvalidParameterException, with the usual "1 validation error detected"
// message (recorded: test_get_log_events_limit_validation).
func (s *Service) ValidationOptions() validate.Options {
	return validate.Options{Code: "InvalidParameterException"}
}
