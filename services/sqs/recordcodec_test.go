package sqs

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/uuid"
)

func TestRecordCodecRoundTrip(t *testing.T) {
	bodies := []*body{
		{ID: uuid.New(), Body: "hello", SentAt: 1764470000123, SenderID: "AKIA", VisibleAt: 1764470000123, MD5Body: "5d41402abc4b2a76b9719d911017c592"},
		{ID: uuid.New(), Body: "", TraceHeader: "Root=1", SentAt: -5, SenderID: "123456789012", GroupID: "g", DedupID: "d",
			Seq: 1 << 60, DLQSource: "arn:aws:sqs:us-east-1:123456789012:src", VisibleAt: 9, MD5Body: "x", MD5Attrs: "y", MD5Sys: "z",
			Attrs: map[string]*sqsapi.MessageAttributeValue{
				"s":     {DataType: api.String("String"), StringValue: api.String("v")},
				"b":     {DataType: api.String("Binary"), BinaryValue: []byte{0, 1, 2}},
				"empty": {DataType: api.String("Binary"), BinaryValue: []byte{}},
				"lists": {StringListValues: []string{"a", ""}, BinaryListValues: [][]byte{{1}, {}}},
				"nil":   nil,
			}},
	}
	for _, m := range bodies {
		got, err := decodeBody(encodeBody(m))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("body round trip:\n got %+v\nwant %+v", got, m)
		}
		enc := encodeBody(m)
		for i := range len(enc) {
			if _, err := decodeBody(enc[:i]); err == nil {
				t.Errorf("decodeBody accepted a record cut at %d of %d bytes", i, len(enc))
			}
		}
	}
	for _, st := range []msgStatus{{}, {ReceiveCount: 3, FirstReceive: 1764470000123, VisibleAt: 1764470030123, Token: "tok"}} {
		got, err := decodeStatus(encodeStatus(st))
		if err != nil || got != st {
			t.Errorf("status round trip: got %+v, %v; want %+v", got, err, st)
		}
	}
}

func TestMsgKey(t *testing.T) {
	for _, kind := range []byte{kindBody, kindStatus} {
		k := msgKey(kind, 42, 1<<40+7)
		gk, qid, n, ok := parseMsgKey(k)
		if !ok || gk != kind || qid != 42 || n != 1<<40+7 {
			t.Errorf("parseMsgKey(msgKey(%c, 42, 1<<40+7)) = %c, %d, %d, %v", kind, gk, qid, n, ok)
		}
	}
	// Record numbers that grow make keys that grow (records.go: why).
	if bytes.Compare(bodyKey(3, 255), bodyKey(3, 256)) >= 0 {
		t.Error("message keys do not sort by record number")
	}
	if _, _, _, ok := parseMsgKey(queueRecordKey(queueKey{"123456789012", "us-east-1", "q"})); ok {
		t.Error("parseMsgKey accepted a queue record key")
	}
}
