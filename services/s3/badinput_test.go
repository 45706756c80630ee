package s3_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// withoutLength makes the SDK send the body with HTTP chunked transfer
// encoding and no Content-Length, as a streaming client without a length
// would.
func withoutLength(o *s3.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("dropLength", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if r, ok := in.Request.(*smithyhttp.Request); ok {
				r.ContentLength = -1
				r.Header.Del("Content-Length")
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
	})
}

// TestBadInput: each request is refused with AWS's code and status, and
// nothing is stored.
func TestBadInput(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "bad")
	mpu, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bad"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		do     func() error
		code   string
		status int
	}{
		{"key too long", func() error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bad"), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("x")})
			return err
		}, "KeyTooLongError", 400},
		{"key too long (multipart)", func() error {
			_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bad"), Key: aws.String(strings.Repeat("k", 1025))})
			return err
		}, "KeyTooLongError", 400},
		{"wrong Content-MD5", func() error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bad"), Key: aws.String("k"), Body: strings.NewReader("x"), ContentMD5: aws.String("1B2M2Y8AsgTpgAmY7PhCfg==")})
			return err
		}, "BadDigest", 400},
		{"malformed Content-MD5", func() error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bad"), Key: aws.String("k"), Body: strings.NewReader("x"), ContentMD5: aws.String("nope")})
			return err
		}, "InvalidDigest", 400},
		{"wrong checksum", func() error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bad"), Key: aws.String("k"), Body: strings.NewReader("x"), ChecksumSHA256: aws.String("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")})
			return err
		}, "BadDigest", 400},
		{"malformed checksum", func() error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bad"), Key: aws.String("k"), Body: strings.NewReader("x"), ChecksumCRC32: aws.String("abc")})
			return err
		}, "InvalidRequest", 400},
		{"no Content-Length", func() error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bad"), Key: aws.String("k"), Body: strings.NewReader("xyz")}, withoutLength)
			return err
		}, "MissingContentLength", 411},
		{"part number 0", func() error {
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bad"), Key: aws.String("mp"), UploadId: mpu.UploadId, PartNumber: aws.Int32(0), Body: strings.NewReader("x")})
			return err
		}, "InvalidArgument", 400},
		{"part number 10001", func() error {
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bad"), Key: aws.String("mp"), UploadId: mpu.UploadId, PartNumber: aws.Int32(10001), Body: strings.NewReader("x")})
			return err
		}, "InvalidArgument", 400},
		{"complete with a part never uploaded", func() error {
			_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("bad"), Key: aws.String("mp"), UploadId: mpu.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: aws.String(`"x"`)}}}})
			return err
		}, "InvalidPart", 400},
		{"invalid bucket name", func() error {
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("Bad_Name")})
			return err
		}, "InvalidBucketName", 400},
		{"bad versioning status", func() error {
			_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("bad"), VersioningConfiguration: &types.VersioningConfiguration{Status: "On"}})
			return err
		}, "MalformedXML", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, tc.do(), tc.code, tc.status)
		})
	}
	l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bad")})
	if err != nil || len(l.Contents) != 0 {
		t.Errorf("bad input stored objects: %v %+v", err, l.Contents)
	}
	ps, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("bad"), Key: aws.String("mp"), UploadId: mpu.UploadId})
	if err != nil || len(ps.Parts) != 0 {
		t.Errorf("bad parts stored: %v %+v", err, ps)
	}
	v, _ := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("bad")})
	if v.Status != "" {
		t.Errorf("refused versioning stored: %s", v.Status)
	}
}
