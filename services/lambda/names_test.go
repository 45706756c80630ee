package lambda_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// TestFunctionNameValidation replays test_function_name_and_qualifier_validation
// (recorded for get_function, delete_function and invoke): the inputs are
// read back from the recorded messages. The patterns AWS quotes come from a
// newer model than ours (aws-sdk-go v1.55.8 lacks the eusc-/iso regions and
// $LATEST.PUBLISHED), so messages are compared up to the pattern.
func TestFunctionNameValidation(t *testing.T) {
	ctx := context.Background()
	_, c := newClient(t)
	const fnPattern = "Member must satisfy regular expression pattern: …"
	badName := func(v string) string {
		return "1 validation error detected: Value '" + v + "' at 'functionName' failed to satisfy constraint: " + fnPattern
	}
	a129, a65 := strings.Repeat("a", 129), strings.Repeat("a", 65)
	tests := []struct {
		variant, name, qualifier, code, msg string
	}{
		{"function_name_is_single_invalid", "*", "", "ValidationException", badName("*")},
		{"invalid_characters_in_function_name", "my-function!", "", "ValidationException", badName("my-function!")},
		{"invalid_characters_in_qualifier", "my-function", "invalid!", "ValidationException", "1 validation error detected: Value 'invalid!' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: …"},
		{"qualifier_too_long", "my-function", a129, "ValidationException", "1 validation error detected: Value '" + a129 + "' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"invalid_account_id_in_partial_arn", "invalid-account:function:my-function", "", "ValidationException", badName("invalid-account:function:my-function")},
		{"invalid_region_in_arn", "arn:aws:lambda:invalid-region:000000000000:function:my-function", "", "ValidationException", badName("arn:aws:lambda:invalid-region:000000000000:function:my-function")},
		{"non_lambda_arn", "arn:aws:ec2:us-east-1:000000000000:instance:i-1234567890abcdef0", "", "ValidationException", badName("arn:aws:ec2:us-east-1:000000000000:instance:i-1234567890abcdef0")},
		{"function_name_too_long", a65, "", "ResourceNotFoundException", "Function not found: " + arn(a65)},
		{"full_arn_with_multiple_qualifiers", arn("my-function") + ":1:2", "", "ValidationException", badName(arn("my-function") + ":1:2")},
		{"partial_arn_with_extra_qualifier", "function:my-function:$LATEST:extra", "", "ValidationException", badName("function:my-function:$LATEST:extra")},
		{"latest_version_with_additional_qualifier", "my-function:$LATEST", "1", "InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier."},
		{"lowercase_latest_qualifier", "my-function", "$latest", "ResourceNotFoundException", "Function not found: " + arn("my-function") + ":$latest"},
		{"missing_region_in_arn", "arn:aws:lambda::000000000000:function:my-function", "", "ValidationException", badName("arn:aws:lambda::000000000000:function:my-function")},
		{"missing_account_id_in_arn", "arn:aws:lambda:us-east-1::function:my-function", "", "ValidationException", badName("arn:aws:lambda:us-east-1::function:my-function")},
		{"misspelled_latest_in_arn", arn("my-function") + ":$LATES", "", "ValidationException", badName(arn("my-function") + ":$LATES")},
		{"function_name_and_qualifier_too_long", "my-function", a65, "ResourceNotFoundException", "Function not found: " + arn("my-function") + ":" + a65},
	}
	for _, tc := range tests {
		var q *string
		if tc.qualifier != "" {
			q = aws.String(tc.qualifier)
		}
		t.Run(tc.variant+"-get_function", func(t *testing.T) {
			_, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(tc.name), Qualifier: q})
			wantErr(t, err, tc.code, 0, tc.msg)
		})
		t.Run(tc.variant+"-invoke", func(t *testing.T) {
			_, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(tc.name), Qualifier: q})
			wantErr(t, err, tc.code, 0, tc.msg)
		})
	}
}
