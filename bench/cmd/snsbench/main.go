// Command snsbench measures SNS publishing side by side with moto's server
// and replaces the "## SNS" section of bench/RESULTS.md (appending it when
// absent; other sections are left as they are):
//
//   - publish throughput (Publish calls answered per second, aws-sdk-go-v2,
//     16 workers) to a topic with 1, 10 and 100 SQS subscriptions, so each
//     publish is 1, 10 or 100 deliveries; Fogbank delivers to SQS before
//     Publish answers, so a publish/s figure is that many deliveries made
//     durable (durable mode) per second;
//   - publish-to-visible latency: one publisher, one subscribed queue, the
//     time from sending Publish to the message being returned by a
//     ReceiveMessage polled in a tight loop; p50 and p99.
//
// Servers: Fogbank durable (its default), Fogbank --memory, and moto
// (python3 -m moto.server) with -moto.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/fogbank/fogbank/bench/internal/benchkit"
	"github.com/fogbank/fogbank/bench/peer"
)

type target struct {
	name     string
	proc     *peer.Proc
	duration time.Duration
	samples  int
	err      string
	tput     map[int]float64 // fan-out → publishes/s
	p50, p99 time.Duration
}

func main() {
	var (
		fogbankBin = flag.String("fogbank", "", "fogbank binary")
		withMoto   = flag.Bool("moto", false, "also measure moto's server")
		fanouts    = flag.String("fanout", "1,10,100", "subscriptions per topic")
		workers    = flag.Int("workers", 16, "concurrent publishers")
		duration   = flag.Duration("duration", 2*time.Second, "length of each throughput phase")
		motoDur    = flag.Duration("moto-duration", 2*time.Second, "length of each phase against moto")
		samples    = flag.Int("samples", 300, "latency samples")
		motoSamp   = flag.Int("moto-samples", 50, "latency samples against moto")
		commit     = flag.String("commit", "", "commit the binary was built from")
		out        = flag.String("out", "", "RESULTS.md to update (default stdout)")
	)
	flag.Parse()
	fs, err := benchkit.Counts(*fanouts)
	if err != nil {
		log.Fatalf("snsbench: -fanout: %v", err)
	}
	load := benchkit.LoadAvg1()
	dir, err := os.MkdirTemp("", "snsbench-data-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var ts []*target
	for _, s := range peer.Lineup(*fogbankBin, dir, *withMoto, "--log-level", "error") {
		if s.Moto {
			ts = append(ts, start(s.Name, *motoDur, *motoSamp, s.Start))
		} else {
			ts = append(ts, start(s.Name, *duration, *samples, s.Start))
		}
	}
	for _, t := range ts {
		if t.proc == nil {
			continue
		}
		for _, n := range fs {
			r, err := throughput(t, n, *workers)
			if err != nil {
				t.err = err.Error()
				break
			}
			t.tput[n] = r
			log.Printf("%s fan-out %d: %.0f publishes/s", t.name, n, r)
		}
		if t.err == "" {
			if err := latency(t); err != nil {
				t.err = err.Error()
			}
			log.Printf("%s latency p50 %v p99 %v", t.name, t.p50, t.p99)
		}
		t.proc.Stop()
	}
	section := report(ts, fs, *workers, *commit, load)
	if *out == "" {
		fmt.Print(section)
		return
	}
	if err := benchkit.WriteSection(*out, section); err != nil {
		log.Fatalf("snsbench: %v", err)
	}
}

func start(name string, d time.Duration, samples int, f func() (*peer.Proc, error)) *target {
	t := &target{name: name, duration: d, samples: samples, tput: map[int]float64{}}
	p, err := f()
	if err != nil {
		t.err = err.Error()
		return t
	}
	t.proc = p
	return t
}

// clients are SNS and SQS clients for url with n concurrent callers
// (benchkit.AWSConfig).
func clients(url string, n int) (*sns.Client, *sqs.Client) {
	cfg := benchkit.AWSConfig(url, n)
	return sns.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
}

// setup creates a topic with n subscribed queues; it returns the topic ARN
// and the queue URLs.
func setup(ctx context.Context, sc *sns.Client, qc *sqs.Client, name string, n int) (string, []string, error) {
	t, err := sc.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(name)})
	if err != nil {
		return "", nil, fmt.Errorf("CreateTopic: %w", err)
	}
	var urls []string
	for i := range n {
		q, err := qc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(fmt.Sprintf("%s-%d", name, i))})
		if err != nil {
			return "", nil, fmt.Errorf("CreateQueue: %w", err)
		}
		a, err := qc.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
		if err != nil {
			return "", nil, fmt.Errorf("GetQueueAttributes: %w", err)
		}
		if _, err := sc.Subscribe(ctx, &sns.SubscribeInput{TopicArn: t.TopicArn, Protocol: aws.String("sqs"),
			Endpoint: aws.String(a.Attributes["QueueArn"]), Attributes: map[string]string{"RawMessageDelivery": "true"}}); err != nil {
			return "", nil, fmt.Errorf("Subscribe: %w", err)
		}
		urls = append(urls, *q.QueueUrl)
	}
	return *t.TopicArn, urls, nil
}

var body = fmt.Sprintf("%-100s", "snsbench message body")

func throughput(t *target, fanout, workers int) (float64, error) {
	ctx := context.Background()
	sc, qc := clients(t.proc.URL, workers)
	topic, _, err := setup(ctx, sc, qc, fmt.Sprintf("tput%d", fanout), fanout)
	if err != nil {
		return 0, err
	}
	var n atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(t.duration)
	begin := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := sc.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(body)}); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if e := firstErr.Load(); e != nil {
		return 0, fmt.Errorf("Publish: %v", e)
	}
	return float64(n.Load()) / time.Since(begin).Seconds(), nil
}

func latency(t *target) error {
	ctx := context.Background()
	sc, qc := clients(t.proc.URL, 2)
	topic, urls, err := setup(ctx, sc, qc, "latency", 1)
	if err != nil {
		return err
	}
	var ds []time.Duration
	for range t.samples {
		begin := time.Now()
		if _, err := sc.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(body)}); err != nil {
			return fmt.Errorf("Publish: %w", err)
		}
		for {
			out, err := qc.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(urls[0]), MaxNumberOfMessages: 1})
			if err != nil {
				return fmt.Errorf("ReceiveMessage: %w", err)
			}
			if len(out.Messages) == 1 {
				ds = append(ds, time.Since(begin))
				if _, err := qc.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(urls[0]), ReceiptHandle: out.Messages[0].ReceiptHandle}); err != nil {
					return fmt.Errorf("DeleteMessage: %w", err)
				}
				break
			}
			if time.Since(begin) > 30*time.Second {
				return fmt.Errorf("message not visible after 30s")
			}
		}
	}
	t.p50, t.p99 = benchkit.Percentile(ds, 50), benchkit.Percentile(ds, 99)
	return nil
}

func report(ts []*target, fs []int, workers int, commit, load string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## SNS\n\n")
	fmt.Fprintf(&b, "`bench/cmd/snsbench` (%s, %s, load average %s before the run; commit %s). Publish throughput: Publish calls answered per second by %d aws-sdk-go-v2 workers, "+
		"to a topic with N raw SQS subscriptions (each publish is N deliveries; Fogbank makes them durable in the queues before Publish answers). "+
		"Latency: one publisher, Publish sent → message returned by ReceiveMessage polled in a loop, one subscription.\n\n",
		time.Now().UTC().Format("2006-01-02"), benchkit.CPUs(), load, commit, workers)
	b.WriteString("| server |")
	for _, n := range fs {
		fmt.Fprintf(&b, " fan-out %d (publishes/s) |", n)
	}
	b.WriteString(" publish→visible p50 | p99 |\n|---|")
	for range fs {
		b.WriteString("---:|")
	}
	b.WriteString("---:|---:|\n")
	for _, t := range ts {
		fmt.Fprintf(&b, "| %s |", t.name)
		for _, n := range fs {
			if r, ok := t.tput[n]; ok {
				fmt.Fprintf(&b, " %.0f (%.0f deliveries/s) |", r, r*float64(n))
			} else {
				b.WriteString(" — |")
			}
		}
		if t.p50 > 0 {
			fmt.Fprintf(&b, " %s | %s |\n", ms(t.p50), ms(t.p99))
		} else {
			b.WriteString(" — | — |\n")
		}
	}
	for _, t := range ts {
		if t.err != "" {
			fmt.Fprintf(&b, "\n%s: %s\n", t.name, t.err)
		}
	}
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
