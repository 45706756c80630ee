package s3_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestPutChecksums(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "cks")
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256} {
		t.Run(string(alg), func(t *testing.T) {
			out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cks"), Key: aws.String(string(alg)),
				Body: strings.NewReader("abc"), ChecksumAlgorithm: alg})
			if err != nil {
				t.Fatal(err)
			}
			sent := aws.ToString(out.ChecksumCRC32) + aws.ToString(out.ChecksumCRC32C) + aws.ToString(out.ChecksumSHA1) + aws.ToString(out.ChecksumSHA256)
			if sent == "" {
				t.Fatalf("PutObject returned no checksum")
			}
			h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("cks"), Key: aws.String(string(alg)), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(h.ChecksumCRC32) + aws.ToString(h.ChecksumCRC32C) + aws.ToString(h.ChecksumSHA1) + aws.ToString(h.ChecksumSHA256); got != sent {
				t.Errorf("HeadObject checksum = %q, want %q", got, sent)
			}
		})
	}
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cks"), Key: aws.String("wrong"),
		Body: strings.NewReader("abc"), ChecksumCRC32: aws.String("AAAAAA==")})
	wantErr(t, err, "BadDigest", 400)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("cks"), Key: aws.String("wrong")})
	wantErr(t, err, "NotFound", 404)
}

// TestAWSChunked sends what newer SDKs send over TLS: an aws-chunked body
// with a trailing checksum, here by hand.
func TestAWSChunked(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	c := client(srv, "us-east-1")
	mustCreate(t, c, "chunk")
	for _, tc := range []struct {
		name, trailer string
		status        int
	}{
		{"good", "NSRBwg==", 200},
		{"bad", "AAAAAA==", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:" + tc.trailer + "\r\n\r\n"
			req, _ := http.NewRequest("PUT", srv.URL()+"/chunk/"+tc.name, strings.NewReader(body))
			req.Header.Set("Content-Encoding", "aws-chunked")
			req.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
			req.Header.Set("X-Amz-Decoded-Content-Length", "3")
			req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, msg)
			}
			if tc.status != 200 {
				return
			}
			get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("chunk"), Key: aws.String(tc.name)})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(get.Body)
			get.Body.Close()
			if string(b) != "abc" || aws.ToString(get.ContentEncoding) != "" {
				t.Errorf("stored %q with Content-Encoding %q", b, aws.ToString(get.ContentEncoding))
			}
		})
	}
}

// TestDefaultCRC64NVME: an object PUT without a checksum, and a completed
// multipart upload, get AWS's default CRC64NVME, which GET answers (and
// aws-sdk-go-v2 validates) with ChecksumMode ENABLED.
func TestDefaultCRC64NVME(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "crc64")
	body := "123456789"
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("crc64"), Key: aws.String("k"), Body: strings.NewReader(body)},
		func(o *s3.Options) { o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired })
	if err != nil {
		t.Fatal(err)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("crc64"), Key: aws.String("k"), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(get.Body) // the SDK validates the checksum while reading
	get.Body.Close()
	// CRC-64/NVME of "123456789" is 0xae8b14860a799888.
	if err != nil || string(b) != body || aws.ToString(get.ChecksumCRC64NVME) != "rosUhgp5mIg=" || get.ChecksumType != types.ChecksumTypeFullObject {
		t.Errorf("GetObject: %v %q crc64nvme=%q type=%q", err, b, aws.ToString(get.ChecksumCRC64NVME), get.ChecksumType)
	}
}
