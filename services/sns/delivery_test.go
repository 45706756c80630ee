package sns_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // verifying SignatureVersion 1
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/service"
	snssvc "github.com/fogbank/fogbank/services/sns"
	"github.com/fogbank/fogbank/services/sqs"
	"github.com/fogbank/fogbank/services/sts"
)

func strAttr(v string) snstypes.MessageAttributeValue {
	return snstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
}

func TestFilterPoliciesApplied(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("shop", nil)
	uRed, aRed := e.queue("red")
	uBig, aBig := e.queue("big")
	uAll, aAll := e.queue("all")
	e.subscribe(topic, "sqs", aRed, map[string]string{"FilterPolicy": `{"color":["red"],"size":[{"numeric":[">",10]}]}`})
	e.subscribe(topic, "sqs", aBig, map[string]string{"FilterPolicy": `{"order":{"total":[{"numeric":[">=",100]}]}}`, "FilterPolicyScope": "MessageBody"})
	e.subscribe(topic, "sqs", aAll, nil)

	num := func(v string) snstypes.MessageAttributeValue {
		return snstypes.MessageAttributeValue{DataType: aws.String("Number"), StringValue: aws.String(v)}
	}
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(`{"order":{"total":150}}`),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{"color": strAttr("red"), "size": num("11")}})
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(`{"order":{"total":5}}`),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{"color": strAttr("blue"), "size": num("11")}})
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(`not json`),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{"color": strAttr("red"), "size": num("3")}})

	if n := len(e.receive(uRed)); n != 1 {
		t.Errorf("attribute-filtered queue got %d, want 1", n)
	}
	ms := e.receive(uBig)
	if len(ms) != 1 || !strings.Contains(parseEnvelope(t, *ms[0].Body).Message, "150") {
		t.Errorf("body-filtered queue got %v", ms)
	}
	if n := len(e.receive(uAll)); n != 3 {
		t.Errorf("unfiltered queue got %d, want 3", n)
	}

	// A policy changed later applies to the next publish.
	out, _ := e.sns.ListSubscriptionsByTopic(e.ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
	for _, s := range out.Subscriptions {
		if *s.Endpoint == aAll {
			if _, err := e.sns.SetSubscriptionAttributes(e.ctx, &sns.SetSubscriptionAttributesInput{SubscriptionArn: s.SubscriptionArn,
				AttributeName: aws.String("FilterPolicy"), AttributeValue: aws.String(`{"color":[{"anything-but":"red"}]}`)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("x"),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{"color": strAttr("red")}})
	if n := len(e.receive(uAll)); n != 0 {
		t.Errorf("after SetSubscriptionAttributes got %d, want 0", n)
	}
}

func TestFIFOTopicToFIFOQueue(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("t.fifo", map[string]string{"FifoTopic": "true", "ContentBasedDeduplication": "true"})
	uq, aq := e.queue("q.fifo")
	us, as := e.queue("std")
	e.subscribe(topic, "sqs", aq, map[string]string{"RawMessageDelivery": "true"})
	e.subscribe(topic, "sqs", as, nil)
	first := e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("m1"), MessageGroupId: aws.String("g1")})
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("m2"), MessageGroupId: aws.String("g1")})
	dup := e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("m1"), MessageGroupId: aws.String("g1")})
	if *dup.MessageId != *first.MessageId || aws.ToString(first.SequenceNumber) == "" {
		t.Fatalf("duplicate got id %s (first %s, seq %v)", *dup.MessageId, *first.MessageId, first.SequenceNumber)
	}
	ms := e.receive(uq)
	if len(ms) != 2 || *ms[0].Body != "m1" || *ms[1].Body != "m2" {
		t.Fatalf("fifo queue got %v", ms)
	}
	if ms[0].Attributes["MessageGroupId"] != "g1" || ms[0].Attributes["MessageDeduplicationId"] == "" {
		t.Fatalf("fifo attributes %v", ms[0].Attributes)
	}
	sm := e.receive(us)
	if len(sm) != 2 || parseEnvelope(t, *sm[0].Body).SequenceNumber == "" {
		t.Fatalf("standard queue from fifo topic got %v", sm)
	}
	// FIFO notifications are not signed (recorded: test_fifo_topic_to_regular_sqs).
	if env := parseEnvelope(t, *sm[0].Body); env.Signature != "" || env.SignatureVersion != "" || env.SigningCertURL != "" || env.UnsubscribeURL == "" {
		t.Fatalf("fifo envelope %+v", env)
	}

	_, err := e.sns.Publish(e.ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("x")})
	apiErr(t, err, "InvalidParameter", "Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
	std := e.topic("plain", nil)
	_, err = e.sns.Subscribe(e.ctx, &sns.SubscribeInput{TopicArn: aws.String(std), Protocol: aws.String("sqs"), Endpoint: aws.String(aq)})
	apiErr(t, err, "InvalidParameter", "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics")
}

// endpoint is an HTTP subscriber: it confirms through SubscribeURL, keeps
// notifications, and fails with 500 while failing is set.
type endpoint struct {
	t       *testing.T
	mu      sync.Mutex
	got     []map[string]string
	headers []http.Header
	failing bool
	srv     *httptest.Server
}

func newEndpoint(t *testing.T, failing bool) *endpoint {
	ep := &endpoint{t: t, failing: failing}
	ep.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m map[string]string
		_ = json.Unmarshal(body, &m)
		ep.mu.Lock()
		ep.got = append(ep.got, m)
		ep.headers = append(ep.headers, r.Header.Clone())
		failing := ep.failing
		ep.mu.Unlock()
		if r.Header.Get("x-amz-sns-message-type") == "SubscriptionConfirmation" {
			resp, err := http.Get(m["SubscribeURL"])
			if err != nil {
				t.Errorf("confirm: %v", err)
			} else {
				resp.Body.Close()
			}
			return
		}
		if failing {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(ep.srv.Close)
	return ep
}

func (ep *endpoint) messages(typ string) ([]map[string]string, []http.Header) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	var out []map[string]string
	var hs []http.Header
	for i, m := range ep.got {
		if m["Type"] == typ {
			out = append(out, m)
			hs = append(hs, ep.headers[i])
		}
	}
	return out, hs
}

// waitFor polls cond (deliveries run on other goroutines); it is not a
// timing assertion: the deadline is generous (a Python function cold-starting boto3 under -race on a loaded
// 2-core CI machine took more than 10 s).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// verify checks an envelope's signature with the certificate at its
// SigningCertURL.
func verify(t *testing.T, m map[string]string) {
	t.Helper()
	resp, err := http.Get(m["SigningCertURL"])
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatalf("no PEM at %s: %q", m["SigningCertURL"], raw)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
	if m["Type"] != "Notification" {
		keys = []string{"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"}
	}
	var sb strings.Builder
	for _, k := range keys {
		if v, ok := m[k]; ok {
			sb.WriteString(k + "\n" + v + "\n")
		}
	}
	sig, _ := base64.StdEncoding.DecodeString(m["Signature"])
	pub := cert.PublicKey.(*rsa.PublicKey)
	if m["SignatureVersion"] == "2" {
		h := sha256.Sum256([]byte(sb.String()))
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig)
	} else {
		h := sha1.Sum([]byte(sb.String())) //nolint:gosec // SignatureVersion 1
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA1, h[:], sig)
	}
	if err != nil {
		t.Fatalf("signature v%s of %v: %v", m["SignatureVersion"], m, err)
	}
}

func TestHTTPSubscriptionConfirmsAndReceivesSignedNotifications(t *testing.T) {
	for _, version := range []string{"1", "2"} {
		t.Run("v"+version, func(t *testing.T) {
			e := newEnv(t)
			topic := e.topic("web", map[string]string{"SignatureVersion": version})
			ep := newEndpoint(t, false)
			out, err := e.sns.Subscribe(e.ctx, &sns.SubscribeInput{TopicArn: aws.String(topic), Protocol: aws.String("http"), Endpoint: aws.String(ep.srv.URL)})
			if err != nil || *out.SubscriptionArn != "pending confirmation" {
				t.Fatalf("Subscribe: %v %v", out, err)
			}
			waitFor(t, "confirmation", func() bool {
				a, _ := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
				return a != nil && a.Attributes["SubscriptionsConfirmed"] == "1"
			})
			confs, _ := ep.messages("SubscriptionConfirmation")
			verify(t, confs[0])
			e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("hi"), Subject: aws.String("s")})
			waitFor(t, "notification", func() bool { n, _ := ep.messages("Notification"); return len(n) == 1 })
			ns, hs := ep.messages("Notification")
			verify(t, ns[0])
			if hs[0].Get("x-amz-sns-topic-arn") != topic || hs[0].Get("x-amz-sns-subscription-arn") == "" || hs[0].Get("x-amz-sns-message-id") != ns[0]["MessageId"] {
				t.Fatalf("headers %v", hs[0])
			}
			// UnsubscribeURL works (unless confirmed with AuthenticateOnUnsubscribe).
			resp, err := http.Get(ns[0]["UnsubscribeURL"])
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("unsubscribe: %v %v", resp, err)
			}
			resp.Body.Close()
			subs, _ := e.sns.ListSubscriptionsByTopic(e.ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
			if len(subs.Subscriptions) != 0 {
				t.Fatalf("after UnsubscribeURL: %v", subs.Subscriptions)
			}
			// The endpoint is told, with a signed UnsubscribeConfirmation.
			waitFor(t, "unsubscribe confirmation", func() bool { u, _ := ep.messages("UnsubscribeConfirmation"); return len(u) == 1 })
			u, hs := ep.messages("UnsubscribeConfirmation")
			if !strings.HasPrefix(u[0]["Message"], "You have chosen to deactivate subscription "+ns[0]["UnsubscribeURL"][strings.Index(ns[0]["UnsubscribeURL"], "SubscriptionArn=")+16:]) &&
				!strings.Contains(u[0]["Message"], "deactivate subscription arn:") {
				t.Fatalf("unsubscribe confirmation %v", u[0])
			}
			if hs[0].Get("x-amz-sns-message-type") != "UnsubscribeConfirmation" {
				t.Fatalf("headers %v", hs[0])
			}
			verify(t, u[0])
			// A broken link answers AWS's XML error.
			resp, err = http.Get(e.srv.URL() + "/?Action=ConfirmSubscription&TopicArn=not-an-arn&Token=x")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>InvalidParameter</Code>") || !strings.Contains(string(body), "<Message>Invalid parameter: Topic</Message>") {
				t.Fatalf("broken confirm link: %d %s", resp.StatusCode, body)
			}
		})
	}
}

func TestFailingHTTPEndpointRetriesThenDeadLetters(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("flaky", nil)
	dlqURL, dlqARN := e.queue("dlq")
	ep := newEndpoint(t, true)
	e.subscribe(topic, "http", ep.srv.URL, map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"` + dlqARN + `"}`})
	waitFor(t, "confirmation", func() bool {
		a, _ := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
		return a != nil && a.Attributes["SubscriptionsConfirmed"] == "1"
	})
	out := e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("doomed")})
	waitFor(t, "first attempt", func() bool { n, _ := ep.messages("Notification"); return len(n) == 1 })
	// Default policy: 3 retries, 20 s apart, then the DLQ.
	for i := 2; i <= 4; i++ {
		if n := len(e.receive(dlqURL)); n != 0 {
			t.Fatalf("dead-lettered after %d attempts", i-1)
		}
		e.waitRetry(i - 1)
		e.srv.Advance(t, 20*time.Second)
		waitFor(t, "retry", func() bool { n, _ := ep.messages("Notification"); return len(n) == i })
	}
	var ms []string
	waitFor(t, "dead letter", func() bool {
		for _, m := range e.receive(dlqURL) {
			ms = append(ms, *m.Body)
		}
		return len(ms) == 1
	})
	env := parseEnvelope(t, ms[0])
	if env.MessageId != *out.MessageId || env.Message != "doomed" {
		t.Fatalf("dead letter %+v", env)
	}
}

func TestSQSDeadLetterWhenQueueMissing(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("t", nil)
	gone, goneARN := e.queue("gone")
	dlqURL, dlqARN := e.queue("dlq")
	e.subscribe(topic, "sqs", goneARN, map[string]string{"RawMessageDelivery": "true", "RedrivePolicy": `{"deadLetterTargetArn":"` + dlqARN + `"}`})
	if _, err := e.sqs.DeleteQueue(e.ctx, &sqsDeleteInput{QueueUrl: aws.String(gone)}); err != nil {
		t.Fatal(err)
	}
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("lost"),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{"a": strAttr("1")}})
	ms := e.receive(dlqURL)
	if len(ms) != 1 || *ms[0].Body != "lost" || aws.ToString(ms[0].MessageAttributes["a"].StringValue) != "1" {
		t.Fatalf("dlq got %v", ms)
	}
}

// fakeLambda is a lambda peer recording asynchronous invocations.
type fakeLambda struct {
	mu       sync.Mutex
	payloads [][]byte
	missing  bool
}

func (f *fakeLambda) APIs() []service.Binding { return nil }

func (f *fakeLambda) InvokeAsync(_ context.Context, arn string, payload []byte) (string, error) {
	if f.missing {
		return "", &api.Error{Code: "ResourceNotFoundException", Status: 404, Sender: true, Message: "Function not found: " + arn}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.payloads = append(f.payloads, payload)
	return "req", nil
}

func withLambda(f *fakeLambda) func(*fogbank.Options) {
	return func(o *fogbank.Options) {
		o.Services = []service.Info{sts.Info, sqs.Info, snssvc.Info,
			{Name: "lambda", New: func(service.Env) (service.Service, error) { return f, nil }}}
	}
}

func TestLambdaSubscription(t *testing.T) {
	f := &fakeLambda{}
	e := newEnv(t, fogbanktestWith(withLambda(f)))
	topic := e.topic("fn", nil)
	fn := "arn:aws:lambda:us-east-1:000000000000:function:handler"
	sub := e.subscribe(topic, "lambda", fn, nil)
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("to lambda"),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{"k": strAttr("v")}})
	waitFor(t, "invocation", func() bool { f.mu.Lock(); defer f.mu.Unlock(); return len(f.payloads) == 1 })
	var ev struct {
		Records []struct {
			EventSource, EventVersion, EventSubscriptionArn string
			Sns                                             struct {
				Type, Message, TopicArn, SigningCertUrl, UnsubscribeUrl, Signature string
				Subject                                                            *string
				MessageAttributes                                                  map[string]struct{ Type, Value string }
			}
		}
	}
	if err := json.Unmarshal(f.payloads[0], &ev); err != nil {
		t.Fatal(err)
	}
	r := ev.Records[0]
	if r.EventSource != "aws:sns" || r.EventVersion != "1.0" || r.EventSubscriptionArn != sub || r.Sns.Message != "to lambda" ||
		r.Sns.Subject != nil || r.Sns.MessageAttributes["k"].Value != "v" || r.Sns.SigningCertUrl == "" {
		t.Fatalf("event %s", f.payloads[0])
	}
}

func TestLambdaMissingDeadLetters(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  func(*fogbank.Options)
	}{
		{"no lambda service", func(o *fogbank.Options) { o.Services = []service.Info{sts.Info, sqs.Info, snssvc.Info} }},
		{"function not found", withLambda(&fakeLambda{missing: true})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, fogbanktestWith(tc.opt))
			topic := e.topic("fn", nil)
			dlqURL, dlqARN := e.queue("dlq")
			e.subscribe(topic, "lambda", "arn:aws:lambda:us-east-1:000000000000:function:nope",
				map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"` + dlqARN + `"}`})
			e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("nobody")})
			var got []string
			waitFor(t, "dead letter", func() bool {
				for _, m := range e.receive(dlqURL) {
					got = append(got, *m.Body)
				}
				return len(got) == 1
			})
			if parseEnvelope(t, got[0]).Message != "nobody" {
				t.Fatalf("dlq %v", got)
			}
		})
	}
}

type outbox struct {
	Messages []struct {
		Protocol, Endpoint, Type, Message, Subject, SubscribeUrl, SubscriptionArn, From string
	} `json:"messages"`
}

func (e *env) outbox() outbox {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL() + "/_fogbank/sns/outbox")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var o outbox
	if err := json.NewDecoder(resp.Body).Decode(&o); err != nil {
		e.t.Fatal(err)
	}
	return o
}

func TestOutboxEmailSMS(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("mail", map[string]string{"DisplayName": "Shop"})
	e.subscribe(topic, "email", "a@example.com", nil)
	e.subscribe(topic, "sms", "+15551234567", nil)
	o := e.outbox()
	if len(o.Messages) != 1 || o.Messages[0].Type != "SubscriptionConfirmation" || o.Messages[0].SubscribeUrl == "" {
		t.Fatalf("outbox after subscribe: %+v", o)
	}
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("before confirm")})
	resp, err := http.Get(o.Messages[0].SubscribeUrl)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("confirm link: %v %v", resp, err)
	}
	resp.Body.Close()
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("after confirm"), Subject: aws.String("Hi")})
	e.publish(&sns.PublishInput{PhoneNumber: aws.String("+15559876543"), Message: aws.String("direct sms")})
	o = e.outbox()
	var got []string
	for _, m := range o.Messages[1:] {
		got = append(got, m.Protocol+":"+m.Endpoint+":"+m.Message)
	}
	want := []string{"sms:+15551234567:before confirm", "email:a@example.com:after confirm", "sms:+15551234567:after confirm", "sms:+15559876543:direct sms"}
	if o.Messages[2].From != "Shop <no-reply@sns.amazonaws.com>" || o.Messages[2].Subject != "Hi" {
		t.Errorf("email %+v", o.Messages[2])
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("outbox\n got %v\nwant %v", got, want)
	}
}

// waitRetry waits until the one pending delivery has failed attempts times
// and its retry is scheduled (GET /_fogbank/sns/deliveries), so advancing
// the clock then fires it.
func (e *env) waitRetry(attempts int) {
	e.t.Helper()
	waitFor(e.t, fmt.Sprintf("retry after attempt %d", attempts), func() bool {
		resp, err := http.Get(e.srv.URL() + "/_fogbank/sns/deliveries")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var d struct {
			Deliveries []struct {
				Attempts int
				Next     string
			}
		}
		if json.NewDecoder(resp.Body).Decode(&d) != nil {
			return false
		}
		return len(d.Deliveries) == 1 && d.Deliveries[0].Attempts == attempts && d.Deliveries[0].Next != ""
	})
}

func TestConfirmSubscriptionAuthenticateOnUnsubscribe(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("guarded", nil)
	e.subscribe(topic, "email", "b@example.com", nil)
	link := e.outbox().Messages[0].SubscribeUrl
	token := link[strings.Index(link, "Token=")+len("Token="):]
	out, err := e.sns.ConfirmSubscription(e.ctx, &sns.ConfirmSubscriptionInput{TopicArn: aws.String(topic), Token: aws.String(token),
		AuthenticateOnUnsubscribe: aws.String("true")})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: out.SubscriptionArn})
	if a.Attributes["PendingConfirmation"] != "false" || a.Attributes["ConfirmationWasAuthenticated"] != "true" {
		t.Fatalf("attributes after confirm %v", a.Attributes)
	}
	resp, err := http.Get(e.srv.URL() + "/?Action=Unsubscribe&SubscriptionArn=" + *out.SubscriptionArn)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unauthenticated unsubscribe: %d", resp.StatusCode)
	}
	if _, err := e.sns.Unsubscribe(e.ctx, &sns.UnsubscribeInput{SubscriptionArn: out.SubscriptionArn}); err != nil {
		t.Fatal(err)
	}
}

func TestHTTPContentTypeAndTraceHeader(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("csv", nil)
	var mu sync.Mutex
	var types []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		types = append(types, r.Header.Get("Content-Type"))
		mu.Unlock()
		if r.Header.Get("x-amz-sns-message-type") == "SubscriptionConfirmation" {
			var m map[string]string
			_ = json.Unmarshal(body, &m)
			if resp, err := http.Get(m["SubscribeURL"]); err == nil {
				resp.Body.Close()
			}
		}
	}))
	defer srv.Close()
	sub := e.subscribe(topic, "http", srv.URL, map[string]string{"RawMessageDelivery": "true",
		"DeliveryPolicy": `{"requestPolicy":{"headerContentType":"text/csv"}}`})
	a, err := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)})
	if err != nil {
		t.Fatal(err)
	}
	// Recorded (test_subscribe_external_http_endpoint_content_type).
	if a.Attributes["DeliveryPolicy"] != `{"healthyRetryPolicy":null,"sicklyRetryPolicy":null,"throttlePolicy":null,"requestPolicy":{"headerContentType":"text/csv"},"guaranteed":false}` {
		t.Errorf("DeliveryPolicy %s", a.Attributes["DeliveryPolicy"])
	}
	if !strings.Contains(a.Attributes["EffectiveDeliveryPolicy"], `"requestPolicy":{"headerContentType":"text/csv"}`) {
		t.Errorf("EffectiveDeliveryPolicy %s", a.Attributes["EffectiveDeliveryPolicy"])
	}
	waitFor(t, "confirmation", func() bool {
		a, _ := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(sub)})
		return a != nil && a.Attributes["PendingConfirmation"] == "false"
	})
	e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("a,b")})
	waitFor(t, "notification", func() bool { mu.Lock(); defer mu.Unlock(); return len(types) == 2 })
	if types[1] != "text/csv" {
		t.Errorf("Content-Type %q", types[1])
	}

	// X-Amzn-Trace-Id on Publish becomes SQS's AWSTraceHeader.
	u, q := e.queue("traced")
	e.subscribe(topic, "sqs", q, nil)
	const trace = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1"
	if _, err := e.sns.Publish(e.ctx, &sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String("traced")}, func(o *sns.Options) {
		o.APIOptions = append(o.APIOptions, smithyhttp.AddHeaderValue("X-Amzn-Trace-Id", trace))
	}); err != nil {
		t.Fatal(err)
	}
	ms := e.receive(u)
	if len(ms) != 1 || ms[0].Attributes["AWSTraceHeader"] != trace {
		t.Fatalf("traced message %+v", ms)
	}
}

// TestConfirmLinkOtherRegion: the SubscribeURL is an unsigned GET, which
// carries no region; it confirms a topic of any region.
func TestConfirmLinkOtherRegion(t *testing.T) {
	e := newEnv(t)
	eu := sns.NewFromConfig(e.srv.AWSConfigFor("test", "eu-west-1"))
	topic, err := eu.CreateTopic(e.ctx, &sns.CreateTopicInput{Name: aws.String("eu")})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := eu.Subscribe(e.ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("email"), Endpoint: aws.String("eu@example.com"), ReturnSubscriptionArn: true})
	if err != nil {
		t.Fatal(err)
	}
	link := e.outbox().Messages[0].SubscribeUrl
	if !strings.HasPrefix(link, e.srv.URL()+"/?Action=ConfirmSubscription&TopicArn=") {
		t.Fatalf("SubscribeURL %s", link)
	}
	// A wrong token, or a malformed topic, is refused; a link naming another
	// (even nonexistent) topic with the right token confirms, as AWS does.
	token := link[strings.Index(link, "Token=")+len("Token="):]
	for _, bad := range []struct{ query, msg string }{
		{"TopicArn=" + *topic.TopicArn + "&Token=" + strings.Repeat("0", len(token)), "Invalid parameter: Token"},
		{"TopicArn=nope&Token=" + token, "Invalid parameter: Topic"},
	} {
		resp, err := http.Get(e.srv.URL() + "/?Action=ConfirmSubscription&" + bad.query)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(body), bad.msg) {
			t.Fatalf("%s: %d %s", bad.query, resp.StatusCode, body)
		}
	}
	link = e.srv.URL() + "/?Action=ConfirmSubscription&TopicArn=" + *topic.TopicArn + "x&Token=" + token
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), *sub.SubscriptionArn) {
		t.Fatalf("confirm link: %d %s", resp.StatusCode, body)
	}
	a, err := eu.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: sub.SubscriptionArn})
	if err != nil || a.Attributes["PendingConfirmation"] != "false" || a.Attributes["ConfirmationWasAuthenticated"] != "false" {
		t.Fatalf("after the link: %v %v", a, err)
	}
}

// TestHTTPThrottlePolicy: with maxReceivesPerSecond 1, deliveries beyond
// the first wait on the service clock; advancing it releases them.
func TestHTTPThrottlePolicy(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("slow", map[string]string{"DeliveryPolicy": `{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":1}}}`})
	ep := newEndpoint(t, false)
	e.subscribe(topic, "http", ep.srv.URL, nil)
	waitFor(t, "confirmation", func() bool {
		a, _ := e.sns.GetTopicAttributes(e.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
		return a != nil && a.Attributes["SubscriptionsConfirmed"] == "1"
	})
	for i := range 3 {
		e.publish(&sns.PublishInput{TopicArn: aws.String(topic), Message: aws.String(fmt.Sprint(i))})
	}
	waitFor(t, "first delivery", func() bool { n, _ := ep.messages("Notification"); return len(n) >= 1 })
	for range 3 {
		e.srv.Advance(t, time.Second)
	}
	waitFor(t, "all deliveries", func() bool { n, _ := ep.messages("Notification"); return len(n) == 3 })
}

// TestPendingSubscriptionExpires: AWS deletes a subscription left pending
// for 48 hours; a confirmed one stays.
func TestPendingSubscriptionExpires(t *testing.T) {
	e := newEnv(t)
	topic := e.topic("expiring", nil)
	pending := e.subscribe(topic, "email", "late@example.com", nil)
	confirmed := e.subscribe(topic, "email", "quick@example.com", nil)
	link := e.outbox().Messages[1].SubscribeUrl
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	e.srv.Advance(t, 47*time.Hour)
	if _, err := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(pending)}); err != nil {
		t.Fatalf("deleted before 48 hours: %v", err)
	}
	e.srv.Advance(t, time.Hour)
	waitFor(t, "the pending subscription's deletion", func() bool {
		_, err := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(pending)})
		return err != nil
	})
	if _, err := e.sns.GetSubscriptionAttributes(e.ctx, &sns.GetSubscriptionAttributesInput{SubscriptionArn: aws.String(confirmed)}); err != nil {
		t.Fatalf("confirmed subscription: %v", err)
	}
}
