package s3_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// withHeader adds a request header the SDK version in go.mod has no member for.
func withHeader(k, v string) func(*s3.Options) {
	return func(o *s3.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Build.Add(middleware.BuildMiddlewareFunc("hdr", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
				if r, ok := in.Request.(*smithyhttp.Request); ok {
					r.Header.Set(k, v)
				}
				return next.HandleBuild(ctx, in)
			}), middleware.After)
		})
	}
}

func TestConditionalWrite(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "cwr")
	put := func(key, hk, hv string) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cwr"), Key: aws.String(key), Body: strings.NewReader("x")}, withHeader(hk, hv))
		return err
	}
	if err := put("k", "If-None-Match", "*"); err != nil {
		t.Fatalf("first If-None-Match: * put: %v", err)
	}
	wantErr(t, put("k", "If-None-Match", "*"), "PreconditionFailed", 412)
	wantErr(t, put("k", "If-Match", `"nope"`), "PreconditionFailed", 412)
	wantErr(t, put("missing", "If-Match", `"nope"`), "NoSuchKey", 404)
	if err := put("k", "If-Match", `"9dd4e461268c8034f5c8564e155c67a6"`); err != nil { // md5("x")
		t.Fatalf("If-Match with the current ETag: %v", err)
	}
}

// TestConditionalDelete: DeleteObject with If-Match deletes only the object
// whose ETag matches; a mismatch (412) or a missing key (NoSuchKey) deletes
// nothing, and the time and size conditions of directory buckets are
// NotImplemented naming the header.
func TestConditionalDelete(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "cond-delete")
	b, k := aws.String("cond-delete"), aws.String("k")
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: k, Body: strings.NewReader("v1")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		in     s3.DeleteObjectInput
		code   string
		status int
	}{
		{"wrong etag", s3.DeleteObjectInput{IfMatch: aws.String(`"0123"`)}, "PreconditionFailed", 412},
		{"missing key", s3.DeleteObjectInput{Key: aws.String("nope"), IfMatch: put.ETag}, "NoSuchKey", 404},
		{"size", s3.DeleteObjectInput{IfMatchSize: aws.Int64(2)}, "NotImplemented", 501},
		{"matching etag", s3.DeleteObjectInput{IfMatch: put.ETag}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Bucket = b
			if in.Key == nil {
				in.Key = k
			}
			_, err := c.DeleteObject(ctx, &in)
			if tt.code == "" && err != nil {
				t.Fatal(err)
			}
			if tt.code != "" {
				wantErr(t, err, tt.code, tt.status)
			}
			_, herr := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
			if exists := herr == nil; exists != (tt.code != "") {
				t.Fatalf("object exists = %v after %s", exists, tt.name)
			}
		})
	}
}
