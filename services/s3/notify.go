package s3

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	s3api "github.com/fogbank/fogbank/internal/api/s3"
	"github.com/fogbank/fogbank/services/sns"
	"github.com/fogbank/fogbank/services/sqs"
)

// Event notifications. A bucket's NotificationConfiguration is validated
// as AWS does — every destination must exist (SQS and SNS are sent the
// s3:TestEvent message, which is how AWS checks them too; a function is
// looked up when the Lambda peer can tell), else InvalidArgument "Unable
// to validate the following destination configurations" — and every
// object event matching a configuration's events and key filter is
// delivered in-process, once the write is durable, as AWS's event JSON
// (eventVersion 2.1; 2.3 for tagging and ACL events): to SQS through
// Enqueue, to SNS through Publish (Subject "Amazon S3 Notification"), to
// Lambda through InvokeAsync. The peers are looked up at delivery time, so
// a destination whose service is absent is skipped (and logged), as AWS
// drops events to a destination that went away. EventBridgeConfiguration is
// stored and answered; there is no EventBridge to deliver to yet.

// Consumer-side interfaces of the peers (services/sqs/peer.go,
// services/sns/peer.go, services/lambda/async.go).
type (
	enqueuer interface {
		Enqueue(ctx context.Context, queueARN string, m sqs.Message) (string, error)
	}
	publisher interface {
		Publish(ctx context.Context, topicARN string, m sns.Message) (string, error)
	}
	asyncInvoker interface {
		InvokeAsync(ctx context.Context, functionARN string, payload []byte) (string, error)
	}
	// functionChecker is optional: a Lambda that can tell whether a function
	// exists lets PutBucketNotificationConfiguration refuse a missing one.
	functionChecker interface {
		FunctionExists(ctx context.Context, functionARN string) bool
	}
)

// notificationEvents are the event types a configuration may name.
var notificationEvents = map[string]bool{
	"s3:ObjectCreated:*": true, "s3:ObjectCreated:Put": true, "s3:ObjectCreated:Post": true, "s3:ObjectCreated:Copy": true,
	"s3:ObjectCreated:CompleteMultipartUpload": true, "s3:ObjectRemoved:*": true, "s3:ObjectRemoved:Delete": true,
	"s3:ObjectRemoved:DeleteMarkerCreated": true, "s3:ObjectTagging:*": true, "s3:ObjectTagging:Put": true,
	"s3:ObjectTagging:Delete": true, "s3:ObjectAcl:Put": true, "s3:LifecycleExpiration:*": true,
	"s3:LifecycleExpiration:Delete": true, "s3:LifecycleExpiration:DeleteMarkerCreated": true,
	"s3:ObjectRestore:*": true, "s3:ObjectRestore:Post": true, "s3:ObjectRestore:Completed": true,
	"s3:ObjectRestore:Delete": true, "s3:ReducedRedundancyLostObject": true, "s3:Replication:*": true,
	"s3:LifecycleTransition": true, "s3:IntelligentTiering": true,
}

// destination is one configuration, whatever its kind.
type destination struct {
	kind   string // "Queue", "Topic", "CloudFunction" (AWS's ArgumentName)
	arn    string
	id     string
	events []string
	filter *s3api.NotificationConfigurationFilter
}

func destinations(n *s3api.NotificationConfiguration) []destination {
	if n == nil {
		return nil
	}
	var out []destination
	for _, q := range n.QueueConfigurations {
		if q != nil {
			out = append(out, destination{"Queue", str(q.QueueArn), str(q.Id), q.Events, q.Filter})
		}
	}
	for _, t := range n.TopicConfigurations {
		if t != nil {
			out = append(out, destination{"Topic", str(t.TopicArn), str(t.Id), t.Events, t.Filter})
		}
	}
	for _, l := range n.LambdaFunctionConfigurations {
		if l != nil {
			out = append(out, destination{"CloudFunction", str(l.LambdaFunctionArn), str(l.Id), l.Events, l.Filter})
		}
	}
	return out
}

// PutBucketNotificationConfiguration validates, checks the destinations
// (unless SkipDestinationValidation) and stores the configuration.
func (s *Service) PutBucketNotificationConfiguration(ctx context.Context, in *s3api.PutBucketNotificationConfigurationRequest) (*s3api.PutBucketNotificationConfigurationOutput, error) {
	bucket := str(in.Bucket)
	b, err := s.bucketInfo(bucket)
	if err != nil {
		return nil, err
	}
	n := in.NotificationConfiguration
	if n == nil {
		n = &s3api.NotificationConfiguration{}
	}
	if slices.Contains(n.QueueConfigurations, nil) || slices.Contains(n.TopicConfigurations, nil) ||
		slices.Contains(n.LambdaFunctionConfigurations, nil) {
		return nil, errMalformedXML()
	}
	for _, d := range destinations(n) {
		parts := strings.Split(d.arn, ":")
		service := map[string]string{"Queue": "sqs", "Topic": "sns", "CloudFunction": "lambda"}[d.kind]
		if len(parts) < 6 || parts[0] != "arn" || parts[2] != service {
			return nil, errInvalidArgument("The ARN could not be parsed", d.kind, d.arn)
		}
		if len(d.events) == 0 {
			return nil, errMalformedXML()
		}
		for _, e := range d.events {
			if !notificationEvents[e] {
				return nil, errInvalidArgument("The event is not supported for notifications", "Event", e)
			}
		}
		if d.filter != nil && d.filter.Key != nil {
			seen := map[string]bool{}
			for _, r := range d.filter.Key.FilterRules {
				if r == nil || r.Name == nil || r.Value == nil {
					return nil, errMalformedXML()
				}
				name := strings.ToLower(*r.Name)
				if name != "prefix" && name != "suffix" {
					return nil, errInvalidArgument("filter rule name must be either prefix or suffix", "FilterRule.Name", *r.Name)
				}
				if seen[name] {
					return nil, errInvalidArgument("Cannot specify more than one "+name+" rule in a filter.", "FilterRule.Name", *r.Name)
				}
				seen[name] = true
				// AWS answers the names capitalized, whatever case was sent.
				r.Name = ptr(strings.ToUpper(name[:1]) + name[1:])
			}
		}
	}
	for _, id := range ids(n) {
		if *id == "" {
			*id = newVersionID()[:24]
		}
	}
	if in.SkipDestinationValidation == nil || !*in.SkipDestinationValidation {
		if err := s.validateDestinations(ctx, b, n); err != nil {
			return nil, err
		}
	}
	if err := s.setConfig(ctx, bucket, func(c *bucketConfig) error { c.Notification = n; return nil }); err != nil {
		return nil, err
	}
	return &s3api.PutBucketNotificationConfigurationOutput{}, nil
}

// ids returns pointers to every configuration's Id, giving nil ones "".
func ids(n *s3api.NotificationConfiguration) []*string {
	var out []*string
	for _, q := range n.QueueConfigurations {
		if q.Id == nil {
			q.Id = ptr("")
		}
		out = append(out, q.Id)
	}
	for _, t := range n.TopicConfigurations {
		if t.Id == nil {
			t.Id = ptr("")
		}
		out = append(out, t.Id)
	}
	for _, l := range n.LambdaFunctionConfigurations {
		if l.Id == nil {
			l.Id = ptr("")
		}
		out = append(out, l.Id)
	}
	return out
}

// validateDestinations sends each queue and topic the s3:TestEvent and
// looks functions up; every failure is listed in one InvalidArgument.
func (s *Service) validateDestinations(ctx context.Context, b bucketRecord, n *s3api.NotificationConfiguration) error {
	test, _ := json.Marshal(map[string]string{
		"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": s.now().Format("2006-01-02T15:04:05.000Z"),
		"Bucket": b.Name, "RequestId": call(ctx).RequestID, "HostId": "fogbank/" + call(ctx).RequestID,
	})
	var bad []string
	// refused names each destination that failed and why, as AWS's error
	// does (ArgumentName1, ArgumentValue1, ArgumentName2, …).
	refused := s3err("InvalidArgument", 400, "Unable to validate the following destination configurations")
	for _, d := range destinations(n) {
		var reason string
		switch d.kind {
		case "Queue":
			q, ok := s.env.Peers.Lookup("sqs").(enqueuer)
			if !ok {
				reason = "The destination queue does not exist"
			} else if _, err := q.Enqueue(ctx, d.arn, sqs.Message{Body: string(test), DelaySeconds: -1, SenderID: s3Principal}); err != nil {
				reason = "The destination queue does not exist"
			}
		case "Topic":
			p, ok := s.env.Peers.Lookup("sns").(publisher)
			if !ok {
				reason = "The destination topic does not exist"
			} else if _, err := p.Publish(ctx, d.arn, sns.Message{Subject: "Amazon S3 Notification", Body: string(test)}); err != nil {
				reason = "The destination topic does not exist"
			}
		case "CloudFunction":
			peer := s.env.Peers.Lookup("lambda")
			if _, ok := peer.(asyncInvoker); !ok {
				reason = "Not authorized to invoke function [" + d.arn + "]"
			} else if fc, ok := peer.(functionChecker); ok && !fc.FunctionExists(ctx, d.arn) {
				reason = "Not authorized to invoke function [" + d.arn + "]"
			}
		}
		if reason != "" {
			bad = append(bad, d.arn+": "+reason)
			name := d.arn
			if d.kind == "CloudFunction" {
				name += ", null" // as recorded
			}
			i := strconv.Itoa(len(bad))
			refused.With("ArgumentName"+i, name).With("ArgumentValue"+i, reason)
		}
	}
	if len(bad) > 0 {
		s.env.Logger.Info("s3: notification destinations refused", "destinations", strings.Join(bad, "; "))
		return refused
	}
	return nil
}

func (s *Service) GetBucketNotificationConfiguration(ctx context.Context, in *s3api.GetBucketNotificationConfigurationRequest) (*s3api.NotificationConfiguration, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	if b.Config.Notification == nil {
		return &s3api.NotificationConfiguration{}, nil
	}
	return b.Config.Notification, nil
}

// s3Principal is the principal events name as the requester and owner
// (there is no auth yet to name the caller).
const s3Principal = "AWS:AIDAFOGBANKS3EXAMPLE"

// event is one object event to notify.
type event struct {
	name      string // "ObjectCreated:Put", without "s3:"
	bucket    string
	key       string
	size      int64
	etag      string // quoted, as stored; unquoted in the event
	versionID string // "" for unversioned
	version   string // eventVersion
	withSize  bool
}

func created(name string, o *object) event {
	return event{name: "ObjectCreated:" + name, bucket: o.Bucket, key: o.Key, size: o.Size, etag: o.ETag,
		versionID: o.VersionID, version: "2.1", withSize: true}
}

// notify delivers ev to every destination of the bucket whose events and
// filter match, after the write it reports is durable. Delivery failures
// are logged: the write has happened.
func (s *Service) notify(ctx context.Context, ev event) {
	b, err := s.bucketInfo(ev.bucket)
	if err != nil || b.Config.Notification == nil {
		return
	}
	for _, d := range destinations(b.Config.Notification) {
		if !eventMatches(d.events, ev.name) || !filterMatches(d.filter, ev.key) {
			continue
		}
		body := s.eventJSON(ctx, b, d.id, ev)
		if err := s.deliver(ctx, d, body); err != nil {
			s.env.Logger.Warn("s3: delivering event notification", "bucket", ev.bucket, "destination", d.arn, "err", err)
		}
	}
}

func (s *Service) deliver(ctx context.Context, d destination, body []byte) error {
	switch d.kind {
	case "Queue":
		q, ok := s.env.Peers.Lookup("sqs").(enqueuer)
		if !ok {
			return fmt.Errorf("no SQS to deliver to")
		}
		_, err := q.Enqueue(ctx, d.arn, sqs.Message{Body: string(body), DelaySeconds: -1, SenderID: s3Principal})
		return err
	case "Topic":
		p, ok := s.env.Peers.Lookup("sns").(publisher)
		if !ok {
			return fmt.Errorf("no SNS to deliver to")
		}
		_, err := p.Publish(ctx, d.arn, sns.Message{Subject: "Amazon S3 Notification", Body: string(body)})
		return err
	case "CloudFunction":
		l, ok := s.env.Peers.Lookup("lambda").(asyncInvoker)
		if !ok {
			return fmt.Errorf("no Lambda to deliver to")
		}
		_, err := l.InvokeAsync(ctx, d.arn, body)
		return err
	}
	return nil
}

// eventMatches reports whether an event type list ("s3:ObjectCreated:*",
// …) selects name ("ObjectCreated:Put").
func eventMatches(events []string, name string) bool {
	for _, e := range events {
		e = strings.TrimPrefix(e, "s3:")
		if e == name || strings.HasSuffix(e, ":*") && strings.HasPrefix(name, strings.TrimSuffix(e, "*")) {
			return true
		}
	}
	return false
}

func filterMatches(f *s3api.NotificationConfigurationFilter, key string) bool {
	if f == nil || f.Key == nil {
		return true
	}
	for _, r := range f.Key.FilterRules {
		switch strings.ToLower(str(r.Name)) {
		case "prefix":
			if !strings.HasPrefix(key, str(r.Value)) {
				return false
			}
		case "suffix":
			if !strings.HasSuffix(key, str(r.Value)) {
				return false
			}
		}
	}
	return true
}

// eventJSON renders AWS's event message: {"Records":[…]} with the key
// URL-encoded, as AWS sends it.
func (s *Service) eventJSON(ctx context.Context, b bucketRecord, configID string, ev event) []byte {
	c := call(ctx)
	ip := "127.0.0.1"
	if r := c.Request; r != nil {
		if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			ip = h
		}
	}
	obj := map[string]any{"key": url.QueryEscape(ev.key), "sequencer": fmt.Sprintf("%016X", s.now().UnixNano())}
	if ev.withSize {
		obj["size"] = ev.size
	}
	if ev.etag != "" {
		obj["eTag"] = strings.Trim(ev.etag, `"`)
	}
	if ev.versionID != "" {
		obj["versionId"] = ev.versionID
	}
	rec := map[string]any{
		"eventVersion": ev.version, "eventSource": "aws:s3", "awsRegion": b.Region,
		"eventTime": s.now().Format("2006-01-02T15:04:05.000Z"), "eventName": ev.name,
		"userIdentity":      map[string]string{"principalId": s3Principal},
		"requestParameters": map[string]string{"sourceIPAddress": ip},
		"responseElements":  map[string]string{"x-amz-request-id": c.RequestID, "x-amz-id-2": "fogbank/" + c.RequestID},
		"s3": map[string]any{
			"s3SchemaVersion": "1.0", "configurationId": configID,
			"bucket": map[string]any{"name": b.Name, "ownerIdentity": map[string]string{"principalId": b.Account}, "arn": "arn:aws:s3:::" + b.Name},
			"object": obj,
		},
	}
	out, _ := json.Marshal(map[string]any{"Records": []any{rec}})
	return out
}
