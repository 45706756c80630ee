package logs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/fogbank/fogbank/fogbanktest"
)

// TestRestart stops a durable server and starts another on its data
// directory: groups, streams, their metadata, tags, retention and events are
// back, and a stream's sequence continues so later events sort after earlier
// ones with the same timestamp.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	durable := fogbanktest.Durable(dir)
	e := newEnv(t, durable)
	e.must(e.c.CreateLogGroup(e.ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"k": "v"}}))
	e.must(e.c.CreateLogStream(e.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")}))
	e.must(e.c.PutRetentionPolicy(e.ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(30)}))
	ts := time.Now().UnixMilli()
	e.put("g", "s", ts, "a", "b")
	e.group("deleted", "x")
	e.must(e.c.DeleteLogGroup(e.ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("deleted")}))
	if err := e.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	e = newEnv(t, durable)
	e.put("g", "s", ts, "c")
	ge, err := e.c.GetLogEvents(e.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)})
	if err != nil || strings.Join(outMsgs(ge.Events), "") != "abc" {
		t.Fatalf("after restart: %v %v", ge, err)
	}
	dg, err := e.c.DescribeLogGroups(e.ctx, &cwl.DescribeLogGroupsInput{})
	if err != nil || len(dg.LogGroups) != 1 || aws.ToInt32(dg.LogGroups[0].RetentionInDays) != 30 || *dg.LogGroups[0].StoredBytes != 3 {
		t.Fatalf("groups after restart: %+v %v", dg, err)
	}
	lt, err := e.c.ListTagsLogGroup(e.ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("g")})
	if err != nil || lt.Tags["k"] != "v" {
		t.Errorf("tags after restart: %v %v", lt, err)
	}
}
