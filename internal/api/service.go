package api

import (
	"context"
	"net/http"
)

// Service describes one AWS service as its model does: metadata, protocols and
// operations. Generated code builds one per service (internal/api/<svc>).
type Service struct {
	// Name is Fogbank's name for the service, also its package name ("sqs").
	Name string
	// ServiceID is the model's serviceId ("SQS").
	ServiceID      string
	EndpointPrefix string
	SigningName    string
	APIVersion     string
	// Protocols lists the wire protocols the service speaks, preferred first
	// ("json", "query" for SQS).
	Protocols          []string
	JSONVersion        string // "1.0" or "1.1" for json
	TargetPrefix       string // X-Amz-Target prefix for json
	XMLNamespace       string // query/rest-xml response namespace
	AWSQueryCompatible bool   // json errors carry x-amzn-query-error

	Operations []*Operation
	// Variants holds, per protocol, a description of the same service whose
	// shapes carry that protocol's serialization traits, when they differ
	// from this one's. SQS is the case in point: its current model is JSON,
	// and the query traits (locationName, flattened, resultWrapper, the
	// AWS.SimpleQueueService.* error codes) come from its last query model.
	// A variant shares Go types, NewInput and Invoke with this description.
	Variants map[string]*Service
	// Errors are the error shapes of the service, by Shape.Name.
	Errors map[string]*Shape

	byName map[string]*Operation
}

// Operation is one operation of a service.
type Operation struct {
	Name string
	// HTTP binding.
	Method       string
	RequestURI   string // "/2015-03-31/functions/{FunctionName}/invocations"
	ResponseCode int    // 0 means 200
	// Input and Output are structure shapes, or nil when the operation has none.
	Input, Output *Shape
	// ResultWrapper is the query protocol's <OperationResult> element name.
	ResultWrapper string
	Errors        []*Shape
	// NewInput returns a pointer to a zero value of the input struct (an empty
	// struct pointer when Input is nil).
	NewInput func() any
	// Invoke calls the service's handler for this operation. h must implement
	// the service's generated Handler interface; in is what NewInput returned.
	Invoke func(ctx context.Context, h any, in any) (out any, err error)
}

// Index builds the lookup tables of svc and its shapes. Generated code calls it
// once; after that the service is read-only.
func (svc *Service) Index() {
	svc.byName = make(map[string]*Operation, len(svc.Operations))
	for _, op := range svc.Operations {
		svc.byName[op.Name] = op
		if op.Input != nil {
			op.Input.Index()
		}
		if op.Output != nil {
			op.Output.Index()
		}
		for _, e := range op.Errors {
			e.Index()
		}
	}
	for _, e := range svc.Errors {
		e.Index()
	}
}

// Operation returns the operation called name, or nil.
func (svc *Service) Operation(name string) *Operation {
	if svc.byName == nil {
		for _, op := range svc.Operations {
			if op.Name == name {
				return op
			}
		}
		return nil
	}
	return svc.byName[name]
}

// For returns the description to use for protocol p: the variant for p if
// there is one, else svc.
func (svc *Service) For(p string) *Service {
	if v := svc.Variants[p]; v != nil {
		return v
	}
	return svc
}

// Speaks reports whether svc serves protocol p.
func (svc *Service) Speaks(p string) bool {
	for _, q := range svc.Protocols {
		if q == p {
			return true
		}
	}
	return false
}

// Call is one request on its way through the router, a codec and a handler.
type Call struct {
	Service *Service
	Op      *Operation // set by Codec.Resolve
	Request *http.Request
	// RequestID is echoed in the response (header and, for XML protocols, body).
	RequestID string
	// AccessKey is the access key the request was signed with ("" when
	// unsigned). Services that issue keys (STS, IAM) look it up to answer
	// as the identity it belongs to.
	AccessKey string
	Account   string
	Region    string
	// Protocol is the wire protocol the request arrived in ("query", "json", …).
	Protocol string
	// Body is the request body, read whole by the router for non-streaming
	// operations (bounded by the router's size limit).
	Body []byte
	// Scratch belongs to the codec: state carried from Resolve to Decode, such
	// as the parsed query form.
	Scratch any
	// Events, set by a handler whose output has an event-stream payload,
	// produces the events after the response head is written, so they reach
	// the client as they happen (Lambda's InvokeWithResponseStream): each
	// emit writes one event, a pointer to the event-stream union with one
	// member set. Without it the codec writes the members the output's union
	// holds.
	Events func(emit func(event any) error) error
}

// Codec is one wire protocol, server side. Implementations are stateless and
// safe for concurrent use.
type Codec interface {
	// Resolve finds the operation c.Request asks for and sets c.Op. It returns
	// an *Error (e.g. InvalidAction, UnknownOperationException) if there is none.
	Resolve(c *Call) error
	// Decode fills in, a pointer to c.Op's input struct, from the request. Bad
	// input yields an *Error in the protocol's terms (SerializationException,
	// MalformedQueryString, …), never a panic.
	Decode(c *Call, in any) error
	// Encode writes a successful response carrying out, a pointer to c.Op's
	// output struct (or nil).
	Encode(w http.ResponseWriter, c *Call, out any) error
	// EncodeError writes err as the protocol's error envelope.
	EncodeError(w http.ResponseWriter, c *Call, err *Error)
}
