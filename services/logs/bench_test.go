package logs_test

import (
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
)

// benchServer is a durable, quiet server with group "bench", stream "s".
func benchServer(b *testing.B) *cwl.Client {
	dir := b.TempDir()
	srv := fogbanktest.Start(b, fogbanktest.WithOptions(func(o *fogbank.Options) {
		o.Memory, o.DataDir = false, dir
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	c := cwl.NewFromConfig(srv.AWSConfig())
	if _, err := c.CreateLogGroup(b.Context(), &cwl.CreateLogGroupInput{LogGroupName: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	if _, err := c.CreateLogStream(b.Context(), &cwl.CreateLogStreamInput{LogGroupName: aws.String("bench"), LogStreamName: aws.String("s")}); err != nil {
		b.Fatal(err)
	}
	return c
}

func putBatch(b *testing.B, c *cwl.Client, ts int64) {
	msg := fmt.Sprintf("%0100d", 0)
	evs := make([]types.InputLogEvent, 100)
	for j := range evs {
		evs[j] = types.InputLogEvent{Timestamp: aws.Int64(ts), Message: aws.String(msg)}
	}
	if _, err := c.PutLogEvents(b.Context(), &cwl.PutLogEventsInput{LogGroupName: aws.String("bench"), LogStreamName: aws.String("s"), LogEvents: evs}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPutLogEvents puts batches of 100 events of 100 bytes to one
// stream through aws-sdk-go-v2 on a durable store (each batch one fsynced
// Apply); events/s is the throughput.
func BenchmarkPutLogEvents(b *testing.B) {
	c := benchServer(b)
	for b.Loop() {
		putBatch(b, c, time.Now().UnixMilli())
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkReadLogEvents reads a stream of 100,000 events spread over the
// last hour: the first 100, the newest 100 (backward windows), and a
// FilterLogEvents that matches nothing (a scan of every event).
func BenchmarkReadLogEvents(b *testing.B) {
	c := benchServer(b)
	now := time.Now().UnixMilli()
	for i := range 1000 {
		putBatch(b, c, now-3600_000+int64(i)*3600)
	}
	ctx := b.Context()
	get := func(b *testing.B, in *cwl.GetLogEventsInput) {
		in.LogGroupName, in.LogStreamName, in.Limit = aws.String("bench"), aws.String("s"), aws.Int32(100)
		out, err := c.GetLogEvents(ctx, in)
		if err != nil || len(out.Events) != 100 {
			b.Fatal(err)
		}
	}
	b.Run("GetLogEvents-head100", func(b *testing.B) {
		for b.Loop() {
			get(b, &cwl.GetLogEventsInput{StartFromHead: aws.Bool(true)})
		}
	})
	b.Run("GetLogEvents-tail100", func(b *testing.B) {
		for b.Loop() {
			get(b, &cwl.GetLogEventsInput{})
		}
	})
	b.Run("FilterLogEvents-100k-nomatch", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("bench"), FilterPattern: aws.String("nomatch")}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
