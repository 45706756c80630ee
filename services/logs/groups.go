package logs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	logsapi "github.com/fogbank/fogbank/internal/api/logs"
	"github.com/fogbank/fogbank/internal/store"
)

// Errors in AWS's words (shared/conformance/aws-recorded/logs).
func groupNotFound() *api.Error {
	return logsapi.NewResourceNotFoundException("The specified log group does not exist.")
}
func streamNotFound() *api.Error {
	return logsapi.NewResourceNotFoundException("The specified log stream does not exist.")
}
func invalidParam(format string, args ...any) *api.Error {
	return logsapi.NewInvalidParameterException(fmt.Sprintf(format, args...))
}

var groupNameRE = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]+$`)

// checkNames applies the service's own name rules (the model's lengths are
// checked by the validator first).
func checkGroupName(name string) error {
	if len(name) > 512 {
		return invalidParam("Invalid LogGroup or LogStream, both must have length less than or equal to 512.")
	}
	if !groupNameRE.MatchString(name) {
		return invalidParam("1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+", name)
	}
	return nil
}

func checkStreamName(name string) error {
	if len(name) > 512 {
		return invalidParam("Invalid LogGroup or LogStream, both must have length less than or equal to 512.")
	}
	if name == "" || strings.ContainsAny(name, ":*") {
		return invalidParam("1 validation error detected: Value '%s' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*", name)
	}
	return nil
}

// retentionDays are the values PutRetentionPolicy accepts.
var retentionDays = []int32{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func checkTags(tags map[string]string) error {
	if len(tags) > 50 {
		return logsapi.NewTooManyTagsException("A resource can have no more than 50 tags.")
	}
	for k, v := range tags {
		if k == "" || len(k) > 128 || strings.HasPrefix(k, "aws:") {
			return invalidParam("Invalid tag key: %s", k)
		}
		if len(v) > 256 {
			return invalidParam("Invalid tag value for key: %s", k)
		}
	}
	return nil
}

// CreateLogGroup creates an empty log group.
func (s *Service) CreateLogGroup(ctx context.Context, in *logsapi.CreateLogGroupRequest) (*logsapi.CreateLogGroupOutput, error) {
	name := api.ToString(in.LogGroupName)
	if err := checkGroupName(name); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	class := "STANDARD"
	if in.LogGroupClass != nil {
		class = *in.LogGroupClass
	}
	sc := scopeOf(ctx)
	g := &group{Name: name, Account: sc.account, Region: sc.region, Created: s.nowMS(),
		KmsKeyID: api.ToString(in.KmsKeyId), Class: class, Tags: maps.Clone(in.Tags), streams: map[string]*stream{}}
	if _, err := s.createGroup(ctx, g, false); err != nil {
		return nil, err
	}
	return &logsapi.CreateLogGroupOutput{}, nil
}

// createGroup makes g durable and visible; with existingOK an existing
// group of that name is returned instead of an error.
func (s *Service) createGroup(ctx context.Context, g *group, existingOK bool) (*group, error) {
	id := groupID{scope{g.Account, g.Region}, g.Name}
	rec, err := json.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("logs: encoding group: %w", err)
	}
	s.mu.Lock()
	if old := s.mu.groups[id]; old != nil {
		s.mu.Unlock()
		if existingOK {
			return old, nil
		}
		return nil, logsapi.NewResourceAlreadyExistsException("The specified log group already exists")
	}
	s.mu.groups[id] = g
	s.mu.Unlock()
	var b store.Batch
	b.Put(groupKey(g), rec)
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		s.mu.Lock()
		delete(s.mu.groups, id)
		s.mu.Unlock()
		return nil, fmt.Errorf("logs: saving group: %w", err)
	}
	return g, nil
}

// DeleteLogGroup deletes a group, its streams and their events.
func (s *Service) DeleteLogGroup(ctx context.Context, in *logsapi.DeleteLogGroupRequest) (*logsapi.DeleteLogGroupOutput, error) {
	id := groupID{scopeOf(ctx), api.ToString(in.LogGroupName)}
	s.mu.Lock()
	g := s.mu.groups[id]
	if g == nil {
		s.mu.Unlock()
		return nil, groupNotFound()
	}
	delete(s.mu.groups, id)
	sts := slices.Collect(maps.Values(g.streams))
	s.mu.Unlock()
	for _, st := range sts {
		st.wmu.Lock()
		defer st.wmu.Unlock()
	}
	if err := s.deleteRange(ctx, groupEventsPrefix(g)); err != nil {
		return nil, err
	}
	if err := s.deleteRange(ctx, store.KeyPrefix("logs", "stream", g.Account, g.Region, g.Name)); err != nil {
		return nil, err
	}
	var b store.Batch
	b.Delete(groupKey(g))
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return nil, fmt.Errorf("logs: deleting group: %w", err)
	}
	return &logsapi.DeleteLogGroupOutput{}, nil
}

// lookupGroup finds a group by name or ARN (logGroupIdentifier).
func (s *Service) lookupGroup(ctx context.Context, name, ident *string) (*group, error) {
	if name != nil && ident != nil {
		return nil, logsapi.NewValidationException("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	}
	n := api.ToString(name)
	sc := scopeOf(ctx)
	if ident != nil {
		n = *ident
		if strings.HasPrefix(n, "arn:") {
			parts := strings.SplitN(n, ":", 7)
			if len(parts) < 7 || !strings.HasPrefix(parts[5], "log-group") {
				return nil, invalidParam("Invalid logGroupIdentifier: %s", n)
			}
			sc = scope{parts[4], parts[3]}
			n = strings.TrimSuffix(parts[6], ":*")
			if parts[5] != "log-group" {
				n = strings.TrimPrefix(parts[5], "log-group/")
			}
		}
	}
	if n == "" {
		return nil, invalidParam("Should provide either name or ARN")
	}
	s.mu.RLock()
	g := s.mu.groups[groupID{sc, n}]
	s.mu.RUnlock()
	if g == nil {
		return nil, groupNotFound()
	}
	return g, nil
}

// encodeToken and decodeToken make opaque pagination tokens of sort keys.
func encodeToken(k string) *string {
	t := base64.RawURLEncoding.EncodeToString([]byte(k))
	return &t
}

func decodeToken(t *string) (string, error) {
	if t == nil {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*t)
	if err != nil || len(b) == 0 {
		return "", invalidParam("The specified nextToken is invalid.")
	}
	return string(b), nil
}

func pageLimit(l *int32, def int) int {
	if l == nil || *l <= 0 {
		return def
	}
	return int(*l)
}

// DescribeLogGroups lists groups in name order.
func (s *Service) DescribeLogGroups(ctx context.Context, in *logsapi.DescribeLogGroupsRequest) (*logsapi.DescribeLogGroupsResponse, error) {
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		return nil, invalidParam("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.Limit, 50)
	sc := scopeOf(ctx)
	prefix, pattern := api.ToString(in.LogGroupNamePrefix), api.ToString(in.LogGroupNamePattern)
	s.mu.RLock()
	var gs []*group
	for id, g := range s.mu.groups {
		if id.scope != sc || !strings.HasPrefix(id.name, prefix) || !strings.Contains(id.name, pattern) || id.name <= after && after != "" {
			continue
		}
		if in.LogGroupClass != nil && g.Class != *in.LogGroupClass {
			continue
		}
		gs = append(gs, g)
	}
	sort.Slice(gs, func(i, j int) bool { return gs[i].Name < gs[j].Name })
	out := &logsapi.DescribeLogGroupsResponse{LogGroups: []*logsapi.LogGroup{}}
	for i, g := range gs {
		if i == limit {
			out.NextToken = encodeToken(gs[i-1].Name)
			break
		}
		out.LogGroups = append(out.LogGroups, s.describeGroupLocked(g))
	}
	s.mu.RUnlock()
	return out, nil
}

func (s *Service) describeGroupLocked(g *group) *logsapi.LogGroup {
	var stored int64
	for _, st := range g.streams {
		stored += st.Stored
	}
	arn := groupARN(g)
	lg := &logsapi.LogGroup{
		LogGroupName:      api.String(g.Name),
		CreationTime:      api.Int64(g.Created),
		MetricFilterCount: api.Int32(0),
		Arn:               api.String(arn + ":*"),
		LogGroupArn:       api.String(arn),
		StoredBytes:       api.Int64(stored),
		LogGroupClass:     api.String(g.Class),
	}
	if g.Retention > 0 {
		lg.RetentionInDays = api.Int32(g.Retention)
	}
	if g.KmsKeyID != "" {
		lg.KmsKeyId = api.String(g.KmsKeyID)
	}
	return lg
}

// saveGroup writes g's record; call with Service.mu not held.
func (s *Service) saveGroup(ctx context.Context, g *group) error {
	s.mu.RLock()
	rec, err := json.Marshal(g)
	s.mu.RUnlock()
	if err != nil {
		return fmt.Errorf("logs: encoding group: %w", err)
	}
	var b store.Batch
	b.Put(groupKey(g), rec)
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("logs: saving group: %w", err)
	}
	return nil
}

// PutRetentionPolicy sets how long the group keeps events. Reads stop
// returning expired events at once; the sweep deletes them.
func (s *Service) PutRetentionPolicy(ctx context.Context, in *logsapi.PutRetentionPolicyRequest) (*logsapi.PutRetentionPolicyOutput, error) {
	days := api.ToInt32(in.RetentionInDays)
	if !slices.Contains(retentionDays, days) {
		vals := make([]string, len(retentionDays))
		for i, d := range retentionDays {
			vals[i] = strconv.Itoa(int(d))
		}
		return nil, invalidParam("1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [%s]", days, strings.Join(vals, ", "))
	}
	g, err := s.lookupGroup(ctx, in.LogGroupName, nil)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	g.Retention = days
	s.mu.Unlock()
	return &logsapi.PutRetentionPolicyOutput{}, s.saveGroup(ctx, g)
}

// DeleteRetentionPolicy makes the group keep events forever.
func (s *Service) DeleteRetentionPolicy(ctx context.Context, in *logsapi.DeleteRetentionPolicyRequest) (*logsapi.DeleteRetentionPolicyOutput, error) {
	g, err := s.lookupGroup(ctx, in.LogGroupName, nil)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	g.Retention = 0
	s.mu.Unlock()
	return &logsapi.DeleteRetentionPolicyOutput{}, s.saveGroup(ctx, g)
}

// CreateLogStream creates an empty stream in a group.
func (s *Service) CreateLogStream(ctx context.Context, in *logsapi.CreateLogStreamRequest) (*logsapi.CreateLogStreamOutput, error) {
	name := api.ToString(in.LogStreamName)
	if err := checkStreamName(name); err != nil {
		return nil, err
	}
	g, err := s.lookupGroup(ctx, in.LogGroupName, nil)
	if err != nil {
		return nil, err
	}
	if _, err := s.createStream(ctx, g, name, false); err != nil {
		return nil, err
	}
	return &logsapi.CreateLogStreamOutput{}, nil
}

func (s *Service) createStream(ctx context.Context, g *group, name string, existingOK bool) (*stream, error) {
	st := &stream{streamRec: streamRec{Name: name, Created: s.nowMS()}}
	rec, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("logs: encoding stream: %w", err)
	}
	s.mu.Lock()
	if old := g.streams[name]; old != nil {
		s.mu.Unlock()
		if existingOK {
			return old, nil
		}
		return nil, logsapi.NewResourceAlreadyExistsException("The specified log stream already exists")
	}
	// Held until durable, so a PutLogEvents racing the create cannot
	// write the stream's record before this one.
	st.wmu.Lock()
	defer st.wmu.Unlock()
	g.streams[name] = st
	s.mu.Unlock()
	var b store.Batch
	b.Put(streamKey(g, name), rec)
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		s.mu.Lock()
		delete(g.streams, name)
		s.mu.Unlock()
		return nil, fmt.Errorf("logs: saving stream: %w", err)
	}
	return st, nil
}

// DeleteLogStream deletes a stream and its events.
func (s *Service) DeleteLogStream(ctx context.Context, in *logsapi.DeleteLogStreamRequest) (*logsapi.DeleteLogStreamOutput, error) {
	g, err := s.lookupGroup(ctx, in.LogGroupName, nil)
	if err != nil {
		return nil, err
	}
	name := api.ToString(in.LogStreamName)
	s.mu.Lock()
	st := g.streams[name]
	if st == nil {
		s.mu.Unlock()
		return nil, streamNotFound()
	}
	delete(g.streams, name)
	s.mu.Unlock()
	st.wmu.Lock()
	defer st.wmu.Unlock()
	if err := s.deleteRange(ctx, streamEventsPrefix(g, name)); err != nil {
		return nil, err
	}
	var b store.Batch
	b.Delete(streamKey(g, name))
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return nil, fmt.Errorf("logs: deleting stream: %w", err)
	}
	return &logsapi.DeleteLogStreamOutput{}, nil
}

// DescribeLogStreams lists a group's streams by name or by last event time.
func (s *Service) DescribeLogStreams(ctx context.Context, in *logsapi.DescribeLogStreamsRequest) (*logsapi.DescribeLogStreamsResponse, error) {
	byTime := api.ToString(in.OrderBy) == "LastEventTime"
	if byTime && in.LogStreamNamePrefix != nil {
		return nil, invalidParam("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	g, err := s.lookupGroup(ctx, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	desc := api.ToBool(in.Descending)
	limit := pageLimit(in.Limit, 50)
	prefix := api.ToString(in.LogStreamNamePrefix)
	// sortKey orders streams; with LastEventTime, streams without events
	// sort first, by name.
	sortKey := func(st *stream) string {
		if byTime {
			return fmt.Sprintf("%016x", uint64(st.Last)) + st.Name
		}
		return st.Name
	}
	type entry struct {
		key string
		st  *stream
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var es []entry
	for _, st := range g.streams {
		if !strings.HasPrefix(st.Name, prefix) {
			continue
		}
		k := sortKey(st)
		if after != "" && (!desc && k <= after || desc && k >= after) {
			continue
		}
		es = append(es, entry{k, st})
	}
	sort.Slice(es, func(i, j int) bool {
		if desc {
			return es[i].key > es[j].key
		}
		return es[i].key < es[j].key
	})
	out := &logsapi.DescribeLogStreamsResponse{LogStreams: []*logsapi.LogStream{}}
	arn := groupARN(g)
	for i, e := range es {
		if i == limit {
			out.NextToken = encodeToken(es[i-1].key)
			break
		}
		st := e.st
		ls := &logsapi.LogStream{
			LogStreamName: api.String(st.Name),
			CreationTime:  api.Int64(st.Created),
			Arn:           api.String(arn + ":log-stream:" + st.Name),
			StoredBytes:   api.Int64(st.Stored),
		}
		if st.Last != 0 {
			ls.FirstEventTimestamp = api.Int64(st.First)
			ls.LastEventTimestamp = api.Int64(st.Last)
			ls.LastIngestionTime = api.Int64(st.LastIngest)
			ls.UploadSequenceToken = api.String(seqToken(st.Seq))
		}
		out.LogStreams = append(out.LogStreams, ls)
	}
	return out, nil
}

// seqToken is the deprecated sequence token AWS still returns (and ignores
// on input): a long decimal number.
func seqToken(seq uint64) string { return fmt.Sprintf("4961%052d", seq) }

// groupByARN finds a group by its ARN, with or without the ":*" suffix.
func (s *Service) groupByARN(arn string) (*group, error) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "logs" || parts[5] != "log-group" {
		return nil, invalidParam("Invalid resource arn: %s", arn)
	}
	name := strings.TrimSuffix(parts[6], ":*")
	s.mu.RLock()
	g := s.mu.groups[groupID{scope{parts[4], parts[3]}, name}]
	s.mu.RUnlock()
	if g == nil {
		return nil, groupNotFound()
	}
	return g, nil
}

func (s *Service) tag(ctx context.Context, g *group, tags map[string]string) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	s.mu.Lock()
	merged := maps.Clone(g.Tags)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, tags)
	if len(merged) > 50 {
		s.mu.Unlock()
		return logsapi.NewTooManyTagsException("A resource can have no more than 50 tags.")
	}
	g.Tags = merged
	s.mu.Unlock()
	return s.saveGroup(ctx, g)
}

func (s *Service) untag(ctx context.Context, g *group, keys []string) error {
	s.mu.Lock()
	t := maps.Clone(g.Tags)
	for _, k := range keys {
		delete(t, k)
	}
	g.Tags = t
	s.mu.Unlock()
	return s.saveGroup(ctx, g)
}

func (s *Service) tags(g *group) map[string]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := maps.Clone(g.Tags)
	if t == nil {
		t = map[string]string{}
	}
	return t
}

// TagResource adds tags to a log group named by ARN.
func (s *Service) TagResource(ctx context.Context, in *logsapi.TagResourceRequest) (*logsapi.TagResourceOutput, error) {
	g, err := s.groupByARN(api.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return &logsapi.TagResourceOutput{}, s.tag(ctx, g, in.Tags)
}

// UntagResource removes tags from a log group named by ARN.
func (s *Service) UntagResource(ctx context.Context, in *logsapi.UntagResourceRequest) (*logsapi.UntagResourceOutput, error) {
	g, err := s.groupByARN(api.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return &logsapi.UntagResourceOutput{}, s.untag(ctx, g, in.TagKeys)
}

// ListTagsForResource lists a log group's tags.
func (s *Service) ListTagsForResource(ctx context.Context, in *logsapi.ListTagsForResourceRequest) (*logsapi.ListTagsForResourceResponse, error) {
	g, err := s.groupByARN(api.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return &logsapi.ListTagsForResourceResponse{Tags: s.tags(g)}, nil
}

// TagLogGroup is the deprecated TagResource by group name.
func (s *Service) TagLogGroup(ctx context.Context, in *logsapi.TagLogGroupRequest) (*logsapi.TagLogGroupOutput, error) {
	g, err := s.lookupGroup(ctx, in.LogGroupName, nil)
	if err != nil {
		return nil, err
	}
	return &logsapi.TagLogGroupOutput{}, s.tag(ctx, g, in.Tags)
}

// UntagLogGroup is the deprecated UntagResource by group name.
func (s *Service) UntagLogGroup(ctx context.Context, in *logsapi.UntagLogGroupRequest) (*logsapi.UntagLogGroupOutput, error) {
	g, err := s.lookupGroup(ctx, in.LogGroupName, nil)
	if err != nil {
		return nil, err
	}
	return &logsapi.UntagLogGroupOutput{}, s.untag(ctx, g, in.Tags)
}

// ListTagsLogGroup is the deprecated ListTagsForResource by group name.
func (s *Service) ListTagsLogGroup(ctx context.Context, in *logsapi.ListTagsLogGroupRequest) (*logsapi.ListTagsLogGroupResponse, error) {
	g, err := s.lookupGroup(ctx, in.LogGroupName, nil)
	if err != nil {
		return nil, err
	}
	return &logsapi.ListTagsLogGroupResponse{Tags: s.tags(g)}, nil
}
