package s3_test

// The S3 entries recorded from real AWS in LocalStack's parity tests
// (shared/conformance/aws-recorded/s3), replayed through aws-sdk-go-v2.
// Each case names its snapshot entry, runs the scenario the LocalStack test
// ran (reconstructed from its recorded keys) and stores what each step
// answered, as boto3 would show it, under the recorded key. The comparison
// is one-sided: every recorded member must be present with the recorded
// value (placeholders such as "<version-id:1>" and "datetime" match any
// value); members we answer beyond the recording are ignored. Of an error,
// Code, Message, the HTTP status and every extra member of the error
// document (BucketName, Key, ArgumentName, …, which boto3 shows beside
// Code and Message and aws-sdk-go-v2 does not parse: errorBodies keeps the
// body the SDK read) are compared; RequestId and HostId are not, nor is
// ChecksumType (absent from the model we generate from).
//
// Entries without a case, or whose case does not pass yet, are listed with
// a reason in testdata/recorded/skip.json; none is ever dropped.

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/sharedfiles"
)

// recordedRun is one scenario in progress.
type recordedRun struct {
	t       *testing.T
	ctx     context.Context
	c       *s3.Client
	got     map[string]any
	skipped map[string]string
	n       int
	srv     *fogbanktest.Server
	bodies  *errorBodies
}

// errorBodies is an aws.HTTPClient that keeps the body of every error
// response the SDK receives, so a step can compare the members of the error
// document that aws-sdk-go-v2 does not expose (it parses only Code, Message,
// RequestId and HostId of an S3 error).
type errorBodies struct {
	base interface {
		Do(*http.Request) (*http.Response, error)
	}
	mu   sync.Mutex
	body map[*http.Response][]byte
}

func (c *errorBodies) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.base.Do(req)
	if err != nil || resp.StatusCode < 300 || resp.Body == nil {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	c.mu.Lock()
	c.body[resp] = b
	c.mu.Unlock()
	return resp, nil
}

// members returns the extra members of the error document resp carried, as
// boto3 shows them: every child of <Error> but Code, Message, RequestId and
// HostId, by name.
func (c *errorBodies) members(resp *http.Response) map[string]any {
	c.mu.Lock()
	b := c.body[resp]
	c.mu.Unlock()
	var doc struct {
		Members []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	}
	if len(b) == 0 || xml.Unmarshal(b, &doc) != nil {
		return nil // no error document
	}
	out := map[string]any{}
	for _, m := range doc.Members {
		switch m.XMLName.Local {
		case "Code", "Message", "RequestId", "HostId":
			continue
		}
		out[m.XMLName.Local] = m.Value
	}
	return out
}

// skipKey leaves one recorded key out of the comparison, with the reason.
func (r *recordedRun) skipKey(key, reason string) {
	r.skipped[key] = reason
}

// bucket creates a fresh bucket for the scenario.
func (r *recordedRun) bucket() string {
	r.n++
	name := fmt.Sprintf("rec-bucket-%d", r.n)
	mustCreate(r.t, r.c, name)
	return name
}

// rec stores a step's answer under key: the output as boto3 shows it, or
// the error.
func (r *recordedRun) rec(key string, out any, err error) {
	if err != nil {
		e := map[string]any{}
		var ae smithy.APIError
		if errors.As(err, &ae) {
			e["Code"], e["Message"] = ae.ErrorCode(), ae.ErrorMessage()
		} else {
			e["Code"], e["Message"] = "client error", err.Error()
		}
		status := 0
		out := map[string]any{"Error": e}
		var re *awshttp.ResponseError
		if errors.As(err, &re) {
			status = re.HTTPStatusCode()
			if r.bodies != nil && re.Response != nil {
				m := r.bodies.members(re.Response.Response)
				for k, v := range m {
					e[k] = v
				}
				if m == nil {
					// boto3 names an error without a document (HEAD, 304)
					// by its status line; aws-sdk-go-v2 by a code it makes up.
					e["Code"], e["Message"] = strconv.Itoa(status), http.StatusText(status)
				}
			}
			// boto3 shows an error's modelled headers beside it.
			if sc := re.Response.Header.Get("X-Amz-Storage-Class"); sc != "" {
				out["StorageClass"] = sc
			}
		}
		out["ResponseMetadata"] = map[string]any{"HTTPStatusCode": float64(status)}
		r.got[key] = out
		return
	}
	m := map[string]any{}
	if out != nil {
		v := reflect.Indirect(reflect.ValueOf(out))
		status := 0
		if md := v.FieldByName("ResultMetadata"); md.IsValid() {
			if raw, ok := awsmiddleware.GetRawResponse(md.Interface().(middleware.Metadata)).(*smithyhttp.Response); ok {
				status = raw.StatusCode
			}
		}
		if body := v.FieldByName("Body"); body.IsValid() {
			if rc, ok := body.Interface().(io.ReadCloser); ok && rc != nil {
				b, _ := io.ReadAll(rc)
				rc.Close()
				m["Body"] = string(b)
			}
		}
		b, _ := json.Marshal(out)
		var all map[string]any
		_ = json.Unmarshal(b, &all)
		for k, x := range all {
			if k != "ResultMetadata" && k != "Body" {
				m[k] = x
			}
		}
		m["ResponseMetadata"] = map[string]any{"HTTPStatusCode": float64(status)}
	}
	r.got[key] = m
}

// recordedCase is a snapshot entry (without "tests/aws/services/s3/") and
// the scenario that reproduces it.
type recordedCase struct {
	id  string
	run func(r *recordedRun)
}

func TestRecorded(t *testing.T) {
	want := sharedfiles.Recorded(t, "s3")
	skip := sharedfiles.Skips(t, filepath.Join("testdata", "recorded", "skip.json"))
	cases := map[string]recordedCase{}
	for _, c := range append(recordedCases(), recordedErrorCases()...) {
		if _, ok := want[c.id]; !ok {
			t.Errorf("case %s has no recorded entry", c.id)
		}
		if _, dup := cases[c.id]; dup {
			t.Errorf("two cases for %s", c.id)
		}
		cases[c.id] = c
	}
	var ids []string
	for id := range want {
		ids = append(ids, id)
		_, hasCase := cases[id]
		_, skipped := skip[id]
		if !hasCase && !skipped {
			t.Errorf("%s has neither a case nor a reason in testdata/recorded/skip.json", id)
		}
		if hasCase && skipped {
			t.Errorf("%s has a case and a skip reason", id)
		}
	}
	for id := range skip {
		if _, ok := want[id]; !ok {
			t.Errorf("skip.json lists %s, which is not recorded", id)
		}
	}
	sort.Strings(ids)
	var reproduced atomic.Int64
	srv := start(t)
	t.Run("cases", func(t *testing.T) {
		for _, id := range ids {
			c, ok := cases[id]
			if !ok {
				continue
			}
			t.Run(id, func(t *testing.T) {
				srv.Reset(t)
				r := &recordedRun{t: t, ctx: context.Background(), got: map[string]any{}, skipped: map[string]string{}, srv: srv}
				r.c = s3.NewFromConfig(srv.AWSConfig(), func(o *s3.Options) {
					r.bodies = &errorBodies{base: o.HTTPClient, body: map[*http.Response][]byte{}}
					o.HTTPClient = r.bodies
					o.UsePathStyle = true
					o.APIOptions = append(o.APIOptions, likeBoto3)
				})
				c.run(r)
				for key, w := range want[id] {
					if reason, ok := r.skipped[key]; ok {
						t.Logf("%s not compared: %s", key, reason)
						continue
					}
					g, ok := r.got[key]
					if !ok {
						t.Errorf("%s: not produced", key)
						continue
					}
					if diff := matchRecorded(key, w, g); diff != "" {
						t.Errorf("%s", diff)
					}
				}
				if !t.Failed() {
					reproduced.Add(1)
				}
			})
		}
	})
	t.Logf("recorded s3: %d reproduced, %d skipped (of %d entries)", reproduced.Load(), len(skip), len(ids))
}

// ignoredMembers are recorded members the comparison leaves out (see the
// file comment). boto3 sends a CRC32 of every body, which S3 then reports
// (ChecksumCRC32, ChecksumAlgorithm); aws-sdk-go-v2 over plain HTTP sends
// none, so there is nothing to report.
var ignoredMembers = map[string]bool{"ChecksumType": true, "ChecksumCRC32": true, "ChecksumAlgorithm": true,
	"HostId": true, "RequestId": true, "HTTPHeaders": true}

// matchRecorded returns "" if got has every recorded member of want with
// the recorded value.
func matchRecorded(path string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok && got == nil && len(w) == 0 {
			return "" // boto3 shows an absent map (Metadata) as {}
		}
		if !ok {
			return fmt.Sprintf("%s: got %v, want an object", path, got)
		}
		for k, wv := range w {
			if ignoredMembers[k] {
				continue
			}
			gv, ok := g[k]
			if !ok {
				return fmt.Sprintf("%s.%s: missing (want %v)", path, k, wv)
			}
			if d := matchRecorded(path+"."+k, wv, gv); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok && got == nil && len(w) == 0 {
			return "" // boto3 shows an absent list (Buckets) as []
		}
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		for i := range w {
			if d := matchRecorded(fmt.Sprintf("%s[%d]", path, i), w[i], g[i]); d != "" {
				return d
			}
		}
		return ""
	case string:
		if isPlaceholder(w) {
			if got == nil {
				return fmt.Sprintf("%s: missing (want %s)", path, w)
			}
			return ""
		}
		if g, ok := got.(string); ok && strings.Contains(w, "<") && placeholderRE(w).MatchString(g) {
			return ""
		}
		if g, ok := got.(string); !ok || g != w {
			return fmt.Sprintf("%s: got %v, want %q", path, got, w)
		}
		return ""
	case nil:
		// aws-sdk-go-v2 shows an error without a message as "UnknownError".
		if got != nil && got != "" && got != "UnknownError" {
			return fmt.Sprintf("%s: got %v, want none", path, got)
		}
		return ""
	default:
		if !reflect.DeepEqual(want, got) {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		return ""
	}
}

// placeholderRE matches a recorded string with placeholders inside
// ("arn:<partition>:sqs:<region>:111111111111:q"): each placeholder and
// LocalStack's account 111111111111 match anything.
func placeholderRE(w string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for w != "" {
		i := strings.IndexByte(w, '<')
		j := strings.IndexByte(w[max(i, 0):], '>')
		if i < 0 || j < 0 {
			b.WriteString(regexp.QuoteMeta(w))
			break
		}
		b.WriteString(regexp.QuoteMeta(w[:i]) + ".+?")
		w = w[i+j+1:]
	}
	b.WriteString("$")
	return regexp.MustCompile(strings.ReplaceAll(b.String(), "111111111111", `\d{12}`))
}

func isPlaceholder(s string) bool {
	switch s {
	case "datetime", "date", "timestamp", "last--modified", "sequencer", "amz-id", "amz-request-id", "host-id":
		return true
	}
	return strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") || strings.Contains(s, "<resource:") || strings.Contains(s, "<bucket-name:")
}

var _ = aws.String

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// setHeader sets a request header as sent (for headers the SDK would drop
// when empty).
func setHeader(name, value string) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return st.Build.Add(middleware.BuildMiddlewareFunc("setHeader", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
			if r, ok := in.Request.(*smithyhttp.Request); ok {
				r.Header[name] = []string{value}
			}
			return next.HandleBuild(ctx, in)
		}), middleware.After)
	}
}

// likeBoto3 makes aws-sdk-go-v2 send what boto3 sends where the two
// differ and the recording shows it: no Content-Type on an object PUT
// (aws-sdk-go-v2 sends application/octet-stream; S3 then stores
// binary/octet-stream).
func likeBoto3(st *middleware.Stack) error {
	return st.Build.Add(middleware.BuildMiddlewareFunc("likeBoto3", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
		if r, ok := in.Request.(*smithyhttp.Request); ok && r.Method == "PUT" && r.Header.Get("Content-Type") == "application/octet-stream" {
			r.Header.Del("Content-Type")
		}
		return next.HandleBuild(ctx, in)
	}), middleware.After)
}

// notifiedQueue creates a queue and points the bucket's notifications for
// events at it, as the LocalStack notification tests do; it answers the
// queue URL.
func (r *recordedRun) notifiedQueue(bucket string, events ...types.Event) string {
	r.t.Helper()
	q := awssqs.NewFromConfig(r.srv.AWSConfig())
	name := fmt.Sprintf("rec-queue-%d", r.n)
	out, err := q.CreateQueue(r.ctx, &awssqs.CreateQueueInput{QueueName: &name})
	if err != nil {
		r.t.Fatal(err)
	}
	arn := "arn:aws:sqs:us-east-1:000000000000:" + name
	_, err = r.c.PutBucketNotificationConfiguration(r.ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: &bucket,
		NotificationConfiguration: &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{QueueArn: &arn, Events: events}}}})
	if err != nil {
		r.t.Fatal(err)
	}
	return aws.ToString(out.QueueUrl)
}

// receiveEvents stores under key the event records the queue holds, as the
// LocalStack tests record them: {"messages": [record, …]}, the test event
// left out.
func (r *recordedRun) receiveEvents(key, url string) {
	q := awssqs.NewFromConfig(r.srv.AWSConfig())
	var msgs []any
	for {
		out, err := q.ReceiveMessage(r.ctx, &awssqs.ReceiveMessageInput{QueueUrl: &url, MaxNumberOfMessages: 10})
		if err != nil {
			r.t.Fatal(err)
		}
		if len(out.Messages) == 0 {
			break
		}
		for _, m := range out.Messages {
			var body struct {
				Records []any
			}
			_ = json.Unmarshal([]byte(aws.ToString(m.Body)), &body)
			msgs = append(msgs, body.Records...)
			q.DeleteMessage(r.ctx, &awssqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: m.ReceiptHandle})
		}
	}
	r.got[key] = map[string]any{"messages": msgs}
}
