package sns

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/fogbank/fogbank/internal/api"
	snsapi "github.com/fogbank/fogbank/internal/api/sns"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/uuid"
)

// Publishing. A publish is checked entirely first (nothing is delivered
// when it is refused); then each confirmed subscription whose filter policy
// matches gets the message (deliver.go).

// maxMessageBytes bounds a message, its attributes included.
const maxMessageBytes = 262144

// dedupWindow is how long a FIFO topic remembers a deduplication id.
const dedupWindow = 5 * time.Minute

// note is one published message as delivered: everything a delivery
// (possibly after a restart) needs. It is stored in delivery jobs.
type note struct {
	MessageID string `json:"id"`
	TopicARN  string `json:"topic"`
	Subject   string `json:"subject,omitempty"`
	// Message is the default message; Structure the per-protocol messages
	// of MessageStructure json (nil otherwise).
	Message   string                                   `json:"message"`
	Structure map[string]string                        `json:"structure,omitempty"`
	Attrs     map[string]*snsapi.MessageAttributeValue `json:"attrs,omitempty"`
	GroupID   string                                   `json:"group,omitempty"`
	DedupID   string                                   `json:"dedup,omitempty"`
	Seq       string                                   `json:"seq,omitempty"`
	Timestamp time.Time                                `json:"ts"`
	// TraceHeader is the publish request's X-Amzn-Trace-Id, passed on to
	// SQS as AWSTraceHeader.
	TraceHeader string `json:"trace,omitempty"`

	// sigs caches signatures by version and signed string (signatureFor);
	// deliveries of one note run concurrently.
	sigMu sync.Mutex
	sigs  map[string]string
}

// messageFor is the message a protocol receives.
func (n *note) messageFor(protocol string) string {
	if n.Structure != nil {
		if m, ok := n.Structure[protocol]; ok {
			return m
		}
		return n.Structure["default"]
	}
	return n.Message
}

// publishEntry is one message to publish, from Publish, a batch entry or
// the in-process peer call.
type publishEntry struct {
	message, subject *string
	structure        string
	attrs            map[string]*snsapi.MessageAttributeValue
	groupID, dedupID *string
}

// publishAPI is the Publish operation.
func (s *Service) publishAPI(ctx context.Context, in *snsapi.PublishInput) (*snsapi.PublishResponse, error) {
	e := publishEntry{message: in.Message, subject: in.Subject, structure: api.ToString(in.MessageStructure),
		attrs: in.MessageAttributes, groupID: in.MessageGroupId, dedupID: in.MessageDeduplicationId}
	switch {
	case in.PhoneNumber != nil:
		return s.publishSMS(ctx, api.ToString(in.PhoneNumber), e)
	case in.TargetArn != nil && in.TopicArn == nil:
		target := api.ToString(in.TargetArn)
		if strings.Contains(target, ":endpoint/") {
			return s.publishEndpoint(ctx, target, e)
		}
		if _, err := arnParts("TargetArn", target); err != nil {
			return nil, err
		}
		if s.topicByARN(target) == nil {
			return nil, invalidParam("TargetArn Reason: No endpoint found for the target arn specified")
		}
		in.TopicArn = in.TargetArn
	case in.TopicArn == nil:
		return nil, invalidParam("TopicArn or TargetArn Reason: no value for required parameter")
	}
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		return nil, err
	}
	n, err := s.prepare(t, e, false)
	if err != nil {
		return nil, err
	}
	n.TraceHeader = traceHeader(ctx)
	dup, err := s.fanOut(ctx, t, []*note{n})
	if err != nil {
		return nil, err
	}
	out := &snsapi.PublishResponse{MessageId: api.String(n.MessageID)}
	if d := dup[0]; d != nil {
		out.MessageId = api.String(d.MessageID)
		out.SequenceNumber = api.String(fmt.Sprintf("%020d", d.Seq))
	} else if n.Seq != "" {
		out.SequenceNumber = api.String(n.Seq)
	}
	return out, nil
}

func (s *Service) topicByARN(arn string) *topic {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.mu.topics[arn]
}

// publishInternal is the in-process publish of peer.go.
func (s *Service) publishInternal(ctx context.Context, topicARN string, m Message) (string, error) {
	t := s.topicByARN(topicARN)
	if t == nil {
		return "", topicNotFound()
	}
	e := publishEntry{message: &m.Body, attrs: m.Attributes}
	if m.Subject != "" {
		e.subject = &m.Subject
	}
	if m.GroupID != "" {
		e.groupID = &m.GroupID
	}
	if m.DeduplicationID != "" {
		e.dedupID = &m.DeduplicationID
	}
	n, err := s.prepare(t, e, false)
	if err != nil {
		return "", err
	}
	dup, err := s.fanOut(ctx, t, []*note{n})
	if err != nil {
		return "", err
	}
	if dup[0] != nil {
		return dup[0].MessageID, nil
	}
	return n.MessageID, nil
}

var subjectRE = regexp.MustCompile(`^[\x20-\x7e\x{a0}-\x{10ffff}]*$`)

// prepare checks an entry against the topic and returns its note. It
// changes nothing.
func (s *Service) prepare(t *topic, e publishEntry, batch bool) (*note, error) {
	msg := api.ToString(e.message)
	if msg == "" {
		return nil, invalidParam("Empty message")
	}
	if e.subject != nil {
		sub := *e.subject
		if sub == "" || utf8.RuneCountInString(sub) > 100 || !subjectRE.MatchString(sub) {
			return nil, invalidParam("Subject")
		}
	}
	if err := checkMessageAttributes(e.attrs); err != nil {
		return nil, err
	}
	if messageSize(msg, e.attrs) > maxMessageBytes {
		return nil, invalidParam("Message too long")
	}
	n := &note{MessageID: uuid.New(), TopicARN: t.ARN, Message: msg, Attrs: e.attrs, Timestamp: s.now().UTC()}
	if e.subject != nil {
		n.Subject = *e.subject
	}
	if e.structure != "" {
		if e.structure != "json" {
			return nil, invalidParam("MessageStructure")
		}
		var raw map[string]any
		if err := json.Unmarshal([]byte(msg), &raw); err != nil {
			return nil, invalidParam("Message Structure - JSON message body failed to parse")
		}
		def, ok := raw["default"].(string)
		if !ok {
			return nil, invalidParam("Message Structure - No default entry in JSON message body")
		}
		n.Structure = map[string]string{}
		for k, v := range raw {
			if str, ok := v.(string); ok {
				n.Structure[k] = str
			}
		}
		n.Message = def
	}
	if t.Fifo {
		if e.groupID == nil || *e.groupID == "" {
			return nil, invalidParam("The MessageGroupId parameter is required for FIFO topics")
		}
		n.GroupID = *e.groupID
		s.mu.RLock()
		cbd := t.Attrs["ContentBasedDeduplication"] == "true"
		s.mu.RUnlock()
		switch {
		case e.dedupID != nil:
			n.DedupID = *e.dedupID
		case cbd:
			sum := sha256.Sum256([]byte(msg))
			n.DedupID = hex.EncodeToString(sum[:])
		default:
			return nil, invalidParam("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
		}
	} else {
		if e.dedupID != nil {
			return nil, invalidParam("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type")
		}
		if e.groupID != nil {
			n.GroupID = *e.groupID
		}
	}
	return n, nil
}

// messageSize counts what the 256 KiB limit covers: the message and each
// attribute's name, type and value.
func messageSize(msg string, attrs map[string]*snsapi.MessageAttributeValue) int {
	n := len(msg)
	for k, v := range attrs {
		if v == nil {
			continue
		}
		n += len(k) + len(api.ToString(v.DataType)) + len(api.ToString(v.StringValue)) + len(v.BinaryValue)
	}
	return n
}

var attrNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// checkMessageAttributes applies SNS's attribute rules, with the recorded
// ParameterValueInvalid messages.
func checkMessageAttributes(attrs map[string]*snsapi.MessageAttributeValue) error {
	for name, v := range attrs {
		if len(name) >= 256 {
			return parameterValueInvalid("Length of message attribute name must be less than 256 bytes.")
		}
		for _, r := range name {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
				return parameterValueInvalid("Invalid non-alphanumeric character '#x%X' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.", r)
			}
		}
		switch {
		case strings.HasPrefix(name, "."):
			return parameterValueInvalid("Invalid message attribute name starting with character '.' was found.")
		case strings.HasSuffix(name, "."):
			return parameterValueInvalid("Invalid message attribute name ending with character '.' was found.")
		case strings.Contains(name, ".."):
			return parameterValueInvalid("Message attribute name can not have successive '.' character.")
		}
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "aws.") || strings.HasPrefix(lower, "amazon.") {
			if name != "AWS.SNS.MOBILE.MPNS.Type" && !strings.HasPrefix(name, "AWS.SNS.") {
				return parameterValueInvalid("The message attribute name '%s' is reserved for use by Amazon Web Services.", name)
			}
		}
		if v == nil {
			continue
		}
		dt := api.ToString(v.DataType)
		base := dt
		if i := strings.IndexByte(dt, '.'); i >= 0 {
			base = dt[:i]
		}
		switch base {
		case "String", "Number":
			if v.BinaryValue != nil && v.StringValue == nil {
				return parameterValueInvalid("The message attribute '%s' with type '%s' must use field 'String'.", name, base)
			}
			if api.ToString(v.StringValue) == "" {
				return parameterValueInvalid("The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, base)
			}
			if base == "Number" {
				if _, err := strconv.ParseFloat(strings.TrimSpace(*v.StringValue), 64); err != nil {
					return parameterValueInvalid("Could not cast message attribute '%s' value to number.", name)
				}
			}
			if dt == "String.Array" {
				var arr []any
				if json.Unmarshal([]byte(*v.StringValue), &arr) != nil {
					return parameterValueInvalid("The message attribute '%s' with type 'String.Array' must use a valid JSON array.", name)
				}
			}
		case "Binary":
			if v.StringValue != nil && v.BinaryValue == nil {
				return parameterValueInvalid("The message attribute '%s' with type 'Binary' must use field 'Binary'.", name)
			}
			if len(v.BinaryValue) == 0 {
				return parameterValueInvalid("The message attribute '%s' must contain non-empty message attribute value for message attribute type 'Binary'.", name)
			}
		default:
			return parameterValueInvalid("The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name)
		}
	}
	return nil
}

// fanOut delivers notes published to t. On a FIFO topic it assigns
// sequence numbers and drops duplicates within the deduplication window;
// dup[i] is set for a note that was a duplicate (nothing delivered).
func (s *Service) fanOut(ctx context.Context, t *topic, notes []*note) ([]*dedupEntry, error) {
	dup := make([]*dedupEntry, len(notes))
	now := s.now()
	var subs []*subscription
	var b store.Batch
	var added []string
	s.mu.Lock()
	if t.Fifo {
		for _, id := range t.expireDedup(now) {
			b.Delete(dedupKey(t.ARN, id))
		}
	}
	for i, n := range notes {
		if t.Fifo {
			if d, ok := t.dedup[n.DedupID]; ok {
				dd := d
				dup[i] = &dd
				continue
			}
			t.seq++
			n.Seq = fmt.Sprintf("%020d", t.seq)
			d := dedupEntry{MessageID: n.MessageID, Seq: t.seq, Expires: now.Add(dedupWindow)}
			t.dedup[n.DedupID] = d
			t.dedupOrder = append(t.dedupOrder, n.DedupID)
			added = append(added, n.DedupID)
			if err := putJSON(&b, dedupKey(t.ARN, n.DedupID), &d); err != nil {
				s.mu.Unlock()
				return nil, err
			}
			if err := s.archiveLocked(&b, t, n, now); err != nil {
				s.mu.Unlock()
				return nil, err
			}
		}
	}
	for _, sa := range t.subs {
		if sub := s.mu.subs[sa]; sub != nil && !sub.Pending {
			subs = append(subs, sub)
		}
	}
	// Snapshots: a subscription changed during delivery keeps this view.
	snaps := make([]subscription, len(subs))
	for i, sub := range subs {
		snaps[i] = *sub
	}
	s.mu.Unlock()

	var (
		box     []outboxEntry
		jobs    []jobPayload
		sqsWork []sqsDelivery
	)
	for i, n := range notes {
		if dup[i] != nil {
			continue
		}
		for j := range snaps {
			sub := &snaps[j]
			if !matches(sub, n) {
				continue
			}
			switch sub.Protocol {
			case "sqs":
				sqsWork = append(sqsWork, sqsDelivery{sub: sub, n: n})
			case "http", "https", "lambda":
				jobs = append(jobs, jobPayload{Sub: sub.ARN, Type: "Notification", Note: n})
			case "email", "email-json", "sms", "application":
				e, err := s.addOutbox(&b, s.notificationOutbox(sub, n))
				if err != nil {
					return nil, err
				}
				box = append(box, e)
			}
		}
	}
	if b.Len() > 0 {
		if err := s.apply(ctx, &b); err != nil {
			// Nothing was published: forget the ids, so a retry is no duplicate.
			s.mu.Lock()
			for _, id := range added {
				delete(t.dedup, id)
			}
			s.mu.Unlock()
			return nil, err
		}
		s.installOutbox(box)
	}
	// From here the message is published (its deduplication id and outbox
	// entries are durable): a client that hangs up must not cut the
	// deliveries short.
	ctx = context.WithoutCancel(ctx)
	if err := s.submitJobs(ctx, jobs); err != nil {
		return nil, err
	}
	s.deliverSQSAll(ctx, sqsWork, t.Fifo)
	return dup, nil
}

// sqsDelivery is one message for one SQS subscription.
type sqsDelivery struct {
	sub *subscription
	n   *note
}

// deliverSQSAll delivers to SQS subscriptions, concurrently when there
// are several, so their store writes share fsyncs. On a FIFO topic
// (ordered) the messages for one subscription are delivered one after
// another in the order given, so a batch's messages of a group enter the
// queue in the batch's order, as they do on AWS; only different
// subscriptions are delivered to at once.
func (s *Service) deliverSQSAll(ctx context.Context, work []sqsDelivery, ordered bool) {
	if len(work) == 1 {
		s.deliverSQS(ctx, work[0].sub, work[0].n)
		return
	}
	// A lane is delivered in order by one goroutine.
	var lanes [][]sqsDelivery
	if ordered {
		lane := map[*subscription]int{}
		for _, w := range work {
			i, ok := lane[w.sub]
			if !ok {
				i = len(lanes)
				lane[w.sub] = i
				lanes = append(lanes, nil)
			}
			lanes[i] = append(lanes[i], w)
		}
	} else {
		lanes = make([][]sqsDelivery, len(work))
		for i := range work {
			lanes[i] = work[i : i+1]
		}
	}
	const workers = 16
	var wg sync.WaitGroup
	ch := make(chan []sqsDelivery)
	for range min(workers, len(lanes)) {
		wg.Go(func() {
			for lane := range ch {
				for _, w := range lane {
					s.deliverSQS(ctx, w.sub, w.n)
				}
			}
		})
	}
	for _, lane := range lanes {
		ch <- lane
	}
	close(ch)
	wg.Wait()
}

// matches applies the subscription's filter policy.
func matches(sub *subscription, n *note) bool {
	if sub.filter == nil {
		return true
	}
	if sub.Attrs["FilterPolicyScope"] == "MessageBody" {
		return sub.filter.Match([]byte(n.messageFor(sub.Protocol)))
	}
	attrs := make([]eventAttr, 0, len(n.Attrs))
	for k, v := range n.Attrs {
		if v == nil {
			continue
		}
		attrs = append(attrs, eventAttr{Name: k, DataType: api.ToString(v.DataType), Value: api.ToString(v.StringValue)})
	}
	return sub.filter.MatchAttributes(attrs)
}

// PublishBatch publishes up to ten messages; entries failing their checks
// are reported in Failed and the rest published.
func (s *Service) PublishBatch(ctx context.Context, in *snsapi.PublishBatchInput) (*snsapi.PublishBatchResponse, error) {
	t, err := s.topicFor(ctx, "TopicArn", in.TopicArn)
	if err != nil {
		return nil, err
	}
	entries := in.PublishBatchRequestEntries
	if len(entries) == 0 {
		return nil, snsapi.NewEmptyBatchRequestException("The batch request doesn't contain any entries.")
	}
	if len(entries) > 10 {
		return nil, snsapi.NewTooManyEntriesInBatchRequestException("The batch request contains more entries than permissible.")
	}
	seen := map[string]bool{}
	total := 0
	for _, e := range entries {
		id := api.ToString(e.Id)
		if len(id) > 80 {
			return nil, snsapi.NewInvalidBatchEntryIdException("The Id of a batch entry in the batch request is too long: " + id)
		}
		for _, r := range id {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
				return nil, snsapi.NewInvalidBatchEntryIdException("The Id of a batch entry in the batch request contains an impermissible character: " + id)
			}
		}
		if seen[id] {
			return nil, snsapi.NewBatchEntryIdsNotDistinctException("Two or more batch entries in the request have the same Id.")
		}
		seen[id] = true
		total += messageSize(api.ToString(e.Message), e.MessageAttributes)
	}
	if total > maxMessageBytes {
		return nil, snsapi.NewBatchRequestTooLongException("The length of all the messages put together is more than the limit.")
	}
	// Request-wide FIFO rules fail the whole request (recorded:
	// test_publish_batch_exceptions).
	for _, e := range entries {
		if t.Fifo && e.MessageGroupId == nil {
			return nil, invalidParam("The MessageGroupId parameter is required for FIFO topics")
		}
	}
	out := &snsapi.PublishBatchResponse{Successful: []*snsapi.PublishBatchResultEntry{}, Failed: []*snsapi.BatchResultErrorEntry{}}
	var notes []*note
	var ids []string
	for _, e := range entries {
		n, err := s.prepare(t, publishEntry{message: e.Message, subject: e.Subject, structure: api.ToString(e.MessageStructure),
			attrs: e.MessageAttributes, groupID: e.MessageGroupId, dedupID: e.MessageDeduplicationId}, true)
		if err != nil {
			ae := api.AsError(err)
			if ae.Code == "InvalidParameterException" && (strings.Contains(ae.Message, "ContentBasedDeduplication") || strings.Contains(ae.Message, "No default entry")) {
				return nil, ae
			}
			if ae.Code == "ParameterValueInvalid" {
				return nil, ae
			}
			out.Failed = append(out.Failed, &snsapi.BatchResultErrorEntry{Id: e.Id, Code: api.String(ae.CodeFor("query")),
				Message: api.String(ae.Message), SenderFault: api.Bool(ae.Sender)})
			continue
		}
		n.TraceHeader = traceHeader(ctx)
		notes = append(notes, n)
		ids = append(ids, api.ToString(e.Id))
	}
	dup, err := s.fanOut(ctx, t, notes)
	if err != nil {
		return nil, err
	}
	for i, n := range notes {
		r := &snsapi.PublishBatchResultEntry{Id: api.String(ids[i]), MessageId: api.String(n.MessageID)}
		if dup[i] != nil {
			r.MessageId = api.String(dup[i].MessageID)
			r.SequenceNumber = api.String(fmt.Sprintf("%020d", dup[i].Seq))
		} else if n.Seq != "" {
			r.SequenceNumber = api.String(n.Seq)
		}
		out.Successful = append(out.Successful, r)
	}
	return out, nil
}

// traceHeader is the X-Ray trace header of the request in ctx, if any.
func traceHeader(ctx context.Context) string {
	if c := api.CallFrom(ctx); c != nil && c.Request != nil {
		return c.Request.Header.Get("X-Amzn-Trace-Id")
	}
	return ""
}
