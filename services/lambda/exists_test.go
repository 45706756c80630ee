package lambda_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestS3NotificationChecksFunction: S3 checks a LambdaFunctionConfiguration's
// target through FunctionExists when the configuration is put, as AWS does —
// a missing function (or a missing alias of an existing one) is refused with
// nothing stored, an existing one is accepted.
func TestS3NotificationChecksFunction(t *testing.T) {
	srv, c := newClient(t)
	ctx := context.Background()
	fn := create(t, srv, c, "notified")
	if _, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("notified"), Name: aws.String("live"), FunctionVersion: aws.String("$LATEST")}); err != nil {
		t.Fatal(err)
	}
	s3c := s3.NewFromConfig(srv.AWSConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("notifying")}); err != nil {
		t.Fatal(err)
	}
	put := func(arn string) error {
		_, err := s3c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
			Bucket: aws.String("notifying"),
			NotificationConfiguration: &s3types.NotificationConfiguration{LambdaFunctionConfigurations: []s3types.LambdaFunctionConfiguration{{
				LambdaFunctionArn: aws.String(arn), Events: []s3types.Event{"s3:ObjectCreated:*"}}}},
		})
		return err
	}
	for _, missing := range []string{arn("nope"), *fn.FunctionArn + ":dead", "not-an-arn"} {
		err := put(missing)
		if err == nil || !strings.Contains(err.Error(), "InvalidArgument") {
			t.Errorf("put with %s: %v, want InvalidArgument", missing, err)
		}
		got, err := s3c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("notifying")})
		if err != nil || len(got.LambdaFunctionConfigurations) != 0 {
			t.Fatalf("after a refused put: %+v, %v (want nothing stored)", got, err)
		}
	}
	for _, ok := range []string{*fn.FunctionArn, *fn.FunctionArn + ":live"} {
		if err := put(ok); err != nil {
			t.Errorf("put with %s: %v", ok, err)
		}
	}
}
