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

func TestUploadPartCopyAndListUploads(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "upc")
	src := bytes.Repeat([]byte("0123456789"), 600<<10) // 6,144,000 bytes
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("upc"), Key: aws.String("src"), Body: bytes.NewReader(src)}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, k := range []string{"a/x", "a/y", "b", "dst"} {
		out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("upc"), Key: aws.String(k)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *out.UploadId)
	}
	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("upc"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, u := range lu.Uploads {
		keys = append(keys, *u.Key)
	}
	if strings.Join(keys, ",") != "b,dst" || len(lu.CommonPrefixes) != 1 || *lu.CommonPrefixes[0].Prefix != "a/" {
		t.Errorf("ListMultipartUploads = %v %v", keys, lu.CommonPrefixes)
	}
	lu, err = c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("upc"), MaxUploads: aws.Int32(3)})
	if err != nil || len(lu.Uploads) != 3 || !*lu.IsTruncated || *lu.NextKeyMarker != "b" {
		t.Fatalf("ListMultipartUploads page = %+v, %v", lu, err)
	}
	lu, err = c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("upc"), KeyMarker: lu.NextKeyMarker, UploadIdMarker: lu.NextUploadIdMarker})
	if err != nil || len(lu.Uploads) != 1 || *lu.Uploads[0].Key != "dst" {
		t.Fatalf("ListMultipartUploads second page = %+v, %v", lu, err)
	}

	id := ids[3]
	cp := func(n int32, rng string) (*s3.UploadPartCopyOutput, error) {
		in := &s3.UploadPartCopyInput{Bucket: aws.String("upc"), Key: aws.String("dst"), UploadId: &id, PartNumber: &n, CopySource: aws.String("upc/src")}
		if rng != "" {
			in.CopySourceRange = &rng
		}
		return c.UploadPartCopy(ctx, in)
	}
	p1, err := cp(1, "bytes=0-5242879")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := cp(2, "bytes=5242880-6143999")
	if err != nil {
		t.Fatal(err)
	}
	_, err = cp(3, "bytes=0-6144000")
	wantErr(t, err, "InvalidArgument", 400)
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("upc"), Key: aws.String("dst"), UploadId: &id,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: p1.CopyPartResult.ETag}, {PartNumber: aws.Int32(2), ETag: p2.CopyPartResult.ETag}}}})
	if err != nil {
		t.Fatal(err)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("upc"), Key: aws.String("dst")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, src) {
		t.Errorf("copied object: %d bytes, differs from the source's %d", len(got), len(src))
	}
}

// TestDeleteBucketAbortsUploads: uploads in progress do not keep a bucket
// from being deleted, and do not come back with a bucket of the same name.
func TestDeleteBucketAbortsUploads(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "gone")
	out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("gone"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("gone"), Key: aws.String("k"), UploadId: out.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("p")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, c, "gone")
	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("gone")})
	if err != nil || len(lu.Uploads) != 0 {
		t.Errorf("uploads after re-create = %+v, %v", lu, err)
	}
	_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("gone"), Key: aws.String("k"), UploadId: out.UploadId})
	wantErr(t, err, "NoSuchUpload", 404)
}
