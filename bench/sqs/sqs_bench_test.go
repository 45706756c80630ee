// Package sqs_test benchmarks Fogbank's SQS in-process, so that a CPU
// profile shows where the server's time goes (the fogbank binary has no
// pprof endpoint):
//
//	go test ./bench/sqs -run '^$' -bench 'SQS/durable/send$' -cpuprofile /tmp/sqs.prof
//	go tool pprof -top -cum /tmp/sqs.prof
//
// Requests are pre-built JSON bodies posted over keep-alive connections, as
// sqsbench's raw mode sends them, so the client's share of the profile is
// small. 16 concurrent callers.
package sqs_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"testing"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
)

const callers = 16

func BenchmarkSQS(b *testing.B) {
	for _, mode := range []string{"memory", "durable"} {
		b.Run(mode, func(b *testing.B) {
			srv := fogbanktest.Start(b, fogbanktest.WithOptions(func(o *fogbank.Options) {
				o.Logger = slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}))
				if mode == "durable" {
					o.Memory = false
					o.DataDir = b.TempDir()
				}
			}))
			c := newClient(srv.URL())
			b.Run("send", func(b *testing.B) {
				q := c.createQueue(b, "send")
				body := fmt.Appendf(nil, `{"QueueUrl":%q,"MessageBody":%q}`, q, msgBody)
				parallel(b, func() { c.must(b, "SendMessage", body) })
			})
			b.Run("batch", func(b *testing.B) {
				q := c.createQueue(b, "batch")
				body := batchBody(q)
				parallel(b, func() { c.must(b, "SendMessageBatch", body) })
				b.ReportMetric(float64(b.N*10)/b.Elapsed().Seconds(), "msgs/s")
			})
			b.Run("receive-delete", func(b *testing.B) {
				q := c.createQueue(b, "rcv")
				body := batchBody(q)
				for range b.N + callers {
					c.must(b, "SendMessageBatch", body)
				}
				rcv := fmt.Appendf(nil, `{"QueueUrl":%q,"MaxNumberOfMessages":10}`, q)
				b.ResetTimer()
				parallel(b, func() {
					var got struct {
						Messages []struct{ ReceiptHandle string }
					}
					if err := json.Unmarshal(c.must(b, "ReceiveMessage", rcv), &got); err != nil {
						b.Fatal(err)
					}
					if len(got.Messages) == 0 {
						return
					}
					del := fmt.Appendf(nil, `{"QueueUrl":%q,"Entries":[`, q)
					for i, m := range got.Messages {
						if i > 0 {
							del = append(del, ',')
						}
						del = fmt.Appendf(del, `{"Id":"%d","ReceiptHandle":%q}`, i, m.ReceiptHandle)
					}
					del = append(del, "]}"...)
					c.must(b, "DeleteMessageBatch", del)
				})
			})
		})
	}
}

var msgBody = fmt.Sprintf("%-100s", "fogbench message body")

func batchBody(q string) []byte {
	body := fmt.Appendf(nil, `{"QueueUrl":%q,"Entries":[`, q)
	for i := range 10 {
		if i > 0 {
			body = append(body, ',')
		}
		body = fmt.Appendf(body, `{"Id":"%d","MessageBody":%q}`, i, msgBody)
	}
	return append(body, "]}"...)
}

// parallel runs f b.N times from callers goroutines.
func parallel(b *testing.B, f func()) {
	b.SetParallelism((callers + 1) / 2) // × GOMAXPROCS (2 here)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			f()
		}
	})
}

type client struct {
	url string
	hc  *http.Client
}

func newClient(url string) *client {
	return &client{url: url, hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4 * callers, MaxIdleConns: 4 * callers}}}
}

func (c *client) createQueue(b *testing.B, name string) string {
	var out struct{ QueueUrl string }
	if err := json.Unmarshal(c.must(b, "CreateQueue", []byte(`{"QueueName":`+strconv.Quote(name)+`}`)), &out); err != nil {
		b.Fatal(err)
	}
	return out.QueueUrl
}

// must posts body as op and returns the 200 answer.
func (c *client) must(b *testing.B, op string, body []byte) []byte {
	req, _ := http.NewRequest("POST", c.url+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AmazonSQS."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := c.hc.Do(req)
	if err != nil {
		b.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: HTTP %d: %s", op, resp.StatusCode, answer)
	}
	return answer
}
