// Package validate checks a decoded request against the constraints of its
// model — required members, enum values, lengths and ranges — and reports what
// fails the way AWS does, so that clients see the same error code and message
// from Fogbank as from AWS. The server calls it between a codec's Decode and
// the handler; limits a service documents beyond its model (SQS's 256 KiB
// message, its FIFO rules) are checked by the service itself.
//
// # What AWS sends
//
// Services built on AWS's request framework (JSON, rest-json and query alike:
// Lambda, EventBridge, CloudWatch Logs, SNS, IAM, STS, CloudFormation) list
// every violation in one message:
//
//	1 validation error detected: Value null at 'queueUrl' failed to satisfy constraint: Member must not be null
//	2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: …; Value …
//
// with code ValidationException (JSON, rest-json) or ValidationError (query),
// HTTP 400, fault Sender. The path names members in lowerCamel case, lists by
// 1-based index ("targets.1.member.id"), and maps by key
// ("messageAttributes.attr1.member.dataType"). A scalar element of a list or
// map that fails is reported once, at the list or map, with the element's whole
// constraint set: "Member must satisfy constraint: [Member must satisfy enum
// value set: [x86_64, arm64], Member must not be null]". Values are printed as
// the Java services print them: strings bare, doubles as "1.0", lists as
// "[a, b]", maps as "{k=v}"; sensitive members are not printed at all.
// Recorded examples are in shared/conformance/aws-recorded; the tests cite them.
//
// Some services say it differently, and Options carries that: SQS and EC2
// report a missing parameter as MissingParameter "The request must contain the
// parameter X." (Options.Missing), API Gateway prefixes paths with the input
// shape ("createRestApiInput.name", Options.QualifyWithInput), and S3
// (rest-xml) answers a body that lacks a required element with MalformedXML and
// checks nothing else from the model.
//
// # Patterns
//
// Model patterns are not enforced unless Options.Patterns is set: AWS often
// does not enforce them, the models' patterns are Java regular expressions
// (look-ahead and all) that RE2 cannot always compile, and a false rejection
// breaks a working client while a false acceptance rarely matters to an
// emulator. A pattern RE2 cannot compile is never enforced. Patterns are still
// listed in the constraint set of a list or map element, as AWS lists them.
//
// Known differences: AWS prints enum value sets in its own (hash) order where
// we print the model's; AWS's internal models sometimes carry constraints the
// public models lack, or the other way round (we check the public model).
//
// # Cost
//
// A Validator compiles each input shape once into a plan that records, per
// shape, whether anything below it can fail. A request whose shape has no
// constraints costs one map lookup. Checking a valid request allocates
// nothing, except that walking a map costs a small allocation per entry whose
// key or value reflect must copy out (string keys, non-pointer values).
package validate

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/api"
)

// Options say how a service reports validation errors, where that differs from
// the common rules of its protocol.
type Options struct {
	// Protocol is the wire protocol the request came in: "json", "rest-json",
	// "query", "ec2" or "rest-xml". It selects the error code (see the package
	// documentation).
	Protocol string
	// Patterns enforces model patterns (full match). Off by default.
	Patterns bool
	// SkipEnums leaves enumerated values to the service. SQS needs it: its
	// model types AttributeNames and the Attributes map keys with the
	// QueueAttributeName enum, yet AWS accepts message attribute names such
	// as SenderId in ReceiveMessage's legacy AttributeNames, and answers an
	// unknown queue attribute with InvalidAttributeName, not a validation
	// error.
	SkipEnums bool
	// Missing, if set, builds the error for a required top-level member that is
	// absent, given the member's name; the first such member (in model order)
	// wins and nothing else is checked. SQS passes MissingParameter. Nil means
	// the protocol's default: MissingParameter for "ec2", else the
	// "Member must not be null" validation error.
	Missing func(member string) *api.Error
	// QualifyWithInput prefixes every path with the operation's input name as
	// AWS's internal model calls it, as API Gateway does: the shape
	// "CreateRestApiRequest" prints as "createRestApiInput.name".
	QualifyWithInput bool
	// Code, if set, is the code of constraint violations instead of the
	// protocol's ValidationException: CloudWatch Logs reports them as
	// InvalidParameterException with the same message (recorded: logs
	// test_get_log_events_limit_validation).
	Code string
}

// Validator checks inputs against their shapes. Its zero value is ready to use;
// it caches one plan per shape, so keep one per server and do not copy it.
// It is safe for concurrent use.
type Validator struct {
	plans sync.Map // *api.Shape → *node
}

// Input checks in, a pointer to the Go struct of shape, with the default
// options of protocol. It returns nil or an *api.Error.
func (v *Validator) Input(shape *api.Shape, in any, protocol string) error {
	return v.Check(shape, in, Options{Protocol: protocol})
}

// Check checks in, a pointer to the Go struct of shape (a structure), against
// the model. It returns nil if in is valid, else an *api.Error as the protocol
// reports it. A nil shape is valid; a nil in is checked as an empty struct.
func (v *Validator) Check(shape *api.Shape, in any, o Options) error {
	if shape == nil {
		return nil
	}
	n := v.plan(shape)
	mask := o.mask()
	if n.need&mask == 0 {
		return nil
	}
	rv := reflect.ValueOf(in)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			rv = reflect.Value{}
			break
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		if shape.GoType == nil {
			return nil
		}
		t := shape.GoType
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		rv = reflect.Zero(t)
	}
	if rv.Kind() != reflect.Struct || n.typ != api.TypeStructure {
		return nil
	}
	c := checker{mask: mask, opts: o}
	if o.QualifyWithInput {
		c.root = inputName(shape.Name)
	}
	if err := c.topMissing(n, rv); err != nil {
		return err
	}
	c.structure(n, rv, true)
	return c.result()
}

// Prepare builds the plans of every operation input of svc and of its
// protocol variants ahead of the first request, so that no caller pays for it.
func (v *Validator) Prepare(svc *api.Service) {
	v.prepareOps(svc)
	for _, variant := range svc.Variants { // one level: variants have no variants
		v.prepareOps(variant)
	}
}

func (v *Validator) prepareOps(svc *api.Service) {
	for _, op := range svc.Operations {
		if op.Input != nil {
			v.plan(op.Input)
		}
	}
}

func (v *Validator) plan(s *api.Shape) *node {
	if n, ok := v.plans.Load(s); ok {
		return n.(*node)
	}
	n, _ := v.plans.LoadOrStore(s, compile(s))
	return n.(*node)
}

// mask returns the kinds of check o asks for.
func (o *Options) mask() uint8 {
	switch o.Protocol {
	case "rest-xml":
		return needRequired
	}
	m := needRequired | needConstraint
	if o.Patterns {
		m |= needPattern
	}
	return m
}

// topMissing applies Options.Missing (or the ec2 default) to the top level.
func (c *checker) topMissing(n *node, rv reflect.Value) error {
	missing := c.opts.Missing
	if missing == nil && c.opts.Protocol == "ec2" {
		missing = MissingParameter
	}
	if missing == nil {
		return nil
	}
	for i := range n.members {
		m := &n.members[i]
		if m.required && isNull(rv.Field(m.field)) {
			if err := missing(m.member.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// result turns the collected violations into the protocol's error, or nil.
func (c *checker) result() error {
	if len(c.errs) == 0 {
		return nil
	}
	if c.opts.Protocol == "rest-xml" {
		return &api.Error{Code: "MalformedXML", Status: 400, Sender: true,
			Message: "The XML you provided was not well-formed or did not validate against our published schema"}
	}
	var b strings.Builder
	if len(c.errs) == 1 {
		b.WriteString("1 validation error detected: ")
	} else {
		fmt.Fprintf(&b, "%d validation errors detected: ", len(c.errs))
	}
	for i, e := range c.errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e)
	}
	err := api.NewValidationError("%s", b.String())
	if c.opts.Protocol == "query" || c.opts.Protocol == "ec2" {
		err.Code = err.QueryCode
	}
	if c.opts.Code != "" {
		err.Code = c.opts.Code
	}
	return err
}

// MissingParameter is the error SQS and EC2 return for an absent required
// parameter (recorded: sqs test_send_empty_message "send_empty_message").
func MissingParameter(name string) *api.Error {
	return &api.Error{Code: "MissingParameter", QueryCode: "MissingParameter", Status: 400, Sender: true,
		Message: "The request must contain the parameter " + name + "."}
}

// inputName is the lowerCamel name AWS's internal model gives an input shape:
// "CreateRestApiRequest" → "createRestApiInput".
func inputName(shape string) string {
	base, ok := strings.CutSuffix(shape, "Request")
	if !ok {
		base, _ = strings.CutSuffix(shape, "Input")
	}
	return lowerFirst(base) + "Input"
}
