// A Lambda function built with github.com/aws/aws-lambda-go and run as a
// provided.al2023 bootstrap by services/lambda's tests.
package main

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Op  string `json:"op"`
	Msg string `json:"msg"`
}

func handle(ctx context.Context, e event) (map[string]string, error) {
	if e.Op == "error" {
		return nil, errors.New(e.Msg)
	}
	lc, _ := lambdacontext.FromContext(ctx)
	return map[string]string{"msg": e.Msg, "requestId": lc.AwsRequestID, "function": lambdacontext.FunctionName}, nil
}

func main() { lambda.Start(handle) }
