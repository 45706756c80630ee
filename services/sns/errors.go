package sns

import (
	"fmt"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	snsapi "github.com/fogbank/fogbank/internal/api/sns"
)

// Errors with AWS's words (shared/conformance/aws-recorded/sns).

// invalidParam is InvalidParameter with "Invalid parameter: " before msg.
func invalidParam(format string, args ...any) *api.Error {
	return snsapi.NewInvalidParameterException("Invalid parameter: " + fmt.Sprintf(format, args...))
}

// invalidParamRaw is InvalidParameter with msg as is.
func invalidParamRaw(msg string) *api.Error {
	return snsapi.NewInvalidParameterException(msg)
}

func topicNotFound() *api.Error { return snsapi.NewNotFoundException("Topic does not exist") }
func subNotFound() *api.Error   { return snsapi.NewNotFoundException("Subscription does not exist") }

// parameterValueInvalid is the error of message attribute checks; the model
// has no shape for it.
func parameterValueInvalid(format string, args ...any) *api.Error {
	return &api.Error{Code: "ParameterValueInvalid", Status: 400, Sender: true, Message: fmt.Sprintf(format, args...)}
}

// arnParts splits an ARN and checks it has the six elements AWS requires,
// with its error naming param.
func arnParts(param, arn string) ([]string, error) {
	if arn == "" {
		return nil, invalidParam("%s Reason: An ARN must have at least 6 elements, not 1", param)
	}
	p := strings.SplitN(arn, ":", 6)
	if len(p) < 6 || p[0] != "arn" {
		n := strings.Count(arn, ":") + 1
		if n >= 6 {
			return nil, invalidParam("%s Reason: An ARN must have at least 6 elements, not %d", param, 1)
		}
		return nil, invalidParam("%s Reason: An ARN must have at least 6 elements, not %d", param, n)
	}
	return p, nil
}
