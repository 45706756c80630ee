package s3_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestPresigned fetches and uploads through presigned URLs with plain HTTP.
func TestPresigned(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "pre")
	ps := s3.NewPresignClient(c)
	put, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pre"), Key: aws.String("up")})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(put.Method, put.URL, strings.NewReader("via url"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("presigned PUT: %d", resp.StatusCode)
	}
	get, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("pre"), Key: aws.String("up")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "via url" {
		t.Errorf("presigned GET: %d %q", resp.StatusCode, b)
	}
}

// TestPresignedExpiry: past X-Amz-Date + X-Amz-Expires on the server's
// clock a presigned URL is AccessDenied "Request has expired" (403).
func TestPresignedExpiry(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	c := client(srv, "us-east-1")
	mustCreate(t, c, "exp")
	mustPut(t, c, "exp", "k", "v")
	get, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("exp"), Key: aws.String("k")},
		s3.WithPresignExpires(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	fetch := func() (int, string) {
		resp, err := http.Get(get.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	if st, _ := fetch(); st != 200 {
		t.Fatalf("fresh URL: %d", st)
	}
	// A presigned DELETE made now expires too (every object operation
	// checks, not only GET/HEAD/PUT).
	del, err := s3.NewPresignClient(c).PresignDeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("exp"), Key: aws.String("k")},
		s3.WithPresignExpires(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	srv.Advance(t, 2*time.Minute)
	if st, body := fetch(); st != 403 || !strings.Contains(body, "<Code>AccessDenied</Code><Message>Request has expired</Message>") {
		t.Errorf("expired URL: %d %s", st, body)
	}
	req, _ := http.NewRequest(http.MethodDelete, del.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("expired presigned DELETE: %d", resp.StatusCode)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("exp"), Key: aws.String("k")}); err != nil {
		t.Errorf("an expired DELETE deleted the object: %v", err)
	}
}
