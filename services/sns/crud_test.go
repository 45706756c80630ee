package sns_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
	snsapi "github.com/fogbank/fogbank/internal/api/sns"
	"github.com/fogbank/fogbank/internal/service"
	snssvc "github.com/fogbank/fogbank/services/sns"
	"github.com/fogbank/fogbank/services/sqs"
	"github.com/fogbank/fogbank/services/sts"
)

func TestTopicAttributesAsRecorded(t *testing.T) {
	e := newEnv(t)
	arn := e.topic("attrs", nil)
	out, err := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	a := out.Attributes
	// test_topic_get_attributes_with_fifo_false: these keys and no others.
	want := []string{"DisplayName", "EffectiveDeliveryPolicy", "Owner", "Policy", "SubscriptionsConfirmed", "SubscriptionsDeleted", "SubscriptionsPending", "TopicArn"}
	if len(a) != len(want) {
		t.Fatalf("attributes %v", a)
	}
	for _, k := range want {
		if _, ok := a[k]; !ok {
			t.Errorf("missing %s", k)
		}
	}
	var edp struct {
		HTTP struct {
			DefaultHealthyRetryPolicy struct{ NumRetries, MinDelayTarget int }
			DefaultRequestPolicy      struct{ HeaderContentType string }
		}
	}
	if err := json.Unmarshal([]byte(a["EffectiveDeliveryPolicy"]), &edp); err != nil || edp.HTTP.DefaultHealthyRetryPolicy.NumRetries != 3 ||
		edp.HTTP.DefaultHealthyRetryPolicy.MinDelayTarget != 20 || edp.HTTP.DefaultRequestPolicy.HeaderContentType != "text/plain; charset=UTF-8" {
		t.Errorf("EffectiveDeliveryPolicy %s", a["EffectiveDeliveryPolicy"])
	}
	if !strings.Contains(a["Policy"], `"AWS:SourceOwner":"000000000000"`) {
		t.Errorf("Policy %s", a["Policy"])
	}
	// A delivery policy is merged into the effective one (test_topic_delivery_policy_crud).
	if _, err := e.sns.SetTopicAttributes(e.ctx, &sns.SetTopicAttributesInput{TopicArn: aws.String(arn), AttributeName: aws.String("DeliveryPolicy"),
		AttributeValue: aws.String(`{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":6,"numRetries":1}}}`)}); err != nil {
		t.Fatal(err)
	}
	out, _ = e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if !strings.Contains(out.Attributes["EffectiveDeliveryPolicy"], `"minDelayTarget":5,"maxDelayTarget":6,"numRetries":1,"numMaxDelayRetries":0`) {
		t.Errorf("merged policy %s", out.Attributes["EffectiveDeliveryPolicy"])
	}
	fifo := e.topic("attrs.fifo", map[string]string{"FifoTopic": "true"})
	out, _ = e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(fifo)})
	if out.Attributes["FifoTopic"] != "true" || out.Attributes["ContentBasedDeduplication"] != "false" {
		t.Errorf("fifo attributes %v", out.Attributes)
	}
	// Idempotent create with the same attributes; delete twice is fine.
	if again := e.topic("attrs", nil); again != arn {
		t.Errorf("second CreateTopic %s", again)
	}
	for range 2 {
		if _, err := e.sns.DeleteTopic(e.ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTagsPermissionsDataProtection(t *testing.T) {
	e := newEnv(t)
	arn := e.topic("tagged", nil)
	tag := func(k, v string) snstypes.Tag { return snstypes.Tag{Key: aws.String(k), Value: aws.String(v)} }
	if _, err := e.sns.TagResource(e.ctx, &sns.TagResourceInput{ResourceArn: aws.String(arn), Tags: []snstypes.Tag{tag("k1", "v1"), tag("k2", "v2")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sns.UntagResource(e.ctx, &sns.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"k1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sns.TagResource(e.ctx, &sns.TagResourceInput{ResourceArn: aws.String(arn), Tags: []snstypes.Tag{tag("k2", "v2b")}}); err != nil {
		t.Fatal(err)
	}
	lt, err := e.sns.ListTagsForResource(e.ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil || len(lt.Tags) != 1 || *lt.Tags[0].Key != "k2" || *lt.Tags[0].Value != "v2b" {
		t.Fatalf("tags %v %v", lt, err)
	}
	_, err = e.sns.ListTagsForResource(e.ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String(arn + "x")})
	apiErr(t, err, "ResourceNotFound", "Resource does not exist")

	if _, err := e.sns.AddPermission(e.ctx, &sns.AddPermissionInput{TopicArn: aws.String(arn), Label: aws.String("test"),
		AWSAccountId: []string{"111111111111"}, ActionName: []string{"Publish", "Subscribe"}}); err != nil {
		t.Fatal(err)
	}
	a, _ := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	var pol struct{ Statement []map[string]any }
	_ = json.Unmarshal([]byte(a.Attributes["Policy"]), &pol)
	if len(pol.Statement) != 2 || pol.Statement[1]["Sid"] != "test" || fmt.Sprint(pol.Statement[1]["Principal"]) != "map[AWS:arn:aws:iam::111111111111:root]" {
		t.Fatalf("policy after AddPermission %s", a.Attributes["Policy"])
	}
	if _, err := e.sns.RemovePermission(e.ctx, &sns.RemovePermissionInput{TopicArn: aws.String(arn), Label: aws.String("test")}); err != nil {
		t.Fatal(err)
	}
	a, _ = e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	_ = json.Unmarshal([]byte(a.Attributes["Policy"]), &pol)
	if len(pol.Statement) != 1 {
		t.Fatalf("policy after RemovePermission %s", a.Attributes["Policy"])
	}

	dp := `{"Name":"p","Version":"2021-06-01","Statement":[]}`
	if _, err := e.sns.PutDataProtectionPolicy(e.ctx, &sns.PutDataProtectionPolicyInput{ResourceArn: aws.String(arn), DataProtectionPolicy: aws.String(dp)}); err != nil {
		t.Fatal(err)
	}
	g, err := e.sns.GetDataProtectionPolicy(e.ctx, &sns.GetDataProtectionPolicyInput{ResourceArn: aws.String(arn)})
	if err != nil || aws.ToString(g.DataProtectionPolicy) != dp {
		t.Fatalf("data protection policy %v %v", g, err)
	}
}

func TestListSubscriptionsByTopicPagination(t *testing.T) {
	e := newEnv(t)
	arn := e.topic("many", nil)
	for i := range 105 {
		e.subscribe(arn, "sms", fmt.Sprintf("+1555000%04d", i), nil)
	}
	var all []string
	var token *string
	pages := 0
	for {
		out, err := e.sns.ListSubscriptionsByTopic(e.ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(arn), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, s := range out.Subscriptions {
			all = append(all, *s.Endpoint)
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	if pages != 2 || len(all) != 105 {
		t.Fatalf("%d pages, %d subscriptions", pages, len(all))
	}
	a, _ := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if a.Attributes["SubscriptionsConfirmed"] != "105" {
		t.Fatalf("SubscriptionsConfirmed %s", a.Attributes["SubscriptionsConfirmed"])
	}
}

func TestSubscriptionAttributes(t *testing.T) {
	e := newEnv(t)
	arn := e.topic("subs", nil)
	_, q := e.queue("q")
	sub := e.subscribe(arn, "sqs", q, nil)
	out, err := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)})
	if err != nil {
		t.Fatal(err)
	}
	// test_subscribe_attributes: exactly these.
	for k, v := range map[string]string{"ConfirmationWasAuthenticated": "true", "Endpoint": q, "Owner": "000000000000", "PendingConfirmation": "false",
		"Protocol": "sqs", "RawMessageDelivery": "false", "SubscriptionArn": sub, "TopicArn": arn} {
		if out.Attributes[k] != v {
			t.Errorf("%s = %q, want %q", k, out.Attributes[k], v)
		}
	}
	if len(out.Attributes) != 9 {
		t.Errorf("attributes %v", out.Attributes)
	}
	// Same subscription again: same ARN; different attributes: refused.
	if again := e.subscribe(arn, "sqs", q, nil); again != sub {
		t.Errorf("resubscribe gave %s", again)
	}
	// A scope without a policy is kept, not shown (test_set_subscription_filter_policy_scope).
	if _, err := e.sns.SetSubscriptionAttributes(e.ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub),
		AttributeName: aws.String("FilterPolicyScope"), AttributeValue: aws.String("MessageBody")}); err != nil {
		t.Fatal(err)
	}
	out, _ = e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)})
	if _, ok := out.Attributes["FilterPolicyScope"]; ok {
		t.Errorf("FilterPolicyScope shown without a policy: %v", out.Attributes)
	}
	if _, err := e.sns.SetSubscriptionAttributes(e.ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub),
		AttributeName: aws.String("FilterPolicy"), AttributeValue: aws.String(`{"a":["b"]}`)}); err != nil {
		t.Fatal(err)
	}
	out, _ = e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)})
	if out.Attributes["FilterPolicyScope"] != "MessageBody" {
		t.Errorf("FilterPolicyScope %q", out.Attributes["FilterPolicyScope"])
	}
	// An invalid policy changes nothing.
	_, err = e.sns.SetSubscriptionAttributes(e.ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub),
		AttributeName: aws.String("FilterPolicy"), AttributeValue: aws.String(`{"a":[{"wildcard":"x*"}]}`)})
	apiErr(t, err, "InvalidParameter", "")
	out, _ = e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)})
	if out.Attributes["FilterPolicy"] != `{"a":["b"]}` {
		t.Errorf("FilterPolicy after a refused change %q", out.Attributes["FilterPolicy"])
	}
	if _, err := e.sns.Unsubscribe(e.ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(sub)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)})
	apiErr(t, err, "NotFound", "Subscription does not exist")
}

// A FIFO topic's batch reaches each FIFO queue subscribed to it in the
// batch's order: the messages of one group keep their order end to end.
func TestFIFOBatchKeepsOrderInEverySubscription(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("order.fifo", map[string]string{"FifoTopic": "true"})
	var urls []string
	for _, name := range []string{"order-a.fifo", "order-b.fifo"} {
		u, q := e.queue(name)
		e.subscribe(topic, "sqs", q, map[string]string{"RawMessageDelivery": "true"})
		urls = append(urls, u)
	}
	var want []string
	for round := range 3 {
		var entries []snstypes.PublishBatchRequestEntry
		for i := range 10 {
			body := fmt.Sprintf("m%d-%d", round, i)
			want = append(want, body)
			entries = append(entries, snstypes.PublishBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), Message: aws.String(body),
				MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String(body)})
		}
		out, err := e.sns.PublishBatch(e.ctx, &sns.PublishBatchInput{TopicArn: aws.String(topic), PublishBatchRequestEntries: entries})
		if err != nil || len(out.Successful) != 10 {
			t.Fatalf("PublishBatch: %v %+v", err, out)
		}
	}
	for _, u := range urls {
		var got []string
		for _, m := range e.receive(u) {
			got = append(got, aws.ToString(m.Body))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s received %v, want %v", u, got, want)
		}
	}
}

func TestPublishBatchAndMessageStructure(t *testing.T) {
	e := newEnv(t)
	fifo := e.topic("b.fifo", map[string]string{"FifoTopic": "true"})
	u, q := e.queue("b.fifo")
	e.subscribe(fifo, "sqs", q, map[string]string{"RawMessageDelivery": "true"})
	out, err := e.sns.PublishBatch(e.ctx, &sns.PublishBatchInput{TopicArn: aws.String(fifo), PublishBatchRequestEntries: []snstypes.PublishBatchRequestEntry{
		{Id: aws.String("a"), Message: aws.String("1"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d1")},
		{Id: aws.String("b"), Message: aws.String("2"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d2")},
		{Id: aws.String("c"), Message: aws.String(""), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d3")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Successful) != 2 || len(out.Failed) != 1 || *out.Failed[0].Id != "c" || *out.Failed[0].Code != "InvalidParameter" ||
		aws.ToString(out.Successful[0].SequenceNumber) == "" {
		t.Fatalf("batch result %+v", out)
	}
	ms := e.receive(u)
	if len(ms) != 2 || *ms[0].Body != "1" || *ms[1].Body != "2" {
		t.Fatalf("received %v", ms)
	}

	std := e.topic("structured", nil)
	u2, q2 := e.queue("s")
	e.subscribe(std, "sqs", q2, map[string]string{"RawMessageDelivery": "true"})
	e.subscribe(std, "email", "x@example.com", nil)
	e.publish(&sns.PublishInput{TopicArn: aws.String(std), MessageStructure: aws.String("json"),
		Message: aws.String(`{"default":"for everyone","sqs":"for queues"}`)})
	if ms := e.receive(u2); len(ms) != 1 || *ms[0].Body != "for queues" {
		t.Fatalf("structured to sqs: %v", ms)
	}
}

func TestPlatformAndSMS(t *testing.T) {
	e := newEnv(t)
	app, err := e.sns.CreatePlatformApplication(e.ctx, &sns.CreatePlatformApplicationInput{Name: aws.String("app"), Platform: aws.String("GCM"),
		Attributes: map[string]string{"PlatformCredential": "key"}})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := e.sns.CreatePlatformEndpoint(e.ctx, &sns.CreatePlatformEndpointInput{PlatformApplicationArn: app.PlatformApplicationArn, Token: aws.String("tok")})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := e.sns.CreatePlatformEndpoint(e.ctx, &sns.CreatePlatformEndpointInput{PlatformApplicationArn: app.PlatformApplicationArn, Token: aws.String("tok")})
	if *again.EndpointArn != *ep.EndpointArn {
		t.Fatalf("idempotent endpoint %s vs %s", *again.EndpointArn, *ep.EndpointArn)
	}
	ga, _ := e.sns.GetEndpointAttributes(e.ctx, &sns.GetEndpointAttributesInput{EndpointArn: ep.EndpointArn})
	if ga.Attributes["Enabled"] != "true" || ga.Attributes["Token"] != "tok" {
		t.Fatalf("endpoint attributes %v", ga.Attributes)
	}
	e.publish(&sns.PublishInput{TargetArn: ep.EndpointArn, Message: aws.String("push")})
	e.publish(&sns.PublishInput{TargetArn: ep.EndpointArn, MessageStructure: aws.String("json"),
		Message: aws.String(`{"default":"plain","GCM":"{\"notification\":{\"title\":\"t\"}}"}`)})
	o := e.outbox()
	if len(o.Messages) != 2 || o.Messages[0].Protocol != "application" || o.Messages[0].Message != "push" ||
		o.Messages[1].Message != `{"notification":{"title":"t"}}` {
		t.Fatalf("outbox %+v", o)
	}
	if _, err := e.sns.DeletePlatformApplication(e.ctx, &sns.DeletePlatformApplicationInput{PlatformApplicationArn: app.PlatformApplicationArn}); err != nil {
		t.Fatal(err)
	}
	_, err = e.sns.ListEndpointsByPlatformApplication(e.ctx, &sns.ListEndpointsByPlatformApplicationInput{PlatformApplicationArn: app.PlatformApplicationArn})
	apiErr(t, err, "NotFound", "PlatformApplication does not exist")

	if _, err := e.sns.SetSMSAttributes(e.ctx, &sns.SetSMSAttributesInput{Attributes: map[string]string{"DefaultSMSType": "Promotional", "DefaultSenderID": "LSTest"}}); err != nil {
		t.Fatal(err)
	}
	sa, _ := e.sns.GetSMSAttributes(e.ctx, &sns.GetSMSAttributesInput{Attributes: []string{"DefaultSMSType"}})
	if len(sa.Attributes) != 1 || sa.Attributes["DefaultSMSType"] != "Promotional" {
		t.Fatalf("SMS attributes %v", sa.Attributes)
	}
	opt, _ := e.sns.CheckIfPhoneNumberIsOptedOut(e.ctx, &sns.CheckIfPhoneNumberIsOptedOutInput{PhoneNumber: aws.String("+15551234567")})
	if opt.IsOptedOut {
		t.Fatal("opted out")
	}
}

// publisher is how S3 and EventBridge publish in-process.
type publisher interface {
	Publish(ctx context.Context, topicARN string, m snssvc.Message) (string, error)
}

// peerProbe is a fake service that keeps its Env, to reach peers.
type peerProbe struct{ env service.Env }

func (p *peerProbe) APIs() []service.Binding { return nil }

func TestInProcessPublish(t *testing.T) {
	probe := &peerProbe{}
	e := newEnv(t, fogbanktestWith(func(o *fogbank.Options) {
		o.Services = []service.Info{sts.Info, sqs.Info, snssvc.Info,
			{Name: "s3probe", New: func(env service.Env) (service.Service, error) { probe.env = env; return probe, nil }}}
	}))
	arn := e.topic("s3events", nil)
	u, q := e.queue("events")
	e.subscribe(arn, "sqs", q, nil)
	pub, ok := probe.env.Peers.Lookup("sns").(publisher)
	if !ok {
		t.Fatal("sns does not implement the in-process publisher")
	}
	id, err := pub.Publish(e.ctx, arn, snssvc.Message{Subject: "Amazon S3 Notification", Body: `{"Records":[]}`,
		Attributes: map[string]*snsapi.MessageAttributeValue{"k": {DataType: aws.String("String"), StringValue: aws.String("v")}}})
	if err != nil {
		t.Fatal(err)
	}
	ms := e.receive(u)
	if len(ms) != 1 {
		t.Fatalf("received %v", ms)
	}
	env := parseEnvelope(t, *ms[0].Body)
	if env.MessageId != id || env.Subject != "Amazon S3 Notification" || env.Message != `{"Records":[]}` || env.MessageAttributes["k"].Value != "v" {
		t.Fatalf("envelope %+v", env)
	}
	if _, err := pub.Publish(e.ctx, arn+"x", snssvc.Message{Body: "x"}); err == nil {
		t.Fatal("publish to a missing topic succeeded")
	}
	if _, err := pub.Publish(e.ctx, arn, snssvc.Message{Body: ""}); err == nil {
		t.Fatal("empty message published")
	}
}

// TestRestart: topics, subscriptions, the outbox and a pending HTTP retry
// survive a restart of a durable server; the retry fires on the new
// server's clock.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	durable := fogbanktest.Durable(dir)
	e := newEnv(t, durable)
	arn := e.topic("durable", map[string]string{"DisplayName": "D"})
	fifo := e.topic("durable.fifo", map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true"})
	first := e.publish(&sns.PublishInput{TopicArn: aws.String(fifo), Message: aws.String("once"), MessageGroupId: aws.String("g")})
	ep := newEndpoint(t, true)
	e.subscribe(arn, "http", ep.srv.URL, nil)
	e.subscribe(arn, "email", "a@example.com", nil)
	gone := e.subscribe(arn, "sms", "+15550001111", nil)
	if _, err := e.sns.Unsubscribe(e.ctx, &sns.UnsubscribeInput{SubscriptionArn: aws.String(gone)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "confirmation", func() bool {
		a, _ := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
		return a != nil && a.Attributes["SubscriptionsConfirmed"] == "1"
	})
	e.publish(&sns.PublishInput{TopicArn: aws.String(arn), Message: aws.String("survivor")})
	waitFor(t, "first attempt", func() bool { n, _ := ep.messages("Notification"); return len(n) == 1 })
	e.waitRetry(1)
	if err := e.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ep.mu.Lock()
	ep.failing = false
	ep.mu.Unlock()

	e = newEnv(t, durable)
	a, err := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if err != nil || a.Attributes["DisplayName"] != "D" || a.Attributes["SubscriptionsConfirmed"] != "1" || a.Attributes["SubscriptionsPending"] != "1" ||
		a.Attributes["SubscriptionsDeleted"] != "1" {
		t.Fatalf("after restart: %v %v", a, err)
	}
	// The deduplication window survives the restart, and sequence numbers keep growing.
	dup := e.publish(&sns.PublishInput{TopicArn: aws.String(fifo), Message: aws.String("once"), MessageGroupId: aws.String("g")})
	next := e.publish(&sns.PublishInput{TopicArn: aws.String(fifo), Message: aws.String("twice"), MessageGroupId: aws.String("g")})
	if *dup.MessageId != *first.MessageId || *dup.SequenceNumber != *first.SequenceNumber || *next.SequenceNumber <= *first.SequenceNumber {
		t.Fatalf("FIFO after restart: first %s/%s, duplicate %s/%s, next %s", *first.MessageId, *first.SequenceNumber,
			*dup.MessageId, *dup.SequenceNumber, *next.SequenceNumber)
	}
	e.srv.Advance(t, 6*time.Minute)
	if again := e.publish(&sns.PublishInput{TopicArn: aws.String(fifo), Message: aws.String("once"), MessageGroupId: aws.String("g")}); *again.MessageId == *first.MessageId {
		t.Fatal("deduplicated after the 5-minute window")
	}
	if o := e.outbox(); len(o.Messages) != 1 {
		t.Fatalf("outbox after restart %+v", o)
	}
	e.srv.Advance(t, 20*time.Second)
	waitFor(t, "retry after restart", func() bool { n, _ := ep.messages("Notification"); return len(n) == 2 })
	n, _ := ep.messages("Notification")
	if n[1]["Message"] != "survivor" || n[1]["MessageId"] != n[0]["MessageId"] {
		t.Fatalf("retried %v", n[1])
	}
	// The certificate URL names the host the subscription was made on (the
	// old port); the same key is served by the new server.
	n[1]["SigningCertURL"] = e.srv.URL() + n[1]["SigningCertURL"][strings.Index(n[1]["SigningCertURL"], "/_fogbank/"):]
	verify(t, n[1])
}

// TestDeleteTopicDeletesSubscriptions (recorded:
// test_delete_subscriptions_on_delete_topic): subscriptions go with their
// topic, and a FIFO topic of the same name starts with no deduplication ids.
func TestDeleteTopicDeletesSubscriptions(t *testing.T) {
	e := newEnv(t)
	arn := e.topic("doomed.fifo", map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true"})
	u, q := e.queue("q.fifo")
	sub := e.subscribe(arn, "sqs", q, map[string]string{"RawMessageDelivery": "true"})
	first := e.publish(&sns.PublishInput{TopicArn: aws.String(arn), Message: aws.String("m"), MessageGroupId: aws.String("g")})
	if _, err := e.sns.DeleteTopic(e.ctx, &sns.DeleteTopicInput{TopicArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)})
	apiErr(t, err, "NotFound", "Subscription does not exist")
	ls, _ := e.sns.ListSubscriptions(e.ctx, &sns.ListSubscriptionsInput{})
	if len(ls.Subscriptions) != 0 {
		t.Fatalf("subscriptions after DeleteTopic %v", ls.Subscriptions)
	}
	if again := e.topic("doomed.fifo", map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true"}); again != arn {
		t.Fatalf("recreated %s", again)
	}
	e.subscribe(arn, "sqs", q, map[string]string{"RawMessageDelivery": "true"})
	e.receive(u)
	// The new topic does not know the old deduplication id (the queue, with
	// a window of its own, would still drop the body: only the topic's
	// answer is checked).
	out := e.publish(&sns.PublishInput{TopicArn: aws.String(arn), Message: aws.String("m"), MessageGroupId: aws.String("g")})
	if *out.MessageId == *first.MessageId {
		t.Fatal("the recreated topic deduplicated against the deleted one")
	}
}
