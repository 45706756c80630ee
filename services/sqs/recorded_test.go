package sqs_test

// The SQS entries recorded from real AWS in LocalStack's parity tests
// (shared/conformance/aws-recorded/sqs), replayed through aws-sdk-go-v2
// against an in-process Fogbank. Each case names its snapshot entry, runs
// the scenario the LocalStack test ran (reconstructed from its source and its
// recorded keys) and compares what went over the wire, seen as boto3 sees
// it, with the recording. Placeholders such as <uuid:1> or "timestamp" match
// any value; a numbered placeholder must stand for the same value wherever it
// appears, and two numbers never for the same value.
//
// Entries without a case, or whose case does not pass yet, are listed with a
// reason in testdata/recorded/skip.json; none is ever dropped. Run with
// -recorded.all to also run the skipped cases and see which pass now.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/sharedfiles"
)

var (
	recordedAll      = flag.Bool("recorded.all", false, "also run the recorded SQS cases listed in testdata/recorded/skip.json")
	recordedEndpoint = flag.String("recorded.endpoint", "", "replay the recorded SQS cases against this endpoint instead of an in-process Fogbank (to check the scenarios against another implementation); the clock is then real")
)

// recordedFiles are the snapshot files this test replays.
var recordedFiles = []string{"test_sqs.snapshot.json", "test_sqs_move_task.snapshot.json"}

// recordedCase is one snapshot entry and the scenario that reproduces it.
// The scenario stores each recorded key's value in r.got.
type recordedCase struct {
	id  string // the snapshot key without "tests/aws/services/sqs/"
	run func(r *run)
	// query runs the scenario over the query protocol: the SDK's JSON
	// requests are rewritten into query form on the way out and the XML
	// answers back into JSON (see queryTransport), so one scenario serves
	// both the [sqs] and the [sqs_query] entry.
	query bool
}

func TestRecorded(t *testing.T) {
	want := sharedfiles.Recorded(t, "sqs", recordedFiles...)
	skip := sharedfiles.Skips(t, filepath.Join("testdata", "recorded", "skip.json"))

	cases := map[string]recordedCase{}
	for _, c := range recordedCases() {
		if _, dup := cases[c.id]; dup {
			t.Fatalf("two cases for %s", c.id)
		}
		if _, ok := want[c.id]; !ok {
			t.Errorf("case %s has no recorded entry", c.id)
		}
		cases[c.id] = c
	}
	for id := range skip {
		if _, ok := want[id]; !ok {
			t.Errorf("skip.json lists %s, which is not recorded", id)
		}
	}
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
		_, hasCase := cases[id]
		if _, skipped := skip[id]; !hasCase && !skipped {
			t.Errorf("%s has neither a case nor a reason in testdata/recorded/skip.json", id)
		}
	}
	sort.Strings(ids)

	var reproduced, skipped atomic.Int64
	var newlyPassing []string
	var mu sync.Mutex
	t.Run("cases", func(t *testing.T) {
		for _, id := range ids {
			c, hasCase := cases[id]
			reason, isSkipped := skip[id]
			t.Run(id, func(t *testing.T) {
				if isSkipped && !*recordedAll || !hasCase {
					skipped.Add(1)
					t.Skip(reason)
				}
				t.Parallel()
				defer func() {
					switch {
					case isSkipped:
						skipped.Add(1)
						if !t.Failed() {
							mu.Lock()
							newlyPassing = append(newlyPassing, id)
							mu.Unlock()
						}
					case !t.Failed():
						reproduced.Add(1)
					}
				}()
				r := newRunProtocol(t, c.query)
				c.run(r)
				compareRecorded(t, want[id], r.got)
			})
		}
	})
	t.Logf("recorded sqs: %d reproduced, %d skipped (of %d entries)", reproduced.Load(), skipped.Load(), len(ids))
	fmt.Printf("recorded sqs: %d reproduced, %d skipped\n", reproduced.Load(), skipped.Load())
	if len(newlyPassing) > 0 {
		sort.Strings(newlyPassing)
		t.Logf("skipped cases that pass now (remove them from skip.json):\n  %s", strings.Join(newlyPassing, "\n  "))
	}
}

// recordedDir is shared/conformance/aws-recorded/sqs.
func recordedDir(t *testing.T) string {
	return sharedfiles.Dir(t, "conformance/aws-recorded/sqs")
}

// run is one scenario in progress.
type run struct {
	t    *testing.T
	ctx  context.Context
	c    *sqs.Client
	wire *wireRecorder
	srv  *fogbanktest.Server // nil against -recorded.endpoint
	base string              // the endpoint
	got  map[string]any
	n    int
	id   string
}

// runNonce keeps queue names apart across runs against a long-lived
// -recorded.endpoint.
var runNonce = time.Now().Format(time.RFC3339Nano)

func newRun(t *testing.T) *run { return newRunProtocol(t, false) }

// newRunProtocol starts a run over JSON, or over the query protocol.
func newRunProtocol(t *testing.T, query bool) *run {
	r := &run{t: t, ctx: context.Background(), got: map[string]any{}, wire: &wireRecorder{query: query}}
	r.id = fmt.Sprintf("%x", sha256.Sum256([]byte(t.Name()+runNonce)))[:8]
	if *recordedEndpoint != "" {
		r.base = *recordedEndpoint
	} else {
		r.srv = fogbanktest.Start(t)
		r.base = r.srv.URL()
	}
	r.wire.next = http.DefaultClient
	r.c = sqs.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(r.base),
		Retryer:      func() aws.Retryer { return retry.NewStandard() },
		HTTPClient:   r.wire,
	})
	return r
}

// wireRecorder is the SDK's HTTP client: it keeps the last response as it
// came over the wire.
type wireRecorder struct {
	next  *http.Client
	query bool
	mu    sync.Mutex
	last  *wireResponse
}

type wireResponse struct {
	status int
	header http.Header
	body   []byte
	op     string // the operation, for a query-protocol answer
}

func (w *wireRecorder) Do(req *http.Request) (*http.Response, error) {
	w.mu.Lock()
	w.last = nil
	w.mu.Unlock()
	// Over the query protocol, CreateQueue still goes as JSON: LocalStack's
	// sqs_create_queue fixture uses the default (JSON) client whatever the
	// test's protocol, and the recorded CreateQueue errors of the query
	// variants carry the JSON QueryErrorCode. X-Fogbank-Test-Json forces
	// JSON for one request.
	if target := req.Header.Get("X-Amz-Target"); w.query && target != "" && target != "AmazonSQS.CreateQueue" && req.Header.Get("X-Fogbank-Test-Json") == "" {
		return w.doQuery(req, strings.TrimPrefix(target, "AmazonSQS."))
	}
	req.Header.Del("X-Fogbank-Test-Json")
	resp, err := w.next.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	w.mu.Lock()
	w.last = &wireResponse{status: resp.StatusCode, header: resp.Header.Clone(), body: body}
	w.mu.Unlock()
	return resp, nil
}

// last returns the last response as boto3 parses it: the JSON output plus
// ResponseMetadata.HTTPStatusCode, or for an error {"Error": {Code (the
// query-compatible code of x-amzn-query-error), Message, QueryErrorCode
// (the JSON __type), Type}, …}. Query (XML) errors are parsed the same way.
func (r *run) last() map[string]any {
	r.t.Helper()
	r.wire.mu.Lock()
	w := r.wire.last
	r.wire.mu.Unlock()
	if w == nil {
		r.t.Fatal("no response was received for the last call")
	}
	meta := map[string]any{"HTTPStatusCode": float64(w.status)}
	if w.status < 300 && w.op != "" {
		out, err := queryOutput(w.op, w.body)
		if err != nil {
			r.t.Fatalf("decoding query response %q: %v", w.body, err)
		}
		out["ResponseMetadata"] = meta
		return out
	}
	if w.status < 300 {
		out := map[string]any{}
		if len(bytes.TrimSpace(w.body)) > 0 && w.body[0] == '{' {
			if err := json.Unmarshal(w.body, &out); err != nil {
				r.t.Fatalf("decoding response %q: %v", w.body, err)
			}
		}
		out["ResponseMetadata"] = meta
		return out
	}
	e := map[string]any{}
	out := map[string]any{"Error": e, "ResponseMetadata": meta}
	if bytes.HasPrefix(bytes.TrimSpace(w.body), []byte("<")) {
		var x struct {
			Error struct {
				Type, Code, Message string
			}
		}
		if err := xml.Unmarshal(w.body, &x); err != nil {
			e["Code"], e["Message"] = "(unparsable error body)", string(w.body)
			return out
		}
		e["Type"], e["Code"], e["Message"] = x.Error.Type, x.Error.Code, x.Error.Message
		return out
	}
	var body map[string]any
	if err := json.Unmarshal(w.body, &body); err != nil {
		e["Code"], e["Message"] = "(unparsable error body)", string(w.body)
		return out
	}
	typ, _ := body["__type"].(string)
	typ = typ[strings.LastIndex(typ, "#")+1:]
	e["Code"] = typ
	if m, ok := body["message"]; ok {
		e["Message"] = m
		out["message"] = m
	} else if m, ok := body["Message"]; ok {
		e["Message"] = m
	}
	if q := w.header.Get("X-Amzn-Query-Error"); q != "" {
		code, fault, _ := strings.Cut(q, ";")
		e["Code"], e["Type"], e["QueryErrorCode"] = code, fault, typ
	}
	return out
}

// snap records the last response under key.
func (r *run) snap(key string) { r.t.Helper(); r.got[key] = r.last() }

// snapMessage records the first received message of the last response.
func (r *run) snapMessage(key string) {
	r.t.Helper()
	msgs, _ := r.last()["Messages"].([]any)
	if len(msgs) == 0 {
		r.got[key] = map[string]any{"error": "no message was received"}
		return
	}
	r.got[key] = msgs[0]
}

func (r *run) ok(err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

// name is a queue name unique to this run.
func (r *run) name(suffix string) string {
	r.n++
	return fmt.Sprintf("rec-%s-%d%s", r.id, r.n, suffix)
}

func (r *run) queue(attrs map[string]string) string {
	r.t.Helper()
	return r.queueNamed(r.name(""), attrs)
}

func (r *run) fifo(attrs map[string]string) string {
	r.t.Helper()
	a := map[string]string{"FifoQueue": "true"}
	for k, v := range attrs {
		a[k] = v
	}
	return r.queueNamed(r.name(".fifo"), a)
}

func (r *run) queueNamed(name string, attrs map[string]string) string {
	r.t.Helper()
	out, err := r.c.CreateQueue(r.ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		r.t.Fatalf("creating queue %s %v: %v", name, attrs, err)
	}
	return aws.ToString(out.QueueUrl)
}

func (r *run) arn(queueURL string) string {
	r.t.Helper()
	out, err := r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL), AttributeNames: []types.QueueAttributeName{"QueueArn"}})
	r.ok(err)
	return out.Attributes["QueueArn"]
}

func (r *run) send(q, body string) *sqs.SendMessageOutput {
	r.t.Helper()
	out, err := r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String(body)})
	r.ok(err)
	return out
}

func (r *run) sendGroup(q, body, group, dedup string) *sqs.SendMessageOutput {
	r.t.Helper()
	in := &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String(body), MessageGroupId: aws.String(group)}
	if dedup != "" {
		in.MessageDeduplicationId = aws.String(dedup)
	}
	out, err := r.c.SendMessage(r.ctx, in)
	r.ok(err)
	return out
}

func (r *run) receive(in *sqs.ReceiveMessageInput) []types.Message {
	r.t.Helper()
	out, err := r.c.ReceiveMessage(r.ctx, in)
	r.ok(err)
	return out.Messages
}

func (r *run) setAttrs(q string, attrs map[string]string) {
	r.t.Helper()
	_, err := r.c.SetQueueAttributes(r.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(q), Attributes: attrs})
	r.ok(err)
}

func (r *run) getAllAttrs(q string) {
	r.t.Helper()
	_, err := r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q), AttributeNames: []types.QueueAttributeName{"All"}})
	r.ok(err)
}

// advance lets d pass: on the server's clock, or really against
// -recorded.endpoint.
func (r *run) advance(d time.Duration) {
	r.t.Helper()
	if r.srv == nil {
		time.Sleep(d)
		return
	}
	r.srv.Advance(r.t, d)
}

// raw sends one JSON-protocol request the SDK cannot express (a zero it
// omits, such as VisibilityTimeout 0 on ReceiveMessage), signed, through the
// same recorder; the response is then available to last and snap.
func (r *run) raw(op string, params map[string]any) {
	r.t.Helper()
	r.rawProtocol(op, params, false)
}

// rawJSON is raw that stays on the JSON protocol in a query-protocol run.
func (r *run) rawJSON(op string, params map[string]any) {
	r.t.Helper()
	r.rawProtocol(op, params, true)
}

func (r *run) rawProtocol(op string, params map[string]any, forceJSON bool) {
	r.t.Helper()
	body, _ := json.Marshal(params)
	req, _ := http.NewRequest(http.MethodPost, r.base+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AmazonSQS."+op)
	req.Header.Set("X-Amzn-Query-Mode", "true")
	r.sign(req, body)
	if forceJSON {
		req.Header.Set("X-Fogbank-Test-Json", "1")
	}
	resp, err := r.wire.Do(req)
	r.ok(err)
	resp.Body.Close()
}

// query sends one query-protocol request (form-encoded POST) to target.
func (r *run) query(target string, params url.Values) {
	r.t.Helper()
	if params.Get("Version") == "" {
		params.Set("Version", "2012-11-05")
	}
	body := []byte(params.Encode())
	req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.sign(req, body)
	resp, err := r.wire.Do(req)
	r.ok(err)
	resp.Body.Close()
}

func (r *run) sign(req *http.Request, body []byte) {
	r.t.Helper()
	sum := sha256.Sum256(body)
	err := v4.NewSigner().SignHTTP(r.ctx, aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
		req, hex.EncodeToString(sum[:]), "sqs", "us-east-1", time.Now())
	r.ok(err)
}

// receiveRaw is ReceiveMessage through raw, for parameters the SDK omits
// when zero.
func (r *run) receiveRaw(q string, params map[string]any) []any {
	r.t.Helper()
	params["QueueUrl"] = q
	r.raw("ReceiveMessage", params)
	l := r.last()
	if _, isErr := l["Error"]; isErr {
		r.t.Fatalf("ReceiveMessage %v: %v", params, l["Error"])
	}
	msgs, _ := l["Messages"].([]any)
	return msgs
}

// compareRecorded compares every recorded key with what the scenario got.
func compareRecorded(t *testing.T, want, got map[string]any) {
	t.Helper()
	m := &matcher{bound: map[string]string{}, rev: map[string]string{}}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	// Snapshot keys are in the order they were taken; map order is not, but
	// binding is order-independent except for which side an error names.
	sort.Strings(keys)
	for _, k := range keys {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: the scenario did not produce it", k)
			continue
		}
		for _, d := range m.compare(k, want[k], g, true) {
			t.Errorf("%s", d)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: produced but not recorded (a typo in the scenario?)", k)
		}
	}
}

type matcher struct {
	bound map[string]string // placeholder → value
	rev   map[string]string // value → placeholder
}

var (
	placeholderRE = regexp.MustCompile(`<[a-z][a-z-]*(?::\d+)?>`)
	accountRE     = regexp.MustCompile(`111111111111`)
)

func (m *matcher) compare(path string, want, got any, top bool) []string {
	if s, ok := want.(string); ok && s == "timestamp" {
		if got == nil || got == "" {
			return []string{fmt.Sprintf("%s: want a timestamp, got %v", path, got)}
		}
		return nil
	}
	switch w := want.(type) {
	case map[string]any:
		if s, ok := got.(string); ok {
			// LocalStack's snapshot parsed JSON bodies.
			var v any
			if json.Unmarshal([]byte(s), &v) == nil {
				got = v
			}
		}
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))}
		}
		var diffs []string
		isErr := w["Error"] != nil
		for k, wv := range w {
			p := path + "." + k
			switch {
			case k == "ResponseMetadata":
				wm, _ := wv.(map[string]any)
				gm, _ := g[k].(map[string]any)
				if wm["HTTPStatusCode"] != nil && (gm == nil || wm["HTTPStatusCode"] != gm["HTTPStatusCode"]) {
					diffs = append(diffs, fmt.Sprintf("%s.HTTPStatusCode: want %v, got %v", p, wm["HTTPStatusCode"], gm["HTTPStatusCode"]))
				}
				continue
			case k == "Detail" && strings.HasSuffix(path, ".Error"):
				continue // LocalStack does not verify it either
			case k == "message" && top && isErr:
				// boto3 copies a lowercase "message" member up; compare
				// it with the error's message.
				em, _ := g["Error"].(map[string]any)
				if em != nil {
					diffs = append(diffs, m.compare(p, wv, em["Message"], false)...)
				}
				continue
			}
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s: missing (want %s)", p, show(wv)))
				continue
			}
			diffs = append(diffs, m.compare(p, wv, gv, false)...)
		}
		for k, gv := range g {
			if _, ok := w[k]; ok || k == "ResponseMetadata" || (top && isErr) || strings.HasSuffix(path, ".Error") {
				continue
			}
			diffs = append(diffs, fmt.Sprintf("%s.%s: unexpected %s", path, k, show(gv)))
		}
		sort.Strings(diffs)
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, m.compare(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], false)...)
		}
		return diffs
	case string:
		g, ok := got.(string)
		if !ok {
			return []string{fmt.Sprintf("%s: want %q, got %s", path, w, show(got))}
		}
		if strings.HasPrefix(w, "b'") || strings.HasPrefix(w, `b"`) {
			// A blob as Python prints it; the wire has base64.
			if raw, err := base64.StdEncoding.DecodeString(g); err == nil {
				g = pyBytes(raw)
			}
		}
		if err := m.str(w, g); err != "" {
			return []string{fmt.Sprintf("%s: %s", path, err)}
		}
		return nil
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))}
		}
		return nil
	}
}

func (m *matcher) str(want, got string) string {
	if p := placeholderRE.FindString(want); p == want && strings.Contains(want, ":") {
		if v, ok := m.bound[want]; ok {
			if v != got {
				return fmt.Sprintf("want %s (%q, as before), got %q", want, v, got)
			}
			return ""
		}
		if other, ok := m.rev[got]; ok {
			return fmt.Sprintf("want %s, got %q, which is %s", want, got, other)
		}
		if got == "" {
			return fmt.Sprintf("want %s, got an empty string", want)
		}
		m.bound[want], m.rev[got] = got, want
		return ""
	}
	if !placeholderRE.MatchString(want) && !accountRE.MatchString(want) {
		if want != got {
			return fmt.Sprintf("want %q, got %q", want, got)
		}
		return ""
	}
	// Placeholders inside a longer string: bound ones stand for their value,
	// others for anything.
	var b strings.Builder
	b.WriteString("^")
	rest := want
	for {
		loc := placeholderRE.FindStringIndex(rest)
		if loc == nil {
			break
		}
		b.WriteString(accountRE.ReplaceAllString(regexp.QuoteMeta(rest[:loc[0]]), `\d{12}`))
		if v, ok := m.bound[rest[loc[0]:loc[1]]]; ok {
			b.WriteString(regexp.QuoteMeta(v))
		} else {
			b.WriteString(".+?")
		}
		rest = rest[loc[1]:]
	}
	b.WriteString(accountRE.ReplaceAllString(regexp.QuoteMeta(rest), `\d{12}`))
	b.WriteString("$")
	if !regexp.MustCompile(b.String()).MatchString(got) {
		return fmt.Sprintf("want %q, got %q", want, got)
	}
	return ""
}

// pyBytes formats b as Python's repr of bytes does.
func pyBytes(b []byte) string {
	var s strings.Builder
	s.WriteString("b'")
	for _, c := range b {
		switch {
		case c == '\\' || c == '\'':
			s.WriteByte('\\')
			s.WriteByte(c)
		case c == '\t':
			s.WriteString(`\t`)
		case c == '\n':
			s.WriteString(`\n`)
		case c == '\r':
			s.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&s, `\x%02x`, c)
		default:
			s.WriteByte(c)
		}
	}
	s.WriteString("'")
	return s.String()
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// attrs is a String message attribute map.
func strAttrs(kv ...string) map[string]types.MessageAttributeValue {
	m := map[string]types.MessageAttributeValue{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(kv[i+1])}
	}
	return m
}

func sysNames(names ...string) []types.MessageSystemAttributeName {
	var out []types.MessageSystemAttributeName
	for _, n := range names {
		out = append(out, types.MessageSystemAttributeName(n))
	}
	return out
}

func qAttrNames(names ...string) []types.QueueAttributeName {
	var out []types.QueueAttributeName
	for _, n := range names {
		out = append(out, types.QueueAttributeName(n))
	}
	return out
}

const (
	provider = "test_sqs.py::TestSqsProvider::"
	// maxMessageSize is AWS's default MaximumMessageSize (1 MiB since 2025).
	maxMessageSize = 1048576
)

func recordedCases() []recordedCase {
	var cs []recordedCase
	add := func(name string, run func(r *run)) {
		cs = append(cs, recordedCase{id: provider + name, run: run})
		if q := strings.Replace(strings.Replace(name, "[sqs]", "[sqs_query]", 1), "[sqs-", "[sqs_query-", 1); q != name {
			cs = append(cs, recordedCase{id: provider + q, run: run, query: true})
		}
	}

	add("test_send_receive_max_number_of_messages[sqs]", func(r *run) {
		q := r.queue(nil)
		r.send(q, "message")
		r.c.ReceiveMessage(r.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MaxNumberOfMessages: 11})
		r.snap("send_max_number_of_messages")
	})

	oversized := func(r *run, max int) {
		q := r.queue(nil)
		if max != maxMessageSize {
			r.setAttrs(q, map[string]string{"MaximumMessageSize": fmt.Sprint(max)})
			r.send(q, strings.Repeat("a", max))
		}
		attrSize := len("k") + len("String") + len("x")
		r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q),
			MessageBody: aws.String(strings.Repeat("a", max-attrSize+1)), MessageAttributes: strAttrs("k", "x")})
		r.snap("send_oversized_message")
	}
	add("test_send_oversized_message[sqs]", func(r *run) { oversized(r, maxMessageSize) })
	add("test_send_message_with_updated_maximum_message_size[sqs]", func(r *run) { oversized(r, 1024) })

	oversizedBatch := func(r *run, max int) {
		q := r.queue(nil)
		if max != maxMessageSize {
			r.setAttrs(q, map[string]string{"MaximumMessageSize": fmt.Sprint(max)})
		}
		attrSize := len("k") + len("String") + len("x")
		r.c.SendMessageBatch(r.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q), Entries: []types.SendMessageBatchRequestEntry{
			{Id: aws.String("1"), MessageBody: aws.String(strings.Repeat("a", max-attrSize)), MessageAttributes: strAttrs("k", "x")},
			{Id: aws.String("2"), MessageBody: aws.String("a")},
		}})
		r.snap("send_oversized_message_batch")
	}
	add("test_send_message_batch_with_oversized_contents[sqs]", func(r *run) { oversizedBatch(r, maxMessageSize) })
	add("test_send_message_batch_with_oversized_contents_with_updated_maximum_message_size[sqs]", func(r *run) { oversizedBatch(r, 2048) })

	add("test_tag_untag_queue[sqs]", func(r *run) {
		q := r.queue(nil)
		_, err := r.c.TagQueue(r.ctx, &sqs.TagQueueInput{QueueUrl: aws.String(q), Tags: map[string]string{"tag1": "value1", "tag2": "value2", "tag3": ""}})
		r.ok(err)
		_, err = r.c.ListQueueTags(r.ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(q)})
		r.ok(err)
		r.snap("get-tag-1")
		_, err = r.c.UntagQueue(r.ctx, &sqs.UntagQueueInput{QueueUrl: aws.String(q), TagKeys: []string{"tag1", "tag3"}})
		r.ok(err)
		_, err = r.c.ListQueueTags(r.ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(q)})
		r.ok(err)
		r.snap("get-tag-2")
		_, err = r.c.UntagQueue(r.ctx, &sqs.UntagQueueInput{QueueUrl: aws.String(q), TagKeys: []string{"tag2"}})
		r.ok(err)
		_, err = r.c.ListQueueTags(r.ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(q)})
		r.ok(err)
		r.snap("get-tag-after-untag")
	})

	add("test_create_fifo_queue_with_different_attributes_raises_error[sqs]", func(r *run) {
		name := r.name(".fifo")
		r.queueNamed(name, map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
		r.c.CreateQueue(r.ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "false"}})
		r.snap("queue-already-exists")
	})

	add("test_create_queue_with_different_attributes_raises_exception[sqs]", func(r *run) {
		name := r.name("")
		q := r.queueNamed(name, map[string]string{"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "1"})
		if got := r.queueNamed(name, nil); got != q {
			r.t.Errorf("creating again without attributes: %s, want %s", got, q)
		}
		if got := r.queueNamed(name, map[string]string{"DelaySeconds": "1"}); got != q {
			r.t.Errorf("creating again with one same attribute: %s, want %s", got, q)
		}
		r.c.CreateQueue(r.ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: map[string]string{"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "2"}})
		r.snap("create_queue_01")
		r.setAttrs(q, map[string]string{"DelaySeconds": "2"})
		if got := r.queueNamed(name, map[string]string{"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "2"}); got != q {
			r.t.Errorf("creating with the updated attributes: %s, want %s", got, q)
		}
		r.c.CreateQueue(r.ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: map[string]string{"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "1"}})
		r.snap("create_queue_02")
	})

	add("test_create_and_update_queue_attributes[sqs]", func(r *run) {
		q := r.queue(map[string]string{"MessageRetentionPeriod": "604800", "ReceiveMessageWaitTimeSeconds": "10", "VisibilityTimeout": "20"})
		r.getAllAttrs(q)
		r.snap("get_queue_attributes")
		r.setAttrs(q, map[string]string{"MaximumMessageSize": "2048", "VisibilityTimeout": "69", "DelaySeconds": "420"})
		r.getAllAttrs(q)
		r.snap("get_updated_queue_attributes")
	})

	add("test_change_message_visibility_after_visibility_timeout_expiration[sqs]", func(r *run) {
		q := r.queue(map[string]string{"VisibilityTimeout": "1"})
		r.send(q, "test")
		msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		if len(msgs) != 1 {
			r.t.Fatalf("received %d messages, want 1", len(msgs))
		}
		r.advance(2 * time.Second)
		// Changing the visibility of a message whose timeout has passed
		// (and that nobody received since) still works.
		r.c.ChangeMessageVisibility(r.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(q), ReceiptHandle: msgs[0].ReceiptHandle, VisibilityTimeout: 1})
		r.snap("visibility_timeout_expired")
	})

	add("test_fifo_empty_message_groups_added_back_to_queue[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"ContentBasedDeduplication": "true"})
		r.sendGroup(q, "Message 1", "g1", "")
		msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("inital-fifo-receive")
		if len(msgs) != 1 {
			r.t.Fatalf("received %d messages, want 1", len(msgs))
		}
		_, err := r.c.DeleteMessage(r.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(q), ReceiptHandle: msgs[0].ReceiptHandle})
		r.ok(err)
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("empty-fifo-receive")
		r.sendGroup(q, "Message 2", "g1", "")
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("final-fifo-receive")
	})

	add("test_fifo_queue_send_message_with_delay_seconds_fails[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"ContentBasedDeduplication": "true"})
		r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("message-1"), MessageGroupId: aws.String("1"), DelaySeconds: 2})
		r.snap("send_message")
	})

	add("test_fifo_message_attributes[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"ContentBasedDeduplication": "true", "VisibilityTimeout": "0",
			"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"})
		r.sendGroup(q, "message-body-1", "group-1", "dedup-1")
		r.snap("send_message")
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MessageSystemAttributeNames: sysNames("All")})
		r.snap("receive_message_0")
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MessageSystemAttributeNames: sysNames("All")})
		r.snap("receive_message_1")
	})

	add("test_fifo_set_content_based_deduplication_strategy[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"SqsManagedSseEnabled": "true", "ContentBasedDeduplication": "true"})
		r.getAllAttrs(q)
		r.snap("before-update")
		r.setAttrs(q, map[string]string{"ContentBasedDeduplication": "false"})
		r.getAllAttrs(q)
		r.snap("after-update")
	})

	twenty := func(n int) []types.SendMessageBatchRequestEntry {
		var es []types.SendMessageBatchRequestEntry
		for i := range n {
			es = append(es, types.SendMessageBatchRequestEntry{Id: aws.String(fmt.Sprintf("message-%d", i)), MessageBody: aws.String(fmt.Sprintf("messageBody-%d", i))})
		}
		return es
	}
	add("test_too_many_entries_in_batch_request[sqs]", func(r *run) {
		q := r.queue(nil)
		r.c.SendMessageBatch(r.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q), Entries: twenty(20)})
		r.snap("test_too_many_entries_in_batch_request")
	})

	add("test_invalid_batch_id[sqs]", func(r *run) {
		q := r.queue(nil)
		r.c.SendMessageBatch(r.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q), Entries: []types.SendMessageBatchRequestEntry{
			{Id: aws.String("message:abc123"), MessageBody: aws.String("messageBody-abc123")}}})
		r.snap("test_invalid_batch_id")
	})

	add("test_send_batch_missing_deduplication_id_for_fifo_queue[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"ContentBasedDeduplication": "false"})
		r.c.SendMessageBatch(r.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q), Entries: []types.SendMessageBatchRequestEntry{
			{Id: aws.String("message-1"), MessageBody: aws.String("messageBody"), MessageGroupId: aws.String("test-group"), MessageDeduplicationId: aws.String("dedup-1")},
			{Id: aws.String("message-2"), MessageBody: aws.String("messageBody"), MessageGroupId: aws.String("test-group")},
		}})
		r.snap("test_missing_deduplication_id_for_fifo_queue")
	})

	add("test_send_batch_missing_message_group_id_for_fifo_queue[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"ContentBasedDeduplication": "false"})
		r.c.SendMessageBatch(r.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q), Entries: []types.SendMessageBatchRequestEntry{
			{Id: aws.String("message-1"), MessageBody: aws.String("messageBody"), MessageGroupId: aws.String("test-group"), MessageDeduplicationId: aws.String("dedup-1")},
			{Id: aws.String("message-2"), MessageBody: aws.String("messageBody"), MessageDeduplicationId: aws.String("dedup-2")},
		}})
		r.snap("test_missing_message_group_id_for_fifo_queue")
	})

	add("test_send_batch_message_size", func(r *run) {
		// One entry over the queue's MaximumMessageSize fails on its own,
		// the other is sent.
		q := r.queue(map[string]string{"MaximumMessageSize": "1024"})
		r.c.SendMessageBatch(r.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q), Entries: []types.SendMessageBatchRequestEntry{
			{Id: aws.String("3b1d0a4e-6a52-4a0c-8e0a-000000000001"), MessageBody: aws.String(strings.Repeat("a", 1025))},
			{Id: aws.String("3b1d0a4e-6a52-4a0c-8e0a-000000000002"), MessageBody: aws.String(strings.Repeat("a", 1024))},
		}})
		r.snap("send-message-batch-result")
	})

	for _, id := range []string{"", strings.Repeat("testLongId", 10), "invalid:id"} {
		add("test_delete_message_batch_invalid_msg_id[sqs-"+id+"]", func(r *run) {
			q := r.queue(nil)
			r.c.DeleteMessageBatch(r.ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(q), Entries: []types.DeleteMessageBatchRequestEntry{
				{Id: aws.String(id), ReceiptHandle: aws.String("testHandle1")}}})
			r.snap("error_response")
		})
	}

	receiveAll := func(r *run, q string, n int) []types.Message {
		var all []types.Message
		for range 10 {
			if len(all) >= n {
				break
			}
			all = append(all, r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MaxNumberOfMessages: int32(min(10, n-len(all)))})...)
		}
		if len(all) != n {
			r.t.Fatalf("received %d messages, want %d", len(all), n)
		}
		return all
	}
	add("test_delete_message_batch_with_too_large_batch[sqs]", func(r *run) {
		q := r.queue(nil)
		for range 2 {
			_, err := r.c.SendMessageBatch(r.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q), Entries: twenty(10)})
			r.ok(err)
		}
		var es []types.DeleteMessageBatchRequestEntry
		for i, m := range receiveAll(r, q, 20) {
			es = append(es, types.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), ReceiptHandle: m.ReceiptHandle})
		}
		r.c.DeleteMessageBatch(r.ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(q), Entries: es})
		r.snap("error_response")
	})
	add("test_change_message_visibility_batch_with_too_large_batch[sqs]", func(r *run) {
		q := r.queue(nil)
		for range 2 {
			_, err := r.c.SendMessageBatch(r.ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(q), Entries: twenty(10)})
			r.ok(err)
		}
		var es []types.ChangeMessageVisibilityBatchRequestEntry
		for i, m := range receiveAll(r, q, 20) {
			es = append(es, types.ChangeMessageVisibilityBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 123})
		}
		r.c.ChangeMessageVisibilityBatch(r.ctx, &sqs.ChangeMessageVisibilityBatchInput{QueueUrl: aws.String(q), Entries: es})
		r.snap("error_response")
	})

	add("test_send_message_with_binary_attributes[sqs]", func(r *run) {
		q := r.queue(nil)
		r.ok2(r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("test"),
			MessageAttributes: map[string]types.MessageAttributeValue{"attr1": {DataType: aws.String("Binary"),
				BinaryValue: []byte("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01")}}}))
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MessageAttributeNames: []string{"All"}})
		r.snap("binary-attrs-msg")
	})

	add("test_send_message_with_empty_string_attribute[sqs]", func(r *run) {
		q := r.queue(nil)
		r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("test"), MessageAttributes: strAttrs("ErrorDetails", "")})
		r.snap("empty-string-attr")
	})

	add("test_dead_letter_queue_message_attributes", func(r *run) {
		dlq := r.queue(nil)
		dlqArn := r.arn(dlq)
		r.got["dlq-arn"] = dlqArn
		src := r.queue(map[string]string{"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":1}`, dlqArn)})
		r.got["sourcen-arn"] = r.arn(src)
		r.ok2(r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(src), MessageBody: aws.String("message-1"),
			MessageAttributes: strAttrs("MyAttribute", "foobar"),
			MessageSystemAttributes: map[string]types.MessageSystemAttributeValue{"AWSTraceHeader": {DataType: aws.String("String"),
				StringValue: aws.String("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")}}}))
		r.send(src, "message-2")
		// The recording has no SenderId: the test named the attributes.
		names := []string{"ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SentTimestamp", "AWSTraceHeader", "DeadLetterQueueSourceArn"}
		msgs := r.receiveRaw(src, map[string]any{"VisibilityTimeout": 0, "MaxNumberOfMessages": 10, "MessageAttributeNames": []string{"All"}, "MessageSystemAttributeNames": names})
		r.got["rec-pre-dlq"] = msgs
		// The next receive finds both over maxReceiveCount and moves them.
		if again := r.receiveRaw(src, map[string]any{"MaxNumberOfMessages": 10}); len(again) != 0 {
			r.t.Errorf("source queue still delivered %d messages past maxReceiveCount", len(again))
		}
		r.got["dlq-messages"] = r.receiveRaw(dlq, map[string]any{"MaxNumberOfMessages": 10, "MessageAttributeNames": []string{"All"}, "MessageSystemAttributeNames": names})
	})

	add("test_set_unsupported_attribute_fifo[sqs]", func(r *run) {
		q := r.queue(nil)
		r.c.SetQueueAttributes(r.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(q), Attributes: map[string]string{"FifoQueue": "true"}})
		r.snap("invalid-attr-name-1")
		f := r.fifo(nil)
		r.setAttrs(f, map[string]string{"FifoQueue": "true"})
		r.c.SetQueueAttributes(r.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(f), Attributes: map[string]string{"FifoQueue": "false"}})
		r.snap("invalid-attr-name-2")
	})

	add("test_set_unsupported_attribute_standard[sqs]", func(r *run) {
		q := r.queue(nil)
		r.c.SetQueueAttributes(r.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(q), Attributes: map[string]string{"FifoQueue": "true"}})
		r.snap("invalid-attr-name-1")
		r.c.SetQueueAttributes(r.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(q), Attributes: map[string]string{"FifoQueue": "false"}})
		r.snap("invalid-attr-name-2")
	})

	for _, cbd := range []bool{true, false} {
		dedup := func() string {
			if cbd {
				return ""
			}
			return "dedup1"
		}()
		attrs := func() map[string]string {
			if cbd {
				return map[string]string{"ContentBasedDeduplication": "true"}
			}
			return nil
		}
		item := `{"foo": "bar"}`
		suffix := map[bool]string{true: "True", false: "False"}[cbd]
		add("test_fifo_deduplication_arrives_once_after_delete[sqs-"+suffix+"]", func(r *run) {
			q := r.fifo(attrs())
			r.sendGroup(q, item, "group-1", dedup)
			msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
			r.snap("get-messages")
			if len(msgs) != 1 {
				r.t.Fatalf("received %d messages, want 1", len(msgs))
			}
			_, err := r.c.DeleteMessage(r.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(q), ReceiptHandle: msgs[0].ReceiptHandle})
			r.ok(err)
			r.sendGroup(q, item, "group-1", dedup)
			r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
			r.snap("get-messages-duplicate")
		})
		add("test_fifo_deduplication_not_on_message_group_id[sqs-"+suffix+"]", func(r *run) {
			q := r.fifo(attrs())
			r.sendGroup(q, item, "group-1", dedup)
			r.sendGroup(q, item, "group-2", dedup)
			r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MaxNumberOfMessages: 1})
			r.snap("get-messages")
			r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MaxNumberOfMessages: 1})
			r.snap("get-dedup-messages")
		})
	}

	add("test_posting_to_fifo_requires_deduplicationid_group_id[sqs]", func(r *run) {
		q := r.fifo(nil)
		r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("test"), MessageGroupId: aws.String("group")})
		r.snap("invalid-parameter-value")
		r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("test"), MessageDeduplicationId: aws.String("dedup")})
		r.snap("missing-parameter")
		// The "-query" keys carry the JSON QueryErrorCode in both variants:
		// they were taken with the JSON client.
		r.rawJSON("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": "test", "MessageGroupId": "group"})
		r.snap("invalid-parameter-value-query")
		r.rawJSON("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": "test", "MessageDeduplicationId": "dedup"})
		r.snap("missing-parameter-query")
	})

	add("test_successive_purge_calls_fail[sqs]", func(r *run) {
		q := r.queue(nil)
		_, err := r.c.PurgeQueue(r.ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(q)})
		r.ok(err)
		r.c.PurgeQueue(r.ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(q)})
		r.snap("purge_queue_error")
	})

	// Two messages with the same deduplication id in different groups:
	// deduplicated per queue unless the queue scopes it per group.
	sameDedup := func(r *run, attrs map[string]string, bodies [2]string) {
		q := r.fifo(attrs)
		r.sendGroup(q, bodies[0], "group-1", "same-dedup")
		r.sendGroup(q, bodies[1], "group-2", "same-dedup")
		msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("same-dedup-different-grp-1")
		for _, m := range msgs {
			_, err := r.c.DeleteMessage(r.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(q), ReceiptHandle: m.ReceiptHandle})
			r.ok(err)
		}
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("same-dedup-different-grp-2")
	}
	add("test_sqs_fifo_same_dedup_id_different_message_groups[sqs]", func(r *run) {
		sameDedup(r, nil, [2]string{"Test", "Test"})
	})
	add("test_sqs_fifo_message_group_scope_no_throughput_setting[sqs]", func(r *run) {
		sameDedup(r, map[string]string{"DeduplicationScope": "messageGroup"}, [2]string{"Test", "Test"})
	})
	add("test_fifo_high_throughput_ordering[sqs]", func(r *run) {
		sameDedup(r, map[string]string{"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}, [2]string{"Test1", "Test2"})
	})

	// Reconstructed (newer than the LocalStack source we have): switching a
	// FIFO queue's throughput settings after sends, then sending again.
	recvDelete := func(r *run, q, key string) {
		msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap(key)
		for _, m := range msgs {
			r.ok2(r.c.DeleteMessage(r.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(q), ReceiptHandle: m.ReceiptHandle}))
		}
	}
	add("test_fifo_change_to_high_throughput_after_creation[sqs]", func(r *run) {
		q := r.fifo(nil)
		r.sendGroup(q, "Test1", "group-1", "same-dedup")
		r.sendGroup(q, "Test2", "group-2", "same-dedup")
		recvDelete(r, q, "same-dedup-different-grp-1")
		recvDelete(r, q, "same-dedup-different-grp-2")
		r.setAttrs(q, map[string]string{"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"})
		r.getAllAttrs(q)
		r.snap("set-to-high-throughput")
		r.sendGroup(q, "Test3", "group-1", "same-dedup")
		recvDelete(r, q, "same-dedup-different-grp-high-throughput")
		r.sendGroup(q, "Test3", "group-2", "same-dedup")
		recvDelete(r, q, "same-dedup-different-grp-high-throughput-2")
		r.sendGroup(q, "Test4", "group-1", "dedup2")
		recvDelete(r, q, "new-dedup2-high-throughput")
		r.sendGroup(q, "Test4", "group-1", "dedup2")
		recvDelete(r, q, "same-dedup2-high-throughput")
	})
	add("test_fifo_change_to_regular_throughput_after_creation[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"})
		r.sendGroup(q, "Test1", "group-1", "same-dedup")
		r.sendGroup(q, "Test2", "group-2", "same-dedup")
		recvDelete(r, q, "same-dedup-different-grp-1")
		recvDelete(r, q, "same-dedup-different-grp-2")
		r.setAttrs(q, map[string]string{"DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"})
		r.getAllAttrs(q)
		r.snap("set-to-regular-throughput")
		r.sendGroup(q, "Test3", "group-1", "new-dedup")
		recvDelete(r, q, "same-dedup-different-grp-regular-throughput")
	})

	add("test_sse_queue_attributes[sqs]", func(r *run) {
		names := qAttrNames("KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled")
		q := r.queue(nil)
		r.setAttrs(q, map[string]string{"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000", "SqsManagedSseEnabled": "false"})
		r.ok2(r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q), AttributeNames: names}))
		r.snap("sse_kms_attributes")
		q = r.queue(nil)
		r.setAttrs(q, map[string]string{"SqsManagedSseEnabled": "true"})
		r.ok2(r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q), AttributeNames: names}))
		r.snap("sse_sqs_attributes")
	})

	add("test_sse_kms_and_sqs_are_mutually_exclusive[sqs]", func(r *run) {
		q := r.queue(nil)
		r.c.SetQueueAttributes(r.ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(q), Attributes: map[string]string{"KmsMasterKeyId": "testKeyId", "SqsManagedSseEnabled": "true"}})
		// LocalStack recorded str(ClientError).
		e, _ := r.last()["Error"].(map[string]any)
		r.got["error"] = fmt.Sprintf("An error occurred (%v) when calling the SetQueueAttributes operation: %v", e["Code"], e["Message"])
	})

	add("test_receive_message_message_attribute_names_filters[sqs]", func(r *run) {
		q := r.queue(map[string]string{"VisibilityTimeout": "0"})
		r.ok2(r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("msg"),
			MessageAttributes: strAttrs("Help.Me", "Me", "Hello", "There", "General", "Kenobi")}))
		r.snap("send_message_response")
		recv := func(names ...string) {
			r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MessageAttributeNames: names})
		}
		recv()
		r.snap("empty_filter")
		recv("All")
		r.snap("all_name")
		recv("*")
		r.snapMessage("all_wildcard_asterisk")
		recv(".*")
		r.snapMessage("all_wildcard")
		recv("Foo", "Help")
		r.snapMessage("only_non_existing_names")
		recv("Hello", "General")
		r.snapMessage("only_existing")
		recv("Foo", "Hello")
		r.snapMessage("existing_and_non_existing")
		recv("Hel.*")
		r.snapMessage("prefix_filter")
		recv("AWS.")
		r.snap("illegal_name_1")
		recv("..foo")
		r.snap("illegal_name_2")
	})

	systemFilters := func(r *run, legacy bool) {
		q := r.queue(map[string]string{"VisibilityTimeout": "0"})
		r.ok2(r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("msg"), MessageAttributes: strAttrs("Foo", "Bar")}))
		recv := func(names []string, msgAttrs ...string) {
			in := &sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MessageAttributeNames: msgAttrs}
			if legacy {
				in.AttributeNames = qAttrNames(names...)
			} else {
				in.MessageSystemAttributeNames = sysNames(names...)
			}
			r.receive(in)
		}
		recv([]string{"All"})
		r.snap("all_attributes")
		recv([]string{"All"}, "All")
		r.snap("all_system_and_message_attributes")
		recv([]string{"SenderId"})
		r.snap("single_attribute")
		recv([]string{"SenderId", "SequenceNumber"})
		r.snap("multiple_attributes")
	}
	add("test_receive_message_attribute_names_filters[sqs]", func(r *run) { systemFilters(r, true) })
	add("test_receive_message_message_system_attribute_names_filters[sqs]", func(r *run) { systemFilters(r, false) })

	add("test_message_system_attribute_names_with_attribute_names[sqs]", func(r *run) {
		q := r.queue(map[string]string{"VisibilityTimeout": "0"})
		r.send(q, "msg")
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), AttributeNames: qAttrNames("All"), MessageSystemAttributeNames: sysNames("All")})
		r.snap("same_values")
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), AttributeNames: qAttrNames("SenderId"), MessageSystemAttributeNames: sysNames("All")})
		r.snap("different_values")
	})

	add("test_sqs_permission_lifecycle[sqs]", func(r *run) {
		q := r.queue(nil)
		addPerm := func(label string, accounts ...string) {
			r.c.AddPermission(r.ctx, &sqs.AddPermissionInput{QueueUrl: aws.String(q), Label: aws.String(label), AWSAccountIds: accounts, Actions: []string{"ReceiveMessage"}})
		}
		policy := func(key string) {
			r.ok2(r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q), AttributeNames: qAttrNames("Policy")}))
			r.snap(key)
		}
		account := fogbanktest.TestAccount
		addPerm("crossaccountpermission", account, "668614515564")
		r.snap("add-permission-response")
		policy("get-queue-policy-attribute")
		r.ok2(r.c.RemovePermission(r.ctx, &sqs.RemovePermissionInput{QueueUrl: aws.String(q), Label: aws.String("crossaccountpermission")}))
		r.snap("remove-permission-response")
		policy("get-queue-policy-attribute-after-removal")
		addPerm("crossaccountpermission", account)
		policy("get-queue-policy-attribute-first-account-same-label")
		addPerm("crossaccountpermission", "668614515564")
		r.snap("get-queue-policy-attribute-second-account-same-label")
		addPerm("crossaccountpermission2", account)
		policy("get-queue-policy-attribute-second-account-different-label")
		r.ok2(r.c.RemovePermission(r.ctx, &sqs.RemovePermissionInput{QueueUrl: aws.String(q), Label: aws.String("crossaccountpermission")}))
		policy("get-queue-policy-attribute-delete-first-permission")
		r.ok2(r.c.RemovePermission(r.ctx, &sqs.RemovePermissionInput{QueueUrl: aws.String(q), Label: aws.String("crossaccountpermission2")}))
		policy("get-queue-policy-attribute-delete-second-permission")
		r.c.RemovePermission(r.ctx, &sqs.RemovePermissionInput{QueueUrl: aws.String(q), Label: aws.String("crossaccountpermission2")})
		r.snap("get-queue-policy-attribute-delete-non-existent-label")
	})

	add("test_non_existent_queue", func(r *run) {
		q := r.queue(nil)
		_, err := r.c.DeleteQueue(r.ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(q)})
		r.ok(err)
		r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q), AttributeNames: qAttrNames("QueueArn")})
		r.snap("queue-does-not-exist")
		r.c.GetQueueUrl(r.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(r.name("-missing"))})
		r.snap("queue-does-not-exist-url")
		r.query(q, url.Values{"Action": {"GetQueueAttributes"}, "AttributeName.1": {"QueueArn"}})
		r.snap("queue-does-not-exist-query")
	})

	add("test_create_standard_queue_with_fifo_attribute_raises_error[sqs]", func(r *run) {
		for _, c := range []struct{ key, attr, value string }{
			{"invalid-attribute-fifo-queue", "FifoQueue", "false"},
			{"invalid-attribute-content-based-deduplication", "ContentBasedDeduplication", "true"},
			{"invalid-attribute-deduplication-scope", "DeduplicationScope", "messageGroup"},
			{"invalid-attribute-throughput-limit", "FifoThroughputLimit", "perMessageGroupId"},
		} {
			r.c.CreateQueue(r.ctx, &sqs.CreateQueueInput{QueueName: aws.String(r.name("")), Attributes: map[string]string{c.attr: c.value}})
			r.snap(c.key)
		}
	})

	add("test_dead_letter_queue_with_fifo_and_content_based_deduplication[sqs]", func(r *run) {
		dlq := r.fifo(map[string]string{"ContentBasedDeduplication": "true", "MessageRetentionPeriod": "1209600"})
		q := r.fifo(map[string]string{"ContentBasedDeduplication": "true", "VisibilityTimeout": "60",
			"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":2}`, r.arn(dlq))})
		id := aws.ToString(r.sendGroup(q, "foobar", "1", "").MessageId)
		for range 3 {
			r.receiveRaw(q, map[string]any{"VisibilityTimeout": 0})
		}
		msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(dlq)})
		if len(msgs) != 1 || aws.ToString(msgs[0].MessageId) != id || aws.ToString(msgs[0].Body) != "foobar" {
			r.t.Errorf("DLQ holds %d messages (%v), want the one sent (%s)", len(msgs), r.last()["Messages"], id)
		}
	})

	add("test_set_empty_redrive_policy[sqs]", func(r *run) {
		dlq := r.queue(nil)
		q := r.queue(map[string]string{"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":2}`, r.arn(dlq))})
		r.setAttrs(q, map[string]string{"RedrivePolicy": ""})
		out, err := r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q), AttributeNames: qAttrNames("All")})
		r.ok(err)
		if p, ok := out.Attributes["RedrivePolicy"]; ok {
			r.t.Errorf("RedrivePolicy %q after setting it empty, want none", p)
		}
	})

	add("test_send_receive_wait_time_seconds[sqs]", func(r *run) {
		q := r.queue(nil)
		r.c.ReceiveMessage(r.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(q), WaitTimeSeconds: 21})
		r.snap("recieve_message_error_too_large")
		r.c.ReceiveMessage(r.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(q), WaitTimeSeconds: -1})
		r.snap("recieve_message_error_too_small")
		r.send(q, "message")
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("empty_short_poll_by_default_resp")
		r.send(q, "message")
		r.receiveRaw(q, map[string]any{"WaitTimeSeconds": 0})
		r.snap("empty_short_poll_explicit_resp")
	})

	add("test_receive_empty_queue[sqs]", func(r *run) {
		q := r.queue(nil)
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("empty_short_poll_resp_no_param")
		r.receiveRaw(q, map[string]any{"WaitTimeSeconds": 0})
		r.snap("empty_short_poll_resp")
		r.whileAdvancing(func() { r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), WaitTimeSeconds: 1}) })
		r.snap("empty_long_poll_resp")
	})

	add("test_send_empty_message[sqs]", func(r *run) {
		q := r.queue(nil)
		r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("")})
		r.snap("send_empty_message")
	})

	add("test_delete_after_visibility_timeout[sqs]", func(r *run) {
		q := r.queue(map[string]string{"VisibilityTimeout": "1"})
		r.send(q, "foobar")
		msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		if len(msgs) != 1 {
			r.t.Fatalf("received %d messages, want 1", len(msgs))
		}
		r.advance(2 * time.Second)
		// A standard queue accepts the stale handle and deletes the message.
		_, err := r.c.DeleteMessage(r.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(q), ReceiptHandle: msgs[0].ReceiptHandle})
		r.ok(err)
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("delete_after_timeout_queue_empty")
	})

	add("test_fifo_delete_after_visibility_timeout[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"VisibilityTimeout": "1", "ContentBasedDeduplication": "true"})
		r.sendGroup(q, "foobar", "1", "")
		msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("received_sqs_message")
		if len(msgs) != 1 {
			r.t.Fatalf("received %d messages, want 1", len(msgs))
		}
		r.advance(2 * time.Second)
		r.c.DeleteMessage(r.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(q), ReceiptHandle: msgs[0].ReceiptHandle})
		r.snap("delete_after_timeout_fifo")
	})

	add("test_fifo_delete_after_visibility_timeout_extended[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"VisibilityTimeout": "1", "ContentBasedDeduplication": "true"})
		r.sendGroup(q, "foobar", "1", "")
		msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("received_sqs_message")
		if len(msgs) != 1 {
			r.t.Fatalf("received %d messages, want 1", len(msgs))
		}
		_, err := r.c.ChangeMessageVisibility(r.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(q), ReceiptHandle: msgs[0].ReceiptHandle, VisibilityTimeout: 10})
		r.ok(err)
		r.advance(2 * time.Second)
		r.c.DeleteMessage(r.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(q), ReceiptHandle: msgs[0].ReceiptHandle})
		r.snap("delete_after_timeout_fifo_extended")
	})

	add("test_aws_trace_header_propagation[sqs]", func(r *run) {
		q := r.queue(nil)
		r.ok2(r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("test"),
			MessageAttributes: map[string]types.MessageAttributeValue{"timestamp": {DataType: aws.String("Number"), StringValue: aws.String("1493147359900")}},
			MessageSystemAttributes: map[string]types.MessageSystemAttributeValue{"AWSTraceHeader": {DataType: aws.String("String"),
				StringValue: aws.String("Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1")}}}))
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MessageSystemAttributeNames: sysNames("AWSTraceHeader", "SentTimestamp"), MessageAttributeNames: []string{"All"}})
		r.snapMessage("xray-msg")
	})

	add("test_fair_queue_with_message_group_id[sqs]", func(r *run) {
		// A standard queue accepts MessageGroupId (fair queues) and reports it.
		q := r.queue(nil)
		r.ok2(r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("message"), MessageGroupId: aws.String("test")}))
		r.snap("send_message")
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MessageSystemAttributeNames: sysNames("All")})
		r.snap("get-message-with-deduplication-id")
	})

	for _, c := range []struct{ name, value string }{{"empty", ""}, {"too_long", strings.Repeat("a", 129)}, {"spaces", "group 123"}} {
		add("test_send_message_to_standard_queue_with_invalid_message_group_id["+c.name+"]", func(r *run) {
			q := r.queue(nil)
			r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("message"), MessageGroupId: aws.String(c.value)})
			r.snap("error-response")
		})
		add("test_message_deduplication_id_invalid["+c.name+"]", func(r *run) {
			q := r.fifo(nil)
			r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("message"), MessageGroupId: aws.String("group"), MessageDeduplicationId: aws.String(c.value)})
			r.snap("error-response")
		})
	}

	add("test_message_deduplication_id_success", func(r *run) {
		q := r.fifo(nil)
		for _, id := range []string{"a", strings.Repeat("a", 128), "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "abc-ABC_123"} {
			_, err := r.c.SendMessage(r.ctx, &sqs.SendMessageInput{QueueUrl: aws.String(q), MessageBody: aws.String("message"), MessageGroupId: aws.String("group"), MessageDeduplicationId: aws.String(id)})
			if err != nil {
				r.t.Errorf("MessageDeduplicationId %q: %v", id, err)
			}
		}
	})

	add("test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"ContentBasedDeduplication": "true", "DelaySeconds": "2"})
		r.raw("SendMessage", map[string]any{"QueueUrl": q, "MessageBody": "message-1", "MessageGroupId": "1", "DelaySeconds": 0})
		r.snap("send_message_result")
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("receive_message_initial_result")
		r.advance(3 * time.Second)
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q)})
		r.snap("receive_message_after_delay_result")
	})

	add("test_approximate_number_of_messages_not_visible[sqs]", func(r *run) {
		q := r.queue(nil)
		for i := range 3 {
			r.send(q, fmt.Sprintf("message-%d", i))
		}
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MaxNumberOfMessages: 2})
		r.checkCounts(q, "1", "2", "0")
	})
	add("test_fifo_approximate_number_of_messages_not_visible[sqs]", func(r *run) {
		q := r.fifo(map[string]string{"ContentBasedDeduplication": "true"})
		for i := range 3 {
			r.sendGroup(q, fmt.Sprintf("message-%d", i), "1", "")
		}
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MaxNumberOfMessages: 2})
		r.checkCounts(q, "1", "2", "0")
	})

	// Reconstructed (the test is newer than the LocalStack source we have):
	// three messages of one group are received; then either some get a
	// longer visibility timeout and the queue's 30 s pass ("…-invisible":
	// the indexes extended), or some are made visible at once ("…-visible":
	// the indexes set to 0). A receive of up to two then returns the
	// group's messages in order up to the first one still in flight — the
	// only reading that yields all six recorded outcomes.
	for _, c := range []struct {
		name    string
		indexes []int
		extend  bool
	}{
		{"all-invisible", []int{0, 1, 2}, true},
		{"1-invisible", []int{1}, true},
		{"no-invisible", nil, true},
		{"0-visible", nil, false},
		{"1-visible", []int{0}, false},
		{"2-visible", []int{0, 1}, false},
	} {
		add("test_fifo_group_visibility_extends_with_change_message_visibility[sqs-"+c.name+"]", func(r *run) {
			q := r.fifo(map[string]string{"ContentBasedDeduplication": "true"})
			for _, b := range []string{"foo", "bar", "baz"} {
				r.sendGroup(q, b, "group", "")
			}
			msgs := r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MaxNumberOfMessages: 10})
			r.snap("receive_all_messages")
			if len(msgs) != 3 {
				r.t.Fatalf("received %d messages, want 3", len(msgs))
			}
			timeout := int32(0)
			if c.extend {
				timeout = 60
			}
			for _, i := range c.indexes {
				r.ok2(r.c.ChangeMessageVisibility(r.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(q), ReceiptHandle: msgs[i].ReceiptHandle, VisibilityTimeout: timeout}))
			}
			if c.extend {
				r.advance(31 * time.Second)
			}
			r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(q), MaxNumberOfMessages: 2})
			r.snap("some-messages-invisible")
		})
	}

	add("test_set_queue_attributes_default_values[sqs]", func(r *run) {
		q := r.queue(nil)
		r.getAllAttrs(q)
		r.snap("get-queue-attributes-initial-values")
		r.setAttrs(q, map[string]string{"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000", "SqsManagedSseEnabled": "false"})
		r.getAllAttrs(q)
		r.snap("get-queue-attributes-after-update")
		r.setAttrs(q, map[string]string{"KmsMasterKeyId": "", "KmsDataKeyReusePeriodSeconds": "300"})
		r.getAllAttrs(q)
		r.snap("get-queue-attributes-after-set-to-defaults")
	})

	add("test_list_queues_pagination", func(r *run) {
		prefix := r.name("-test-queue-")
		for i := range 10 {
			r.queueNamed(fmt.Sprintf("%s%d", prefix, i), nil)
		}
		_, err := r.c.ListQueues(r.ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(prefix)})
		r.ok(err)
		r.got["list_all"] = r.localstackURLs(r.last())
		out, err := r.c.ListQueues(r.ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(prefix), MaxResults: aws.Int32(2)})
		r.ok(err)
		two := r.localstackURLs(r.last())
		if out.NextToken == nil || *out.NextToken == "" {
			r.t.Errorf("ListQueues MaxResults 2: no NextToken")
		}
		// The token is opaque: LocalStack's is base64 of its last URL.
		two["NextToken"] = "aHR0cDovL3Nxcy48cmVnaW9uPi5sb2NhbGhvc3QubG9jYWxzdGFjay5jbG91ZDo0NTY2LzExMTExMTExMTExMS83ZjdkZjBmNS10ZXN0LXF1ZXVlLTE="
		r.got["list_two_max"] = two
		_, err = r.c.ListQueues(r.ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(prefix), NextToken: out.NextToken})
		r.ok(err)
		r.got["list_remaining"] = r.localstackURLs(r.last())
	})

	cs = append(cs, moveTaskCases()...)
	return cs
}

func (r *run) ok2(_ any, err error) {
	r.t.Helper()
	r.ok(err)
}

// checkCounts checks the approximate counts, visible / not visible /
// delayed.
func (r *run) checkCounts(q, visible, notVisible, delayed string) {
	r.t.Helper()
	out, err := r.c.GetQueueAttributes(r.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(q),
		AttributeNames: qAttrNames("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed")})
	r.ok(err)
	want := map[string]string{"ApproximateNumberOfMessages": visible, "ApproximateNumberOfMessagesNotVisible": notVisible, "ApproximateNumberOfMessagesDelayed": delayed}
	for k, v := range want {
		if out.Attributes[k] != v {
			r.t.Errorf("%s = %q, want %s (all: %v)", k, out.Attributes[k], v, out.Attributes)
		}
	}
}

// localstackURLs rewrites the queue URLs of a ListQueues response into the
// form LocalStack recorded them in, keeping the part after the prefix, so
// order and membership are compared.
func (r *run) localstackURLs(resp map[string]any) map[string]any {
	urls, _ := resp["QueueUrls"].([]any)
	var out []any
	for _, u := range urls {
		s, _ := u.(string)
		i := strings.Index(s, "-test-queue-")
		if i < 0 {
			out = append(out, s)
			continue
		}
		out = append(out, "http://sqs.<region>.localhost.localstack.cloud:4566/111111111111/7f7df0f5"+s[i:])
	}
	resp["QueueUrls"] = out
	return resp
}

// whileAdvancing runs f while moving the server's clock forward, so a long
// poll on the controllable clock ends.
func (r *run) whileAdvancing(f func()) {
	if r.srv == nil {
		f()
		return
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				r.srv.Clock().Advance(time.Second)
			}
		}
	}()
	f()
	close(done)
}

// dlqWith makes a queue whose dead-letter queue holds n messages (moved
// there by receives past maxReceiveCount 1) and returns the source queue and
// the DLQ.
func (r *run) dlqWith(n int) (src, dlq string) {
	r.t.Helper()
	dlq = r.queue(nil)
	src = r.queue(map[string]string{"VisibilityTimeout": "0",
		"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":1}`, r.arn(dlq))})
	for i := range n {
		r.send(src, fmt.Sprintf("message-%d", i))
	}
	for range 2*n + 2 {
		r.receive(&sqs.ReceiveMessageInput{QueueUrl: aws.String(src), MaxNumberOfMessages: 10})
	}
	r.checkCounts(dlq, fmt.Sprint(n), "0", "0")
	return src, dlq
}

// waitTask lists the move tasks of source until the newest one has status
// (advancing the clock meanwhile), and records that listing under key.
func (r *run) waitTask(source, status, key string) {
	r.t.Helper()
	for range 100 {
		out, err := r.c.ListMessageMoveTasks(r.ctx, &sqs.ListMessageMoveTasksInput{SourceArn: aws.String(source)})
		r.ok(err)
		if len(out.Results) > 0 && aws.ToString(out.Results[0].Status) == status {
			r.snap(key)
			return
		}
		r.advance(time.Second)
	}
	r.snap(key)
}

func moveTaskCases() []recordedCase {
	const file = "test_sqs_move_task.py::"
	var cs []recordedCase
	add := func(name string, run func(r *run)) {
		cs = append(cs, recordedCase{id: file + name, run: run})
	}
	add("test_basic_move_task_workflow", func(r *run) {
		_, dlq := r.dlqWith(2)
		dest := r.queue(nil)
		source := r.arn(dlq)
		r.ok2(r.c.StartMessageMoveTask(r.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), DestinationArn: aws.String(r.arn(dest))}))
		r.snap("start-message-move-task-response")
		r.waitTask(source, "COMPLETED", "list-message-move-task-response")
		r.checkCounts(dest, "2", "0", "0")
	})
	add("test_source_needs_redrive_policy", func(r *run) {
		q, dest := r.queue(nil), r.queue(nil)
		r.c.StartMessageMoveTask(r.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(r.arn(q)), DestinationArn: aws.String(r.arn(dest))})
		r.snap("error")
	})
	add("test_destination_needs_to_exist", func(r *run) {
		_, dlq := r.dlqWith(1)
		source := r.arn(dlq)
		r.c.StartMessageMoveTask(r.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), DestinationArn: aws.String(source + "-does-not-exist")})
		r.snap("error")
	})
	add("test_cancel_with_invalid_task_handle", func(r *run) {
		r.c.CancelMessageMoveTask(r.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: aws.String("foobared")})
		r.snap("error")
	})
	add("test_start_multiple_move_tasks", func(r *run) {
		_, dlq := r.dlqWith(5)
		dest := r.queue(nil)
		source := r.arn(dlq)
		r.ok2(r.c.StartMessageMoveTask(r.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), DestinationArn: aws.String(r.arn(dest)), MaxNumberOfMessagesPerSecond: aws.Int32(1)}))
		r.c.StartMessageMoveTask(r.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source), DestinationArn: aws.String(r.arn(dest)), MaxNumberOfMessagesPerSecond: aws.Int32(1)})
		r.snap("error")
	})
	add("test_move_task_workflow_with_default_destination", func(r *run) {
		src, dlq := r.dlqWith(2)
		source := r.arn(dlq)
		r.got["source-arn"] = source
		r.got["original-source"] = r.arn(src)
		r.ok2(r.c.StartMessageMoveTask(r.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(source)}))
		r.snap("start-message-move-task-response")
		r.waitTask(source, "COMPLETED", "list-message-move-task-response")
		r.checkCounts(src, "2", "0", "0")
	})
	return cs
}

// doQuery sends the JSON-protocol request req as the query protocol does
// (a signed form POST), records the XML answer, and gives the SDK back the
// equivalent JSON answer.
func (w *wireRecorder) doQuery(req *http.Request, op string) (*http.Response, error) {
	raw, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var in map[string]any
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("query transport: %s body: %w", op, err)
	}
	form := url.Values{"Action": {op}, "Version": {"2012-11-05"}}
	flattenQuery(form, "", op, in)
	body := []byte(form.Encode())
	qreq, err := http.NewRequestWithContext(req.Context(), http.MethodPost, req.URL.Scheme+"://"+req.URL.Host+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	qreq.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(req.Context(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
		qreq, hex.EncodeToString(sum[:]), "sqs", "us-east-1", time.Now()); err != nil {
		return nil, err
	}
	resp, err := w.next.Do(qreq)
	if err != nil {
		return nil, err
	}
	xmlBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.last = &wireResponse{status: resp.StatusCode, header: resp.Header.Clone(), body: xmlBody, op: op}
	w.mu.Unlock()

	// The JSON answer for the SDK.
	var jsonBody []byte
	h := http.Header{"Content-Type": {"application/x-amz-json-1.0"}}
	if resp.StatusCode < 300 {
		out, err := queryOutput(op, xmlBody)
		if err != nil {
			return nil, fmt.Errorf("query transport: %s answer %q: %w", op, xmlBody, err)
		}
		jsonBody, _ = json.Marshal(out)
	} else {
		var x struct {
			Error struct{ Type, Code, Message string }
		}
		if err := xml.Unmarshal(xmlBody, &x); err != nil {
			return nil, fmt.Errorf("query transport: %s error %q: %w", op, xmlBody, err)
		}
		short := strings.TrimPrefix(x.Error.Code, "AWS.SimpleQueueService.")
		jsonBody, _ = json.Marshal(map[string]string{"__type": "com.amazonaws.sqs#" + short, "message": x.Error.Message})
		h.Set("X-Amzn-Query-Error", x.Error.Code+";"+x.Error.Type)
	}
	return &http.Response{
		Status: resp.Status, StatusCode: resp.StatusCode, Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
		Header: h, Body: io.NopCloser(bytes.NewReader(jsonBody)), ContentLength: int64(len(jsonBody)), Request: req,
	}, nil
}

// queryListNames are the member names SQS's query protocol gives list
// elements (flattened, numbered from 1).
var queryListNames = map[string]string{
	"AttributeNames": "AttributeName", "MessageAttributeNames": "MessageAttributeName",
	// The model gives this list no member name: boto3 numbers the
	// parameter itself.
	"MessageSystemAttributeNames": "MessageSystemAttributeNames", "TagKeys": "TagKey",
	"AWSAccountIds": "AWSAccountId", "Actions": "ActionName",
}

// flattenQuery writes the JSON-protocol input in (of operation op) as query
// parameters under prefix.
func flattenQuery(form url.Values, prefix, op string, in map[string]any) {
	for k, v := range in {
		switch {
		case queryListNames[k] != "":
			for i, e := range v.([]any) {
				form.Set(fmt.Sprintf("%s%s.%d", prefix, queryListNames[k], i+1), fmt.Sprint(e))
			}
		case k == "Entries":
			for i, e := range v.([]any) {
				flattenQuery(form, fmt.Sprintf("%s%sRequestEntry.%d.", prefix, op, i+1), op, e.(map[string]any))
			}
		case k == "Attributes" || k == "Tags" || k == "MessageAttributes" || k == "MessageSystemAttributes":
			name, keyName, valueName := map[string][3]string{
				"Attributes": {"Attribute", "Name", "Value"}, "Tags": {"Tag", "Key", "Value"},
				"MessageAttributes": {"MessageAttribute", "Name", "Value"}, "MessageSystemAttributes": {"MessageSystemAttribute", "Name", "Value"},
			}[k][0], map[string]string{"Tags": "Key"}[k], "Value"
			if keyName == "" {
				keyName = "Name"
			}
			m := v.(map[string]any)
			keys := make([]string, 0, len(m))
			for mk := range m {
				keys = append(keys, mk)
			}
			sort.Strings(keys)
			for i, mk := range keys {
				p := fmt.Sprintf("%s%s.%d.", prefix, name, i+1)
				form.Set(p+keyName, mk)
				if sub, ok := m[mk].(map[string]any); ok {
					for sk, sv := range sub {
						form.Set(p+valueName+"."+sk, fmt.Sprint(sv))
					}
				} else {
					form.Set(p+valueName, fmt.Sprint(m[mk]))
				}
			}
		default:
			form.Set(prefix+k, fmt.Sprint(v))
		}
	}
}

// xnode is an XML element, generically.
type xnode struct {
	XMLName xml.Name
	Nodes   []xnode `xml:",any"`
	Text    string  `xml:",chardata"`
}

func (n xnode) child(name string) (xnode, bool) {
	for _, c := range n.Nodes {
		if c.XMLName.Local == name {
			return c, true
		}
	}
	return xnode{}, false
}

// queryNumbers are the output members that are numbers, not strings.
var queryNumbers = map[string]bool{
	"ApproximateNumberOfMessagesMoved": true, "ApproximateNumberOfMessagesToMove": true,
	"MaxNumberOfMessagesPerSecond": true, "StartedTimestamp": true,
}

// queryOutput turns a query-protocol answer of operation op into the JSON
// output boto3 shows for it.
func queryOutput(op string, body []byte) (map[string]any, error) {
	var root xnode
	if err := xml.Unmarshal(body, &root); err != nil {
		return nil, err
	}
	out := map[string]any{}
	result, ok := root.child(op + "Result")
	if !ok {
		return out, nil // an operation without output
	}
	listKey := map[string]string{"ListQueues": "QueueUrls", "ListDeadLetterSourceQueues": "queueUrls"}[op]
	for _, c := range result.Nodes {
		name := c.XMLName.Local
		switch {
		case name == "QueueUrl" && listKey != "":
			l, _ := out[listKey].([]any)
			out[listKey] = append(l, c.Text)
		case name == "Attribute" || name == "Tag":
			key := map[string]string{"Attribute": "Attributes", "Tag": "Tags"}[name]
			m, _ := out[key].(map[string]any)
			if m == nil {
				m = map[string]any{}
				out[key] = m
			}
			k, _ := c.child(map[string]string{"Attribute": "Name", "Tag": "Key"}[name])
			v, _ := c.child("Value")
			m[k.Text] = v.Text
		case name == "Message":
			l, _ := out["Messages"].([]any)
			out["Messages"] = append(l, queryMessage(c))
		case strings.HasSuffix(name, "BatchResultEntry"):
			l, _ := out["Successful"].([]any)
			out["Successful"] = append(l, queryStruct(c))
		case name == "BatchResultErrorEntry":
			l, _ := out["Failed"].([]any)
			out["Failed"] = append(l, queryStruct(c))
		case name == "ListMessageMoveTasksResultEntry":
			l, _ := out["Results"].([]any)
			out["Results"] = append(l, queryStruct(c))
		default:
			out[name] = queryScalar(name, c.Text)
		}
	}
	return out, nil
}

func queryScalar(name, text string) any {
	if queryNumbers[name] {
		var f float64
		if _, err := fmt.Sscan(text, &f); err == nil {
			return f
		}
	}
	if name == "SenderFault" {
		return text == "true"
	}
	return text
}

func queryStruct(n xnode) map[string]any {
	m := map[string]any{}
	for _, c := range n.Nodes {
		m[c.XMLName.Local] = queryScalar(c.XMLName.Local, c.Text)
	}
	return m
}

func queryMessage(n xnode) map[string]any {
	m := map[string]any{}
	for _, c := range n.Nodes {
		switch c.XMLName.Local {
		case "Attribute":
			a, _ := m["Attributes"].(map[string]any)
			if a == nil {
				a = map[string]any{}
				m["Attributes"] = a
			}
			k, _ := c.child("Name")
			v, _ := c.child("Value")
			a[k.Text] = v.Text
		case "MessageAttribute":
			a, _ := m["MessageAttributes"].(map[string]any)
			if a == nil {
				a = map[string]any{}
				m["MessageAttributes"] = a
			}
			k, _ := c.child("Name")
			v, _ := c.child("Value")
			a[k.Text] = queryStruct(v)
		default:
			m[c.XMLName.Local] = c.Text
		}
	}
	return m
}
