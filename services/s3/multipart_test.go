package s3_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestMultipartUpload(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "mpu")
	create := func() string {
		out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big"),
			ContentType: aws.String("video/mp4"), Metadata: map[string]string{"m": "v"}})
		if err != nil {
			t.Fatal(err)
		}
		return *out.UploadId
	}
	part := func(id string, n int32, data []byte) string {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: &id,
			PartNumber: &n, Body: bytes.NewReader(data)})
		if err != nil {
			t.Fatal(err)
		}
		return *out.ETag
	}
	complete := func(id string, parts ...types.CompletedPart) (*s3.CompleteMultipartUploadOutput, error) {
		return c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big"),
			UploadId: &id, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	}
	p1 := bytes.Repeat([]byte("a"), 5<<20)
	p2 := []byte("tail")
	small := []byte("small")

	id := create()
	e1, e2 := part(id, 1, p1), part(id, 2, p2)
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: &id})
	if err != nil || len(lp.Parts) != 2 || *lp.Parts[1].Size != 4 {
		t.Fatalf("ListParts = %+v, %v", lp, err)
	}
	_, err = complete(id, types.CompletedPart{PartNumber: aws.Int32(2), ETag: &e2}, types.CompletedPart{PartNumber: aws.Int32(1), ETag: &e1})
	wantErr(t, err, "InvalidPartOrder", 400)
	_, err = complete(id, types.CompletedPart{PartNumber: aws.Int32(1), ETag: &e1}, types.CompletedPart{PartNumber: aws.Int32(3), ETag: &e2})
	wantErr(t, err, "InvalidPart", 400)
	out, err := complete(id, types.CompletedPart{PartNumber: aws.Int32(1), ETag: &e1}, types.CompletedPart{PartNumber: aws.Int32(2), ETag: &e2})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(*out.ETag, `-2"`) {
		t.Errorf("ETag = %s, want md5-of-md5s-2", *out.ETag)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("mpu"), Key: aws.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, append(append([]byte{}, p1...), p2...)) || *get.ContentType != "video/mp4" || get.Metadata["m"] != "v" || *get.ETag != *out.ETag {
		t.Errorf("object: %d bytes, type %s, meta %v, etag %s", len(got), *get.ContentType, get.Metadata, *get.ETag)
	}
	_, err = complete(id, types.CompletedPart{PartNumber: aws.Int32(1), ETag: &e1})
	wantErr(t, err, "NoSuchUpload", 404)

	id = create()
	s1, s2 := part(id, 1, small), part(id, 2, small)
	_, err = complete(id, types.CompletedPart{PartNumber: aws.Int32(1), ETag: &s1}, types.CompletedPart{PartNumber: aws.Int32(2), ETag: &s2})
	wantErr(t, err, "EntityTooSmall", 400)
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: &id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: &id,
		PartNumber: aws.Int32(3), Body: bytes.NewReader(small)})
	wantErr(t, err, "NoSuchUpload", 404)
}
