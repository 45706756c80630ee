package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/fogbank/fogbank/bench/internal/benchkit"
)

// body is every message's body: 100 bytes, as small messages are what a
// queue's throughput is quoted in.
var body = fmt.Sprintf("%-100s", "fogbench message body")

// newSQSClient is an aws-sdk-go-v2 SQS client (JSON protocol) for endpoint,
// configured as an application with n concurrent callers would be
// (benchkit.AWSConfig).
func newSQSClient(endpoint string, n int) *sqs.Client {
	return sqs.NewFromConfig(benchkit.AWSConfig(endpoint, n))
}

// createQueue creates a standard queue named name and returns its URL.
func createQueue(ctx context.Context, c *sqs.Client, name string) (string, error) {
	out, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("CreateQueue %s: %w", name, err)
	}
	return aws.ToString(out.QueueUrl), nil
}

// sdkDriver drives one queue through aws-sdk-go-v2.
type sdkDriver struct {
	c       *sqs.Client
	url     string
	entries []types.SendMessageBatchRequestEntry
}

func newSDKDriver(c *sqs.Client, queueURL string) *sdkDriver {
	d := &sdkDriver{c: c, url: queueURL}
	for i := range 10 {
		d.entries = append(d.entries, types.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(body)})
	}
	return d
}

func (d *sdkDriver) send(ctx context.Context) (int, error) {
	_, err := d.c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: &d.url, MessageBody: &body})
	if err != nil {
		return 0, err
	}
	return 1, nil
}

func (d *sdkDriver) sendBatch(ctx context.Context) (int, error) {
	out, err := d.c.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: &d.url, Entries: d.entries})
	if err != nil {
		return 0, err
	}
	if len(out.Failed) > 0 {
		return len(out.Successful), fmt.Errorf("SendMessageBatch: %d failed: %s", len(out.Failed), aws.ToString(out.Failed[0].Code))
	}
	return len(out.Successful), nil
}

func (d *sdkDriver) receiveDelete(ctx context.Context) (int, error) {
	out, err := d.c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &d.url, MaxNumberOfMessages: 10})
	if err != nil || len(out.Messages) == 0 {
		return 0, err
	}
	entries := make([]types.DeleteMessageBatchRequestEntry, len(out.Messages))
	for i, m := range out.Messages {
		entries[i] = types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle}
	}
	del, err := d.c.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &d.url, Entries: entries})
	if err != nil {
		return 0, err
	}
	if len(del.Failed) > 0 {
		return len(del.Successful), fmt.Errorf("DeleteMessageBatch: %d failed: %s", len(del.Failed), aws.ToString(del.Failed[0].Code))
	}
	return len(del.Successful), nil
}
