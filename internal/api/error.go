package api

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an error as AWS returns it to a client. Handlers return it (usually
// through a generated constructor such as sqs.NewQueueDoesNotExist); each codec
// turns it into its protocol's envelope in one place. Any other error that
// reaches a codec is reported as InternalFailure.
type Error struct {
	// Code is the error code a client sees in JSON and REST protocols (the
	// error shape's name, e.g. "QueueDoesNotExist").
	Code string
	// QueryCode is the code the query protocol uses when it differs (the
	// shape's awsQueryError code, e.g. "AWS.SimpleQueueService.NonExistentQueue").
	// JSON services that are awsQueryCompatible send it in x-amzn-query-error.
	QueryCode string
	Message   string
	Status    int  // HTTP status; 400 when zero
	Sender    bool // fault is the client's ("Sender") rather than the server's
	// Shape and Value describe an error that carries members besides its
	// message: Value is a pointer to the error shape's Go struct.
	Shape *Shape
	Value any
	// Header holds extra response headers (e.g. Retry-After).
	Header http.Header
	// Detail lists members the error document carries besides those of its
	// shape, in order, for errors whose members the model does not declare
	// (S3's NoSuchBucket carries <BucketName>, InvalidArgument
	// <ArgumentName> and <ArgumentValue>). XML codecs write each as
	// <Name>Value</Name> after the shape's members; JSON codecs ignore them.
	Detail []ErrorDetail
}

// ErrorDetail is one extra member of an error document: an XML element name
// and its text.
type ErrorDetail struct {
	Name, Value string
}

// With returns e with the member name=value appended to its Detail, so an
// error can be built in one expression: errNoSuchKey().With("Key", key).
func (e *Error) With(name, value string) *Error {
	e.Detail = append(e.Detail, ErrorDetail{Name: name, Value: value})
	return e
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// HTTPStatus returns the error's HTTP status, 400 if none was set.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// CodeFor returns the code for protocol p: QueryCode for "query" when set.
func (e *Error) CodeFor(p string) string {
	if p == "query" && e.QueryCode != "" {
		return e.QueryCode
	}
	return e.Code
}

// AsError returns err as an *Error: err itself (or what it wraps) if it is one,
// else an InternalFailure that hides err's text from the client.
func AsError(err error) *Error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	return &Error{Code: "InternalFailure", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError}
}

// Errorf returns a client (Sender) error with the given code, status and message.
func Errorf(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Sender: status < 500, Message: fmt.Sprintf(format, args...)}
}

// Common errors every AWS service may return. Codes and messages follow the
// "Common Errors" page of the AWS API references.

// NewValidationError reports input that fails the model's constraints. JSON and
// REST services call it ValidationException, query services ValidationError;
// codecs rewrite the code for their protocol.
func NewValidationError(format string, args ...any) *Error {
	return &Error{Code: "ValidationException", QueryCode: "ValidationError", Status: 400, Sender: true, Message: fmt.Sprintf(format, args...)}
}

// NewMissingParameter reports a required parameter that is absent (query
// services; JSON services report a ValidationException).
func NewMissingParameter(format string, args ...any) *Error {
	return &Error{Code: "MissingParameter", Status: 400, Sender: true, Message: fmt.Sprintf(format, args...)}
}

// NewSerializationError reports a body the protocol cannot parse.
func NewSerializationError(format string, args ...any) *Error {
	return &Error{Code: "SerializationException", Status: 400, Sender: true, Message: fmt.Sprintf(format, args...)}
}

// NewNotImplemented reports a service or operation Fogbank does not serve yet.
func NewNotImplemented(service, operation string) *Error {
	msg := fmt.Sprintf("Fogbank does not implement %s", service)
	if operation != "" {
		msg = fmt.Sprintf("Fogbank does not implement the %s operation %s yet", service, operation)
	}
	return &Error{Code: "NotImplemented", Status: http.StatusNotImplemented, Message: msg}
}

// NewInternalFailure reports a failure on Fogbank's side.
func NewInternalFailure() *Error {
	return &Error{Code: "InternalFailure", Status: http.StatusInternalServerError, Message: "We encountered an internal error. Please try again."}
}
