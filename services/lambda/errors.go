package lambda

import (
	"fmt"
	"reflect"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
)

// Errors as AWS words them (shared/conformance/aws-recorded/lambda_). Most
// Lambda errors carry "Type": "User" beside the message; user() sets it.

// user marks e as the caller's fault the way Lambda does: a Type member
// "User" in the body.
func user(e *api.Error) *api.Error {
	if e.Value == nil {
		return e
	}
	v := reflect.ValueOf(e.Value)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		if f := v.Elem().FieldByName("Type"); f.IsValid() && f.CanSet() && f.Type() == reflect.TypeOf((*string)(nil)) {
			f.Set(reflect.ValueOf(api.String("User")))
		}
	}
	return e
}

func notFound(format string, args ...any) *api.Error {
	return user(lambdaapi.NewResourceNotFoundException(fmt.Sprintf(format, args...)))
}

func invalidParam(format string, args ...any) *api.Error {
	return user(lambdaapi.NewInvalidParameterValueException(fmt.Sprintf(format, args...)))
}

func conflict(format string, args ...any) *api.Error {
	return user(lambdaapi.NewResourceConflictException(fmt.Sprintf(format, args...)))
}

func validation(format string, args ...any) *api.Error {
	e := &api.Error{Code: "ValidationException", Message: fmt.Sprintf(format, args...), Status: 400, Sender: true}
	return e
}

func fnNotFound(arn string) *api.Error { return notFound("Function not found: %s", arn) }

func aliasNotFound(arn string) *api.Error { return notFound("Cannot find alias arn: %s", arn) }

// resourceMissing is the generic 404 several APIs answer.
func resourceMissing() *api.Error { return notFound("The resource you requested does not exist.") }

func qualifierMismatch() *api.Error {
	return invalidParam("The derived qualifier from the function name does not match the specified qualifier.")
}

func updateInProgress(arn string) *api.Error {
	return conflict("The operation cannot be performed at this time. An update is in progress for resource: %s", arn)
}

func revisionMismatch(api string) *api.Error {
	return user(lambdaapi.NewPreconditionFailedException("The Revision Id provided does not match the latest Revision Id. Call the " + api + " API to retrieve the latest Revision Id"))
}

// tooLarge is RequestEntityTooLargeException (413): the model names the
// shape RequestTooLargeException, but AWS sends the longer code (recorded).
func tooLarge(msg string) *api.Error {
	return &api.Error{Code: "RequestEntityTooLargeException", Message: msg, Status: 413, Sender: true}
}

func throttled(reason, msg string) *api.Error {
	e := user(lambdaapi.NewTooManyRequestsException(msg))
	if t, ok := e.Value.(*lambdaapi.TooManyRequestsException); ok {
		t.Reason = api.String(reason)
		t.RetryAfterSeconds = api.String("1")
	}
	return e
}
