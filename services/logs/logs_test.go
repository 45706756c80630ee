package logs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/fogbank/fogbank/fogbanktest"
)

// env is one test server and a CloudWatch Logs client of it.
type env struct {
	t   *testing.T
	srv *fogbanktest.Server
	c   *cwl.Client
	ctx context.Context
}

func newEnv(t *testing.T, opts ...fogbanktest.Option) *env {
	t.Helper()
	srv := fogbanktest.Start(t, opts...)
	return &env{t: t, srv: srv, c: cwl.NewFromConfig(srv.AWSConfig()), ctx: context.Background()}
}

func (e *env) must(_ any, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) group(name string, streams ...string) {
	e.t.Helper()
	e.must(e.c.CreateLogGroup(e.ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String(name)}))
	for _, s := range streams {
		e.must(e.c.CreateLogStream(e.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String(name), LogStreamName: aws.String(s)}))
	}
}

func (e *env) put(g, s string, ts int64, msgs ...string) *cwl.PutLogEventsOutput {
	e.t.Helper()
	var evs []types.InputLogEvent
	for _, m := range msgs {
		evs = append(evs, types.InputLogEvent{Timestamp: aws.Int64(ts), Message: aws.String(m)})
	}
	out, err := e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String(g), LogStreamName: aws.String(s), LogEvents: evs})
	if err != nil {
		e.t.Fatalf("PutLogEvents: %v", err)
	}
	return out
}

func errCode(err error) (string, string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage()
	}
	return "", fmt.Sprint(err)
}

func messages[T any](evs []T, msg func(T) *string) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, *msg(e))
	}
	return out
}

func outMsgs(evs []types.OutputLogEvent) []string {
	return messages(evs, func(e types.OutputLogEvent) *string { return e.Message })
}

func filtMsgs(evs []types.FilteredLogEvent) []string {
	return messages(evs, func(e types.FilteredLogEvent) *string { return e.Message })
}

func TestGroupsAndStreams(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"/app/a", "/app/b", "/app/c", "/other"} {
		e.group(n)
	}
	// Prefix and pagination.
	var names []string
	var token *string
	for {
		out, err := e.c.DescribeLogGroups(e.ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app/"), Limit: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.LogGroups {
			names = append(names, *g.LogGroupName)
			if !strings.HasSuffix(*g.Arn, ":log-group:"+*g.LogGroupName+":*") || *g.LogGroupArn+":*" != *g.Arn || *g.StoredBytes != 0 {
				t.Errorf("group %+v", g)
			}
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if got := strings.Join(names, ","); got != "/app/a,/app/b,/app/c" {
		t.Errorf("groups %s", got)
	}
	out, err := e.c.DescribeLogGroups(e.ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("ther")})
	if err != nil || len(out.LogGroups) != 1 {
		t.Errorf("pattern: %v %v", out, err)
	}

	// Streams: prefix, order, descending, pagination.
	e.must(e.c.CreateLogStream(e.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("/app/a"), LogStreamName: aws.String("s2")}))
	e.must(e.c.CreateLogStream(e.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("/app/a"), LogStreamName: aws.String("s1")}))
	e.must(e.c.CreateLogStream(e.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("/app/a"), LogStreamName: aws.String("x")}))
	now := time.Now().UnixMilli()
	e.put("/app/a", "s2", now-1000, "old")
	e.put("/app/a", "s1", now, "new")
	streams := func(in *cwl.DescribeLogStreamsInput) string {
		in.LogGroupName = aws.String("/app/a")
		var names []string
		p := cwl.NewDescribeLogStreamsPaginator(e.c, in)
		for p.HasMorePages() {
			out, err := p.NextPage(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range out.LogStreams {
				names = append(names, *s.LogStreamName)
			}
		}
		return strings.Join(names, ",")
	}
	for _, tt := range []struct {
		in   cwl.DescribeLogStreamsInput
		want string
	}{
		{cwl.DescribeLogStreamsInput{}, "s1,s2,x"},
		{cwl.DescribeLogStreamsInput{Limit: aws.Int32(1)}, "s1,s2,x"},
		{cwl.DescribeLogStreamsInput{LogStreamNamePrefix: aws.String("s")}, "s1,s2"},
		{cwl.DescribeLogStreamsInput{Descending: aws.Bool(true), Limit: aws.Int32(2)}, "x,s2,s1"},
		{cwl.DescribeLogStreamsInput{OrderBy: types.OrderByLastEventTime}, "x,s2,s1"},
		{cwl.DescribeLogStreamsInput{OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true), Limit: aws.Int32(1)}, "s1,s2,x"},
	} {
		if got := streams(&tt.in); got != tt.want {
			t.Errorf("DescribeLogStreams %+v = %s, want %s", tt.in, got, tt.want)
		}
	}
	ds, err := e.c.DescribeLogStreams(e.ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("/app/a"), LogStreamNamePrefix: aws.String("s2")})
	if err != nil || *ds.LogStreams[0].StoredBytes != 3 || *ds.LogStreams[0].LastEventTimestamp != now-1000 {
		t.Errorf("stream s2 %+v %v", ds, err)
	}
	dg, _ := e.c.DescribeLogGroups(e.ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app/a")})
	if *dg.LogGroups[0].StoredBytes != 6 {
		t.Errorf("group storedBytes %d", *dg.LogGroups[0].StoredBytes)
	}

	// Deleting a stream deletes its events; deleting a group, everything.
	e.must(e.c.DeleteLogStream(e.ctx, &cwl.DeleteLogStreamInput{LogGroupName: aws.String("/app/a"), LogStreamName: aws.String("s2")}))
	e.must(e.c.CreateLogStream(e.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("/app/a"), LogStreamName: aws.String("s2")}))
	ge, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("/app/a"), LogStreamName: aws.String("s2")})
	if err != nil || len(ge.Events) != 0 {
		t.Errorf("recreated stream has %v %v", ge, err)
	}
	e.must(e.c.DeleteLogGroup(e.ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("/app/a")}))
	e.group("/app/a", "s1")
	ge, err = e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("/app/a"), LogStreamName: aws.String("s1")})
	if err != nil || len(ge.Events) != 0 {
		t.Errorf("recreated group has %v %v", ge, err)
	}
}

func TestErrors(t *testing.T) {
	e := newEnv(t)
	e.group("g", "s")
	now := time.Now().UnixMilli()
	long := strings.Repeat("x", 600)
	for _, tt := range []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"duplicate group", func() error {
			_, err := e.c.CreateLogGroup(e.ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("g")})
			return err
		}, "ResourceAlreadyExistsException", "The specified log group already exists"},
		{"duplicate stream", func() error {
			_, err := e.c.CreateLogStream(e.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
			return err
		}, "ResourceAlreadyExistsException", "The specified log stream already exists"},
		{"missing group", func() error {
			_, err := e.c.DeleteLogGroup(e.ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "The specified log group does not exist."},
		{"missing stream", func() error {
			_, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "The specified log stream does not exist."},
		{"put to missing stream", func() error {
			_, err := e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("nope"),
				LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(now), Message: aws.String("m")}}})
			return err
		}, "ResourceNotFoundException", "The specified log stream does not exist."},
		{"wrong order", func() error {
			_, err := e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
				LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(now), Message: aws.String("a")}, {Timestamp: aws.Int64(now - 1), Message: aws.String("b")}}})
			return err
		}, "InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order."},
		{"span over 24h", func() error {
			_, err := e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
				LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(now - 25*3600*1000), Message: aws.String("a")}, {Timestamp: aws.Int64(now), Message: aws.String("b")}}})
			return err
		}, "InvalidParameterException", "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."},
		{"batch too large", func() error {
			big := strings.Repeat("x", 1048576-26)
			_, err := e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
				LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(now), Message: aws.String(big)}, {Timestamp: aws.Int64(now), Message: aws.String("b")}}})
			return err
		}, "InvalidParameterException", "Upload too large: 1048603 bytes exceeds limit of 1048576"},
		{"over 10,000 events", func() error {
			evs := make([]types.InputLogEvent, 10001)
			for i := range evs {
				evs[i] = types.InputLogEvent{Timestamp: aws.Int64(now), Message: aws.String("m")}
			}
			_, err := e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: evs})
			return err
		}, "InvalidParameterException", ""},
		{"invalid token", func() error {
			_, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: aws.String("invalid")})
			return err
		}, "InvalidParameterException", "The specified nextToken is invalid."},
		{"invalid filter token", func() error {
			_, err := e.c.FilterLogEvents(e.ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), NextToken: aws.String("invalid")})
			return err
		}, "InvalidParameterException", "The specified nextToken is invalid."},
		{"prefix and pattern", func() error {
			_, err := e.c.DescribeLogGroups(e.ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("a"), LogGroupNamePattern: aws.String("b")})
			return err
		}, "InvalidParameterException", "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters."},
		{"name and identifier", func() error {
			_, err := e.c.DescribeLogStreams(e.ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogGroupIdentifier: aws.String("g")})
			return err
		}, "ValidationException", "LogGroup name and LogGroup ARN are mutually exclusive parameters."},
		{"order by time with prefix", func() error {
			_, err := e.c.DescribeLogStreams(e.ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogStreamNamePrefix: aws.String("s"), OrderBy: types.OrderByLastEventTime})
			return err
		}, "InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix."},
		{"bad retention", func() error {
			_, err := e.c.PutRetentionPolicy(e.ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(2)})
			return err
		}, "InvalidParameterException", ""},
		{"space-delimited pattern", func() error {
			_, err := e.c.FilterLogEvents(e.ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String("[ip, user]")})
			return err
		}, "InvalidParameterException", ""},
		{"long name", func() error {
			_, err := e.c.CreateLogStream(e.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String(long)})
			return err
		}, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("no error")
			}
			code, msg := errCode(err)
			if tt.code != "" && code != tt.code || tt.msg != "" && msg != tt.msg {
				t.Errorf("got %s %q, want %s %q", code, msg, tt.code, tt.msg)
			}
		})
	}
	// Bad input changed nothing.
	ge, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if err != nil || len(ge.Events) != 0 {
		t.Errorf("after errors: %v %v", ge, err)
	}
}

func TestPutLogEventsRejects(t *testing.T) {
	e := newEnv(t)
	e.group("g", "s")
	now := time.Now().UnixMilli()
	day := int64(24 * 3600 * 1000)
	out, err := e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		SequenceToken: aws.String("ignored"),
		LogEvents: []types.InputLogEvent{
			{Timestamp: aws.Int64(now - 15*day), Message: aws.String("too old")},
			{Timestamp: aws.Int64(now - 15*day + 1000), Message: aws.String("too old 2")},
		}})
	if err != nil || out.RejectedLogEventsInfo == nil || aws.ToInt32(out.RejectedLogEventsInfo.TooOldLogEventEndIndex) != 1 || out.NextSequenceToken == nil {
		t.Fatalf("too old: %+v %v", out, err)
	}
	out, err = e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		LogEvents: []types.InputLogEvent{
			{Timestamp: aws.Int64(now), Message: aws.String("ok")},
			{Timestamp: aws.Int64(now + 3*3600*1000), Message: aws.String("too new")},
		}})
	if err != nil || out.RejectedLogEventsInfo == nil || aws.ToInt32(out.RejectedLogEventsInfo.TooNewLogEventStartIndex) != 1 {
		t.Fatalf("too new: %+v %v", out, err)
	}
	ge, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if err != nil || strings.Join(outMsgs(ge.Events), ",") != "ok" {
		t.Errorf("stored %v %v", ge, err)
	}
}

func TestGetLogEventsTokens(t *testing.T) {
	e := newEnv(t)
	e.group("g", "s")
	base := time.Now().UnixMilli() - 60000
	var evs []types.InputLogEvent
	for i := range 10 {
		evs = append(evs, types.InputLogEvent{Timestamp: aws.Int64(base + int64(i)), Message: aws.String(fmt.Sprint(i))})
	}
	e.must(e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: evs}))
	get := func(in cwl.GetLogEventsInput) *cwl.GetLogEventsOutput {
		t.Helper()
		in.LogGroupName, in.LogStreamName = aws.String("g"), aws.String("s")
		out, err := e.c.GetLogEvents(e.ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	j := func(o *cwl.GetLogEventsOutput) string { return strings.Join(outMsgs(o.Events), "") }

	tail := get(cwl.GetLogEventsInput{Limit: aws.Int32(3)})
	if j(tail) != "789" {
		t.Errorf("tail %s", j(tail))
	}
	back := get(cwl.GetLogEventsInput{Limit: aws.Int32(3), NextToken: tail.NextBackwardToken})
	if j(back) != "456" {
		t.Errorf("backward %s", j(back))
	}
	head := get(cwl.GetLogEventsInput{Limit: aws.Int32(4), StartFromHead: aws.Bool(true)})
	if j(head) != "0123" {
		t.Errorf("head %s", j(head))
	}
	fwd := get(cwl.GetLogEventsInput{Limit: aws.Int32(4), NextToken: head.NextForwardToken})
	if j(fwd) != "4567" {
		t.Errorf("forward %s", j(fwd))
	}
	rng := get(cwl.GetLogEventsInput{StartTime: aws.Int64(base + 2), EndTime: aws.Int64(base + 5), StartFromHead: aws.Bool(true)})
	if j(rng) != "234" {
		t.Errorf("range %s", j(rng))
	}
	// Reading forward to the end: the same token once there is nothing new,
	// then new events from there.
	all := get(cwl.GetLogEventsInput{StartFromHead: aws.Bool(true)})
	end := get(cwl.GetLogEventsInput{NextToken: all.NextForwardToken})
	if len(end.Events) != 0 || *end.NextForwardToken != *all.NextForwardToken {
		t.Errorf("at end: %v %s %s", j(end), *end.NextForwardToken, *all.NextForwardToken)
	}
	e.put("g", "s", base+20, "new")
	more := get(cwl.GetLogEventsInput{NextToken: end.NextForwardToken})
	if j(more) != "new" {
		t.Errorf("after end %s", j(more))
	}
	// An empty stream's forward token picks up the first events.
	e.must(e.c.CreateLogStream(e.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("e")}))
	empty, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("e"), StartFromHead: aws.Bool(true)})
	if err != nil || empty.NextForwardToken == nil {
		t.Fatal(empty, err)
	}
	e.put("g", "e", base, "first")
	first, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("e"), NextToken: empty.NextForwardToken})
	if err != nil || strings.Join(outMsgs(first.Events), "") != "first" {
		t.Errorf("from empty: %v %v", first, err)
	}
}

func TestFilterLogEvents(t *testing.T) {
	e := newEnv(t)
	e.group("g", "a", "b", "other")
	base := time.Now().UnixMilli() - 60000
	e.put("g", "a", base, "ERROR disk full", `{"level":"error","ms":250,"user":{"id":"u1"}}`)
	e.put("g", "b", base+1, "INFO all good", `{"level":"info","ms":50}`)
	e.put("g", "other", base+2, "ERROR timeout talking to db")
	for _, tt := range []struct {
		in   cwl.FilterLogEventsInput
		want string
	}{
		{cwl.FilterLogEventsInput{}, "ERROR disk full|{\"level\":\"error\",\"ms\":250,\"user\":{\"id\":\"u1\"}}|INFO all good|{\"level\":\"info\",\"ms\":50}|ERROR timeout talking to db"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String("ERROR")}, "ERROR disk full|ERROR timeout talking to db"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String("ERROR db")}, "ERROR timeout talking to db"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`"disk full"`)}, "ERROR disk full"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`"full disk"`)}, ""},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`?INFO ?timeout`)}, "INFO all good|ERROR timeout talking to db"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`ERROR -disk`)}, "ERROR timeout talking to db"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`%ERROR [a-z]+ full%`)}, "ERROR disk full"},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`{ $.level = "error" }`)}, `{"level":"error","ms":250,"user":{"id":"u1"}}`},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`{ $.level = err* }`)}, `{"level":"error","ms":250,"user":{"id":"u1"}}`},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`{ $.ms > 100 }`)}, `{"level":"error","ms":250,"user":{"id":"u1"}}`},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`{ $.ms < 100 || $.user.id = "u1" }`)}, `{"level":"error","ms":250,"user":{"id":"u1"}}|{"level":"info","ms":50}`},
		{cwl.FilterLogEventsInput{FilterPattern: aws.String(`{ ($.level = "info") && $.user NOT EXISTS }`)}, `{"level":"info","ms":50}`},
		{cwl.FilterLogEventsInput{LogStreamNames: []string{"b"}}, `INFO all good|{"level":"info","ms":50}`},
		{cwl.FilterLogEventsInput{LogStreamNamePrefix: aws.String("o")}, "ERROR timeout talking to db"},
		{cwl.FilterLogEventsInput{StartTime: aws.Int64(base + 1), EndTime: aws.Int64(base + 1)}, `INFO all good|{"level":"info","ms":50}`},
	} {
		in := tt.in
		in.LogGroupName = aws.String("g")
		var got []string
		p := cwl.NewFilterLogEventsPaginator(e.c, &in)
		for p.HasMorePages() {
			out, err := p.NextPage(e.ctx)
			if err != nil {
				t.Fatalf("%+v: %v", tt.in, err)
			}
			got = append(got, filtMsgs(out.Events)...)
		}
		if g := strings.Join(got, "|"); g != tt.want {
			t.Errorf("pattern %q streams %v: got %s want %s", aws.ToString(tt.in.FilterPattern), tt.in.LogStreamNames, g, tt.want)
		}
	}
	// Pagination across streams returns every event once.
	var got []string
	in := cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(2)}
	p := cwl.NewFilterLogEventsPaginator(e.c, &in)
	for p.HasMorePages() {
		out, err := p.NextPage(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range out.Events {
			got = append(got, *ev.LogStreamName)
		}
	}
	if strings.Join(got, ",") != "a,a,b,b,other" {
		t.Errorf("paged %v", got)
	}
}

func TestRetention(t *testing.T) {
	e := newEnv(t)
	e.group("g", "s")
	now := time.Now().UnixMilli()
	day := int64(24 * 3600 * 1000)
	e.put("g", "s", now-2*day, "two days old")
	e.put("g", "s", now, "fresh")
	e.must(e.c.PutRetentionPolicy(e.ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)}))
	dg, _ := e.c.DescribeLogGroups(e.ctx, &cwl.DescribeLogGroupsInput{})
	if aws.ToInt32(dg.LogGroups[0].RetentionInDays) != 1 {
		t.Errorf("retention %v", dg.LogGroups[0].RetentionInDays)
	}
	ge, _ := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if strings.Join(outMsgs(ge.Events), ",") != "fresh" {
		t.Errorf("after retention: %v", outMsgs(ge.Events))
	}
	// An event older than the retention is rejected as expired.
	out := e.put("g", "s", now-2*day, "expired")
	if out.RejectedLogEventsInfo == nil || aws.ToInt32(out.RejectedLogEventsInfo.ExpiredLogEventEndIndex) != 0 {
		t.Errorf("expired: %+v", out.RejectedLogEventsInfo)
	}
	// Two days later on the service clock, the fresh event is gone too and
	// the sweep has reclaimed the bytes.
	e.srv.Advance(t, 50*time.Hour)
	fl, _ := e.c.FilterLogEvents(e.ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g")})
	if len(fl.Events) != 0 {
		t.Errorf("after 50h: %v", filtMsgs(fl.Events))
	}
	dg, _ = e.c.DescribeLogGroups(e.ctx, &cwl.DescribeLogGroupsInput{})
	if *dg.LogGroups[0].StoredBytes != 0 {
		t.Errorf("storedBytes after sweep %d", *dg.LogGroups[0].StoredBytes)
	}
	e.must(e.c.DeleteRetentionPolicy(e.ctx, &cwl.DeleteRetentionPolicyInput{LogGroupName: aws.String("g")}))
	dg, _ = e.c.DescribeLogGroups(e.ctx, &cwl.DescribeLogGroupsInput{})
	if dg.LogGroups[0].RetentionInDays != nil {
		t.Errorf("retention kept")
	}
}

func TestTags(t *testing.T) {
	e := newEnv(t)
	e.must(e.c.CreateLogGroup(e.ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"env": "testing1"}}))
	dg, _ := e.c.DescribeLogGroups(e.ctx, &cwl.DescribeLogGroupsInput{})
	arn := *dg.LogGroups[0].LogGroupArn
	e.must(e.c.TagResource(e.ctx, &cwl.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"test1": "val1", "test2": "val2"}}))
	e.must(e.c.TagLogGroup(e.ctx, &cwl.TagLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"test3": "val3"}}))
	lt, err := e.c.ListTagsForResource(e.ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || len(lt.Tags) != 4 {
		t.Errorf("tags %v %v", lt, err)
	}
	e.must(e.c.UntagResource(e.ctx, &cwl.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"env", "test1"}}))
	e.must(e.c.UntagLogGroup(e.ctx, &cwl.UntagLogGroupInput{LogGroupName: aws.String("g"), Tags: []string{"test3"}}))
	ltg, err := e.c.ListTagsLogGroup(e.ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("g")})
	if err != nil || fmt.Sprint(ltg.Tags) != "map[test2:val2]" {
		t.Errorf("tags %v %v", ltg, err)
	}
	_, err = e.c.ListTagsForResource(e.ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn + "x")})
	if code, _ := errCode(err); code != "ResourceNotFoundException" {
		t.Errorf("missing: %v", err)
	}
}

// TestGetLogEventsTailSpread reads the tail of a stream whose events spread
// over days, so the backward read needs several widening windows.
func TestGetLogEventsTailSpread(t *testing.T) {
	e := newEnv(t)
	e.group("g", "s")
	start := time.Now().Add(-13 * 24 * time.Hour).UnixMilli()
	for i := range 40 {
		e.put("g", "s", start+int64(i)*8*3600*1000, fmt.Sprint(i))
	}
	get := func(tok *string) *cwl.GetLogEventsOutput {
		out, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int32(3), NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	tail := get(nil)
	back := get(tail.NextBackwardToken)
	if got := strings.Join(outMsgs(tail.Events), ",") + "|" + strings.Join(outMsgs(back.Events), ","); got != "37,38,39|34,35,36" {
		t.Errorf("tail|back = %s", got)
	}
	// Backward to the start: then the same token again.
	tok := back.NextBackwardToken
	for range 20 {
		out := get(tok)
		if len(out.Events) == 0 {
			if *out.NextBackwardToken != *tok {
				t.Errorf("at start: token changed")
			}
			return
		}
		tok = out.NextBackwardToken
	}
	t.Error("never reached the start")
}

// TestConcurrentPuts puts from several clients at once to one stream (all
// events at one timestamp): every event is stored once, storedBytes counts
// them all, and each client's events keep their order.
func TestConcurrentPuts(t *testing.T) {
	e := newEnv(t)
	e.group("g", "s")
	ts := time.Now().UnixMilli()
	const writers, batches = 4, 10
	errs := make(chan error, writers)
	for w := range writers {
		go func() {
			for b := range batches {
				_, err := e.c.PutLogEvents(e.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
					LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(ts), Message: aws.String(fmt.Sprintf("%d-%02d", w, b))}}})
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ge, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)})
	if err != nil || len(ge.Events) != writers*batches {
		t.Fatalf("got %d events: %v", len(ge.Events), err)
	}
	last := map[byte]string{}
	for _, m := range outMsgs(ge.Events) {
		if m <= last[m[0]] {
			t.Errorf("writer %c out of order: %s after %s", m[0], m, last[m[0]])
		}
		last[m[0]] = m
	}
	ds, _ := e.c.DescribeLogStreams(e.ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
	if *ds.LogStreams[0].StoredBytes != writers*batches*4 {
		t.Errorf("storedBytes %d", *ds.LogStreams[0].StoredBytes)
	}
}
