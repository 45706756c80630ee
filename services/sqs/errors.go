package sqs

import (
	"fmt"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// Errors SQS sends that the model has no shape for, or whose codes differ per
// protocol, with AWS's words (shared/conformance/aws-recorded/sqs). In JSON
// the code is the __type and the query code travels in x-amzn-query-error,
// which is what boto3 reports as Error.Code; so a recorded JSON error with
// Code "InvalidParameterValue" and QueryErrorCode
// "InvalidParameterValueException" has __type InvalidParameterValueException.

// invalidParam is the common "Value V for parameter P is invalid. Reason: R."
func invalidParam(value any, param, reason string) *api.Error {
	return newInvalidParameterValue("Value %v for parameter %s is invalid. Reason: %s", value, param, reason)
}

// queueDoesNotExist words the error as each protocol's front end does: the
// query API still mentions the WSDL version.
func queueDoesNotExist(protocol string) *api.Error {
	if protocol == "query" {
		return sqsapi.NewQueueDoesNotExist("The specified queue does not exist for this wsdl version.")
	}
	return sqsapi.NewQueueDoesNotExist("The specified queue does not exist.")
}

func invalidAttributeName(format string, args ...any) *api.Error {
	e := sqsapi.NewInvalidAttributeName(fmt.Sprintf(format, args...))
	e.QueryCode = "InvalidAttributeName"
	return e
}

func invalidAttributeValue(format string, args ...any) *api.Error {
	e := sqsapi.NewInvalidAttributeValue(fmt.Sprintf(format, args...))
	e.QueryCode = "InvalidAttributeValue"
	return e
}

func receiptHandleIsInvalid(handle string) *api.Error {
	e := sqsapi.NewReceiptHandleIsInvalid(fmt.Sprintf("The input receipt handle \"%s\" is not a valid receipt handle.", handle))
	e.QueryCode = "ReceiptHandleIsInvalid"
	return e
}

func overLimit(msg string) *api.Error { return sqsapi.NewOverLimit(msg) }

// batchEntryError turns err into a batch result entry for id: the code is the
// one the query protocol uses, which is what AWS puts in both protocols'
// BatchResultErrorEntry (recorded: "InvalidParameterValue").
func batchEntryError(id string, err error) *sqsapi.BatchResultErrorEntry {
	ae := api.AsError(err)
	return &sqsapi.BatchResultErrorEntry{
		Id:          api.String(id),
		Code:        api.String(ae.CodeFor("query")),
		Message:     api.String(ae.Message),
		SenderFault: api.Bool(ae.Sender),
	}
}
