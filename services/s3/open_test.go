package s3_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/services/s3"
	"github.com/fogbank/fogbank/services/sqs"
)

// objectOpener is what a consumer such as Lambda declares.
type objectOpener interface {
	OpenObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, int64, error)
}

// startWithS3 starts a server with SQS and S3 and returns S3 the service itself,
// for in-process calls.
func startWithS3(t *testing.T) (*fogbanktest.Server, *s3.Service) {
	t.Helper()
	var svc *s3.Service
	info := service.Info{Name: "s3", New: func(env service.Env) (service.Service, error) {
		s, err := s3.New(env)
		if err == nil {
			svc = s.(*s3.Service)
		}
		return s, err
	}}
	srv := fogbanktest.Start(t, fogbanktest.WithOptions(func(o *fogbank.Options) {
		o.Services = []service.Info{sqs.Info, info}
	}))
	return srv, svc
}

// start runs a server with S3 and SQS alone (S3's tests need no other
// service, and so do not depend on them).
func start(t *testing.T, opts ...fogbanktest.Option) *fogbanktest.Server {
	t.Helper()
	only := fogbanktest.WithOptions(func(o *fogbank.Options) {
		if o.Services == nil {
			o.Services = []service.Info{sqs.Info, s3.Info}
		}
	})
	return fogbanktest.Start(t, append([]fogbanktest.Option{only}, opts...)...)
}

func TestOpenObject(t *testing.T) {
	ctx := context.Background()
	srv, svc := startWithS3(t)
	c := client(srv, "us-east-1")
	mustCreate(t, c, "code")
	setVersioning(t, c, "code", "Enabled")
	gone := putV(t, c, "code", "fn.zip", "first")
	if _, err := c.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String("code"), Key: aws.String("fn.zip"), VersionId: &gone}); err != nil {
		t.Fatal(err)
	}
	v := putV(t, c, "code", "fn.zip", "zip bytes")
	var opener objectOpener = svc
	rc, _, err := opener.OpenObject(ctx, "code", "fn.zip", v)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()

	rc, n, err := opener.OpenObject(ctx, "code", "fn.zip", "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "zip bytes" || n != 9 {
		t.Errorf("got %q (%d)", b, n)
	}
	for _, tc := range []struct {
		bucket, key, version, code string
	}{
		{"nope", "fn.zip", "", "NoSuchBucket"},
		{"code", "missing", "", "NoSuchKey"},
		{"code", "fn.zip", gone, "NoSuchVersion"},
		{"code", "fn.zip", "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd", "InvalidArgument"},
		{"nope", "fn.zip", gone, "NoSuchBucket"},
	} {
		_, _, err := opener.OpenObject(ctx, tc.bucket, tc.key, tc.version)
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Code != tc.code {
			t.Errorf("OpenObject(%s, %s, %q) = %v, want %s", tc.bucket, tc.key, tc.version, err, tc.code)
		}
	}
}
