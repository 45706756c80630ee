package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
)

func client(srv *fogbanktest.Server, region string) *s3.Client {
	cfg := srv.AWSConfigFor("test", region)
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

func newClient(t *testing.T, opts ...fogbanktest.Option) *s3.Client {
	t.Helper()
	return client(start(t, opts...), "us-east-1")
}

// wantErr checks err is an AWS error with code and HTTP status.
func wantErr(t *testing.T, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want %s", code)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want API error %s", err, code)
	}
	if code != "" && ae.ErrorCode() != code {
		t.Errorf("code = %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Errorf("status = %d, want %d", re.HTTPStatusCode(), status)
	}
}

func mustCreate(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("CreateBucket %s: %v", name, err)
	}
}

func mustPut(t *testing.T, c *s3.Client, bucket, key, body string) {
	t.Helper()
	_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: strings.NewReader(body)})
	if err != nil {
		t.Fatalf("PutObject %s/%s: %v", bucket, key, err)
	}
}

func TestBuckets(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	c := client(srv, "us-east-1")
	mustCreate(t, c, "alpha")
	mustCreate(t, c, "beta")
	// us-east-1 answers its owner's second create with success (AWS legacy).
	mustCreate(t, c, "alpha")

	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("alpha")}); err != nil {
		t.Fatalf("HeadBucket: %v", err)
	}
	l, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range l.Buckets {
		names = append(names, *b.Name)
	}
	if got := strings.Join(names, ","); got != "alpha,beta" {
		t.Errorf("ListBuckets = %s", got)
	}
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("alpha")})
	if err != nil || loc.LocationConstraint != "" {
		t.Errorf("GetBucketLocation = %q, %v; want empty", loc.LocationConstraint, err)
	}

	eu := client(srv, "eu-west-1")
	_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("gamma"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
	if err != nil {
		t.Fatalf("CreateBucket eu-west-1: %v", err)
	}
	loc, err = eu.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("gamma")})
	if err != nil || loc.LocationConstraint != "eu-west-1" {
		t.Errorf("GetBucketLocation = %q, %v; want eu-west-1", loc.LocationConstraint, err)
	}
	_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("gamma"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
	wantErr(t, err, "BucketAlreadyOwnedByYou", 409)

	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("delta"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "us-east-1"}})
	wantErr(t, err, "InvalidLocationConstraint", 400)
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("delta"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
	wantErr(t, err, "IllegalLocationConstraintException", 400)
	_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("delta")})
	wantErr(t, err, "IllegalLocationConstraintException", 400)

	// Names are global: another account cannot take one.
	other := s3.NewFromConfig(srv.AWSConfigFor("111111111111", "us-east-1"), func(o *s3.Options) { o.UsePathStyle = true })
	_, err = other.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alpha")})
	wantErr(t, err, "BucketAlreadyExists", 409)
	ol, err := other.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || len(ol.Buckets) != 0 {
		t.Errorf("other account's ListBuckets = %v, %v; want none", ol, err)
	}

	mustPut(t, c, "alpha", "k", "v")
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
	wantErr(t, err, "BucketNotEmpty", 409)
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("beta")}); err != nil {
		t.Fatalf("DeleteBucket: %v", err)
	}
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("beta")})
	wantErr(t, err, "NotFound", 404) // HEAD answers have no body, so no code
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("beta")})
	wantErr(t, err, "NoSuchBucket", 404)
}

func TestInvalidBucketNames(t *testing.T) {
	c := newClient(t)
	for _, name := range []string{"ab", strings.Repeat("a", 64), "Upper", "under_score", "-dash", "dash-", "a..b", "192.168.1.1", "xn--abc", "abc-s3alias"} {
		t.Run(name, func(t *testing.T) {
			_, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
			wantErr(t, err, "InvalidBucketName", 400)
		})
	}
}

func TestPutGetObject(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "bkt")
	body := "hello, object"
	sum := md5.Sum([]byte(body))
	put, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("bkt"), Key: aws.String("dir/hello.txt"), Body: strings.NewReader(body),
		ContentType: aws.String("text/plain"), ContentDisposition: aws.String("inline"),
		CacheControl: aws.String("max-age=60"), ContentLanguage: aws.String("en"),
		Metadata:   map[string]string{"color": "blue"},
		ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
	})
	if err != nil {
		t.Fatal(err)
	}
	wantETag := fmt.Sprintf("%q", fmt.Sprintf("%x", sum))
	if *put.ETag != wantETag {
		t.Errorf("ETag = %s, want %s", *put.ETag, wantETag)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello.txt")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if string(got) != body || *get.ETag != wantETag || *get.ContentType != "text/plain" ||
		*get.ContentDisposition != "inline" || *get.CacheControl != "max-age=60" || *get.ContentLanguage != "en" ||
		get.Metadata["color"] != "blue" || *get.ContentLength != int64(len(body)) {
		t.Errorf("GetObject = %q %+v", got, get)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello.txt")})
	if err != nil || *head.ContentLength != int64(len(body)) || head.Metadata["color"] != "blue" {
		t.Errorf("HeadObject = %+v, %v", head, err)
	}

	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("missing")})
	wantErr(t, err, "NoSuchKey", 404)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("missing")})
	wantErr(t, err, "NotFound", 404)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("nobucket"), Key: aws.String("k")})
	wantErr(t, err, "NoSuchBucket", 404)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("x")})
	wantErr(t, err, "KeyTooLongError", 400)
	mustPut(t, c, "bkt", strings.Repeat("k", 1024), "x")

	wrong := md5.Sum([]byte("other"))
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("bad"), Body: strings.NewReader(body),
		ContentMD5: aws.String(base64.StdEncoding.EncodeToString(wrong[:]))})
	wantErr(t, err, "BadDigest", 400)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("bad")})
	wantErr(t, err, "NotFound", 404)

	// Overwrite, then delete; deleting a missing key succeeds.
	mustPut(t, c, "bkt", "dir/hello.txt", "second")
	get, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello.txt")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(get.Body)
	get.Body.Close()
	if string(got) != "second" || get.Metadata["color"] != "" {
		t.Errorf("after overwrite: %q %v", got, get.Metadata)
	}
	for range 2 {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello.txt")}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("dir/hello.txt")})
	wantErr(t, err, "NoSuchKey", 404)
}

func TestLargeObject(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "big")
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String("blob"), Body: bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("blob")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, data) {
		t.Errorf("got %d bytes back, want %d equal", len(got), len(data))
	}
}

func TestRange(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "bkt")
	mustPut(t, c, "bkt", "k", "0123456789")
	for _, tc := range []struct{ rng, body, contentRange string }{
		{"bytes=0-3", "0123", "bytes 0-3/10"},
		{"bytes=5-", "56789", "bytes 5-9/10"},
		{"bytes=-3", "789", "bytes 7-9/10"},
		{"bytes=8-100", "89", "bytes 8-9/10"},
	} {
		t.Run(tc.rng, func(t *testing.T) {
			var status int
			get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"), Range: aws.String(tc.rng)},
				func(o *s3.Options) { o.APIOptions = append(o.APIOptions, statusRecorder(&status)) })
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(get.Body)
			get.Body.Close()
			if string(got) != tc.body || aws.ToString(get.ContentRange) != tc.contentRange || status != 206 {
				t.Errorf("got %q %q %d, want %q %q 206", got, aws.ToString(get.ContentRange), status, tc.body, tc.contentRange)
			}
		})
	}
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"), Range: aws.String("bytes=10-20")})
	wantErr(t, err, "InvalidRange", 416)
}

func TestConditionalGet(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "bkt")
	mustPut(t, c, "bkt", "k", "v")
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	etag := *h.ETag
	past, future := h.LastModified.Add(-time.Hour), h.LastModified.Add(time.Hour)
	for _, tc := range []struct {
		name   string
		in     s3.GetObjectInput
		status int // 0 means 200
	}{
		{"if-match", s3.GetObjectInput{IfMatch: &etag}, 0},
		{"if-match-other", s3.GetObjectInput{IfMatch: aws.String(`"nope"`)}, 412},
		{"if-none-match", s3.GetObjectInput{IfNoneMatch: &etag}, 304},
		{"if-none-match-other", s3.GetObjectInput{IfNoneMatch: aws.String(`"nope"`)}, 0},
		{"if-modified-since-past", s3.GetObjectInput{IfModifiedSince: &past}, 0},
		{"if-modified-since-last-modified", s3.GetObjectInput{IfModifiedSince: h.LastModified}, 304},
		// A date in the future is ignored, as AWS does (recorded).
		{"if-modified-since-future", s3.GetObjectInput{IfModifiedSince: &future}, 0},
		{"if-unmodified-since-past", s3.GetObjectInput{IfUnmodifiedSince: &past}, 412},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Bucket, in.Key = aws.String("bkt"), aws.String("k")
			out, err := c.GetObject(ctx, &in)
			if tc.status == 0 {
				if err != nil {
					t.Fatal(err)
				}
				out.Body.Close()
				return
			}
			code := "PreconditionFailed"
			if tc.status == 304 {
				code = "NotModified"
			}
			wantErr(t, err, code, tc.status)
		})
	}
}

func TestCopyObject(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "src")
	mustCreate(t, c, "dst")
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("src"), Key: aws.String("a b"), Body: strings.NewReader("payload"),
		ContentType: aws.String("text/plain"), Metadata: map[string]string{"m": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, directive, wantMeta, wantType string
	}{
		{"copy", "", "1", "text/plain"},
		{"replace", "REPLACE", "2", "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String(tc.name), CopySource: aws.String("src/a%20b"),
				Metadata: map[string]string{"m": "2"}, ContentType: aws.String("application/json")}
			if tc.directive != "" {
				in.MetadataDirective = types.MetadataDirective(tc.directive)
			}
			out, err := c.CopyObject(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("dst"), Key: aws.String(tc.name)})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(get.Body)
			get.Body.Close()
			if string(b) != "payload" || get.Metadata["m"] != tc.wantMeta || *get.ContentType != tc.wantType || *get.ETag != *out.CopyObjectResult.ETag {
				t.Errorf("copy = %q meta %v type %s etag %s", b, get.Metadata, *get.ContentType, *get.ETag)
			}
		})
	}
	// The copy owns its body: deleting the source leaves it readable.
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("src"), Key: aws.String("a b")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy"), CopySource: aws.String("dst/copy")})
	wantErr(t, err, "InvalidRequest", 400)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: aws.String("src/missing")})
	wantErr(t, err, "NoSuchKey", 404)
}

func TestDeleteObjects(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "bkt")
	for _, k := range []string{"a", "b", "c"} {
		mustPut(t, c, "bkt", k, k)
	}
	out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("bkt"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("a")}, {Key: aws.String("c")}, {Key: aws.String("zz")}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Deleted) != 3 || len(out.Errors) != 0 {
		t.Errorf("DeleteObjects = %d deleted, %d errors", len(out.Deleted), len(out.Errors))
	}
	l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt")})
	if err != nil || len(l.Contents) != 1 || *l.Contents[0].Key != "b" {
		t.Errorf("left = %+v, %v", l, err)
	}
}

// statusRecorder is an SDK middleware that records the HTTP status.
func statusRecorder(status *int) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("status",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if r, ok := out.RawResponse.(*smithyhttp.Response); ok {
					*status = r.StatusCode
				}
				return out, md, err
			}), middleware.After)
	}
}

func TestRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	start := func() (*fogbank.Server, *s3.Client) {
		srv, err := fogbank.New(fogbank.Options{Listen: "127.0.0.1:0", DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Start(ctx); err != nil {
			t.Fatal(err)
		}
		cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), BaseEndpoint: aws.String(srv.URL()),
			HTTPClient: &http.Client{}}
		return srv, s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	}
	srv, c := start()
	mustCreate(t, c, "keep")
	mustPut(t, c, "keep", "k1", "one")
	mustPut(t, c, "keep", "k2", "two")
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("keep"), Key: aws.String("k2")}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, c, "versions")
	setVersioning(t, c, "versions", "Enabled")
	v1 := putV(t, c, "versions", "k", "v1")
	putV(t, c, "versions", "k", "v2")
	putV(t, c, "versions", "k", "v3")
	// Bucket settings are part of the bucket's record and survive too.
	if _, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("versions"), Tagging: tagSet("env", "test")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("versions"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("versions"), Key: aws.String("k"), VersionId: &v1, Tagging: tagSet("old", "yes")}); err != nil {
		t.Fatal(err)
	}
	mpu, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("keep"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("keep"), Key: aws.String("mp"), UploadId: mpu.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("part one")})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	srv, c = start()
	defer srv.Shutdown(ctx)
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("keep"), Key: aws.String("k1")})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if string(b) != "one" {
		t.Errorf("after restart k1 = %q", b)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("keep"), Key: aws.String("k2")})
	wantErr(t, err, "NoSuchKey", 404)
	// Versions come back in order, and a new one goes on top.
	putV(t, c, "versions", "k", "v4")
	lv, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("versions")})
	if err != nil || len(lv.Versions) != 4 || aws.ToString(lv.Versions[3].VersionId) != v1 {
		t.Fatalf("versions after restart: %v %+v", err, lv)
	}
	if body, _ := getBody(t, c, "versions", "k", ""); body != "v4" {
		t.Errorf("current after restart = %q", body)
	}
	if v, _ := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("versions")}); v.Status != "Enabled" {
		t.Errorf("versioning after restart = %q", v.Status)
	}
	if tg, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("versions")}); err != nil || tagString(tg.TagSet) != "env=test;" {
		t.Errorf("bucket tags after restart: %v", err)
	}
	if cr, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("versions")}); err != nil || len(cr.CORSRules) != 1 {
		t.Errorf("CORS after restart: %v", err)
	}
	if ot, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("versions"), Key: aws.String("k"), VersionId: &v1}); err != nil || tagString(ot.TagSet) != "old=yes;" {
		t.Errorf("version tags after restart: %v", err)
	}
	// The upload in progress survives and completes.
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("keep"), Key: aws.String("mp"),
		UploadId: mpu.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}})
	if err != nil {
		t.Fatal(err)
	}
	get, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("keep"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(get.Body)
	get.Body.Close()
	if string(b) != "part one" {
		t.Errorf("completed after restart = %q", b)
	}
}

// TestInterruptedUpload: a PUT whose body ends before its Content-Length
// leaves no object and no file.
func TestInterruptedUpload(t *testing.T) {
	srv := start(t)
	c := client(srv, "us-east-1")
	mustCreate(t, c, "cut")
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "PUT /cut/half HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly this much")
	time.Sleep(100 * time.Millisecond)
	conn.Close()
	time.Sleep(100 * time.Millisecond)
	_, err = c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("cut"), Key: aws.String("half")})
	wantErr(t, err, "NotFound", 404)
}
