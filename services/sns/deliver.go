package sns

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	snsapi "github.com/fogbank/fogbank/internal/api/sns"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/eventpattern"
	"github.com/fogbank/fogbank/internal/uuid"
	"github.com/fogbank/fogbank/services/sqs"
)

// Delivery to each protocol.
//
//   - sqs: inline, before Publish answers, through the sqs peer's Enqueue.
//     A queue that refuses the message (it does not exist, the message does
//     not fit) is a client-side error: AWS does not retry those, and neither
//     do we: the message goes to the subscription's dead-letter queue, if it
//     has one. Other failures become a retried job.
//   - http/https and lambda: jobs of internal/delivery (durable, retried
//     with the subscription's delivery policy, then dead-lettered).
//   - email, email-json, sms, application: the outbox (outbox.go).

type eventAttr = eventpattern.Attribute

// enqueuer is the sqs peer as SNS uses it.
type enqueuer interface {
	Enqueue(ctx context.Context, queueARN string, m sqs.Message) (string, error)
}

// invoker is the lambda peer as SNS uses it (asynchronous invocation).
type invoker interface {
	InvokeAsync(ctx context.Context, functionARN string, payload []byte) (requestID string, err error)
}

// snsSenderID is the SenderId SQS reports for messages SNS delivers.
const snsSenderID = "AIDAIT2UOQQY3AUEKVGXU"

// jobKind is the delivery kind of every SNS job.
const jobKind = "sns"

// jobPayload is what an SNS delivery job carries.
type jobPayload struct {
	Sub string `json:"sub"`
	// Type is "Notification", "SubscriptionConfirmation" or
	// "UnsubscribeConfirmation".
	Type string `json:"type"`
	Note *note  `json:"note,omitempty"`
	// Snap is the subscription itself, for an UnsubscribeConfirmation
	// (sent after the subscription is gone).
	Snap *subscription `json:"snap,omitempty"`
}

// submitJobs makes delivery jobs durable and starts them.
func (s *Service) submitJobs(ctx context.Context, ps []jobPayload) error {
	if len(ps) == 0 {
		return nil
	}
	jobs := make([]delivery.Job, len(ps))
	for i := range ps {
		raw, err := json.Marshal(&ps[i])
		if err != nil {
			return fmt.Errorf("sns: encoding delivery: %w", err)
		}
		jobs[i] = delivery.Job{Kind: jobKind, Payload: raw}
	}
	if err := s.jobs.Submit(ctx, jobs...); err != nil {
		return fmt.Errorf("sns: %w", err)
	}
	return nil
}

// deliverSQS delivers n to an SQS subscription.
func (s *Service) deliverSQS(ctx context.Context, sub *subscription, n *note) {
	err := s.sendSQS(ctx, sub, n)
	if err == nil {
		return
	}
	if errors.Is(err, delivery.ErrPermanent) {
		s.deadLetter(ctx, sub, n, err)
		return
	}
	// A failure of ours (the store): retry from a durable job.
	if jerr := s.submitJobs(ctx, []jobPayload{{Sub: sub.ARN, Type: "Notification", Note: n}}); jerr != nil {
		s.env.Logger.Warn("sns: delivery to SQS lost", "subscription", sub.ARN, "err", err, "retry", jerr)
	}
}

// sendSQS makes one attempt; a refusal by SQS is delivery.Permanent.
func (s *Service) sendSQS(ctx context.Context, sub *subscription, n *note) error {
	q, ok := s.env.Peers.Lookup("sqs").(enqueuer)
	if !ok {
		return delivery.Permanent(errors.New("sqs is not available"))
	}
	m := s.sqsMessage(sub, n, sub.Endpoint)
	_, err := q.Enqueue(ctx, sub.Endpoint, m)
	if err == nil {
		return nil
	}
	var ae *api.Error
	if errors.As(err, &ae) && ae.Sender {
		return delivery.Permanent(err)
	}
	return err
}

// sqsMessage is n as a queue with ARN queueARN receives it from sub.
func (s *Service) sqsMessage(sub *subscription, n *note, queueARN string) sqs.Message {
	m := sqs.Message{DelaySeconds: -1, SenderID: snsSenderID, TraceHeader: n.TraceHeader}
	if sub.raw() {
		m.Body = n.messageFor("sqs")
		if len(n.Attrs) > 0 {
			m.Attributes = map[string]*sqsapi.MessageAttributeValue{}
			for k, v := range n.Attrs {
				if v == nil {
					continue
				}
				m.Attributes[k] = &sqsapi.MessageAttributeValue{DataType: v.DataType, StringValue: v.StringValue, BinaryValue: v.BinaryValue}
			}
		}
	} else {
		m.Body = string(s.envelope(sub, n, "Notification"))
	}
	if strings.HasSuffix(queueARN, ".fifo") {
		m.GroupID = n.GroupID
		m.DeduplicationID = n.DedupID
		if m.DeduplicationID == "" {
			// A standard topic's message into a FIFO queue (only through a
			// dead-letter queue): deduplicate by message id.
			m.DeduplicationID = n.MessageID
		}
		if m.GroupID == "" {
			m.GroupID = sub.ARN
		}
	}
	return m
}

// envelopeJSON is the JSON document SNS delivers (SQS, HTTP, email-json),
// in AWS's member order.
type envelopeJSON struct {
	Type              string              `json:"Type"`
	MessageID         string              `json:"MessageId"`
	SequenceNumber    string              `json:"SequenceNumber,omitempty"`
	Token             string              `json:"Token,omitempty"`
	TopicArn          string              `json:"TopicArn"`
	Subject           string              `json:"Subject,omitempty"`
	Message           string              `json:"Message"`
	SubscribeURL      string              `json:"SubscribeURL,omitempty"`
	Timestamp         string              `json:"Timestamp"`
	SignatureVersion  string              `json:"SignatureVersion"`
	Signature         string              `json:"Signature"`
	SigningCertURL    string              `json:"SigningCertURL"`
	UnsubscribeURL    string              `json:"UnsubscribeURL,omitempty"`
	MessageAttributes map[string]attrJSON `json:"MessageAttributes,omitempty"`
}

type attrJSON struct {
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// envelopeAttrs maps message attributes to the envelope's Type/Value form
// (binary values base64).
func envelopeAttrs(attrs map[string]*snsapi.MessageAttributeValue) map[string]attrJSON {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]attrJSON, len(attrs))
	for k, v := range attrs {
		if v == nil {
			continue
		}
		val := api.ToString(v.StringValue)
		if v.BinaryValue != nil {
			val = base64.StdEncoding.EncodeToString(v.BinaryValue)
		}
		out[k] = attrJSON{Type: api.ToString(v.DataType), Value: val}
	}
	return out
}

// links are the URLs a delivery to sub carries.
// The links have AWS's shape, <endpoint>/?Action=…: a plain GET of them is
// an unsigned query request that the pipeline routes to ConfirmSubscription
// or Unsubscribe like any other (unsigned(ctx) tells them apart).
func (s *Service) unsubscribeURL(sub *subscription) string {
	return sub.Base + "/?Action=Unsubscribe&SubscriptionArn=" + url.QueryEscape(sub.ARN)
}

func (s *Service) subscribeURL(sub *subscription) string {
	return sub.Base + "/?Action=ConfirmSubscription&TopicArn=" + url.QueryEscape(sub.TopicARN) + "&Token=" + sub.Token
}

// envelope builds and signs the JSON document of a notification (typ
// "Notification") or a confirmation ("SubscriptionConfirmation") for sub.
func (s *Service) envelope(sub *subscription, n *note, typ string) []byte {
	s.mu.RLock()
	t := s.mu.topics[sub.TopicARN]
	fifo := t != nil && t.Fifo
	version := "1"
	if t != nil && t.Attrs["SignatureVersion"] == "2" {
		version = "2"
	}
	s.mu.RUnlock()
	e := envelopeJSON{Type: typ, TopicArn: sub.TopicARN, MessageID: n.MessageID, Timestamp: timestamp(n.Timestamp)}
	switch typ {
	case "Notification":
		e.SequenceNumber = n.Seq
		e.Subject = n.Subject
		e.Message = n.messageFor(sub.Protocol)
		e.UnsubscribeURL = s.unsubscribeURL(sub)
		e.MessageAttributes = envelopeAttrs(n.Attrs)
	case "UnsubscribeConfirmation":
		e.Token = sub.Token
		e.SubscribeURL = s.subscribeURL(sub)
		e.Message = "You have chosen to deactivate subscription " + sub.ARN + ".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message."
	default: // SubscriptionConfirmation
		e.Token = sub.Token
		e.SubscribeURL = s.subscribeURL(sub)
		e.Message = "You have chosen to subscribe to the topic " + sub.TopicARN + ".\nTo confirm the subscription, visit the SubscribeURL included in this message."
	}
	// FIFO topics' notifications carry no signature (recorded:
	// test_message_to_fifo_sqs, test_fifo_topic_to_regular_sqs).
	if !(fifo && typ == "Notification") {
		e.SignatureVersion = version
		e.SigningCertURL = sub.Base + "/_fogbank/sns/SimpleNotificationService-" + s.signer.certName() + ".pem"
		e.Signature = s.signatureFor(n, &e)
	}
	out, _ := json.Marshal(&e)
	return out
}

// signatureFor signs e. What is signed is the same for every subscription
// of one publish (the UnsubscribeURL is not signed), so a notification's
// signature is computed once per message text and version, not once per
// subscription: a fan-out to 100 queues signs once.
func (s *Service) signatureFor(n *note, e *envelopeJSON) string {
	str := stringToSign(e)
	if e.Type != "Notification" {
		sig, err := s.signer.sign(str, e.SignatureVersion)
		if err != nil {
			s.env.Logger.Warn("sns: signing", "err", err)
		}
		return sig
	}
	key := e.SignatureVersion + "\x00" + str
	n.sigMu.Lock()
	defer n.sigMu.Unlock()
	if sig, ok := n.sigs[key]; ok {
		return sig
	}
	sig, err := s.signer.sign(str, e.SignatureVersion)
	if err != nil {
		s.env.Logger.Warn("sns: signing", "err", err)
		return ""
	}
	if n.sigs == nil {
		n.sigs = map[string]string{}
	}
	n.sigs[key] = sig
	return sig
}

// stringToSign is the canonical string SNS signs: name\nvalue\n pairs in
// byte order, per message type (AWS's "Verifying the signatures of Amazon
// SNS messages").
func stringToSign(e *envelopeJSON) string {
	var b strings.Builder
	add := func(k, v string) { b.WriteString(k + "\n" + v + "\n") }
	add("Message", e.Message)
	add("MessageId", e.MessageID)
	if e.Type == "Notification" {
		if e.Subject != "" {
			add("Subject", e.Subject)
		}
		add("Timestamp", e.Timestamp)
		add("TopicArn", e.TopicArn)
		add("Type", e.Type)
		return b.String()
	}
	add("SubscribeURL", e.SubscribeURL)
	add("Timestamp", e.Timestamp)
	add("Token", e.Token)
	add("TopicArn", e.TopicArn)
	add("Type", e.Type)
	return b.String()
}

// lambdaEvent is the event a Lambda function subscribed to a topic gets.
func (s *Service) lambdaEvent(sub *subscription, n *note) []byte {
	e := envelopeJSON{}
	json.Unmarshal(s.envelope(sub, n, "Notification"), &e) //nolint:errcheck // our own JSON
	attrs := e.MessageAttributes
	if attrs == nil {
		attrs = map[string]attrJSON{}
	}
	var subject any
	if e.Subject != "" {
		subject = e.Subject
	}
	rec := map[string]any{
		"EventSource":          "aws:sns",
		"EventVersion":         "1.0",
		"EventSubscriptionArn": sub.ARN,
		"Sns": map[string]any{
			"Type": e.Type, "MessageId": e.MessageID, "TopicArn": e.TopicArn, "Subject": subject,
			"Message": e.Message, "Timestamp": e.Timestamp, "SignatureVersion": e.SignatureVersion,
			"Signature": e.Signature, "SigningCertUrl": e.SigningCertURL, "UnsubscribeUrl": e.UnsubscribeURL,
			"MessageAttributes": attrs,
		},
	}
	out, _ := json.Marshal(map[string]any{"Records": []any{rec}})
	return out
}

// jobHandler delivers SNS jobs (internal/delivery).
type jobHandler struct{ s *Service }

func (h jobHandler) payload(j *delivery.Job) (*jobPayload, *subscription, error) {
	p := &jobPayload{}
	if err := json.Unmarshal(j.Payload, p); err != nil {
		return nil, nil, delivery.Permanent(err)
	}
	h.s.mu.RLock()
	sub := h.s.mu.subs[p.Sub]
	var cp subscription
	if sub != nil {
		cp = *sub
	}
	h.s.mu.RUnlock()
	if sub == nil {
		return p, p.Snap, nil
	}
	return p, &cp, nil
}

// Deliver implements delivery.Handler.
func (h jobHandler) Deliver(ctx context.Context, j *delivery.Job) error {
	p, sub, err := h.payload(j)
	if err != nil {
		return err
	}
	if sub == nil {
		return nil // unsubscribed meanwhile: nothing to deliver
	}
	switch sub.Protocol {
	case "sqs":
		return h.s.sendSQS(ctx, sub, p.Note)
	case "lambda":
		lam, ok := h.s.env.Peers.Lookup("lambda").(invoker)
		if !ok {
			return delivery.Permanent(errors.New("lambda is not available: function not found"))
		}
		_, err := lam.InvokeAsync(ctx, sub.Endpoint, h.s.lambdaEvent(sub, p.Note))
		if err != nil {
			var ae *api.Error
			if errors.As(err, &ae) && ae.Sender && ae.HTTPStatus() != http.StatusTooManyRequests {
				return delivery.Permanent(err)
			}
			return err
		}
		return nil
	case "http", "https":
		return h.s.postHTTP(ctx, sub, p)
	}
	return nil
}

// postHTTP POSTs a notification or confirmation to an HTTP(S) endpoint.
// 2xx-4xx is delivered (AWS does not retry 4xx); 5xx, timeouts and
// connection errors are retried.
func (s *Service) postHTTP(ctx context.Context, sub *subscription, p *jobPayload) error {
	s.mu.RLock()
	rate := s.throttleRateLocked(sub)
	s.mu.RUnlock()
	if rate > 0 {
		if wait := s.throttle.reserve(sub.ARN, rate, s.now()); wait > 0 {
			if err := clock.Sleep(ctx, s.env.Clock, wait); err != nil {
				return err
			}
		}
	}
	var body []byte
	n := p.Note
	if p.Type == "Notification" && sub.raw() {
		body = []byte(n.messageFor(sub.Protocol))
	} else {
		body = s.envelope(sub, n, p.Type)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.Endpoint, bytes.NewReader(body))
	if err != nil {
		return delivery.Permanent(err)
	}
	req.Header.Set("Content-Type", s.contentType(sub))
	req.Header.Set("User-Agent", "Amazon Simple Notification Service Agent")
	req.Header.Set("x-amz-sns-message-type", p.Type)
	req.Header.Set("x-amz-sns-message-id", n.MessageID)
	req.Header.Set("x-amz-sns-topic-arn", sub.TopicARN)
	if p.Type == "Notification" {
		req.Header.Set("x-amz-sns-subscription-arn", sub.ARN)
		if sub.raw() {
			req.Header.Set("x-amz-sns-rawdelivery", "true")
		}
	}
	resp, err := s.httpc.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode >= 500 || resp.StatusCode < 200 {
		return fmt.Errorf("endpoint answered %d", resp.StatusCode)
	}
	return nil
}

// Retry implements delivery.Handler: the subscription's (else the
// topic's, else the default) delivery policy for HTTP; AWS's policy for
// AWS-managed endpoints (SQS, Lambda) otherwise.
func (h jobHandler) Retry(j *delivery.Job, _ error) (time.Duration, bool) {
	p, sub, err := h.payload(j)
	if err != nil || sub == nil {
		return 0, false
	}
	if p.Type != "Notification" {
		return delivery.Delays{20 * time.Second, 20 * time.Second, 20 * time.Second}.Delay(j.Attempts)
	}
	switch sub.Protocol {
	case "http", "https":
		h.s.mu.RLock()
		pol := h.s.httpPolicyLocked(sub)
		h.s.mu.RUnlock()
		return pol.Delay(j.Attempts)
	}
	return managedPolicy.Delay(j.Attempts)
}

// managedPolicy is AWS's delivery policy for AWS-managed endpoints (SQS,
// Lambda): 100,015 retries over 23 days.
var managedPolicy = delivery.Phases{NumRetries: 100015, NumNoDelayRetries: 3, NumMinDelayRetries: 2,
	NumMaxDelayRetries: 100000, MinDelay: time.Second, MaxDelay: 20 * time.Second, BackoffFunction: "exponential"}

// Dead implements delivery.Handler: the message goes to the subscription's
// dead-letter queue, as it would have been delivered.
func (h jobHandler) Dead(ctx context.Context, j *delivery.Job, err error) error {
	p, sub, perr := h.payload(j)
	if perr != nil || sub == nil || p.Type != "Notification" {
		return perr
	}
	h.s.deadLetter(ctx, sub, p.Note, err)
	return nil
}

// deadLetter sends n to sub's RedrivePolicy queue, or drops it (logged).
func (s *Service) deadLetter(ctx context.Context, sub *subscription, n *note, cause error) {
	var rp struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
	}
	if sub.Attrs["RedrivePolicy"] == "" || json.Unmarshal([]byte(sub.Attrs["RedrivePolicy"]), &rp) != nil || rp.DeadLetterTargetArn == "" {
		s.env.Logger.Info("sns: undeliverable message dropped", "subscription", sub.ARN, "message", n.MessageID, "err", cause)
		return
	}
	q, ok := s.env.Peers.Lookup("sqs").(enqueuer)
	if !ok {
		return
	}
	m := s.sqsMessage(sub, n, rp.DeadLetterTargetArn)
	if sub.Protocol != "sqs" && !sub.raw() {
		m.Body = string(s.envelope(sub, n, "Notification"))
	}
	if _, err := q.Enqueue(ctx, rp.DeadLetterTargetArn, m); err != nil {
		s.env.Logger.Warn("sns: dead-letter queue refused message", "subscription", sub.ARN, "dlq", rp.DeadLetterTargetArn, "err", err)
	}
}

// sendConfirmation schedules the SubscriptionConfirmation POST.
func (s *Service) sendConfirmation(ctx context.Context, sub *subscription) error {
	n := &note{MessageID: uuid.New(), TopicARN: sub.TopicARN, Timestamp: s.now().UTC()}
	return s.submitJobs(ctx, []jobPayload{{Sub: sub.ARN, Type: "SubscriptionConfirmation", Note: n}})
}

// httpPolicy.

type healthyPolicy struct {
	MinDelayTarget     *int   `json:"minDelayTarget"`
	MaxDelayTarget     *int   `json:"maxDelayTarget"`
	NumRetries         *int   `json:"numRetries"`
	NumMaxDelayRetries *int   `json:"numMaxDelayRetries"`
	NumNoDelayRetries  *int   `json:"numNoDelayRetries"`
	NumMinDelayRetries *int   `json:"numMinDelayRetries"`
	BackoffFunction    string `json:"backoffFunction"`
}

// httpPolicyLocked is the retry policy of an HTTP subscription: its own
// DeliveryPolicy's healthyRetryPolicy, unless the topic disables overrides,
// else the topic's defaultHealthyRetryPolicy, else AWS's default (3
// retries 20 s apart).
func (s *Service) httpPolicyLocked(sub *subscription) delivery.Phases {
	pol := delivery.Phases{NumRetries: 3, MinDelay: 20 * time.Second, MaxDelay: 20 * time.Second, BackoffFunction: "linear"}
	apply := func(h *healthyPolicy) {
		if h == nil {
			return
		}
		set := func(dst *int, v *int) {
			if v != nil {
				*dst = *v
			}
		}
		set(&pol.NumRetries, h.NumRetries)
		set(&pol.NumNoDelayRetries, h.NumNoDelayRetries)
		set(&pol.NumMinDelayRetries, h.NumMinDelayRetries)
		set(&pol.NumMaxDelayRetries, h.NumMaxDelayRetries)
		if h.MinDelayTarget != nil {
			pol.MinDelay = time.Duration(*h.MinDelayTarget) * time.Second
		}
		if h.MaxDelayTarget != nil {
			pol.MaxDelay = time.Duration(*h.MaxDelayTarget) * time.Second
		}
		if h.BackoffFunction != "" {
			pol.BackoffFunction = h.BackoffFunction
		}
	}
	disable := false
	if t := s.mu.topics[sub.TopicARN]; t != nil && t.Attrs["DeliveryPolicy"] != "" {
		var tp struct {
			HTTP *struct {
				DefaultHealthyRetryPolicy    *healthyPolicy `json:"defaultHealthyRetryPolicy"`
				DisableSubscriptionOverrides bool           `json:"disableSubscriptionOverrides"`
			} `json:"http"`
		}
		if json.Unmarshal([]byte(t.Attrs["DeliveryPolicy"]), &tp) == nil && tp.HTTP != nil {
			apply(tp.HTTP.DefaultHealthyRetryPolicy)
			disable = tp.HTTP.DisableSubscriptionOverrides
		}
	}
	if !disable && sub.Attrs["DeliveryPolicy"] != "" {
		var sp struct {
			HealthyRetryPolicy *healthyPolicy `json:"healthyRetryPolicy"`
		}
		if json.Unmarshal([]byte(sub.Attrs["DeliveryPolicy"]), &sp) == nil {
			apply(sp.HealthyRetryPolicy)
		}
	}
	return pol
}

// contentType is the Content-Type of HTTP deliveries: the delivery
// policy's requestPolicy.headerContentType, else text/plain.
func (s *Service) contentType(sub *subscription) string {
	ct := "text/plain; charset=UTF-8"
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.mu.topics[sub.TopicARN]; t != nil {
		var tp struct {
			HTTP struct {
				DefaultRequestPolicy struct {
					HeaderContentType string `json:"headerContentType"`
				} `json:"defaultRequestPolicy"`
			} `json:"http"`
		}
		if json.Unmarshal([]byte(t.Attrs["DeliveryPolicy"]), &tp) == nil && tp.HTTP.DefaultRequestPolicy.HeaderContentType != "" {
			ct = tp.HTTP.DefaultRequestPolicy.HeaderContentType
		}
	}
	var sp struct {
		RequestPolicy struct {
			HeaderContentType string `json:"headerContentType"`
		} `json:"requestPolicy"`
	}
	if json.Unmarshal([]byte(sub.Attrs["DeliveryPolicy"]), &sp) == nil && sp.RequestPolicy.HeaderContentType != "" {
		ct = sp.RequestPolicy.HeaderContentType
	}
	return ct
}

// subDeliveryPolicy is a subscription's DeliveryPolicy as AWS stores and
// reports it (recorded: test_subscribe_external_http_endpoint_content_type),
// in AWS's member order.
type subDeliveryPolicy struct {
	HealthyRetryPolicy json.RawMessage `json:"healthyRetryPolicy"`
	SicklyRetryPolicy  json.RawMessage `json:"sicklyRetryPolicy"`
	ThrottlePolicy     json.RawMessage `json:"throttlePolicy"`
	RequestPolicy      json.RawMessage `json:"requestPolicy,omitempty"`
	Guaranteed         bool            `json:"guaranteed"`
}

// normalizeSubDeliveryPolicy rewrites a valid subscription DeliveryPolicy
// into AWS's stored form (absent policies null).
func normalizeSubDeliveryPolicy(v string) string {
	var p subDeliveryPolicy
	if json.Unmarshal([]byte(v), &p) != nil {
		return v
	}
	for _, m := range []*json.RawMessage{&p.HealthyRetryPolicy, &p.SicklyRetryPolicy, &p.ThrottlePolicy} {
		if len(*m) == 0 {
			*m = json.RawMessage("null")
		}
	}
	out, _ := json.Marshal(&p)
	return string(out)
}

// effectiveSubPolicyLocked is an HTTP subscription's EffectiveDeliveryPolicy:
// the retry policy in force, with the subscription's request policy.
func (s *Service) effectiveSubPolicyLocked(sub *subscription) string {
	p := s.httpPolicyLocked(sub)
	healthy, _ := json.Marshal(healthyJSON{int(p.MinDelay / time.Second), int(p.MaxDelay / time.Second), p.NumRetries,
		p.NumMaxDelayRetries, p.NumNoDelayRetries, p.NumMinDelayRetries, p.BackoffFunction})
	eff := subDeliveryPolicy{HealthyRetryPolicy: healthy, SicklyRetryPolicy: json.RawMessage("null"), ThrottlePolicy: json.RawMessage("null")}
	var own subDeliveryPolicy
	if json.Unmarshal([]byte(sub.Attrs["DeliveryPolicy"]), &own) == nil {
		eff.RequestPolicy = own.RequestPolicy
		if len(own.ThrottlePolicy) > 0 {
			eff.ThrottlePolicy = own.ThrottlePolicy
		}
		if len(own.SicklyRetryPolicy) > 0 {
			eff.SicklyRetryPolicy = own.SicklyRetryPolicy
		}
		eff.Guaranteed = own.Guaranteed
	}
	out, _ := json.Marshal(&eff)
	return string(out)
}
