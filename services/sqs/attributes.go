package sqs

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// Queue attributes. A queue keeps the attributes that can be set in their
// canonical string form (queue.mu.attrs, also the queue record's), with
// defaults filled in at creation, and the parsed queueConfig beside them.
// Attributes that are computed (counts, ARN, timestamps) are rendered on
// GetQueueAttributes.

// queueConfig is a queue's settable attributes, parsed.
type queueConfig struct {
	delay        int // seconds
	maxSize      int // bytes
	retention    int // seconds
	wait         int // seconds
	visibility   int // seconds
	redrive      *redrivePolicy
	contentDedup bool
	dedupScope   string // "queue" or "messageGroup"
}

// intRange is an integer attribute's bounds.
type intRange struct{ min, max int }

var intAttrs = map[string]intRange{
	"DelaySeconds":                  {0, 900},
	"MaximumMessageSize":            {1024, 1048576},
	"MessageRetentionPeriod":        {60, 1209600},
	"ReceiveMessageWaitTimeSeconds": {0, 20},
	"VisibilityTimeout":             {0, 43200},
	"KmsDataKeyReusePeriodSeconds":  {60, 86400},
}

// computedAttrs are read-only: GetQueueAttributes returns them, and setting
// one is an unknown attribute, as in AWS.
var computedAttrs = []string{
	"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
	"ApproximateNumberOfMessagesDelayed", "CreatedTimestamp",
	"LastModifiedTimestamp", "QueueArn",
}

// fifoOnlyAttrs may only be set on FIFO queues.
var fifoOnlyAttrs = map[string]bool{"ContentBasedDeduplication": true, "DeduplicationScope": true, "FifoThroughputLimit": true}

// defaultAttrs are a new queue's settable attributes (recorded from AWS:
// MaximumMessageSize is 1 MiB since 2025, SqsManagedSseEnabled is on).
func defaultAttrs(fifo bool) map[string]string {
	a := map[string]string{
		"DelaySeconds":                  "0",
		"MaximumMessageSize":            "1048576",
		"MessageRetentionPeriod":        "345600",
		"ReceiveMessageWaitTimeSeconds": "0",
		"VisibilityTimeout":             "30",
		"SqsManagedSseEnabled":          "true",
	}
	if fifo {
		a["FifoQueue"] = "true"
		a["ContentBasedDeduplication"] = "false"
		a["DeduplicationScope"] = "queue"
		a["FifoThroughputLimit"] = "perQueue"
	}
	return a
}

// canonicalAttrs checks the attributes a request sets and returns them in
// canonical form ("" for a value that removes the attribute). creating says
// whether the queue is being created (FifoQueue may be given then).
func (s *Service) canonicalAttrs(ctx context.Context, k queueKey, fifo, creating bool, in map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(in))
	names := make([]string, 0, len(in))
	for n := range in {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := in[n]
		if r, ok := intAttrs[n]; ok {
			i, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || i < r.min || i > r.max {
				return nil, invalidAttributeValue("Invalid value for the parameter %s.", n)
			}
			out[n] = strconv.Itoa(i)
			continue
		}
		switch n {
		case "FifoQueue":
			// Recorded (test_set_unsupported_attribute_*): on a standard
			// queue the attribute is unknown; on a FIFO queue "true" is
			// accepted and anything else would change the queue's type.
			if !fifo {
				return nil, invalidAttributeName("Unknown Attribute FifoQueue.")
			}
			if b, ok := parseBool(v); !ok || !b {
				return nil, invalidAttributeValue("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")
			}
			out[n] = "true"
		case "ContentBasedDeduplication":
			if !fifo {
				return nil, invalidAttributeName("Unknown Attribute ContentBasedDeduplication.")
			}
			b, ok := parseBool(v)
			if !ok {
				return nil, invalidAttributeValue("Invalid value for the parameter %s.", n)
			}
			out[n] = strconv.FormatBool(b)
		case "DeduplicationScope", "FifoThroughputLimit":
			if !fifo {
				return nil, invalidAttributeName("You can specify the %s only when FifoQueue is set to true.", n)
			}
			allowed := map[string]bool{"queue": true, "messageGroup": true}
			if n == "FifoThroughputLimit" {
				allowed = map[string]bool{"perQueue": true, "perMessageGroupId": true}
			}
			if !allowed[v] {
				return nil, invalidAttributeValue("Invalid value for the parameter %s.", n)
			}
			out[n] = v
		case "SqsManagedSseEnabled":
			b, ok := parseBool(v)
			if !ok {
				return nil, invalidAttributeValue("Invalid value for the parameter %s.", n)
			}
			if b && in["KmsMasterKeyId"] != "" {
				return nil, invalidAttributeName("You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.")
			}
			out[n] = strconv.FormatBool(b)
		case "KmsMasterKeyId":
			out[n] = v
		case "Policy":
			if v != "" && !json.Valid([]byte(v)) {
				return nil, invalidAttributeValue("Invalid value for the parameter Policy.")
			}
			out[n] = v
		case "RedrivePolicy":
			c, err := s.checkRedrivePolicy(k, fifo, v)
			if err != nil {
				return nil, err
			}
			out[n] = c
		case "RedriveAllowPolicy":
			c, err := checkRedriveAllowPolicy(v)
			if err != nil {
				return nil, err
			}
			out[n] = c
		default:
			return nil, invalidAttributeName("Unknown Attribute %s.", n)
		}
	}
	return out, nil
}

// mergeAttrs applies canonical changes to cur (a copy is returned), with the
// encryption attributes' interplay: a KMS key turns SQS-managed SSE off (and
// brings a key reuse period), SQS-managed SSE on removes the KMS settings.
func mergeAttrs(cur, set map[string]string) map[string]string {
	out := make(map[string]string, len(cur)+len(set))
	for k, v := range cur {
		out[k] = v
	}
	for k, v := range set {
		switch {
		case k == "KmsMasterKeyId" && v == "":
			delete(out, "KmsMasterKeyId")
			delete(out, "KmsDataKeyReusePeriodSeconds")
		case k == "KmsMasterKeyId":
			out[k] = v
			out["SqsManagedSseEnabled"] = "false"
			if _, ok := out["KmsDataKeyReusePeriodSeconds"]; !ok {
				out["KmsDataKeyReusePeriodSeconds"] = "300"
			}
		case k == "SqsManagedSseEnabled" && v == "true":
			out[k] = v
			delete(out, "KmsMasterKeyId")
			delete(out, "KmsDataKeyReusePeriodSeconds")
		case v == "" && (k == "Policy" || k == "RedrivePolicy" || k == "RedriveAllowPolicy"):
			delete(out, k)
		default:
			out[k] = v
		}
	}
	if _, ok := out["KmsMasterKeyId"]; !ok {
		delete(out, "KmsDataKeyReusePeriodSeconds")
	}
	return out
}

// parseConfig reads the canonical attributes into a queueConfig.
func parseConfig(a map[string]string) queueConfig {
	atoi := func(n string) int { i, _ := strconv.Atoi(a[n]); return i }
	c := queueConfig{
		delay:        atoi("DelaySeconds"),
		maxSize:      atoi("MaximumMessageSize"),
		retention:    atoi("MessageRetentionPeriod"),
		wait:         atoi("ReceiveMessageWaitTimeSeconds"),
		visibility:   atoi("VisibilityTimeout"),
		contentDedup: a["ContentBasedDeduplication"] == "true",
		dedupScope:   a["DeduplicationScope"],
	}
	if v := a["RedrivePolicy"]; v != "" {
		var p redrivePolicyJSON
		if json.Unmarshal([]byte(v), &p) == nil {
			n, _ := strconv.Atoi(strings.Trim(string(p.MaxReceiveCount), `"`))
			c.redrive = &redrivePolicy{target: p.DeadLetterTargetArn, maxReceiveCount: n}
		}
	}
	return c
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// attrNames are the attributes GetQueueAttributes knows.
var attrNames = map[string]bool{
	"All": true, "Policy": true, "VisibilityTimeout": true, "MaximumMessageSize": true,
	"MessageRetentionPeriod": true, "ApproximateNumberOfMessages": true,
	"ApproximateNumberOfMessagesNotVisible": true, "CreatedTimestamp": true,
	"LastModifiedTimestamp": true, "QueueArn": true, "ApproximateNumberOfMessagesDelayed": true,
	"DelaySeconds": true, "ReceiveMessageWaitTimeSeconds": true, "RedrivePolicy": true,
	"FifoQueue": true, "ContentBasedDeduplication": true, "KmsMasterKeyId": true,
	"KmsDataKeyReusePeriodSeconds": true, "DeduplicationScope": true, "FifoThroughputLimit": true,
	"RedriveAllowPolicy": true, "SqsManagedSseEnabled": true,
}

// GetQueueAttributes returns the attributes asked for; the counts are
// brought up to the present first.
func (s *Service) GetQueueAttributes(ctx context.Context, in *sqsapi.GetQueueAttributesRequest) (*sqsapi.GetQueueAttributesResult, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range in.AttributeNames {
		if !attrNames[n] {
			return nil, invalidAttributeName("Unknown Attribute %s.", n)
		}
		want[n] = true
	}
	if len(want) == 0 {
		return &sqsapi.GetQueueAttributesResult{}, nil
	}
	all := q.attributes()
	// A queue without any of the attributes asked for (Policy on a queue
	// without one) answers no Attributes at all, as AWS does over JSON
	// (recorded get-queue-policy-attribute-after-removal), not "Attributes": {}.
	var out map[string]string
	for n, v := range all {
		if want["All"] || want[n] {
			if out == nil {
				out = map[string]string{}
			}
			out[n] = v
		}
	}
	return &sqsapi.GetQueueAttributesResult{Attributes: out}, nil
}

// attributes renders every attribute of q at this moment.
func (q *queue) attributes() map[string]string {
	now := q.svc.now()
	q.mu.Lock()
	expired := q.advanceLocked(now)
	out := make(map[string]string, len(q.mu.attrs)+6)
	for k, v := range q.mu.attrs {
		out[k] = v
	}
	vis, notVis, delayed := q.countsLocked()
	modified := q.mu.modified
	q.mu.Unlock()
	if len(expired) > 0 {
		q.svc.dropExpired(q, expired)
	}
	out["ApproximateNumberOfMessages"] = strconv.Itoa(vis)
	out["ApproximateNumberOfMessagesNotVisible"] = strconv.Itoa(notVis)
	out["ApproximateNumberOfMessagesDelayed"] = strconv.Itoa(delayed)
	out["CreatedTimestamp"] = strconv.FormatInt(q.created.Unix(), 10)
	out["LastModifiedTimestamp"] = strconv.FormatInt(modified.Unix(), 10)
	out["QueueArn"] = q.arn
	return out
}

// SetQueueAttributes changes settable attributes; a refused request changes
// nothing.
func (s *Service) SetQueueAttributes(ctx context.Context, in *sqsapi.SetQueueAttributesRequest) (*sqsapi.SetQueueAttributesOutput, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	set, err := s.canonicalAttrs(ctx, q.key, q.fifo, false, in.Attributes)
	if err != nil {
		return nil, err
	}
	if err := s.updateQueue(ctx, q, func() { q.setAttrsLocked(set) }); err != nil {
		return nil, err
	}
	return &sqsapi.SetQueueAttributesOutput{}, nil
}

// setAttrsLocked applies canonical changes and re-parses the configuration.
func (q *queue) setAttrsLocked(set map[string]string) {
	q.mu.attrs = mergeAttrs(q.mu.attrs, set)
	old := q.mu.cfg
	q.mu.cfg = parseConfig(q.mu.attrs)
	q.mu.modified = q.svc.now()
	if old.retention != q.mu.cfg.retention {
		q.armLocked(q.mu.modified)
	}
}

// updateQueue changes q's settings under its lock and writes its record:
// the record is encoded under the lock, applied after it is released.
// Concurrent updates of one queue may reach the store out of order; the
// record written last is then older than memory until the next update — a
// documented gap of queue settings, never of messages.
func (s *Service) updateQueue(ctx context.Context, q *queue, change func()) error {
	q.mu.Lock()
	if q.mu.closed {
		q.mu.Unlock()
		return queueDoesNotExist(call(ctx).Protocol)
	}
	change()
	b, err := q.recordLocked()
	q.mu.Unlock()
	if err != nil {
		return err
	}
	return s.apply(ctx, b)
}
