package sns

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	snsapi "github.com/fogbank/fogbank/internal/api/sns"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/eventpattern"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/uuid"
)

// Subscriptions: Subscribe, ConfirmSubscription, Unsubscribe, their
// attributes and the List operations.

// subscription is one subscription; fields are guarded by Service.mu and
// the exported ones are its record.
type subscription struct {
	ARN, TopicARN, Account, Region string
	Protocol, Endpoint             string
	Attrs                          map[string]string
	// Pending is true until an http/https/email subscription is confirmed.
	Pending bool
	// Token confirms the subscription (ConfirmSubscription, SubscribeURL).
	Token string
	// Base is scheme://host of the Subscribe request, for the links
	// (SubscribeURL, UnsubscribeURL, SigningCertURL) in what is delivered.
	Base string
	// Created is when the subscription was made (a pending one is deleted
	// 48 hours later).
	Created time.Time `json:",omitzero"`
	// ReplayStatus is reported once a ReplayPolicy was set (archive.go).
	ReplayStatus string `json:",omitempty"`
	// Authenticated is ConfirmationWasAuthenticated; AuthOnUnsubscribe is
	// set by ConfirmSubscription's AuthenticateOnUnsubscribe, after which
	// only a signed Unsubscribe (not the UnsubscribeURL) removes it.
	Authenticated     bool
	AuthOnUnsubscribe bool

	filter *eventpattern.Pattern
}

// subAttrNames are the attributes a subscription can have set.
var subAttrNames = map[string]bool{
	"DeliveryPolicy": true, "FilterPolicy": true, "FilterPolicyScope": true, "RawMessageDelivery": true,
	"RedrivePolicy": true, "SubscriptionRoleArn": true, "ReplayPolicy": true,
}

var protocols = map[string]bool{
	"http": true, "https": true, "email": true, "email-json": true, "sms": true, "sqs": true,
	"application": true, "lambda": true, "firehose": true,
}

// compile compiles the filter policy (already validated when set).
func (sub *subscription) compile() {
	sub.filter = nil
	if fp := sub.Attrs["FilterPolicy"]; fp != "" {
		d := eventpattern.SNSAttributes
		if sub.Attrs["FilterPolicyScope"] == "MessageBody" {
			d = eventpattern.SNSBody
		}
		if p, err := eventpattern.Compile([]byte(fp), d); err == nil {
			sub.filter = p
		}
	}
}

func (sub *subscription) raw() bool {
	return strings.EqualFold(sub.Attrs["RawMessageDelivery"], "true")
}

func newToken() string {
	var b [64]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// baseURL is scheme://host of the request in ctx.
func baseURL(ctx context.Context) string {
	c := call(ctx)
	host, scheme := "localhost:4566", "http"
	if c.Request != nil {
		if c.Request.Host != "" {
			host = c.Request.Host
		}
		if c.Request.TLS != nil {
			scheme = "https"
		}
	}
	return scheme + "://" + host
}

var (
	phoneRE  = regexp.MustCompile(`^\+?[0-9]{5,15}$`)
	lambdaRE = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$`)
)

// Subscribe subscribes an endpoint to a topic.
func (s *Service) Subscribe(ctx context.Context, in *snsapi.SubscribeInput) (*snsapi.SubscribeResponse, error) {
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		return nil, err
	}
	proto := api.ToString(in.Protocol)
	endpoint := api.ToString(in.Endpoint)
	if !protocols[proto] {
		return nil, invalidParam("Amazon SNS does not support this protocol string: %s", proto)
	}
	switch proto {
	case "sqs":
		p := strings.Split(endpoint, ":")
		if len(p) != 6 || p[0] != "arn" || p[2] != "sqs" {
			return nil, invalidParam("SQS endpoint ARN")
		}
		if strings.HasSuffix(endpoint, ".fifo") && !t.Fifo {
			return nil, invalidParam("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics")
		}
	case "sms":
		if !phoneRE.MatchString(normalizePhone(endpoint)) || strings.Contains(endpoint, "--") {
			return nil, invalidParamRaw("Invalid SMS endpoint: " + endpoint)
		}
	case "http", "https":
		if !strings.HasPrefix(strings.ToLower(endpoint), proto+"://") {
			return nil, invalidParam("Endpoint must match the specified protocol")
		}
	case "email", "email-json":
		if !strings.Contains(endpoint, "@") {
			return nil, invalidParam("Email address")
		}
	case "lambda":
		if !lambdaRE.MatchString(endpoint) {
			return nil, invalidParam("Lambda endpoint ARN")
		}
	case "application":
		s.mu.RLock()
		_, ok := s.mu.eps[endpoint]
		s.mu.RUnlock()
		if !ok {
			return nil, invalidParam("Endpoint Reason: Endpoint does not exist")
		}
	case "firehose":
		if !strings.HasPrefix(endpoint, "arn:") {
			return nil, invalidParam("Firehose endpoint ARN")
		}
	}
	if t.Fifo && proto != "sqs" && proto != "firehose" {
		return nil, invalidParam("Invalid protocol type: %s", proto)
	}
	attrs := map[string]string{}
	for k, v := range in.Attributes {
		if !subAttrNames[k] {
			return nil, invalidParam("Attributes Reason: Unknown attribute: %s", k)
		}
		if err := s.checkSubAttr(k, v, t, proto, endpoint, in.Attributes); err != nil {
			ae := api.AsError(err)
			if !strings.Contains(ae.Message, "must use a FIFO queue as DLQ") {
				ae.Message = strings.Replace(ae.Message, "Invalid parameter: ", "Invalid parameter: Attributes Reason: ", 1)
			}
			return nil, ae
		}
		attrs[k] = v
		if k == "DeliveryPolicy" && v != "" {
			attrs[k] = normalizeSubDeliveryPolicy(v)
		}
	}
	if attrs["FilterPolicy"] != "" && attrs["FilterPolicyScope"] == "" {
		attrs["FilterPolicyScope"] = "MessageAttributes"
	}

	sub, existing, err := s.createSub(ctx, t, proto, endpoint, attrs, api.ToBool(in.ReturnSubscriptionArn))
	if err != nil || existing != nil {
		return existing, err
	}
	// After the lifecycle lock: a replay calls the sqs peer and updates the
	// subscription (which takes the lock again).
	if sub.Attrs["ReplayPolicy"] != "" {
		if err := s.replay(ctx, sub); err != nil {
			return nil, err
		}
	}
	if sub.Pending {
		// AWS deletes a subscription still pending after 48 hours; the
		// deadline is a durable job, so a restart keeps it.
		if err := s.jobs.Submit(ctx, delivery.Job{Kind: expireKind, Payload: []byte(sub.ARN), Next: sub.Created.Add(pendingLifetime)}); err != nil {
			s.env.Logger.Warn("sns: scheduling the expiry of a pending subscription", "subscription", sub.ARN, "err", err)
		}
	}
	if sub.Pending && (proto == "http" || proto == "https") {
		if err := s.sendConfirmation(ctx, sub); err != nil {
			s.env.Logger.Warn("sns: scheduling subscription confirmation", "subscription", sub.ARN, "err", err)
		}
	}
	if sub.Pending && !api.ToBool(in.ReturnSubscriptionArn) {
		return &snsapi.SubscribeResponse{SubscriptionArn: api.String("pending confirmation")}, nil
	}
	return &snsapi.SubscribeResponse{SubscriptionArn: api.String(sub.ARN)}, nil
}

// createSub makes the subscription durable, or returns the answer for an
// existing one (existing != nil). It holds lifecycle.
func (s *Service) createSub(ctx context.Context, t *topic, proto, endpoint string, attrs map[string]string, returnARN bool) (*subscription, *snsapi.SubscribeResponse, error) {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.RLock()
	for _, sa := range t.subs {
		old := s.mu.subs[sa]
		if old == nil || old.Protocol != proto || old.Endpoint != endpoint {
			continue
		}
		same := true
		for k, v := range attrs {
			if old.Attrs[k] != v {
				same = false
			}
		}
		pending := old.Pending
		s.mu.RUnlock()
		if !same {
			return nil, nil, invalidParam("Attributes Reason: Subscription already exists with different attributes")
		}
		if pending && !returnARN {
			return nil, &snsapi.SubscribeResponse{SubscriptionArn: api.String("pending confirmation")}, nil
		}
		return nil, &snsapi.SubscribeResponse{SubscriptionArn: api.String(sa)}, nil
	}
	s.mu.RUnlock()

	sub := &subscription{
		ARN: t.ARN + ":" + uuid.New(), TopicARN: t.ARN, Account: t.Account, Region: t.Region,
		Protocol: proto, Endpoint: endpoint, Attrs: attrs, Token: newToken(), Base: baseURL(ctx), Created: s.now().UTC(),
	}
	switch proto {
	case "http", "https", "email", "email-json":
		sub.Pending = true
	default:
		sub.Authenticated = true
	}
	sub.compile()
	var b store.Batch
	if err := putJSON(&b, subKey(sub.ARN), sub); err != nil {
		return nil, nil, err
	}
	var box []outboxEntry
	if sub.Pending && (proto == "email" || proto == "email-json") {
		e, err := s.addOutbox(&b, s.confirmationOutbox(sub, t))
		if err != nil {
			return nil, nil, err
		}
		box = append(box, e)
	}
	if err := s.apply(ctx, &b); err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	s.mu.subs[sub.ARN] = sub
	t.subs = append(t.subs, sub.ARN)
	s.mu.Unlock()
	s.installOutbox(box)
	return sub, nil, nil
}

func normalizePhone(p string) string {
	return strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(p)
}

// checkSubAttr checks one subscription attribute, with the message
// SetSubscriptionAttributes gives (Subscribe inserts "Attributes Reason: ").
func (s *Service) checkSubAttr(name, v string, t *topic, proto, endpoint string, all map[string]string) error {
	switch name {
	case "RawMessageDelivery":
		if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
			return invalidParam("RawMessageDelivery: Invalid value [%s]. Must be true or false.", v)
		}
	case "FilterPolicyScope":
		if v != "MessageAttributes" && v != "MessageBody" {
			return invalidParam("FilterPolicyScope: Invalid value [%s]. Please use either MessageBody or MessageAttributes", v)
		}
	case "FilterPolicy":
		if v == "" {
			return nil
		}
		scope := all["FilterPolicyScope"]
		if scope == "" {
			scope = "MessageAttributes"
		}
		return checkFilterPolicy(v, scope)
	case "RedrivePolicy":
		if v == "" {
			return nil
		}
		if err := jsonError("RedrivePolicy", v); err != nil {
			return err
		}
		var rp struct {
			DeadLetterTargetArn string `json:"deadLetterTargetArn"`
		}
		_ = json.Unmarshal([]byte(v), &rp)
		p := strings.Split(rp.DeadLetterTargetArn, ":")
		if len(p) != 6 || p[0] != "arn" || p[2] != "sqs" {
			return invalidParam("RedrivePolicy: deadLetterTargetArn is an invalid arn")
		}
		if t.Fifo && strings.HasSuffix(endpoint, ".fifo") && !strings.HasSuffix(rp.DeadLetterTargetArn, ".fifo") {
			return invalidParam("RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.")
		}
	case "DeliveryPolicy":
		if v == "" {
			return nil
		}
		return jsonError("DeliveryPolicy", v)
	case "ReplayPolicy":
		return checkReplayPolicy(v, t, proto)
	}
	return nil
}

// checkFilterPolicy compiles a policy as the subscription would use it.
func checkFilterPolicy(v, scope string) error {
	if err := jsonError("FilterPolicy", v); err != nil {
		return err
	}
	d := eventpattern.SNSAttributes
	if scope == "MessageBody" {
		d = eventpattern.SNSBody
	}
	_, err := eventpattern.Compile([]byte(v), d)
	if err == nil {
		return nil
	}
	var pe *eventpattern.Error
	if !errors.As(err, &pe) {
		return invalidParam("FilterPolicy: %v", err)
	}
	reason := pe.Reason
	if pe.Column != 0 {
		reason += "\n at [Source: (String)\"" + v + "\"; line: 1, column: " + itoa(pe.Column) + "]"
	}
	if pe.Unprefixed {
		return invalidParam("%s", reason)
	}
	// Complexity and key-count limits are InvalidParameter too (recorded:
	// test_policy_complexity), not FilterPolicyLimitExceeded, which is the
	// per-account limit on filter policies.
	return invalidParam("FilterPolicy: %s", reason)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// jsonError returns AWS's (Jackson's) words for the first syntax error in
// v, or nil if v is valid JSON.
func jsonError(attr, v string) error {
	var x any
	err := json.Unmarshal([]byte(v), &x)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	const src = "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: "
	if errors.As(err, &se) && se.Offset > 0 && int(se.Offset) <= len(v) {
		i := int(se.Offset) - 1
		ch := v[i]
		if strings.Contains(se.Error(), "looking for beginning of object key string") {
			return invalidParam("%s: failed to parse JSON. Unexpected character ('%c' (code %d)): was expecting double-quote to start field name%s%d]",
				attr, ch, ch, src, i+1)
		}
		if strings.Contains(se.Error(), "looking for beginning of value") && isLetter(ch) {
			j := i
			for j < len(v) && isLetter(v[j]) {
				j++
			}
			return invalidParam("%s: failed to parse JSON. Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')%s%d]",
				attr, v[i:j], src, j+1)
		}
	}
	return invalidParam("%s: failed to parse JSON.", attr)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// subFor resolves a subscription ARN: malformed → InvalidParameter, absent
// → NotFound.
func (s *Service) subFor(param string, arn *string) (*subscription, error) {
	a := api.ToString(arn)
	if _, err := arnParts(param, a); err != nil {
		return nil, err
	}
	s.mu.RLock()
	sub := s.mu.subs[a]
	s.mu.RUnlock()
	if sub == nil {
		return nil, subNotFound()
	}
	return sub, nil
}

// ConfirmSubscription confirms a pending subscription by its token.
func (s *Service) ConfirmSubscription(ctx context.Context, in *snsapi.ConfirmSubscriptionInput) (*snsapi.ConfirmSubscriptionResponse, error) {
	if unsigned(ctx) {
		// A SubscribeURL followed by an endpoint or a browser: no
		// credentials, so no region to check the topic against (recorded
		// for a broken link: "Invalid parameter: Topic").
		//
		// AWS goes by the token: the TopicArn must only be a well-formed
		// SNS ARN (recorded: "nonexistent-token-confirm" confirms through a
		// link naming a topic that does not exist).
		if p := strings.Split(api.ToString(in.TopicArn), ":"); len(p) != 6 || p[0] != "arn" || p[2] != "sns" {
			return nil, invalidParam("Topic")
		}
		token := api.ToString(in.Token)
		s.mu.RLock()
		var t *topic
		for _, sub := range s.mu.subs {
			if sub.Token == token {
				t = s.mu.topics[sub.TopicARN]
				break
			}
		}
		s.mu.RUnlock()
		if t == nil {
			return nil, invalidParam("Token")
		}
		arn, err := s.confirm(ctx, t, token, false, false)
		if err != nil {
			return nil, err
		}
		return &snsapi.ConfirmSubscriptionResponse{SubscriptionArn: api.String(arn)}, nil
	}
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		if api.AsError(err).HTTPStatus() == 404 {
			return nil, invalidParam("Token")
		}
		return nil, err
	}
	arn, err := s.confirm(ctx, t, api.ToString(in.Token), true, strings.EqualFold(api.ToString(in.AuthenticateOnUnsubscribe), "true"))
	if err != nil {
		return nil, err
	}
	return &snsapi.ConfirmSubscriptionResponse{SubscriptionArn: api.String(arn)}, nil
}

// confirm confirms the subscription of t whose token is token;
// authenticated is whether it came through the (signed) API.
func (s *Service) confirm(ctx context.Context, t *topic, token string, authenticated, authOnUnsubscribe bool) (string, error) {
	if len(token) < 16 {
		return "", invalidParamRaw("Invalid token")
	}
	s.mu.RLock()
	var sub *subscription
	for _, sa := range t.subs {
		if x := s.mu.subs[sa]; x != nil && x.Token == token {
			sub = x
		}
	}
	s.mu.RUnlock()
	if sub == nil {
		return "", invalidParam("Token")
	}
	err := s.updateSub(ctx, sub, func(c *subscription) {
		c.Pending = false
		c.Authenticated = c.Authenticated || authenticated
		c.AuthOnUnsubscribe = c.AuthOnUnsubscribe || authOnUnsubscribe
	})
	return sub.ARN, err
}

// updateSub changes a copy of sub, makes it durable, then installs it.
func (s *Service) updateSub(ctx context.Context, sub *subscription, change func(*subscription)) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.RLock()
	if s.mu.subs[sub.ARN] != sub {
		s.mu.RUnlock()
		return subNotFound()
	}
	cp := *sub
	cp.Attrs = make(map[string]string, len(sub.Attrs))
	for k, v := range sub.Attrs {
		cp.Attrs[k] = v
	}
	s.mu.RUnlock()
	change(&cp)
	cp.compile()
	var b store.Batch
	if err := putJSON(&b, subKey(sub.ARN), &cp); err != nil {
		return err
	}
	if err := s.apply(ctx, &b); err != nil {
		return err
	}
	s.mu.Lock()
	*sub = cp
	s.mu.Unlock()
	return nil
}

// Unsubscribe deletes a subscription; an unknown one is not an error.
func (s *Service) Unsubscribe(ctx context.Context, in *snsapi.UnsubscribeInput) (*snsapi.UnsubscribeOutput, error) {
	a := api.ToString(in.SubscriptionArn)
	if a == "" {
		return nil, invalidParam("SubscriptionArn Reason: no value for required parameter")
	}
	p, err := arnParts("SubscriptionArn", a)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(p[5], ":") {
		return nil, invalidParam("SubscriptionId")
	}
	if unsigned(ctx) {
		// An UnsubscribeURL: refused once confirmed with
		// AuthenticateOnUnsubscribe, and always for SQS subscriptions
		// ("Amazon SQS queue subscriptions require authentication for
		// deletion", Unsubscribe's documentation).
		s.mu.RLock()
		sub := s.mu.subs[a]
		guarded := sub != nil && (sub.AuthOnUnsubscribe || sub.Protocol == "sqs")
		s.mu.RUnlock()
		if guarded {
			return nil, snsapi.NewAuthorizationErrorException("Unsubscribe requires authentication for this subscription")
		}
	}
	if err := s.unsubscribe(ctx, a); err != nil {
		return nil, err
	}
	return &snsapi.UnsubscribeOutput{}, nil
}

func (s *Service) unsubscribe(ctx context.Context, arn string) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.RLock()
	sub := s.mu.subs[arn]
	s.mu.RUnlock()
	if sub == nil {
		return nil
	}
	var b store.Batch
	b.Delete(subKey(arn))
	// The topic's SubscriptionsDeleted count changes in the same batch
	// (lifecycle is held, so no other write of the topic record races).
	s.mu.RLock()
	t := s.mu.topics[sub.TopicARN]
	var cp topic
	if t != nil {
		cp = *t
		cp.Deleted++
	}
	s.mu.RUnlock()
	if t != nil {
		if err := putJSON(&b, topicKey(t.ARN), &cp); err != nil {
			return err
		}
	}
	if err := s.apply(ctx, &b); err != nil {
		return err
	}
	if (sub.Protocol == "http" || sub.Protocol == "https") && !sub.Pending {
		// AWS tells the endpoint (recorded: test_subscribe_external_http_endpoint).
		s.mu.RLock()
		snap := *sub
		s.mu.RUnlock()
		snap.Token = newToken()
		n := &note{MessageID: uuid.New(), TopicARN: sub.TopicARN, Timestamp: s.now().UTC()}
		if err := s.submitJobs(ctx, []jobPayload{{Sub: arn, Type: "UnsubscribeConfirmation", Note: n, Snap: &snap}}); err != nil {
			s.env.Logger.Warn("sns: scheduling unsubscribe confirmation", "subscription", arn, "err", err)
		}
	}
	s.mu.Lock()
	delete(s.mu.subs, arn)
	if t := s.mu.topics[sub.TopicARN]; t != nil {
		for i, sa := range t.subs {
			if sa == arn {
				t.subs = append(t.subs[:i:i], t.subs[i+1:]...)
				break
			}
		}
		t.Deleted++
	}
	s.mu.Unlock()
	return nil
}

// GetSubscriptionAttributes returns a subscription's attributes.
func (s *Service) GetSubscriptionAttributes(ctx context.Context, in *snsapi.GetSubscriptionAttributesInput) (*snsapi.GetSubscriptionAttributesResponse, error) {
	sub, err := s.subFor("SubscriptionArn", in.SubscriptionArn)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string]string{}
	for k, v := range sub.Attrs {
		out[k] = v
	}
	if out["FilterPolicy"] == "" {
		// A scope set without a policy is kept but not reported (recorded:
		// test_set_subscription_filter_policy_scope).
		delete(out, "FilterPolicyScope")
	}
	if sub.ReplayStatus != "" {
		out["ReplayStatus"] = sub.ReplayStatus
	}
	out["ConfirmationWasAuthenticated"] = boolStr(sub.Authenticated)
	out["Endpoint"] = sub.Endpoint
	out["Owner"] = sub.Account
	out["PendingConfirmation"] = boolStr(sub.Pending)
	out["Protocol"] = sub.Protocol
	out["SubscriptionArn"] = sub.ARN
	out["TopicArn"] = sub.TopicARN
	out["SubscriptionPrincipal"] = "arn:" + partition(sub.Region) + ":iam::" + sub.Account + ":user/fogbank"
	if _, ok := out["RawMessageDelivery"]; !ok && (sub.Protocol == "sqs" || sub.Protocol == "http" || sub.Protocol == "https" || sub.Protocol == "firehose") {
		out["RawMessageDelivery"] = "false"
	}
	if sub.Protocol == "http" || sub.Protocol == "https" {
		out["EffectiveDeliveryPolicy"] = s.effectiveSubPolicyLocked(sub)
	}
	return &snsapi.GetSubscriptionAttributesResponse{Attributes: out}, nil
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// SetSubscriptionAttributes sets one attribute; an empty value unsets it.
func (s *Service) SetSubscriptionAttributes(ctx context.Context, in *snsapi.SetSubscriptionAttributesInput) (*snsapi.SetSubscriptionAttributesOutput, error) {
	sub, err := s.subFor("SubscriptionArn", in.SubscriptionArn)
	if err != nil {
		return nil, err
	}
	name, v := api.ToString(in.AttributeName), api.ToString(in.AttributeValue)
	if !subAttrNames[name] {
		return nil, invalidParam("AttributeName")
	}
	s.mu.RLock()
	t := s.mu.topics[sub.TopicARN]
	all := map[string]string{}
	for k, x := range sub.Attrs {
		all[k] = x
	}
	s.mu.RUnlock()
	if t == nil {
		return nil, subNotFound()
	}
	all[name] = v
	if err := s.checkSubAttr(name, v, t, sub.Protocol, sub.Endpoint, all); err != nil {
		return nil, err
	}
	if name == "FilterPolicyScope" && all["FilterPolicy"] != "" {
		if err := checkFilterPolicy(all["FilterPolicy"], v); err != nil {
			return nil, err
		}
	}
	err = s.updateSub(ctx, sub, func(c *subscription) {
		if v == "" && name != "RawMessageDelivery" {
			delete(c.Attrs, name)
			return
		}
		c.Attrs[name] = v
		if name == "DeliveryPolicy" {
			c.Attrs[name] = normalizeSubDeliveryPolicy(v)
		}
		if name == "FilterPolicy" && c.Attrs["FilterPolicyScope"] == "" {
			c.Attrs["FilterPolicyScope"] = "MessageAttributes"
		}
	})
	if err != nil {
		return nil, err
	}
	if name == "ReplayPolicy" && v != "" {
		if err := s.replay(ctx, sub); err != nil {
			return nil, err
		}
	}
	return &snsapi.SetSubscriptionAttributesOutput{}, nil
}

// ListSubscriptions lists the subscriptions of the account and region.
func (s *Service) ListSubscriptions(ctx context.Context, in *snsapi.ListSubscriptionsInput) (*snsapi.ListSubscriptionsResponse, error) {
	s.mu.RLock()
	arns := inScope(ctx, s.mu.subs, func(sub *subscription) (string, string) { return sub.Account, sub.Region })
	s.mu.RUnlock()
	page, next := paginate(arns, in.NextToken)
	return &snsapi.ListSubscriptionsResponse{Subscriptions: s.describeSubs(page), NextToken: next}, nil
}

// ListSubscriptionsByTopic lists a topic's subscriptions, 100 a page.
func (s *Service) ListSubscriptionsByTopic(ctx context.Context, in *snsapi.ListSubscriptionsByTopicInput) (*snsapi.ListSubscriptionsByTopicResponse, error) {
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	arns := append([]string(nil), t.subs...)
	s.mu.RUnlock()
	sort.Strings(arns)
	page, next := paginate(arns, in.NextToken)
	return &snsapi.ListSubscriptionsByTopicResponse{Subscriptions: s.describeSubs(page), NextToken: next}, nil
}

func (s *Service) describeSubs(arns []string) []*snsapi.Subscription {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []*snsapi.Subscription{}
	for _, a := range arns {
		sub := s.mu.subs[a]
		if sub == nil {
			continue
		}
		shown := sub.ARN
		if sub.Pending {
			shown = "PendingConfirmation"
		}
		out = append(out, &snsapi.Subscription{SubscriptionArn: api.String(shown), Owner: api.String(sub.Account),
			Protocol: api.String(sub.Protocol), Endpoint: api.String(sub.Endpoint), TopicArn: api.String(sub.TopicARN)})
	}
	return out
}

// unsigned reports whether the request carries no signature at all (a link
// from a message followed with a plain GET). Signatures are not verified,
// so any signed request counts as authenticated.
func unsigned(ctx context.Context) bool {
	c := api.CallFrom(ctx)
	if c == nil || c.Request == nil {
		return false
	}
	return c.Request.Header.Get("Authorization") == "" && c.Request.URL.Query().Get("X-Amz-Signature") == ""
}

// pendingLifetime is how long a subscription may stay pending: AWS deletes
// unconfirmed subscriptions after 48 hours (since May 2023).
const pendingLifetime = 48 * time.Hour

// expireKind is the delivery-queue kind of a pending subscription's
// deadline; its payload is the subscription ARN.
const expireKind = "sns-expire"

// expirer deletes a subscription still pending at its deadline.
type expirer struct{ s *Service }

// Deliver implements delivery.Handler.
func (x expirer) Deliver(ctx context.Context, j *delivery.Job) error {
	arn := string(j.Payload)
	x.s.mu.RLock()
	sub := x.s.mu.subs[arn]
	pending := sub != nil && sub.Pending
	x.s.mu.RUnlock()
	if !pending {
		return nil
	}
	return x.s.unsubscribe(ctx, arn)
}

// Retry implements delivery.Handler: a failed deletion is tried again
// a minute later.
func (expirer) Retry(*delivery.Job, error) (time.Duration, bool) { return time.Minute, true }

// Dead implements delivery.Handler (never reached: Retry always retries).
func (expirer) Dead(context.Context, *delivery.Job, error) error { return nil }
