package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// rawDriver replays pre-built JSON-protocol requests: bodies built once,
// X-Amz-Target, and a static Authorization header (no signing; servers that
// verify signatures would refuse it), over a keep-alive net/http client.
// Only DeleteMessageBatch is built per call, from the receipt handles
// ReceiveMessage returned. What it measures is close to the server's own
// ceiling: the client does almost no work.
type rawDriver struct {
	client                       *http.Client
	endpoint                     string
	sendBody, batchBody, rcvBody []byte
	delPrefix                    []byte
}

func newRawDriver(endpoint, queueURL string, n int) *rawDriver {
	tr := &http.Transport{
		MaxIdleConns:        2 * n,
		MaxIdleConnsPerHost: 2 * n,
		DisableCompression:  true,
	}
	q, _ := json.Marshal(queueURL)
	b, _ := json.Marshal(body)
	d := &rawDriver{client: &http.Client{Transport: tr, Timeout: 30 * time.Second}, endpoint: endpoint}
	d.sendBody = fmt.Appendf(nil, `{"QueueUrl":%s,"MessageBody":%s}`, q, b)
	d.batchBody = fmt.Appendf(nil, `{"QueueUrl":%s,"Entries":[`, q)
	for i := range 10 {
		if i > 0 {
			d.batchBody = append(d.batchBody, ',')
		}
		d.batchBody = fmt.Appendf(d.batchBody, `{"Id":"%d","MessageBody":%s}`, i, b)
	}
	d.batchBody = append(d.batchBody, "]}"...)
	d.rcvBody = fmt.Appendf(nil, `{"QueueUrl":%s,"MaxNumberOfMessages":10,"WaitTimeSeconds":0}`, q)
	d.delPrefix = fmt.Appendf(nil, `{"QueueUrl":%s,"Entries":[`, q)
	return d
}

func (d *rawDriver) close() { d.client.CloseIdleConnections() }

// do posts body as operation op and returns the answer when it is a 200.
func (d *rawDriver) do(ctx context.Context, op string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", d.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	h := req.Header
	h["Content-Type"] = []string{"application/x-amz-json-1.0"}
	h["X-Amz-Target"] = []string{"AmazonSQS." + op}
	h["X-Amz-Date"] = []string{"20261130T000000Z"}
	h["Authorization"] = []string{rawAuth}
	h["User-Agent"] = []string{"sqsbench-raw"}
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d: %.200s", op, resp.StatusCode, answer)
	}
	return answer, nil
}

const rawAuth = "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/sqs/aws4_request, " +
	"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000"

func (d *rawDriver) send(ctx context.Context) (int, error) {
	if _, err := d.do(ctx, "SendMessage", d.sendBody); err != nil {
		return 0, err
	}
	return 1, nil
}

var messageIDKey = []byte(`"MessageId"`)

func (d *rawDriver) sendBatch(ctx context.Context) (int, error) {
	answer, err := d.do(ctx, "SendMessageBatch", d.batchBody)
	if err != nil {
		return 0, err
	}
	// Each successful entry carries a MessageId; failed ones do not.
	if n := bytes.Count(answer, messageIDKey); n != 10 {
		return n, fmt.Errorf("SendMessageBatch: %d of 10 succeeded: %.200s", n, answer)
	}
	return 10, nil
}

type rawReceived struct {
	Messages []struct{ ReceiptHandle string }
}

type rawDeleted struct {
	Successful []struct{ Id string }
	Failed     []struct{ Id, Code string }
}

func (d *rawDriver) receiveDelete(ctx context.Context) (int, error) {
	answer, err := d.do(ctx, "ReceiveMessage", d.rcvBody)
	if err != nil {
		return 0, err
	}
	var got rawReceived
	if err := json.Unmarshal(answer, &got); err != nil {
		return 0, fmt.Errorf("ReceiveMessage: %w: %.200s", err, answer)
	}
	if len(got.Messages) == 0 {
		return 0, nil
	}
	del := make([]byte, 0, len(d.delPrefix)+len(got.Messages)*(len(got.Messages[0].ReceiptHandle)+40))
	del = append(del, d.delPrefix...)
	for i, m := range got.Messages {
		if i > 0 {
			del = append(del, ',')
		}
		del = append(del, `{"Id":"`...)
		del = strconv.AppendInt(del, int64(i), 10)
		del = append(del, `","ReceiptHandle":`...)
		del = strconv.AppendQuote(del, m.ReceiptHandle) // handles are ASCII: a Go quote is a JSON string
		del = append(del, '}')
	}
	del = append(del, "]}"...)
	answer, err = d.do(ctx, "DeleteMessageBatch", del)
	if err != nil {
		return 0, err
	}
	var out rawDeleted
	if err := json.Unmarshal(answer, &out); err != nil {
		return 0, fmt.Errorf("DeleteMessageBatch: %w: %.200s", err, answer)
	}
	if len(out.Failed) > 0 {
		return len(out.Successful), fmt.Errorf("DeleteMessageBatch: %d failed: %s", len(out.Failed), out.Failed[0].Code)
	}
	return len(out.Successful), nil
}
