package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	logsapi "github.com/fogbank/fogbank/internal/api/logs"
	"github.com/fogbank/fogbank/internal/store"
)

// PutLogEvents limits, from the CloudWatch Logs API reference.
const (
	maxBatchBytes    = 1048576
	eventOverhead    = 26
	maxBatchSpan     = 24 * time.Hour
	maxFuture        = 2 * time.Hour
	maxPast          = 14 * 24 * time.Hour
	maxResponseBytes = 1048576
	defaultLimit     = 10000
)

// event is one stored event, as reads see it.
type event struct {
	stream string
	p      pos
	ingest int64
	msg    string
}

// PutLogEvents appends a batch to a stream. Sequence tokens are accepted and
// ignored, as AWS does since 2023.
func (s *Service) PutLogEvents(ctx context.Context, in *logsapi.PutLogEventsRequest) (*logsapi.PutLogEventsResponse, error) {
	evs := in.LogEvents
	size := 0
	for i, e := range evs {
		if e == nil || e.Timestamp == nil || e.Message == nil {
			return nil, invalidParam("1 validation error detected: Value null at 'logEvents.%d.member' failed to satisfy constraint: Member must not be null", i+1)
		}
		if i > 0 && *e.Timestamp < *evs[i-1].Timestamp {
			return nil, invalidParam("Log events in a single PutLogEvents request must be in chronological order.")
		}
		size += len(*e.Message) + eventOverhead
	}
	if size > maxBatchBytes {
		return nil, invalidParam("Upload too large: %d bytes exceeds limit of %d", size, maxBatchBytes)
	}
	if n := len(evs); n > 0 && *evs[n-1].Timestamp-*evs[0].Timestamp > maxBatchSpan.Milliseconds() {
		return nil, invalidParam("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	g, err := s.lookupGroup(ctx, in.LogGroupName, nil)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	st := g.streams[api.ToString(in.LogStreamName)]
	s.mu.RUnlock()
	if st == nil {
		return nil, streamNotFound()
	}
	times := make([]int64, len(evs))
	msgs := make([]string, len(evs))
	for i, e := range evs {
		times[i], msgs[i] = *e.Timestamp, *e.Message
	}
	rej, err := s.appendEvents(ctx, g, st, times, msgs)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	seq := st.Seq
	s.mu.RUnlock()
	out := &logsapi.PutLogEventsResponse{NextSequenceToken: api.String(seqToken(seq))}
	if rej != (logsapi.RejectedLogEventsInfo{}) {
		out.RejectedLogEventsInfo = &rej
	}
	return out, nil
}

// appendEvents stores the accepted events of a chronological batch and
// reports the rejected ones by index, as PutLogEvents does.
func (s *Service) appendEvents(ctx context.Context, g *group, st *stream, times []int64, msgs []string) (logsapi.RejectedLogEventsInfo, error) {
	var rej logsapi.RejectedLogEventsInfo
	now := s.nowMS()
	tooOld := now - maxPast.Milliseconds()
	tooNew := now + maxFuture.Milliseconds()
	s.mu.RLock()
	expired := s.cutoff(g.Retention)
	s.mu.RUnlock()
	lo, hi := 0, len(times)
	for lo < hi && (times[lo] < tooOld || times[lo] < expired) {
		if times[lo] < expired {
			rej.ExpiredLogEventEndIndex = api.Int32(int32(lo))
		}
		if times[lo] < tooOld {
			rej.TooOldLogEventEndIndex = api.Int32(int32(lo))
		}
		lo++
	}
	for hi > lo && times[hi-1] > tooNew {
		hi--
	}
	if hi < len(times) {
		rej.TooNewLogEventStartIndex = api.Int32(int32(hi))
	}
	if lo >= hi {
		return rej, nil
	}

	st.wmu.Lock()
	defer st.wmu.Unlock()
	s.mu.RLock()
	gone := g.streams[st.Name] != st
	seq := st.Seq
	s.mu.RUnlock()
	if gone {
		return rej, streamNotFound()
	}
	var b store.Batch
	var added int64
	for i := lo; i < hi; i++ {
		seq++
		b.Put(eventKey(g, st.Name, pos{times[i], seq}), encodeEvent(now, msgs[i]))
		added += int64(len(msgs[i]))
	}
	s.mu.Lock()
	next := st.streamRec
	next.Seq = seq
	if next.First == 0 || times[lo] < next.First {
		next.First = times[lo]
	}
	next.Last = max(next.Last, times[hi-1])
	next.LastIngest = now
	next.Stored += added
	next.Count += int64(hi - lo)
	rec, err := json.Marshal(&next)
	s.mu.Unlock()
	if err != nil {
		return rej, fmt.Errorf("logs: encoding stream: %w", err)
	}
	b.Put(streamKey(g, st.Name), rec)
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return rej, fmt.Errorf("logs: storing events: %w", err)
	}
	s.mu.Lock()
	st.streamRec = next
	s.mu.Unlock()
	return rej, nil
}

// Tokens of GetLogEvents: "f/" or "b/" and 56 digits (as AWS's are): the
// timestamp and the sequence number of an event position. A forward token
// continues after its position, a backward one before it.
func posToken(dir byte, p pos) *string {
	t := fmt.Sprintf("%c/%020d%036d", dir, uint64(p.ts)+1<<63, p.seq)
	return &t
}

func parsePosToken(t string) (dir byte, p pos, err error) {
	bad := invalidParam("The specified nextToken is invalid.")
	if len(t) != 58 || (t[0] != 'f' && t[0] != 'b') || t[1] != '/' {
		return 0, p, bad
	}
	ts, err1 := strconv.ParseUint(t[2:22], 10, 64)
	seq, err2 := strconv.ParseUint(t[22:], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, p, bad
	}
	return t[0], pos{int64(ts - 1<<63), seq}, nil
}

// GetLogEvents reads a stream's events in order. Without a token it starts at
// the end (the last events of the range) unless startFromHead; a forward
// token continues after the last event returned, a backward token before the
// first. With nothing further, the token given is returned again.
func (s *Service) GetLogEvents(ctx context.Context, in *logsapi.GetLogEventsRequest) (*logsapi.GetLogEventsResponse, error) {
	g, err := s.lookupGroup(ctx, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	st := g.streams[api.ToString(in.LogStreamName)]
	cut := s.cutoff(g.Retention)
	var last, span int64
	if st != nil {
		last = st.Last
		// The first backward window is sized to hold about twice the
		// limit at the stream's average density.
		span = 2 * (st.Last - st.First + 1) * int64(pageLimit(in.Limit, defaultLimit)) / max(st.Count, 1)
	}
	s.mu.RUnlock()
	if st == nil {
		return nil, streamNotFound()
	}
	lo, hi := pos{ts: max(0, cut, api.ToInt64(in.StartTime))}, pos{ts: math.MaxInt64}
	if in.EndTime != nil {
		hi = pos{ts: *in.EndTime} // exclusive
	}
	forward := api.ToBool(in.StartFromHead)
	var dir byte
	if in.NextToken != nil {
		d, p, err := parsePosToken(*in.NextToken)
		if err != nil {
			return nil, err
		}
		dir = d
		if d == 'f' {
			forward = true
			if lo.less(pos{p.ts, p.seq + 1}) {
				lo = pos{p.ts, p.seq + 1}
			}
		} else {
			forward = false
			if p.less(hi) {
				hi = p
			}
		}
	}
	limit := pageLimit(in.Limit, defaultLimit)
	evs, err := s.scanStream(ctx, g, st.Name, lo, hi, limit, forward, last, span)
	if err != nil {
		return nil, err
	}
	out := &logsapi.GetLogEventsResponse{Events: make([]*logsapi.OutputLogEvent, len(evs))}
	for i, e := range evs {
		out.Events[i] = &logsapi.OutputLogEvent{Timestamp: api.Int64(e.p.ts), Message: api.String(e.msg), IngestionTime: api.Int64(e.ingest)}
	}
	switch {
	case len(evs) > 0:
		out.NextForwardToken = posToken('f', evs[len(evs)-1].p)
		out.NextBackwardToken = posToken('b', evs[0].p)
	case dir != 0:
		out.NextForwardToken, out.NextBackwardToken = in.NextToken, in.NextToken
	default:
		// Nothing yet: the forward token waits at the start of the range,
		// so events that arrive later are read from there.
		before := pos{lo.ts, 0}
		if lo.seq > 0 {
			before = pos{lo.ts, lo.seq - 1}
		} else if lo.ts > math.MinInt64 {
			before = pos{lo.ts - 1, math.MaxUint64 >> 8}
		}
		out.NextForwardToken = posToken('f', before)
		out.NextBackwardToken = posToken('b', lo)
	}
	return out, nil
}

// scanStream returns up to limit events of a stream in [lo, hi), in
// ascending order: the first ones if forward, else the last ones. The reply
// is also bounded by maxResponseBytes. The store scans only forward, so a
// backward read scans windows back from the stream's last event (last),
// the first span ms wide and each four times wider than the one before,
// until it has limit events: reading the tail of a long stream touches only
// its end.
func (s *Service) scanStream(ctx context.Context, g *group, name string, lo, hi pos, limit int, forward bool, last, span int64) ([]event, error) {
	if !lo.less(hi) {
		return nil, nil
	}
	if forward {
		return s.scanRange(ctx, g, name, lo, hi, limit, maxResponseBytes)
	}
	whi := hi
	if end := (pos{ts: last + 1}); end.less(whi) {
		whi = end
	}
	var evs []event
	for span = max(span, 1); lo.less(whi); span *= 4 {
		wlo := lo
		if whi.ts-span > lo.ts {
			wlo = pos{ts: whi.ts - span}
		}
		chunk, err := s.scanRange(ctx, g, name, wlo, whi, math.MaxInt, math.MaxInt)
		if err != nil {
			return nil, err
		}
		evs = append(chunk, evs...)
		if len(evs) >= limit {
			break
		}
		whi = wlo
	}
	if len(evs) > limit {
		evs = evs[len(evs)-limit:]
	}
	size := 0
	for i := len(evs) - 1; i >= 0; i-- {
		size += len(evs[i].msg) + eventOverhead
		if size > maxResponseBytes {
			evs = evs[i+1:]
			break
		}
	}
	return evs, nil
}

// scanRange returns the first limit events of [lo, hi), stopping once they
// reach maxBytes.
func (s *Service) scanRange(ctx context.Context, g *group, name string, lo, hi pos, limit, maxBytes int) ([]event, error) {
	var evs []event
	size := 0
	err := s.eachEvent(ctx, g, name, lo, hi, func(e event) bool {
		evs = append(evs, e)
		size += len(e.msg) + eventOverhead
		return len(evs) < limit && size < maxBytes
	})
	return evs, err
}

// eachEvent calls fn for the events of [lo, hi) in order until it returns
// false.
func (s *Service) eachEvent(ctx context.Context, g *group, name string, lo, hi pos, fn func(event) bool) error {
	if !lo.less(hi) {
		return nil
	}
	prefix := streamEventsPrefix(g, name)
	start := append(append([]byte(nil), prefix...), lo.String()...)
	end := append(append([]byte(nil), prefix...), hi.String()...)
	err := s.env.Store.Scan(ctx, start, end, func(k, v []byte) error {
		p, ok := parsePos(k[len(prefix):])
		if !ok {
			return nil
		}
		ing, msg := decodeEvent(v)
		if !fn(event{name, p, ing, msg}) {
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return fmt.Errorf("logs: reading events: %w", err)
	}
	return nil
}

// FilterLogEvents searches a group's streams and returns matching events
// interleaved in time order. The nextToken holds the last event returned.
func (s *Service) FilterLogEvents(ctx context.Context, in *logsapi.FilterLogEventsRequest) (*logsapi.FilterLogEventsResponse, error) {
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != nil {
		return nil, invalidParam("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
	}
	g, err := s.lookupGroup(ctx, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	match, err := compilePattern(api.ToString(in.FilterPattern))
	if err != nil {
		return nil, err
	}
	type cursor struct {
		stream string
		p      pos
	}
	var after *cursor
	if in.NextToken != nil {
		b, err := decodeToken(in.NextToken)
		if err != nil {
			return nil, err
		}
		ts, seq, name, ok := parseFilterToken(b)
		if !ok {
			return nil, invalidParam("The specified nextToken is invalid.")
		}
		after = &cursor{name, pos{ts, seq}}
	}
	s.mu.RLock()
	cut := s.cutoff(g.Retention)
	var names []string
	if len(in.LogStreamNames) > 0 {
		for _, n := range in.LogStreamNames {
			if g.streams[n] == nil {
				s.mu.RUnlock()
				return nil, streamNotFound()
			}
			names = append(names, n)
		}
	} else {
		for n := range g.streams {
			if strings.HasPrefix(n, api.ToString(in.LogStreamNamePrefix)) {
				names = append(names, n)
			}
		}
	}
	s.mu.RUnlock()
	sort.Strings(names)

	lo, hi := pos{ts: max(0, cut, api.ToInt64(in.StartTime))}, pos{ts: math.MaxInt64}
	if in.EndTime != nil {
		hi = pos{ts: *in.EndTime + 1} // inclusive, as FilterLogEvents documents
	}
	if after != nil && lo.less(pos{after.p.ts, 0}) {
		lo = pos{after.p.ts, 0}
	}
	limit := pageLimit(in.Limit, defaultLimit)
	// The first limit matches in merge order are all that is kept: the
	// list is cut back whenever it doubles.
	var matches []event
	trim := func() {
		sort.Slice(matches, func(i, j int) bool { return eventLess(matches[i], matches[j]) })
		if len(matches) > limit+1 {
			matches = matches[:limit+1]
		}
	}
	for _, n := range names {
		err := s.eachEvent(ctx, g, n, lo, hi, func(e event) bool {
			if (after == nil || afterCursor(e, after.p, after.stream)) && match(e.msg) {
				matches = append(matches, e)
				if len(matches) > 2*limit+2 {
					trim()
				}
			}
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	trim()
	out := &logsapi.FilterLogEventsResponse{Events: []*logsapi.FilteredLogEvent{}, SearchedLogStreams: []*logsapi.SearchedLogStream{}}
	size := 0
	for i, e := range matches {
		if i == limit || size >= maxResponseBytes {
			last := matches[i-1]
			out.NextToken = encodeToken(filterToken(last.p.ts, last.p.seq, last.stream))
			break
		}
		size += len(e.msg) + eventOverhead
		out.Events = append(out.Events, &logsapi.FilteredLogEvent{
			LogStreamName: api.String(e.stream), Timestamp: api.Int64(e.p.ts), Message: api.String(e.msg),
			IngestionTime: api.Int64(e.ingest), EventId: api.String(fmt.Sprintf("%020d%036d", uint64(e.p.ts), e.p.seq)),
		})
	}
	for _, n := range names {
		out.SearchedLogStreams = append(out.SearchedLogStreams, &logsapi.SearchedLogStream{LogStreamName: api.String(n), SearchedCompletely: api.Bool(true)})
	}
	return out, nil
}

func filterToken(ts int64, seq uint64, stream string) string {
	return strconv.FormatInt(ts, 10) + "/" + strconv.FormatUint(seq, 10) + "/" + stream
}

func parseFilterToken(t string) (ts int64, seq uint64, stream string, ok bool) {
	parts := strings.SplitN(t, "/", 3)
	if len(parts) != 3 {
		return 0, 0, "", false
	}
	ts, err1 := strconv.ParseInt(parts[0], 10, 64)
	seq, err2 := strconv.ParseUint(parts[1], 10, 64)
	return ts, seq, parts[2], err1 == nil && err2 == nil
}

// eventLess is FilterLogEvents' order: time, then stream, then sequence.
func eventLess(a, b event) bool {
	if a.p.ts != b.p.ts {
		return a.p.ts < b.p.ts
	}
	if a.stream != b.stream {
		return a.stream < b.stream
	}
	return a.p.seq < b.p.seq
}

func afterCursor(e event, p pos, stream string) bool {
	return eventLess(event{stream: stream, p: p}, e)
}

// AppendLines writes lines to a stream of a group as events, line i stamped
// times[i] (non-decreasing), creating the group and the stream if they do
// not exist: how Lambda's function output arrives
// (services/lambda/logsink.go). Lines are split into batches within
// PutLogEvents' limits; a line over the batch limit is truncated.
func (s *Service) AppendLines(ctx context.Context, account, region, groupName, streamName string, times []time.Time, lines []string) error {
	if len(times) != len(lines) {
		return fmt.Errorf("logs: AppendLines: %d times for %d lines", len(times), len(lines))
	}
	if len(lines) == 0 {
		return nil
	}
	g, err := s.createGroup(ctx, &group{Name: groupName, Account: account, Region: region, Created: s.nowMS(),
		Class: "STANDARD", streams: map[string]*stream{}}, true)
	if err != nil {
		return err
	}
	st, err := s.createStream(ctx, g, streamName, true)
	if err != nil {
		return err
	}
	for len(lines) > 0 {
		n, size := 0, 0
		for n < len(lines) && n < 10000 && size+len(lines[n])+eventOverhead <= maxBatchBytes {
			size += len(lines[n]) + eventOverhead
			n++
		}
		if n == 0 { // one line over the batch limit: AWS truncates it
			lines[0] = lines[0][:maxBatchBytes-eventOverhead]
			continue
		}
		ts := make([]int64, n)
		msgs := make([]string, n)
		for i := range n {
			ts[i] = times[i].UnixMilli()
			if i > 0 && ts[i] < ts[i-1] {
				ts[i] = ts[i-1]
			}
			msgs[i] = string(bytes.ToValidUTF8([]byte(lines[i]), []byte("\uFFFD")))
		}
		if _, err := s.appendEvents(ctx, g, st, ts, msgs); err != nil {
			return err
		}
		lines, times = lines[n:], times[n:]
	}
	return nil
}
