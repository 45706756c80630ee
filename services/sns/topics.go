package sns

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	snsapi "github.com/fogbank/fogbank/internal/api/sns"
	"github.com/fogbank/fogbank/internal/store"
)

// Topics: CreateTopic, DeleteTopic, GetTopicAttributes, SetTopicAttributes,
// ListTopics, tags, permissions and the data protection policy.

// topic is one topic. Fields are guarded by Service.mu; the exported ones
// are its record.
type topic struct {
	ARN, Account, Region, Name string
	Fifo                       bool
	// Attrs are the attributes set by the user (not the derived ones).
	Attrs map[string]string
	// Tags keep their insertion order, as ListTagsForResource answers.
	Tags                 []tag
	DataProtectionPolicy string
	Created              time.Time
	// Deleted counts subscriptions deleted, for SubscriptionsDeleted.
	Deleted int `json:",omitempty"`
	// ArchiveStart is BeginningArchiveTime: when an ArchivePolicy was
	// first set (zero without one).
	ArchiveStart time.Time `json:",omitzero"`

	// subs are the topic's subscription ARNs (derived from subscriptions).
	subs []string
	// seq is the last FIFO sequence number handed out.
	seq uint64
	// dedup holds the FIFO deduplication ids seen in the last 5 minutes
	// (each also a record, so a restart keeps them); dedupOrder is their
	// insertion order, so expiry pops from the front.
	dedup      map[string]dedupEntry
	dedupOrder []string
}

type tag struct{ Key, Value string }

// dedupEntry is a FIFO deduplication id's first message (a record).
type dedupEntry struct {
	MessageID string    `json:"id"`
	Seq       uint64    `json:"seq"`
	Expires   time.Time `json:"expires"`
}

// expireDedup forgets the deduplication ids whose window has passed and
// returns them (their records are to be deleted). Called with s.mu held.
func (t *topic) expireDedup(now time.Time) []string {
	var gone []string
	for len(t.dedupOrder) > 0 {
		id := t.dedupOrder[0]
		d, ok := t.dedup[id]
		if ok && !now.After(d.Expires) {
			break
		}
		t.dedupOrder = t.dedupOrder[1:]
		if ok {
			delete(t.dedup, id)
			gone = append(gone, id)
		}
	}
	return gone
}

// init sets up what a record does not hold. FIFO sequence numbers must
// grow across restarts without a write per publish: they start at the
// service clock in nanoseconds, which only moves forward.
func (t *topic) init(now time.Time) {
	if t.Attrs == nil {
		t.Attrs = map[string]string{}
	}
	t.dedup = map[string]dedupEntry{}
	t.seq = uint64(now.UnixNano())
}

// noteArchive keeps BeginningArchiveTime in step with the ArchivePolicy.
func (t *topic) noteArchive(now time.Time) {
	switch {
	case archiveDays(t.Attrs["ArchivePolicy"]) == 0:
		t.ArchiveStart = time.Time{}
	case t.ArchiveStart.IsZero():
		t.ArchiveStart = now.UTC()
	}
}

// topicAttrNames are the attributes SetTopicAttributes and CreateTopic accept.
var topicAttrNames = map[string]bool{
	"DisplayName": true, "Policy": true, "DeliveryPolicy": true, "KmsMasterKeyId": true,
	"SignatureVersion": true, "TracingConfig": true, "ContentBasedDeduplication": true,
	"ArchivePolicy": true, "FifoThroughputScope": true, "FifoTopic": true, "DataProtectionPolicy": true,
	"HTTPSuccessFeedbackRoleArn": true, "HTTPSuccessFeedbackSampleRate": true, "HTTPFailureFeedbackRoleArn": true,
	"LambdaSuccessFeedbackRoleArn": true, "LambdaSuccessFeedbackSampleRate": true, "LambdaFailureFeedbackRoleArn": true,
	"SQSSuccessFeedbackRoleArn": true, "SQSSuccessFeedbackSampleRate": true, "SQSFailureFeedbackRoleArn": true,
	"ApplicationSuccessFeedbackRoleArn": true, "ApplicationSuccessFeedbackSampleRate": true, "ApplicationFailureFeedbackRoleArn": true,
	"FirehoseSuccessFeedbackRoleArn": true, "FirehoseSuccessFeedbackSampleRate": true, "FirehoseFailureFeedbackRoleArn": true,
}

var topicNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func topicARN(account, region, name string) string {
	return "arn:" + partition(region) + ":sns:" + region + ":" + account + ":" + name
}

func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// CreateTopic creates a topic, or returns the ARN of an existing one whose
// attributes and tags agree with the request.
func (s *Service) CreateTopic(ctx context.Context, in *snsapi.CreateTopicInput) (*snsapi.CreateTopicResponse, error) {
	c := call(ctx)
	name := api.ToString(in.Name)
	fifo := strings.EqualFold(in.Attributes["FifoTopic"], "true")
	base := name
	if fifo {
		if !strings.HasSuffix(name, ".fifo") {
			return nil, invalidParam("Topic Name")
		}
		base = strings.TrimSuffix(name, ".fifo")
	}
	if !topicNameRE.MatchString(base) || len(name) > 256 {
		return nil, invalidParam("Topic Name")
	}
	attrs := map[string]string{}
	for k, v := range in.Attributes {
		if !topicAttrNames[k] {
			return nil, invalidParam("Attributes Reason: Unknown attribute %s", k)
		}
		if k == "FifoTopic" || k == "DataProtectionPolicy" {
			continue
		}
		if err := checkTopicAttr(k, v, fifo); err != nil {
			return nil, err
		}
		attrs[k] = v
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	arn := topicARN(c.Account, c.Region, name)

	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.RLock()
	old := s.mu.topics[arn]
	if old != nil {
		defer s.mu.RUnlock()
		for k, v := range attrs {
			if old.Attrs[k] != v {
				return nil, invalidParam("Attributes Reason: Topic already exists with different attributes")
			}
		}
		for _, tg := range in.Tags {
			found := false
			for _, ot := range old.Tags {
				if ot.Key == api.ToString(tg.Key) && ot.Value == api.ToString(tg.Value) {
					found = true
				}
			}
			if !found {
				return nil, invalidParam("Tags Reason: Topic already exists with different tags")
			}
		}
		return &snsapi.CreateTopicResponse{TopicArn: api.String(arn)}, nil
	}
	s.mu.RUnlock()
	t := &topic{ARN: arn, Account: c.Account, Region: c.Region, Name: name, Fifo: fifo, Attrs: attrs, Created: s.now()}
	t.Tags = mergeTags(nil, in.Tags)
	t.noteArchive(s.now())
	if in.DataProtectionPolicy != nil {
		t.DataProtectionPolicy = *in.DataProtectionPolicy
	} else if v, ok := in.Attributes["DataProtectionPolicy"]; ok {
		t.DataProtectionPolicy = v
	}
	t.init(s.now())
	var b store.Batch
	if err := putJSON(&b, topicKey(arn), t); err != nil {
		return nil, err
	}
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.mu.topics[arn] = t
	s.mu.Unlock()
	return &snsapi.CreateTopicResponse{TopicArn: api.String(arn)}, nil
}

// checkTopicAttr checks one attribute's value.
func checkTopicAttr(name, v string, fifo bool) error {
	switch name {
	case "ContentBasedDeduplication":
		if !fifo {
			return invalidParam("Attributes Reason: Content based deduplication can only be set for FIFO topics")
		}
		if v != "true" && v != "false" {
			return invalidParam("Attributes Reason: ContentBasedDeduplication: Invalid value [%s]. Must be true or false.", v)
		}
	case "ArchivePolicy", "FifoThroughputScope":
		if !fifo {
			return invalidParam("Attributes Reason: %s can only be set for FIFO topics", name)
		}
		if name == "ArchivePolicy" {
			return checkArchivePolicy(v)
		}
	case "SignatureVersion":
		if v != "1" && v != "2" {
			return invalidParam("Attributes Reason: SignatureVersion: Invalid value [%s]. Must be 1 or 2.", v)
		}
	case "DeliveryPolicy":
		if v != "" && !json.Valid([]byte(v)) {
			return invalidParam("Attributes Reason: DeliveryPolicy: failed to parse JSON.")
		}
	case "Policy":
		if v != "" && !json.Valid([]byte(v)) {
			return invalidParam("Attributes Reason: Policy: failed to parse JSON.")
		}
	}
	return nil
}

// topicFor resolves a topic ARN of the request's account and region:
// malformed → InvalidParameter, other region → "Invalid parameter:
// TopicArn", absent → NotFound.
func (s *Service) topicFor(ctx context.Context, param string, arn *string) (*topic, error) {
	a := api.ToString(arn)
	p, err := arnParts(param, a)
	if err != nil {
		return nil, err
	}
	c := call(ctx)
	if p[3] != c.Region {
		return nil, invalidParam("%s", param)
	}
	s.mu.RLock()
	t := s.mu.topics[a]
	s.mu.RUnlock()
	if t == nil {
		return nil, topicNotFound()
	}
	return t, nil
}

// DeleteTopic deletes a topic and its subscriptions; a topic that does not
// exist is not an error (recorded: test_delete_topic_idempotency).
func (s *Service) DeleteTopic(ctx context.Context, in *snsapi.DeleteTopicInput) (*snsapi.DeleteTopicOutput, error) {
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		if ae := api.AsError(err); ae.HTTPStatus() == 404 {
			return &snsapi.DeleteTopicOutput{}, nil
		}
		return nil, err
	}
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.RLock()
	subs := append([]string(nil), t.subs...)
	var b store.Batch
	for id := range t.dedup {
		b.Delete(dedupKey(t.ARN, id))
	}
	s.mu.RUnlock()
	ap := store.KeyPrefix("sns", kindArchive, t.ARN)
	if err := s.env.Store.Scan(ctx, ap, store.PrefixEnd(ap), func(k, _ []byte) error {
		b.Delete(append([]byte(nil), k...))
		return nil
	}); err != nil {
		return nil, fmt.Errorf("sns: listing archived messages: %w", err)
	}
	b.Delete(topicKey(t.ARN))
	for _, sa := range subs {
		b.Delete(subKey(sa))
	}
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	delete(s.mu.topics, t.ARN)
	for _, sa := range subs {
		delete(s.mu.subs, sa)
	}
	s.mu.Unlock()
	return &snsapi.DeleteTopicOutput{}, nil
}

// defaultDeliveryPolicy is AWS's EffectiveDeliveryPolicy of a topic that set
// none (recorded).
const defaultHealthy = `{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"}`

// healthyJSON is a healthy retry policy as AWS reports it, every member
// present, in AWS's order.
type healthyJSON struct {
	MinDelayTarget     int    `json:"minDelayTarget"`
	MaxDelayTarget     int    `json:"maxDelayTarget"`
	NumRetries         int    `json:"numRetries"`
	NumMaxDelayRetries int    `json:"numMaxDelayRetries"`
	NumNoDelayRetries  int    `json:"numNoDelayRetries"`
	NumMinDelayRetries int    `json:"numMinDelayRetries"`
	BackoffFunction    string `json:"backoffFunction"`
}

// effectiveDeliveryPolicy merges the topic's DeliveryPolicy over the default,
// as AWS reports it.
func effectiveDeliveryPolicy(set string) string {
	type httpPolicy struct {
		DefaultHealthyRetryPolicy    healthyJSON     `json:"defaultHealthyRetryPolicy"`
		DisableSubscriptionOverrides bool            `json:"disableSubscriptionOverrides"`
		DefaultThrottlePolicy        json.RawMessage `json:"defaultThrottlePolicy,omitempty"`
		DefaultRequestPolicy         struct {
			HeaderContentType string `json:"headerContentType"`
		} `json:"defaultRequestPolicy"`
	}
	var p struct {
		HTTP httpPolicy `json:"http"`
	}
	_ = json.Unmarshal([]byte(`{"http":{"defaultHealthyRetryPolicy":`+defaultHealthy+`,"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}`), &p)
	if set != "" {
		var u struct {
			HTTP *struct {
				DefaultHealthyRetryPolicy    map[string]json.RawMessage `json:"defaultHealthyRetryPolicy"`
				DisableSubscriptionOverrides *bool                      `json:"disableSubscriptionOverrides"`
				DefaultThrottlePolicy        json.RawMessage            `json:"defaultThrottlePolicy"`
				DefaultRequestPolicy         *struct {
					HeaderContentType string `json:"headerContentType"`
				} `json:"defaultRequestPolicy"`
			} `json:"http"`
		}
		if json.Unmarshal([]byte(set), &u) == nil && u.HTTP != nil {
			if u.HTTP.DefaultHealthyRetryPolicy != nil {
				raw, _ := json.Marshal(u.HTTP.DefaultHealthyRetryPolicy)
				_ = json.Unmarshal(raw, &p.HTTP.DefaultHealthyRetryPolicy)
			}
			if u.HTTP.DisableSubscriptionOverrides != nil {
				p.HTTP.DisableSubscriptionOverrides = *u.HTTP.DisableSubscriptionOverrides
			}
			p.HTTP.DefaultThrottlePolicy = u.HTTP.DefaultThrottlePolicy
			if u.HTTP.DefaultRequestPolicy != nil && u.HTTP.DefaultRequestPolicy.HeaderContentType != "" {
				p.HTTP.DefaultRequestPolicy.HeaderContentType = u.HTTP.DefaultRequestPolicy.HeaderContentType
			}
		}
	}
	out, _ := json.Marshal(p)
	return string(out)
}

// defaultPolicy is the policy AWS gives a new topic (recorded).
func defaultPolicy(t *topic) string {
	p := map[string]any{
		"Version": "2008-10-17",
		"Id":      "__default_policy_ID",
		"Statement": []any{map[string]any{
			"Sid":       "__default_statement_ID",
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": "*"},
			"Action": []string{"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
				"SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"},
			"Resource":  t.ARN,
			"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceOwner": t.Account}},
		}},
	}
	out, _ := json.Marshal(p)
	return string(out)
}

func (t *topic) policy() string {
	if p, ok := t.Attrs["Policy"]; ok && p != "" {
		return p
	}
	return defaultPolicy(t)
}

// GetTopicAttributes returns the set attributes and the derived ones.
func (s *Service) GetTopicAttributes(ctx context.Context, in *snsapi.GetTopicAttributesInput) (*snsapi.GetTopicAttributesResponse, error) {
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string]string{"DisplayName": ""}
	for k, v := range t.Attrs {
		out[k] = v
	}
	out["Owner"] = t.Account
	out["TopicArn"] = t.ARN
	out["Policy"] = t.policy()
	out["EffectiveDeliveryPolicy"] = effectiveDeliveryPolicy(t.Attrs["DeliveryPolicy"])
	if out["DeliveryPolicy"] == "" {
		delete(out, "DeliveryPolicy")
	}
	confirmed, pending := 0, 0
	for _, sa := range t.subs {
		if sub := s.mu.subs[sa]; sub != nil {
			if sub.Pending {
				pending++
			} else {
				confirmed++
			}
		}
	}
	out["SubscriptionsConfirmed"] = strconv.Itoa(confirmed)
	out["SubscriptionsPending"] = strconv.Itoa(pending)
	out["SubscriptionsDeleted"] = strconv.Itoa(t.Deleted)
	if !t.ArchiveStart.IsZero() {
		out["BeginningArchiveTime"] = t.ArchiveStart.UTC().Format(time.RFC3339Nano)
	}
	if t.Fifo {
		out["FifoTopic"] = "true"
		if out["ContentBasedDeduplication"] == "" {
			out["ContentBasedDeduplication"] = "false"
		}
	}
	return &snsapi.GetTopicAttributesResponse{Attributes: out}, nil
}

// SetTopicAttributes sets one attribute; an empty value unsets it.
func (s *Service) SetTopicAttributes(ctx context.Context, in *snsapi.SetTopicAttributesInput) (*snsapi.SetTopicAttributesOutput, error) {
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		return nil, err
	}
	name, v := api.ToString(in.AttributeName), api.ToString(in.AttributeValue)
	if !topicAttrNames[name] || name == "FifoTopic" {
		return nil, invalidParam("AttributeName")
	}
	if err := checkTopicAttr(name, v, t.Fifo); err != nil {
		ae := api.AsError(err)
		ae.Message = strings.Replace(ae.Message, "Attributes Reason: ", "", 1)
		return nil, ae
	}
	err = s.updateTopic(ctx, t, func(t *topic) {
		switch {
		case name == "DataProtectionPolicy":
			t.DataProtectionPolicy = v
		case v == "" && name != "DisplayName", name == "ArchivePolicy" && v == "{}":
			delete(t.Attrs, name)
		default:
			t.Attrs[name] = v
		}
		t.noteArchive(s.now())
	})
	if err != nil {
		return nil, err
	}
	return &snsapi.SetTopicAttributesOutput{}, nil
}

// updateTopic applies change to a copy of t's record, makes it durable, and
// then installs it: a failed write changes nothing.
func (s *Service) updateTopic(ctx context.Context, t *topic, change func(*topic)) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.RLock()
	if s.mu.topics[t.ARN] != t {
		s.mu.RUnlock()
		return topicNotFound()
	}
	cp := *t
	cp.Attrs = make(map[string]string, len(t.Attrs))
	for k, v := range t.Attrs {
		cp.Attrs[k] = v
	}
	cp.Tags = append([]tag(nil), t.Tags...)
	s.mu.RUnlock()
	change(&cp)
	var b store.Batch
	if err := putJSON(&b, topicKey(t.ARN), &cp); err != nil {
		return err
	}
	if err := s.apply(ctx, &b); err != nil {
		return err
	}
	s.mu.Lock()
	t.Attrs, t.Tags, t.DataProtectionPolicy, t.ArchiveStart = cp.Attrs, cp.Tags, cp.DataProtectionPolicy, cp.ArchiveStart
	s.mu.Unlock()
	return nil
}

// pageSize is how many items the List operations return per page.
const pageSize = 100

// ListTopics lists the topics of the request's account and region, 100 a
// page, ordered by ARN.
func (s *Service) ListTopics(ctx context.Context, in *snsapi.ListTopicsInput) (*snsapi.ListTopicsResponse, error) {
	s.mu.RLock()
	arns := inScope(ctx, s.mu.topics, func(t *topic) (string, string) { return t.Account, t.Region })
	s.mu.RUnlock()
	page, next := paginate(arns, in.NextToken)
	out := &snsapi.ListTopicsResponse{Topics: []*snsapi.Topic{}, NextToken: next}
	for _, a := range page {
		out.Topics = append(out.Topics, &snsapi.Topic{TopicArn: api.String(a)})
	}
	return out, nil
}

// inScope returns the sorted keys of m whose values belong to the
// request's account and region (scope returns a value's account, region).
// The caller holds s.mu.
func inScope[V any](ctx context.Context, m map[string]V, scope func(V) (string, string)) []string {
	c := call(ctx)
	var keys []string
	for k, v := range m {
		if a, r := scope(v); a == c.Account && r == c.Region {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// paginate returns the page of sorted keys after the token (the last key of
// the previous page) and the next token.
func paginate(keys []string, token *string) ([]string, *string) {
	start := 0
	if token != nil && *token != "" {
		start = sort.SearchStrings(keys, *token)
		if start < len(keys) && keys[start] == *token {
			start++
		}
	}
	end := start + pageSize
	if end >= len(keys) {
		return keys[start:], nil
	}
	return keys[start:end], api.String(keys[end-1])
}

// Tags.

const maxTags = 50

func checkTags(tags []*snsapi.Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		k := api.ToString(t.Key)
		if seen[k] {
			return invalidParam("Duplicated keys are not allowed.")
		}
		seen[k] = true
	}
	return nil
}

// mergeTags sets tags on old, keeping the order keys were first added.
func mergeTags(old []tag, tags []*snsapi.Tag) []tag {
	out := append([]tag(nil), old...)
	for _, t := range tags {
		k, v := api.ToString(t.Key), api.ToString(t.Value)
		found := false
		for i := range out {
			if out[i].Key == k {
				out[i].Value = v
				found = true
			}
		}
		if !found {
			out = append(out, tag{k, v})
		}
	}
	return out
}

// tagTopic finds the topic a tagging call names.
func (s *Service) tagTopic(ctx context.Context, arn *string) (*topic, error) {
	t, err := s.topicFor(ctx, "ResourceArn", arn)
	if err != nil {
		if api.AsError(err).HTTPStatus() == 404 {
			return nil, snsapi.NewResourceNotFoundException("Resource does not exist")
		}
		return nil, err
	}
	return t, nil
}

// TagResource adds or replaces tags on a topic.
func (s *Service) TagResource(ctx context.Context, in *snsapi.TagResourceRequest) (*snsapi.TagResourceResponse, error) {
	t, err := s.tagTopic(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	s.mu.RLock()
	n := len(mergeTags(t.Tags, in.Tags))
	s.mu.RUnlock()
	if n > maxTags {
		return nil, snsapi.NewTagLimitExceededException("Could not complete request: tag quota of per resource exceeded")
	}
	if err := s.updateTopic(ctx, t, func(t *topic) { t.Tags = mergeTags(t.Tags, in.Tags) }); err != nil {
		return nil, err
	}
	return &snsapi.TagResourceResponse{}, nil
}

// UntagResource removes tags; absent keys are ignored.
func (s *Service) UntagResource(ctx context.Context, in *snsapi.UntagResourceRequest) (*snsapi.UntagResourceResponse, error) {
	t, err := s.tagTopic(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	err = s.updateTopic(ctx, t, func(t *topic) {
		var keep []tag
		for _, tg := range t.Tags {
			drop := false
			for _, k := range in.TagKeys {
				if k == tg.Key {
					drop = true
				}
			}
			if !drop {
				keep = append(keep, tg)
			}
		}
		t.Tags = keep
	})
	if err != nil {
		return nil, err
	}
	return &snsapi.UntagResourceResponse{}, nil
}

// ListTagsForResource lists a topic's tags in the order they were added.
func (s *Service) ListTagsForResource(ctx context.Context, in *snsapi.ListTagsForResourceRequest) (*snsapi.ListTagsForResourceResponse, error) {
	t, err := s.tagTopic(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := &snsapi.ListTagsForResourceResponse{Tags: []*snsapi.Tag{}}
	for _, tg := range t.Tags {
		out.Tags = append(out.Tags, &snsapi.Tag{Key: api.String(tg.Key), Value: api.String(tg.Value)})
	}
	return out, nil
}

// Permissions: statements in the topic's Policy, with Sid = label.

var snsActions = map[string]bool{
	"Publish": true, "Subscribe": true, "Receive": true, "GetTopicAttributes": true, "SetTopicAttributes": true,
	"AddPermission": true, "RemovePermission": true, "DeleteTopic": true, "ListSubscriptionsByTopic": true,
	"ListTopics": true, "Unsubscribe": true, "ConfirmSubscription": true, "GetSubscriptionAttributes": true,
	"SetSubscriptionAttributes": true, "ListSubscriptions": true, "TagResource": true, "UntagResource": true,
	"ListTagsForResource": true, "GetDataProtectionPolicy": true, "PutDataProtectionPolicy": true, "*": true,
}

type policyDoc struct {
	Version   string           `json:"Version"`
	ID        string           `json:"Id,omitempty"`
	Statement []map[string]any `json:"Statement"`
}

// AddPermission adds a statement allowing accounts the actions.
func (s *Service) AddPermission(ctx context.Context, in *snsapi.AddPermissionInput) (*snsapi.AddPermissionOutput, error) {
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		return nil, err
	}
	label := api.ToString(in.Label)
	var actions []string
	for _, a := range in.ActionName {
		if !snsActions[a] {
			return nil, invalidParam("Policy statement action out of service scope!")
		}
		actions = append(actions, "SNS:"+a)
	}
	var principals []string
	for _, a := range in.AWSAccountId {
		if strings.HasPrefix(a, "arn:") {
			principals = append(principals, a)
		} else {
			principals = append(principals, "arn:"+partition(t.Region)+":iam::"+a+":root")
		}
	}
	s.mu.RLock()
	var doc policyDoc
	perr := json.Unmarshal([]byte(t.policy()), &doc)
	s.mu.RUnlock()
	if perr != nil {
		doc = policyDoc{Version: "2008-10-17"}
	}
	for _, st := range doc.Statement {
		if st["Sid"] == label {
			return nil, invalidParam("Statement already exists")
		}
	}
	st := map[string]any{"Sid": label, "Effect": "Allow", "Resource": t.ARN}
	if len(principals) == 1 {
		st["Principal"] = map[string]any{"AWS": principals[0]}
	} else {
		st["Principal"] = map[string]any{"AWS": principals}
	}
	if len(actions) == 1 {
		st["Action"] = actions[0]
	} else {
		st["Action"] = actions
	}
	doc.Statement = append(doc.Statement, st)
	raw, _ := json.Marshal(doc)
	if err := s.updateTopic(ctx, t, func(t *topic) { t.Attrs["Policy"] = string(raw) }); err != nil {
		return nil, err
	}
	return &snsapi.AddPermissionOutput{}, nil
}

// RemovePermission removes the statement with the label; an unknown label
// changes nothing.
func (s *Service) RemovePermission(ctx context.Context, in *snsapi.RemovePermissionInput) (*snsapi.RemovePermissionOutput, error) {
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		return nil, err
	}
	label := api.ToString(in.Label)
	s.mu.RLock()
	var doc policyDoc
	perr := json.Unmarshal([]byte(t.policy()), &doc)
	s.mu.RUnlock()
	if perr != nil {
		return &snsapi.RemovePermissionOutput{}, nil
	}
	var keep []map[string]any
	for _, st := range doc.Statement {
		if st["Sid"] != label {
			keep = append(keep, st)
		}
	}
	if len(keep) == len(doc.Statement) {
		return &snsapi.RemovePermissionOutput{}, nil
	}
	doc.Statement = keep
	if doc.Statement == nil {
		doc.Statement = []map[string]any{}
	}
	raw, _ := json.Marshal(doc)
	if err := s.updateTopic(ctx, t, func(t *topic) { t.Attrs["Policy"] = string(raw) }); err != nil {
		return nil, err
	}
	return &snsapi.RemovePermissionOutput{}, nil
}

// PutDataProtectionPolicy stores the policy (it is not enforced).
func (s *Service) PutDataProtectionPolicy(ctx context.Context, in *snsapi.PutDataProtectionPolicyInput) (*snsapi.PutDataProtectionPolicyOutput, error) {
	t, err := s.topicFor(ctx, "ResourceArn", in.ResourceArn)
	if err != nil {
		return nil, err
	}
	v := api.ToString(in.DataProtectionPolicy)
	if v != "" && !json.Valid([]byte(v)) {
		return nil, invalidParam("DataProtectionPolicy Reason: failed to parse JSON.")
	}
	if err := s.updateTopic(ctx, t, func(t *topic) { t.DataProtectionPolicy = v }); err != nil {
		return nil, err
	}
	return &snsapi.PutDataProtectionPolicyOutput{}, nil
}

// GetDataProtectionPolicy returns the stored policy ("" when none).
func (s *Service) GetDataProtectionPolicy(ctx context.Context, in *snsapi.GetDataProtectionPolicyInput) (*snsapi.GetDataProtectionPolicyResponse, error) {
	t, err := s.topicFor(ctx, "ResourceArn", in.ResourceArn)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &snsapi.GetDataProtectionPolicyResponse{DataProtectionPolicy: api.String(t.DataProtectionPolicy)}, nil
}
