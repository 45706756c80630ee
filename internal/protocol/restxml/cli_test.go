package restxml

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/s3"
)

// awsCLI is AWS CLI v2.9 from Debian.
const awsCLI = "/usr/bin/aws"

// TestAWSCLI drives the codec with the real AWS CLI v2.9 against the S3
// model: XML payloads it sends must decode, and its parser must accept
// S3-style documents and errors. Skipped without the CLI or in -short mode.
func TestAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an external client")
	}
	if _, err := os.Stat(awsCLI); err != nil {
		t.Skip("AWS CLI v2 not installed at " + awsCLI)
	}
	var mu sync.Mutex
	got := map[string]any{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c := &api.Call{Service: s3.Service, Request: r, Body: b, RequestID: "REQ123", Protocol: Protocol}
		codec := Codec{}
		if err := codec.Resolve(c); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
			return
		}
		in := c.Op.NewInput()
		if err := codec.Decode(c, in); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
			return
		}
		mu.Lock()
		got[c.Op.Name] = in
		mu.Unlock()
		var out any
		switch c.Op.Name {
		case "ListBuckets":
			out = &s3.ListBucketsOutput{Buckets: []*s3.Bucket{{Name: api.String("b-1"), CreationDate: api.Time(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))}},
				Owner: &s3.Owner{ID: api.String("owner<&>")}}
		case "GetBucketLocation":
			out = &s3.GetBucketLocationOutput{LocationConstraint: api.String("eu-west-1")}
		case "PutBucketTagging":
		case "DeleteObjects":
			out = &s3.DeleteObjectsOutput{Deleted: []*s3.DeletedObject{{Key: api.String("a b")}, {Key: api.String("c&d")}}}
		default:
			codec.EncodeError(w, c, s3.NewNoSuchKey("The specified key does not exist."))
			return
		}
		if err := codec.Encode(w, c, out); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
		}
	}))
	defer srv.Close()

	run := func(args ...string) (string, error) {
		cmd := exec.Command(awsCLI, append([]string{"--endpoint-url", srv.URL, "--output", "json", "s3api"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
			"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	jsonOut := func(t *testing.T, args ...string) map[string]any {
		t.Helper()
		out, err := run(args...)
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var m map[string]any
		if strings.TrimSpace(out) == "" {
			return m
		}
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return m
	}

	t.Run("list-buckets", func(t *testing.T) {
		m := jsonOut(t, "list-buckets")
		bs, _ := m["Buckets"].([]any)
		if len(bs) != 1 || bs[0].(map[string]any)["Name"] != "b-1" || m["Owner"].(map[string]any)["ID"] != "owner<&>" {
			t.Fatalf("parsed %v", m)
		}
	})
	t.Run("get-bucket-location", func(t *testing.T) {
		if m := jsonOut(t, "get-bucket-location", "--bucket", "b-1"); m["LocationConstraint"] != "eu-west-1" {
			t.Fatalf("parsed %v", m)
		}
	})
	t.Run("put-bucket-tagging", func(t *testing.T) {
		jsonOut(t, "put-bucket-tagging", "--bucket", "b-1", "--tagging", `{"TagSet":[{"Key":"k","Value":"a&b<c>"},{"Key":"e","Value":""}]}`)
		mu.Lock()
		in, _ := got["PutBucketTagging"].(*s3.PutBucketTaggingRequest)
		mu.Unlock()
		if in == nil || api.ToString(in.Bucket) != "b-1" || in.Tagging == nil || len(in.Tagging.TagSet) != 2 ||
			api.ToString(in.Tagging.TagSet[0].Value) != "a&b<c>" || api.ToString(in.Tagging.TagSet[1].Key) != "e" {
			t.Fatalf("decoded %+v", in)
		}
	})
	t.Run("delete-objects", func(t *testing.T) {
		m := jsonOut(t, "delete-objects", "--bucket", "b-1", "--delete", `{"Objects":[{"Key":"a b"},{"Key":"c&d"}],"Quiet":false}`)
		mu.Lock()
		in, _ := got["DeleteObjects"].(*s3.DeleteObjectsRequest)
		mu.Unlock()
		if in == nil || in.Delete == nil || len(in.Delete.Objects) != 2 || api.ToString(in.Delete.Objects[1].Key) != "c&d" || in.Delete.Quiet == nil {
			t.Fatalf("decoded %+v", in)
		}
		if d, _ := m["Deleted"].([]any); len(d) != 2 {
			t.Fatalf("parsed %v", m)
		}
	})
	t.Run("errors", func(t *testing.T) {
		out, err := run("get-object", "--bucket", "b-1", "--key", "missing", "/dev/null")
		if err == nil || !strings.Contains(out, "An error occurred (NoSuchKey) when calling the GetObject operation") ||
			!strings.Contains(out, "The specified key does not exist.") {
			t.Fatalf("get-object: %v: %s", err, out)
		}
		out, err = run("head-object", "--bucket", "b-1", "--key", "missing")
		if err == nil || !strings.Contains(out, "(404)") {
			t.Fatalf("head-object: %v: %s", err, out)
		}
	})
}
