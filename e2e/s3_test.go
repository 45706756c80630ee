package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// S3 through the AWS CLI v2's high-level commands (aws s3 cp / ls / sync)
// and s3api, and through boto3, the JS SDK v3 and AWS CLI v1 by operation.

// forEachS3Client is forEachClient for the clients S3 runs through.
func forEachS3Client(t *testing.T, fn func(t *testing.T, c *Client)) {
	t.Helper()
	for _, c := range clients {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			require(t, c.Name, c.check("s3"))
			fn(t, c)
		})
	}
}

// TestS3CLIv2Copy creates a bucket with s3api, copies a 17 MiB local file (multipart) up
// and down with aws s3 cp, compares the bytes, and lists with aws s3 ls.
func TestS3CLIv2Copy(t *testing.T) {
	require(t, "aws-cli-v2", checkCLIv2(""))
	s := startServer(t, ServerOptions{})
	aws := cliV2(t, s, "")
	aws("s3api", "create-bucket", "--bucket", "cli-bucket")

	dir := t.TempDir()
	data := make([]byte, 17<<20) // over the CLI's 8 MiB multipart threshold
	rand.Read(data)
	up := filepath.Join(dir, "up.bin")
	if err := os.WriteFile(up, data, 0o644); err != nil {
		t.Fatal(err)
	}
	aws("s3", "cp", up, "s3://cli-bucket/dir/data.bin")
	aws("s3", "cp", up, "s3://cli-bucket/top.bin")
	down := filepath.Join(dir, "down.bin")
	aws("s3", "cp", "s3://cli-bucket/dir/data.bin", down)
	got, err := os.ReadFile(down)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("downloaded %d bytes that differ from the %d uploaded", len(got), len(data))
	}

	ls := aws("s3", "ls", "s3://cli-bucket/")
	if !strings.Contains(ls, "PRE dir/") || !strings.Contains(ls, "top.bin") || strings.Contains(ls, "data.bin") {
		t.Errorf("aws s3 ls s3://cli-bucket/:\n%s", ls)
	}
	ls = aws("s3", "ls", "--recursive", "s3://cli-bucket/")
	if !strings.Contains(ls, "dir/data.bin") || !strings.Contains(ls, "17825792") {
		t.Errorf("aws s3 ls --recursive:\n%s", ls)
	}
	if ls := aws("s3", "ls"); !strings.Contains(ls, "cli-bucket") {
		t.Errorf("aws s3 ls:\n%s", ls)
	}
	aws("s3", "rm", "s3://cli-bucket/top.bin")
	aws("s3", "rm", "s3://cli-bucket/dir/data.bin")
	aws("s3api", "delete-bucket", "--bucket", "cli-bucket")
}

// TestS3Objects: create, put, get, list and the errors of a bad name and a
// missing bucket or key, by operation through each client.
func TestS3Objects(t *testing.T) {
	s := startServer(t, ServerOptions{})
	forEachS3Client(t, func(t *testing.T, c *Client) {
		bucket := "e2e-" + strings.ReplaceAll(c.Name, "_", "-")
		// The CLIs name S3's operations under "aws s3api".
		svc := "s3"
		if strings.HasPrefix(c.Name, "aws-cli") {
			svc = "s3api"
		}
		c.Call(t, s, svc, "CreateBucket", map[string]any{"Bucket": bucket}).OK(t)
		c.Call(t, s, svc, "CreateBucket", map[string]any{"Bucket": "ab"}).Fails(t, "InvalidBucketName")
		e := c.Call(t, s, svc, "GetBucketLocation", map[string]any{"Bucket": bucket + "-missing"}).Fails(t, "NoSuchBucket")
		if c.HTTPStatus && e.Status != 404 {
			t.Errorf("NoSuchBucket status = %d, want 404", e.Status)
		}
		if c.Name == "boto3" {
			// The CLIs take a PutObject body from a file, and print a
			// GetObject body to one: those run in TestS3CLIv2Copy.
			for _, k := range []string{"a/1", "a/2", "b"} {
				c.Call(t, s, svc, "PutObject", map[string]any{"Bucket": bucket, "Key": k, "Body": "body of " + k}).OK(t)
			}
			out := c.Call(t, s, svc, "GetObject", map[string]any{"Bucket": bucket, "Key": "a/2"}).OK(t)
			if got := str(out, "Body"); got != "body of a/2" {
				t.Errorf("GetObject Body = %q", got)
			}
			c.Call(t, s, svc, "GetObject", map[string]any{"Bucket": bucket, "Key": "nope"}).Fails(t, "NoSuchKey")
			out = c.Call(t, s, svc, "ListObjectsV2", map[string]any{"Bucket": bucket, "Delimiter": "/"}).OK(t)
			var keys, prefixes []string
			for _, o := range list(out, "Contents") {
				keys = append(keys, str(o, "Key"))
			}
			for _, p := range list(out, "CommonPrefixes") {
				prefixes = append(prefixes, str(p, "Prefix"))
			}
			if !slices.Equal(keys, []string{"b"}) || !slices.Equal(prefixes, []string{"a/"}) {
				t.Errorf("ListObjectsV2 = %v %v, want [b] [a/]", keys, prefixes)
			}
		}
		out := c.Call(t, s, svc, "ListBuckets", nil).OK(t)
		found := false
		for _, b := range list(out, "Buckets") {
			found = found || str(b, "Name") == bucket
		}
		if !found {
			t.Errorf("ListBuckets does not list %s: %v", bucket, out)
		}
	})
}

// list returns the list of objects at key in m.
func list(m map[string]any, key string) []map[string]any {
	var out []map[string]any
	l, _ := m[key].([]any)
	for _, v := range l {
		if mm, ok := v.(map[string]any); ok {
			out = append(out, mm)
		}
	}
	return out
}

// boto3Transfer uploads a file with upload_file (multipart above boto3's
// 8 MiB threshold), downloads it with download_file, and prints a
// presigned GET URL for the object.
const boto3Transfer = `
import sys, boto3
s3 = boto3.client("s3")
s3.create_bucket(Bucket="boto-bucket")
s3.upload_file(sys.argv[1], "boto-bucket", "file.bin")
s3.download_file("boto-bucket", "file.bin", sys.argv[2])
print(s3.generate_presigned_url("get_object", Params={"Bucket": "boto-bucket", "Key": "file.bin"}, ExpiresIn=300))
`

// TestS3Boto3Transfer: boto3's managed transfer up and down, and the
// presigned URL it makes fetched with plain HTTP.
func TestS3Boto3Transfer(t *testing.T) {
	require(t, "boto3", checkBoto3(""))
	s := startServer(t, ServerOptions{})
	dir := t.TempDir()
	data := make([]byte, 10<<20)
	rand.Read(data)
	up, down := filepath.Join(dir, "up.bin"), filepath.Join(dir, "down.bin")
	if err := os.WriteFile(up, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	stdout, stderr, err := run(ctx, clientEnv(s.URL, testCreds), "", "python3", "-c", boto3Transfer, up, down)
	if err != nil {
		t.Fatalf("boto3 transfer: %v\n%s", err, stderr)
	}
	got, err := os.ReadFile(down)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("download_file gave %d bytes (%v) that differ from the %d uploaded", len(got), err, len(data))
	}
	url := strings.TrimSpace(string(stdout))
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(body, data) {
		t.Errorf("presigned GET %s: %d, %d bytes", url, resp.StatusCode, len(body))
	}
}

// s3Service is the service name a client calls S3's operations under (the
// CLIs name them "aws s3api").
func s3Service(c *Client) string {
	if strings.HasPrefix(c.Name, "aws-cli") {
		return "s3api"
	}
	return "s3"
}

// TestS3VersioningTagging: versioning, versions, delete markers and
// tagging by operation through every client.
func TestS3VersioningTagging(t *testing.T) {
	s := startServer(t, ServerOptions{})
	forEachS3Client(t, func(t *testing.T, c *Client) {
		svc := s3Service(c)
		bucket := "vt-" + strings.ReplaceAll(c.Name, "_", "-")
		c.Call(t, s, svc, "CreateBucket", map[string]any{"Bucket": bucket}).OK(t)
		c.Call(t, s, svc, "PutBucketVersioning", map[string]any{"Bucket": bucket,
			"VersioningConfiguration": map[string]any{"Status": "Enabled"}}).OK(t)
		if got := str(c.Call(t, s, svc, "GetBucketVersioning", map[string]any{"Bucket": bucket}).OK(t), "Status"); got != "Enabled" {
			t.Errorf("GetBucketVersioning Status = %q", got)
		}
		c.Call(t, s, svc, "PutBucketVersioning", map[string]any{"Bucket": bucket,
			"VersioningConfiguration": map[string]any{"Status": "enabled"}}).Fails(t, "MalformedXML")
		// The CLIs' put-object without --body stores an empty object.
		v1 := str(c.Call(t, s, svc, "PutObject", map[string]any{"Bucket": bucket, "Key": "doc"}).OK(t), "VersionId")
		v2 := str(c.Call(t, s, svc, "PutObject", map[string]any{"Bucket": bucket, "Key": "doc", "Tagging": "stage=two"}).OK(t), "VersionId")
		if v1 == "" || v2 == "" || v1 == v2 {
			t.Fatalf("version ids %q %q", v1, v2)
		}
		del := c.Call(t, s, svc, "DeleteObject", map[string]any{"Bucket": bucket, "Key": "doc"}).OK(t)
		if del["DeleteMarker"] != true {
			t.Errorf("DeleteObject = %v, want a delete marker", del)
		}
		out := c.Call(t, s, svc, "ListObjectVersions", map[string]any{"Bucket": bucket}).OK(t)
		if len(list(out, "Versions")) != 2 || len(list(out, "DeleteMarkers")) != 1 {
			t.Errorf("ListObjectVersions = %v", out)
		}
		// HEAD errors have no body: clients name the code after the status.
		if r := c.Call(t, s, svc, "HeadObject", map[string]any{"Bucket": bucket, "Key": "doc"}); r.Err == nil || !strings.Contains(r.Err.Code+r.Err.Message, "404") && r.Err.Code != "NotFound" {
			t.Errorf("HeadObject under a delete marker = %+v, want 404", r)
		}
		if got := str(c.Call(t, s, svc, "HeadObject", map[string]any{"Bucket": bucket, "Key": "doc", "VersionId": v1}).OK(t), "VersionId"); got != v1 {
			t.Errorf("HeadObject of v1 answered version %q", got)
		}

		tags := c.Call(t, s, svc, "GetObjectTagging", map[string]any{"Bucket": bucket, "Key": "doc", "VersionId": v2}).OK(t)
		if ts := list(tags, "TagSet"); len(ts) != 1 || str(ts[0], "Key") != "stage" || str(ts[0], "Value") != "two" {
			t.Errorf("tags from x-amz-tagging: %v", tags)
		}
		c.Call(t, s, svc, "PutObjectTagging", map[string]any{"Bucket": bucket, "Key": "doc", "VersionId": v1,
			"Tagging": map[string]any{"TagSet": []any{map[string]any{"Key": "team", "Value": "blue"}}}}).OK(t)
		tags = c.Call(t, s, svc, "GetObjectTagging", map[string]any{"Bucket": bucket, "Key": "doc", "VersionId": v1}).OK(t)
		if ts := list(tags, "TagSet"); len(ts) != 1 || str(ts[0], "Value") != "blue" {
			t.Errorf("GetObjectTagging = %v", tags)
		}
		c.Call(t, s, svc, "GetBucketTagging", map[string]any{"Bucket": bucket}).Fails(t, "NoSuchTagSet")
		c.Call(t, s, svc, "PutBucketTagging", map[string]any{"Bucket": bucket,
			"Tagging": map[string]any{"TagSet": []any{map[string]any{"Key": "env", "Value": "test"}}}}).OK(t)
		if ts := list(c.Call(t, s, svc, "GetBucketTagging", map[string]any{"Bucket": bucket}).OK(t), "TagSet"); len(ts) != 1 || str(ts[0], "Key") != "env" {
			t.Errorf("GetBucketTagging = %v", ts)
		}
		c.Call(t, s, svc, "PutBucketTagging", map[string]any{"Bucket": bucket,
			"Tagging": map[string]any{"TagSet": []any{map[string]any{"Key": "aws:x", "Value": "y"}}}}).Fails(t, "InvalidTag")
	})
}

// TestS3CLIv2Sync: aws s3 sync up (new and changed files, --delete), and
// back down into an empty directory, with the bytes compared.
func TestS3CLIv2Sync(t *testing.T) {
	require(t, "aws-cli-v2", checkCLIv2(""))
	s := startServer(t, ServerOptions{})
	aws := cliV2(t, s, "")
	aws("s3", "mb", "s3://sync-bucket")
	src, dst := t.TempDir(), t.TempDir()
	files := map[string]string{"a.txt": "alpha", "sub/b.txt": "bravo", "sub/deep/c.bin": strings.Repeat("c", 1<<20)}
	for name, body := range files {
		p := filepath.Join(src, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out := aws("s3", "sync", src, "s3://sync-bucket/data"); strings.Count(out, "upload:") != 3 {
		t.Errorf("first sync:\n%s", out)
	}
	if out := aws("s3", "sync", src, "s3://sync-bucket/data"); strings.Contains(out, "upload:") {
		t.Errorf("a sync with nothing changed uploaded:\n%s", out)
	}
	files["a.txt"] = "alpha, longer now"
	os.WriteFile(filepath.Join(src, "a.txt"), []byte(files["a.txt"]), 0o644)
	os.Remove(filepath.Join(src, "sub/b.txt"))
	delete(files, "sub/b.txt")
	out := aws("s3", "sync", "--delete", src, "s3://sync-bucket/data")
	if !strings.Contains(out, "upload:") || !strings.Contains(out, "delete: s3://sync-bucket/data/sub/b.txt") {
		t.Errorf("sync --delete:\n%s", out)
	}
	aws("s3", "sync", "s3://sync-bucket/data", dst)
	for name, body := range files {
		got, err := os.ReadFile(filepath.Join(dst, name))
		if err != nil || string(got) != body {
			t.Errorf("%s after sync down: %d bytes, %v", name, len(got), err)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, "sub/b.txt")); err == nil {
		t.Errorf("sub/b.txt came back after --delete")
	}
}
