package sqs_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

func TestQueueAttributes(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("attrs", nil)
	a := e.attrs(url)
	want := map[string]string{
		"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesDelayed": "0", "ApproximateNumberOfMessagesNotVisible": "0",
		"DelaySeconds": "0", "MaximumMessageSize": "1048576", "MessageRetentionPeriod": "345600",
		"QueueArn": "arn:aws:sqs:us-east-1:000000000000:attrs", "ReceiveMessageWaitTimeSeconds": "0",
		"SqsManagedSseEnabled": "true", "VisibilityTimeout": "30",
	}
	for k, v := range want {
		if a[k] != v {
			t.Errorf("%s = %q, want %q", k, a[k], v)
		}
	}
	if a["CreatedTimestamp"] == "" || a["LastModifiedTimestamp"] == "" || len(a) != len(want)+2 {
		t.Errorf("attributes %v", a)
	}
	set := func(attrs map[string]string) error {
		_, err := e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(url), Attributes: attrs})
		return err
	}
	errTests := []struct {
		attrs     map[string]string
		code, msg string
	}{
		{map[string]string{"VisibilityTimeout": "43201"}, "InvalidAttributeValue", "Invalid value for the parameter VisibilityTimeout."},
		{map[string]string{"DelaySeconds": "x"}, "InvalidAttributeValue", "Invalid value for the parameter DelaySeconds."},
		{map[string]string{"FifoQueue": "true"}, "InvalidAttributeName", "Unknown Attribute FifoQueue."},
		{map[string]string{"ContentBasedDeduplication": "true"}, "InvalidAttributeName", "Unknown Attribute ContentBasedDeduplication."},
		{map[string]string{"DeduplicationScope": "queue"}, "InvalidAttributeName", "You can specify the DeduplicationScope only when FifoQueue is set to true."},
		{map[string]string{"KmsMasterKeyId": "k", "SqsManagedSseEnabled": "true"}, "InvalidAttributeName", "You can use one type of server-side encryption (SSE) at one time."},
	}
	for _, tc := range errTests {
		wantCode(t, set(tc.attrs), tc.code, tc.msg)
	}
	if err := set(map[string]string{"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000", "VisibilityTimeout": "69"}); err != nil {
		t.Fatal(err)
	}
	a = e.attrs(url)
	if a["KmsMasterKeyId"] != "testKeyId" || a["KmsDataKeyReusePeriodSeconds"] != "6000" || a["SqsManagedSseEnabled"] != "false" || a["VisibilityTimeout"] != "69" {
		t.Errorf("after set %v", a)
	}
	if err := set(map[string]string{"SqsManagedSseEnabled": "true"}); err != nil {
		t.Fatal(err)
	}
	if a = e.attrs(url); a["KmsMasterKeyId"] != "" || a["SqsManagedSseEnabled"] != "true" {
		t.Errorf("after SQS SSE %v", a)
	}
	fifo := e.createQueue("attrs.fifo", map[string]string{"FifoQueue": "true"})
	if a := e.attrs(fifo); a["FifoQueue"] != "true" || a["DeduplicationScope"] != "queue" || a["FifoThroughputLimit"] != "perQueue" || a["ContentBasedDeduplication"] != "false" {
		t.Errorf("FIFO attributes %v", a)
	}
}

func TestCreateQueueRules(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("same", map[string]string{"DelaySeconds": "5"})
	if again := e.createQueue("same", map[string]string{"DelaySeconds": "5"}); again != url {
		t.Fatalf("re-create returned %s", again)
	}
	_, err := e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("same"), Attributes: map[string]string{"DelaySeconds": "6"}})
	wantCode(t, err, "QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute DelaySeconds")
	_, err = e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("bad name")})
	wantCode(t, err, "InvalidParameterValue", "Can only include alphanumeric characters")
	_, err = e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("nofifo"), Attributes: map[string]string{"FifoQueue": "true"}})
	wantCode(t, err, "InvalidParameterValue", "must end with .fifo suffix")

	if _, err := e.c.DeleteQueue(e.ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.GetQueueUrl(e.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("same")})
	wantCode(t, err, "AWS.SimpleQueueService.NonExistentQueue", "does not exist")
	_, err = e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("same")})
	wantCode(t, err, "AWS.SimpleQueueService.QueueDeletedRecently", "You must wait 60 seconds")
	e.srv.Advance(t, 60*time.Second)
	e.createQueue("same", nil)
}

func TestListQueuesAndURLs(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"p-0", "p-1", "p-2", "other"} {
		e.createQueue(n, nil)
	}
	out, err := e.c.ListQueues(e.ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String("p-"), MaxResults: aws.Int32(2)})
	if err != nil || len(out.QueueUrls) != 2 || out.NextToken == nil || !strings.HasSuffix(out.QueueUrls[1], "/p-1") {
		t.Fatalf("first page %+v %v", out, err)
	}
	out, err = e.c.ListQueues(e.ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String("p-"), MaxResults: aws.Int32(2), NextToken: out.NextToken})
	if err != nil || len(out.QueueUrls) != 1 || out.NextToken != nil || !strings.HasSuffix(out.QueueUrls[0], "/p-2") {
		t.Fatalf("second page %+v %v", out, err)
	}
	all, _ := e.c.ListQueues(e.ctx, &sqs.ListQueuesInput{})
	if len(all.QueueUrls) != 4 || all.NextToken != nil {
		t.Fatalf("all %v", all.QueueUrls)
	}
	// Another account's queue, by owner; and a queue URL in the
	// sqs.<region>.<host> form resolves to the same queue.
	other := sqs.NewFromConfig(e.srv.AWSConfigFor("111111111111", "us-east-1"))
	if _, err := other.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("theirs")}); err != nil {
		t.Fatal(err)
	}
	u, err := e.c.GetQueueUrl(e.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("theirs"), QueueOwnerAWSAccountId: aws.String("111111111111")})
	if err != nil || !strings.HasSuffix(*u.QueueUrl, "/111111111111/theirs") {
		t.Fatalf("GetQueueUrl %v %v", u, err)
	}
	alt := "http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/p-0"
	e.send(alt, "via-other-host")
	if c := e.counts(alt); c != [3]int{1, 0, 0} {
		t.Fatalf("counts via the sqs.<region> URL %v", c)
	}
}

func TestTagsAndPermissions(t *testing.T) {
	e := newEnv(t)
	url := e.createQueue("tagged", nil)
	if _, err := e.c.TagQueue(e.ctx, &sqs.TagQueueInput{QueueUrl: aws.String(url), Tags: map[string]string{"a": "1", "b": ""}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.UntagQueue(e.ctx, &sqs.UntagQueueInput{QueueUrl: aws.String(url), TagKeys: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := e.c.ListQueueTags(e.ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(url)})
	if err != nil || len(tags.Tags) != 1 || tags.Tags["b"] != "" {
		t.Fatalf("tags %v %v", tags, err)
	}
	add := func(label string) error {
		_, err := e.c.AddPermission(e.ctx, &sqs.AddPermissionInput{QueueUrl: aws.String(url), Label: aws.String(label),
			AWSAccountIds: []string{"111111111111"}, Actions: []string{"ReceiveMessage"}})
		return err
	}
	if err := add("p1"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, add("p1"), "InvalidParameterValue", "Value p1 for parameter Label is invalid. Reason: Already exists.")
	var policy struct {
		Id        string
		Statement []struct{ Sid, Action, Resource string }
	}
	if err := json.Unmarshal([]byte(e.attrs(url)["Policy"]), &policy); err != nil {
		t.Fatal(err)
	}
	if policy.Id != "arn:aws:sqs:us-east-1:000000000000:tagged/SQSDefaultPolicy" || len(policy.Statement) != 1 || policy.Statement[0].Action != "SQS:ReceiveMessage" {
		t.Fatalf("policy %+v", policy)
	}
	if _, err := e.c.RemovePermission(e.ctx, &sqs.RemovePermissionInput{QueueUrl: aws.String(url), Label: aws.String("p1")}); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.attrs(url)["Policy"]; ok {
		t.Fatal("the policy stayed after its last statement was removed")
	}
	_, err = e.c.RemovePermission(e.ctx, &sqs.RemovePermissionInput{QueueUrl: aws.String(url), Label: aws.String("p1")})
	wantCode(t, err, "InvalidParameterValue", "can't find label.")
}

func TestInspection(t *testing.T) {
	e := newEnv(t)
	q := e.createQueue("inspect", nil)
	e.send(q, "one")
	e.send(q, "two")
	e.receive(q, 1)
	get := func() []map[string]any {
		resp, err := http.Get(e.srv.URL() + "/_fogbank/sqs/messages?QueueUrl=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var out struct{ Messages []map[string]any }
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		return out.Messages
	}
	ms := get()
	if len(ms) != 2 || ms[0]["Body"] != "one" || ms[0]["State"] != "inflight" || ms[1]["State"] != "ready" {
		t.Fatalf("inspection %v", ms)
	}
	get()
	if c := e.counts(q); c != [3]int{1, 1, 0} {
		t.Fatalf("inspection changed the queue: %v", c)
	}
}

// TestGetQueueAttributesNoneFound: asking for an attribute the queue does
// not have (Policy on a queue without one) answers no Attributes at all, as
// AWS does (recorded get-queue-policy-attribute-after-removal), where
// "Attributes": {} would decode to an empty, non-nil map.
func TestGetQueueAttributesNoneFound(t *testing.T) {
	e := newEnv(t)
	q := e.createQueue("nopolicy", nil)
	out, err := e.c.GetQueueAttributes(e.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNamePolicy}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Attributes != nil {
		t.Errorf("Attributes = %#v, want none (nil)", out.Attributes)
	}
	out, err = e.c.GetQueueAttributes(e.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNamePolicy, types.QueueAttributeNameVisibilityTimeout}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Attributes) != 1 || out.Attributes["VisibilityTimeout"] != "30" {
		t.Errorf("Attributes = %v, want only VisibilityTimeout 30", out.Attributes)
	}
}
