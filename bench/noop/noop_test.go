package main

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func post(t *testing.T, srv *httptest.Server, header map[string]string, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/", strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestJSON(t *testing.T) {
	srv := httptest.NewServer(New())
	defer srv.Close()
	call := func(op, in string, out any) {
		t.Helper()
		status, b := post(t, srv, map[string]string{
			"X-Amz-Target": "AmazonSQS." + op, "Content-Type": "application/x-amz-json-1.0"}, in)
		if status != 200 {
			t.Fatalf("%s: HTTP %d: %s", op, status, b)
		}
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %v: %s", op, err, b)
		}
	}
	var sent struct{ MessageId, MD5OfMessageBody string }
	call("SendMessage", `{"QueueUrl":"q","MessageBody":"hello"}`, &sent)
	if sent.MD5OfMessageBody != "5d41402abc4b2a76b9719d911017c592" || sent.MessageId == "" {
		t.Errorf("SendMessage = %+v", sent)
	}
	var batch struct {
		Successful []struct{ Id, MessageId, MD5OfMessageBody string }
		Failed     []any
	}
	call("SendMessageBatch", `{"QueueUrl":"q","Entries":[{"Id":"a","MessageBody":"hello"},{"Id":"b","MessageBody":""}]}`, &batch)
	if len(batch.Successful) != 2 || batch.Successful[0].Id != "a" ||
		batch.Successful[0].MD5OfMessageBody != "5d41402abc4b2a76b9719d911017c592" ||
		batch.Successful[1].MD5OfMessageBody != "d41d8cd98f00b204e9800998ecf8427e" || batch.Failed == nil {
		t.Errorf("SendMessageBatch = %+v", batch)
	}
	var recv struct {
		Messages []struct{ MessageId, ReceiptHandle, MD5OfBody, Body string }
	}
	call("ReceiveMessage", `{"QueueUrl":"q","MaxNumberOfMessages":10}`, &recv)
	if len(recv.Messages) != 10 || recv.Messages[0].MD5OfBody != md5hex(recv.Messages[0].Body) || recv.Messages[0].ReceiptHandle == "" {
		t.Errorf("ReceiveMessage = %+v", recv)
	}
	var del struct{ Successful []struct{ Id string } }
	call("DeleteMessageBatch", `{"QueueUrl":"q","Entries":[{"Id":"x","ReceiptHandle":"rh"}]}`, &del)
	if len(del.Successful) != 1 || del.Successful[0].Id != "x" {
		t.Errorf("DeleteMessageBatch = %+v", del)
	}
	status, b := post(t, srv, map[string]string{"X-Amz-Target": "AmazonSQS.PurgeQueue"}, `{}`)
	if status != 400 || !strings.Contains(string(b), "UnsupportedOperation") {
		t.Errorf("PurgeQueue: HTTP %d %s, want 400 UnsupportedOperation", status, b)
	}
}

func TestQuery(t *testing.T) {
	srv := httptest.NewServer(New())
	defer srv.Close()
	call := func(form url.Values, out any) {
		t.Helper()
		form.Set("Version", "2012-11-05")
		status, b := post(t, srv, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form.Encode())
		if status != 200 {
			t.Fatalf("%s: HTTP %d: %s", form.Get("Action"), status, b)
		}
		if err := xml.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %v: %s", form.Get("Action"), err, b)
		}
	}
	var sent struct {
		Result struct{ MessageId, MD5OfMessageBody string } `xml:"SendMessageResult"`
		ID     string                                       `xml:"ResponseMetadata>RequestId"`
	}
	call(url.Values{"Action": {"SendMessage"}, "MessageBody": {"hello"}}, &sent)
	if sent.Result.MD5OfMessageBody != "5d41402abc4b2a76b9719d911017c592" || sent.Result.MessageId == "" || sent.ID == "" {
		t.Errorf("SendMessage = %+v", sent)
	}
	var batch struct {
		Entries []struct{ Id, MessageId, MD5OfMessageBody string } `xml:"SendMessageBatchResult>SendMessageBatchResultEntry"`
	}
	call(url.Values{"Action": {"SendMessageBatch"},
		"SendMessageBatchRequestEntry.1.Id": {"a"}, "SendMessageBatchRequestEntry.1.MessageBody": {"hello"},
		"SendMessageBatchRequestEntry.2.Id": {"b"}, "SendMessageBatchRequestEntry.2.MessageBody": {"x"}}, &batch)
	if len(batch.Entries) != 2 || batch.Entries[1].Id != "b" || batch.Entries[0].MD5OfMessageBody != "5d41402abc4b2a76b9719d911017c592" {
		t.Errorf("SendMessageBatch = %+v", batch)
	}
	var recv struct {
		Messages []struct{ MessageId, ReceiptHandle, MD5OfBody, Body string } `xml:"ReceiveMessageResult>Message"`
	}
	call(url.Values{"Action": {"ReceiveMessage"}, "MaxNumberOfMessages": {"3"}}, &recv)
	if len(recv.Messages) != 3 || recv.Messages[2].MD5OfBody != md5hex(Body) || recv.Messages[2].Body != Body {
		t.Errorf("ReceiveMessage = %+v", recv)
	}
	var del struct {
		Entries []struct{ Id string } `xml:"DeleteMessageBatchResult>DeleteMessageBatchResultEntry"`
	}
	call(url.Values{"Action": {"DeleteMessageBatch"},
		"DeleteMessageBatchRequestEntry.1.Id": {"x"}, "DeleteMessageBatchRequestEntry.1.ReceiptHandle": {"rh"}}, &del)
	if len(del.Entries) != 1 || del.Entries[0].Id != "x" {
		t.Errorf("DeleteMessageBatch = %+v", del)
	}
}
