package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	snsapi "github.com/fogbank/fogbank/internal/api/sns"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/services/sns"
	"github.com/fogbank/fogbank/services/sqs"
)

// Destinations and dead-letter queues: where an asynchronous invoke's
// outcome goes. A success goes to the OnSuccess destination; an event given
// up on (retries exhausted, too old) goes to the OnFailure destination as a
// record, and its original payload to the function's DeadLetterConfig
// target with AWS's RequestID, ErrorCode and ErrorMessage attributes — both,
// when both are set, as AWS documents destinations working "in addition to
// or instead of" a dead-letter queue. Targets are reached in-process through the
// interfaces below, looked up at send time; a target that does not exist
// (or EventBridge, not a service here yet) fails the send, which is logged,
// as AWS logs a destination it cannot reach.

// enqueuer is SQS (services/sqs/peer.go).
type enqueuer interface {
	Enqueue(ctx context.Context, queueARN string, m sqs.Message) (string, error)
}

// publisher is SNS (services/sns/peer.go).
type publisher interface {
	Publish(ctx context.Context, topicARN string, m sns.Message) (string, error)
}

// invocationRecord is the document AWS sends to a destination.
type invocationRecord struct {
	Version         string           `json:"version"`
	Timestamp       string           `json:"timestamp"`
	RequestContext  recordRequest    `json:"requestContext"`
	RequestPayload  json.RawMessage  `json:"requestPayload"`
	ResponseContext *recordResponse  `json:"responseContext,omitempty"`
	ResponsePayload *json.RawMessage `json:"responsePayload,omitempty"`
}

type recordRequest struct {
	RequestID              string `json:"requestId"`
	FunctionArn            string `json:"functionArn"`
	Condition              string `json:"condition"`
	ApproximateInvokeCount int    `json:"approximateInvokeCount"`
}

type recordResponse struct {
	StatusCode      int    `json:"statusCode"`
	ExecutedVersion string `json:"executedVersion"`
	FunctionError   string `json:"functionError,omitempty"`
}

// rawJSON is b as a JSON value: itself when it is JSON, else a string.
func rawJSON(b []byte, empty string) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage(empty)
	}
	if json.Valid(b) {
		return json.RawMessage(b)
	}
	s, _ := json.Marshal(string(b))
	return s
}

// record builds the invocation record of e.
func (s *Service) record(e *asyncEvent, condition string) []byte {
	q := e.Qualifier
	if q == "" {
		q = "$LATEST"
	}
	r := invocationRecord{
		Version:   "1.0",
		Timestamp: s.now().UTC().Format("2006-01-02T15:04:05.000Z"),
		RequestContext: recordRequest{RequestID: e.RequestID, FunctionArn: fnARN(e.Account, e.Region, e.Name) + ":" + q,
			Condition: condition, ApproximateInvokeCount: e.Invokes},
		RequestPayload: rawJSON(e.Payload, "{}"),
	}
	if e.Last != nil {
		r.ResponseContext = &recordResponse{StatusCode: 200, ExecutedVersion: e.Last.Version, FunctionError: e.Last.FunctionError}
		p := rawJSON(e.Last.Payload, "null")
		r.ResponsePayload = &p
	}
	b, _ := json.Marshal(r)
	return b
}

// sendOutcome sends e's record to the destination configured for its
// outcome, if any; a failed send is logged.
func (s *Service) sendOutcome(ctx context.Context, f *function, e *asyncEvent, condition string) {
	_, _, c := s.eventLimits(f, e.Qualifier)
	if c == nil || c.DestinationConfig == nil {
		return
	}
	var target string
	if condition == "Success" {
		if c.DestinationConfig.OnSuccess != nil {
			target = api.ToString(c.DestinationConfig.OnSuccess.Destination)
		}
	} else if c.DestinationConfig.OnFailure != nil {
		target = api.ToString(c.DestinationConfig.OnFailure.Destination)
	}
	if target == "" {
		return
	}
	if err := s.sendTo(ctx, f, target, s.record(e, condition), nil); err != nil {
		if s.env.Logger != nil {
			s.env.Logger.Warn("lambda: destination delivery failed", "function", f.arn(), "requestId", e.RequestID,
				"destination", target, "err", err)
		}
	}
}

// deadLetter sends e's original payload to the function's dead-letter
// target, if it has one.
func (s *Service) deadLetter(ctx context.Context, f *function, e *asyncEvent) error {
	v := f.version(e.Version)
	if v == nil {
		v = f.Latest
	}
	dlc := v.Config.DeadLetterConfig
	if dlc == nil || api.ToString(dlc.TargetArn) == "" {
		return nil
	}
	code, msg := "429", "Rate Exceeded."
	if e.Last != nil {
		code, msg = "200", ""
		var doc struct {
			ErrorMessage string `json:"errorMessage"`
		}
		if json.Unmarshal(e.Last.Payload, &doc) == nil {
			msg = doc.ErrorMessage
		}
	}
	attrs := [][3]string{{"RequestID", "String", e.RequestID}, {"ErrorCode", "Number", code}, {"ErrorMessage", "String", msg}}
	if err := s.sendTo(ctx, f, api.ToString(dlc.TargetArn), e.Payload, attrs); err != nil {
		return fmt.Errorf("lambda: dead-letter queue of %s: %w", f.arn(), err)
	}
	return nil
}

// sendTo delivers body to the target ARN, with message attributes (name,
// data type, value) where the target carries them.
func (s *Service) sendTo(ctx context.Context, f *function, target string, body []byte, attrs [][3]string) error {
	parts := strings.SplitN(target, ":", 6)
	if len(parts) != 6 {
		return fmt.Errorf("invalid destination ARN %q", target)
	}
	ctx = api.WithCall(context.WithoutCancel(ctx), &api.Call{Account: f.Account, Region: f.Region})
	switch parts[2] {
	case "sqs":
		q, ok := s.env.Peers.Lookup("sqs").(enqueuer)
		if !ok {
			return errors.New("SQS is not running")
		}
		m := sqs.Message{Body: string(body), DelaySeconds: -1, SenderID: f.arn()}
		if len(attrs) > 0 {
			m.Attributes = map[string]*sqsapi.MessageAttributeValue{}
			for _, a := range attrs {
				m.Attributes[a[0]] = &sqsapi.MessageAttributeValue{DataType: api.String(a[1]), StringValue: api.String(a[2])}
			}
		}
		_, err := q.Enqueue(ctx, target, m)
		return err
	case "sns":
		p, ok := s.env.Peers.Lookup("sns").(publisher)
		if !ok {
			return errors.New("SNS is not running")
		}
		m := sns.Message{Body: string(body)}
		if len(attrs) > 0 {
			m.Attributes = map[string]*snsapi.MessageAttributeValue{}
			for _, a := range attrs {
				m.Attributes[a[0]] = &snsapi.MessageAttributeValue{DataType: api.String(a[1]), StringValue: api.String(a[2])}
			}
		}
		_, err := p.Publish(ctx, target, m)
		return err
	case "lambda":
		_, err := s.InvokeAsync(ctx, target, body)
		return err
	case "events":
		return fmt.Errorf("event bus %s does not exist (EventBridge is not a Fogbank service yet)", parts[5])
	}
	return fmt.Errorf("unsupported destination %s", target)
}

// checkDestinations refuses destination configurations AWS refuses: a
// target of a service destinations cannot reach, and a Lambda function
// that does not exist.
func (s *Service) checkDestinations(dest *lambdaapi.DestinationConfig) *api.Error {
	if dest == nil {
		return nil
	}
	var onSuccess, onFailure string
	if dest.OnSuccess != nil {
		onSuccess = api.ToString(dest.OnSuccess.Destination)
	}
	if dest.OnFailure != nil {
		onFailure = api.ToString(dest.OnFailure.Destination)
	}
	for _, d := range []string{onSuccess, onFailure} {
		if d == "" {
			continue
		}
		parts := strings.SplitN(d, ":", 6)
		if len(parts) != 6 {
			return invalidDestConfig(dest)
		}
		switch parts[2] {
		case "sqs", "sns", "events":
		case "lambda":
			m := fnARNRE.FindStringSubmatch(d)
			if m == nil {
				return invalidParam("The destination ARN %s is invalid.", d)
			}
			f := s.lookup(fnKey{m[2], m[1], m[3]})
			if f == nil {
				return invalidParam("The destination ARN %s is invalid.", d)
			}
			if m[4] != "" {
				if _, e := s.target(f, fnRef{account: m[2], region: m[1], name: m[3], qualifier: m[4]}); e != nil {
					return invalidParam("The destination ARN %s is invalid.", d)
				}
			}
		default:
			return invalidDestConfig(dest)
		}
	}
	return nil
}

// invalidDestConfig words the configuration as AWS's Java toString does.
func invalidDestConfig(dest *lambdaapi.DestinationConfig) *api.Error {
	str := func(kind string, d *string, set bool) string {
		if !set {
			return "null"
		}
		v := "null"
		if d != nil {
			v = *d
		}
		return kind + "(destination=" + v + ")"
	}
	var ok, fail string
	if dest.OnSuccess != nil {
		ok = str("OnSuccess", dest.OnSuccess.Destination, true)
	} else {
		ok = str("", nil, false)
	}
	if dest.OnFailure != nil {
		fail = str("OnFailure", dest.OnFailure.Destination, true)
	} else {
		fail = str("", nil, false)
	}
	return invalidParam("The provided destination config DestinationConfig(onSuccess=%s, onFailure=%s) is invalid.", ok, fail)
}
