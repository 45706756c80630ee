package jsonrpc_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/protocol/jsonrpc"
)

// The SQS operations current SDKs call most, over JSON: the hot path.

const sendMessageBody = `{"QueueUrl":"http://127.0.0.1:4566/000000000000/bench-queue","MessageBody":"` +
	`{\"orderId\":12345,\"items\":[{\"sku\":\"A-1\",\"qty\":2},{\"sku\":\"B-7\",\"qty\":1}],\"note\":\"deliver after 5pm\"}",` +
	`"DelaySeconds":0,"MessageAttributes":{"trace":{"DataType":"String","StringValue":"abc-123-def"},` +
	`"priority":{"DataType":"Number","StringValue":"5"}}}`

func deleteBatchBody() string {
	var b strings.Builder
	b.WriteString(`{"QueueUrl":"http://127.0.0.1:4566/000000000000/bench-queue","Entries":[`)
	for i := range 10 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Id":"m%d","ReceiptHandle":"AQEB%060d"}`, i, i)
	}
	b.WriteString("]}")
	return b.String()
}

func receiveOutput() *sqs.ReceiveMessageResult {
	out := &sqs.ReceiveMessageResult{}
	for i := range 10 {
		out.Messages = append(out.Messages, &sqs.Message{
			MessageId:              api.String(fmt.Sprintf("5fea7756-0ea4-451a-a703-a558b933e27%d", i)),
			ReceiptHandle:          api.String(fmt.Sprintf("AQEB%080d", i)),
			MD5OfBody:              api.String("fafb00f5732ab283681e124bf8747ed1"),
			Body:                   api.String(`{"orderId":12345,"items":[{"sku":"A-1","qty":2}],"note":"deliver after 5pm"}`),
			Attributes:             map[string]string{"SentTimestamp": "1700000000000", "ApproximateReceiveCount": "1"},
			MD5OfMessageAttributes: api.String("d25a6aea97eb8f585bfa92d314504a92"),
			MessageAttributes: map[string]*sqs.MessageAttributeValue{
				"trace": {DataType: api.String("String"), StringValue: api.String("abc-123-def")},
			},
		})
	}
	return out
}

func benchDecode[T any](b *testing.B, target, body string) {
	c := call(target, body)
	if err := (jsonrpc.Codec{}).Resolve(c); err != nil {
		b.Fatal(err)
	}
	b.Run("fogbank", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var in T
			if err := (jsonrpc.Codec{}).Decode(c, &in); err != nil {
				b.Fatal(err)
			}
		}
	})
	// encoding/json into the same struct, as a yardstick (it happens to
	// work for SQS because Go field names equal the JSON keys).
	b.Run("stdlib", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var in T
			if err := json.Unmarshal(c.Body, &in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecodeSendMessage(b *testing.B) {
	benchDecode[sqs.SendMessageRequest](b, "AmazonSQS.SendMessage", sendMessageBody)
}

func BenchmarkDecodeDeleteMessageBatch(b *testing.B) {
	benchDecode[sqs.DeleteMessageBatchRequest](b, "AmazonSQS.DeleteMessageBatch", deleteBatchBody())
}

// discard is a ResponseWriter that keeps nothing but the headers.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func BenchmarkEncodeReceiveMessage(b *testing.B) {
	c := call("AmazonSQS.ReceiveMessage", "{}")
	if err := (jsonrpc.Codec{}).Resolve(c); err != nil {
		b.Fatal(err)
	}
	out := receiveOutput()
	w := &discard{h: http.Header{}}
	b.Run("fogbank", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := (jsonrpc.Codec{}).Encode(w, c, out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkEncodeError(b *testing.B) {
	c := call("AmazonSQS.SendMessage", "{}")
	e := sqs.NewQueueDoesNotExist("The specified queue does not exist.")
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		jsonrpc.Codec{}.EncodeError(w, c, e)
	}
}
