package s3_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestUploadManager runs aws-sdk-go-v2's upload and download managers:
// concurrent multipart uploads of 5 MiB parts and ranged, concurrent GETs.
func TestUploadManager(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "mgr")
	data := make([]byte, 12<<20+123)
	rand.Read(data)
	up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 << 20; u.Concurrency = 3 })
	out, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("mgr"), Key: aws.String("big"), Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	if out.UploadID == "" {
		t.Errorf("upload was not multipart")
	}
	down := manager.NewDownloader(c, func(d *manager.Downloader) { d.PartSize = 4 << 20; d.Concurrency = 3 })
	buf := manager.NewWriteAtBuffer(nil)
	n, err := down.Download(ctx, buf, &s3.GetObjectInput{Bucket: aws.String("mgr"), Key: aws.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
		t.Errorf("downloaded %d bytes that differ from the %d uploaded", n, len(data))
	}
}
