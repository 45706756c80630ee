package lambda_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// TestToolReads: what infrastructure tools read around a function answers
// as AWS does for a function without code signing or mappings.
func TestToolReads(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	create(t, srv, c, "tf")
	csc, err := c.GetFunctionCodeSigningConfig(ctx, &lambda.GetFunctionCodeSigningConfigInput{FunctionName: aws.String("tf")})
	if err != nil || csc.CodeSigningConfigArn != nil {
		t.Fatalf("GetFunctionCodeSigningConfig: %v %+v", err, csc)
	}
	// Recorded: test_code_signing_not_found_excs get_function_csc_nonexistingfn.
	_, err = c.GetFunctionCodeSigningConfig(ctx, &lambda.GetFunctionCodeSigningConfigInput{FunctionName: aws.String("csc-test-doesnotexist")})
	wantErr(t, err, "ResourceNotFoundException", 404, "Function not found: "+arn("csc-test-doesnotexist"))
	esm, err := c.ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String("tf")})
	if err != nil || len(esm.EventSourceMappings) != 0 {
		t.Fatalf("ListEventSourceMappings: %v %+v", err, esm)
	}
	if _, err := c.ListCodeSigningConfigs(ctx, &lambda.ListCodeSigningConfigsInput{}); err != nil {
		t.Fatal(err)
	}
}
