package rest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/api/s3"
)

func testService() *api.Service {
	ops := []struct{ name, method, uri string }{
		{"ListObjects", "GET", "/{Bucket}"},
		{"ListObjectsV2", "GET", "/{Bucket}?list-type=2"},
		{"ListMultipartUploads", "GET", "/{Bucket}?uploads"},
		{"GetObject", "GET", "/{Bucket}/{Key+}"},
		{"Invoke", "POST", "/2015-03-31/functions/{FunctionName}/invocations"},
		{"GetFunction", "GET", "/2015-03-31/functions/{FunctionName}"},
		{"ListFunctions", "GET", "/2015-03-31/functions/"},
		{"Greedy", "GET", "/g/{foo}/baz/{baz+}/end"},
		{"ReDos", "GET", "/ReDosLiteral/{str}/(a+)+"},
		{"Root", "POST", "/"},
		{"LabelFirst", "GET", "/a/{x}/c"},
		{"LiteralFirst", "GET", "/a/b/{y}"},
	}
	svc := &api.Service{Name: "t"}
	for _, o := range ops {
		svc.Operations = append(svc.Operations, &api.Operation{Name: o.name, Method: o.method, RequestURI: o.uri})
	}
	svc.Index()
	return svc
}

func TestRouterMatch(t *testing.T) {
	r := NewRouter(testService())
	tests := []struct {
		method, path, query string
		op                  string // "" = no match
		labels              []Label
	}{
		{"GET", "/bucket", "", "ListObjects", []Label{{"Bucket", "bucket"}}},
		{"GET", "/bucket/", "", "ListObjects", []Label{{"Bucket", "bucket"}}},
		{"GET", "/bucket", "list-type=2", "ListObjectsV2", []Label{{"Bucket", "bucket"}}},
		{"GET", "/bucket", "list-type=1", "ListObjects", []Label{{"Bucket", "bucket"}}},
		{"GET", "/bucket", "uploads", "ListMultipartUploads", []Label{{"Bucket", "bucket"}}},
		{"GET", "/bucket/a/b%2Fc/d%20e", "", "GetObject", []Label{{"Bucket", "bucket"}, {"Key", "a/b/c/d e"}}},
		{"GET", "/bucket/dir/", "", "GetObject", []Label{{"Bucket", "bucket"}, {"Key", "dir/"}}},
		{"POST", "/2015-03-31/functions/my%3Afn/invocations", "", "Invoke", []Label{{"FunctionName", "my:fn"}}},
		{"GET", "/2015-03-31/functions/fn", "", "GetFunction", []Label{{"FunctionName", "fn"}}},
		{"GET", "/2015-03-31/functions/", "", "ListFunctions", nil},
		{"GET", "/g/hello%2Fescape/baz/there/guy/end", "", "Greedy", []Label{{"foo", "hello/escape"}, {"baz", "there/guy"}}},
		{"GET", "/g/x/baz/end", "", "GetObject", []Label{{"Bucket", "g"}, {"Key", "x/baz/end"}}},
		{"GET", "/ReDosLiteral/abc/(a+)+", "", "ReDos", []Label{{"str", "abc"}}},
		{"POST", "/", "", "Root", nil},
		{"GET", "/a/b/c", "", "LiteralFirst", []Label{{"y", "c"}}},
		{"GET", "/a/z/c", "", "LabelFirst", []Label{{"x", "z"}}},
		{"DELETE", "/2015-03-31/functions/fn", "", "", nil},
		{"GET", "/bucket/%zz", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+"?"+tt.query, func(t *testing.T) {
			m, _ := r.Match(tt.method, tt.path, tt.query, nil)
			if tt.op == "" {
				if m != nil {
					t.Fatalf("matched %s, want no match", m.Op.Name)
				}
				return
			}
			if m == nil {
				t.Fatalf("no match, want %s", tt.op)
			}
			if m.Op.Name != tt.op {
				t.Fatalf("matched %s, want %s", m.Op.Name, tt.op)
			}
			if !reflect.DeepEqual(m.Labels, tt.labels) {
				t.Fatalf("labels %v, want %v", m.Labels, tt.labels)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	svc := &api.Service{Name: "t", Operations: []*api.Operation{
		{Name: "GetFunction", Method: "GET", RequestURI: "/2015-03-31/functions/{FunctionName}"},
	}}
	tests := []struct {
		method, target, code string
	}{
		{"DELETE", "/2015-03-31/functions/fn", "MethodNotAllowed"},
		{"GET", "/nope/nope/nope/x/y/z", "UnknownOperationException"},
	}
	for _, tt := range tests {
		c := &api.Call{Service: svc, Request: httptest.NewRequest(tt.method, tt.target, nil)}
		err := Resolve(c)
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Code != tt.code {
			t.Errorf("%s %s: got %v, want %s", tt.method, tt.target, err, tt.code)
		}
	}
}

type bindInput struct {
	Name    *string
	Count   *int32
	When    *time.Time
	Tags    []string
	Meta    map[string]string
	Flag    *bool
	Dates   []time.Time
	Rest    map[string][]string
	Payload []byte
}

func bindShape() *api.Shape {
	str := &api.Shape{Name: "String", Type: api.TypeString}
	strList := &api.Shape{Name: "StringList", Type: api.TypeList, Member: &api.Ref{Shape: str}}
	ts := &api.Shape{Name: "Timestamp", Type: api.TypeTimestamp}
	return &api.Shape{Name: "In", Type: api.TypeStructure, Payload: "Payload", Members: []api.Member{
		{Name: "Name", Field: 0, Ref: api.Ref{Shape: str, Location: api.LocationURI, LocationName: "Name"}},
		{Name: "Count", Field: 1, Ref: api.Ref{Shape: &api.Shape{Type: api.TypeInteger}, Location: api.LocationQueryString, LocationName: "count"}},
		{Name: "When", Field: 2, Ref: api.Ref{Shape: ts, Location: api.LocationHeader, LocationName: "X-When"}},
		{Name: "Tags", Field: 3, Ref: api.Ref{Shape: strList, Location: api.LocationHeader, LocationName: "X-Tags"}},
		{Name: "Meta", Field: 4, Ref: api.Ref{Shape: &api.Shape{Type: api.TypeMap, Key: &api.Ref{Shape: str}, Value: &api.Ref{Shape: str}}, Location: api.LocationHeaders, LocationName: "x-meta-"}},
		{Name: "Flag", Field: 5, Ref: api.Ref{Shape: &api.Shape{Type: api.TypeBoolean}, Location: api.LocationQueryString, LocationName: "flag"}},
		{Name: "Dates", Field: 6, Ref: api.Ref{Shape: &api.Shape{Type: api.TypeList, Member: &api.Ref{Shape: ts}}, Location: api.LocationHeader, LocationName: "X-Dates"}},
		{Name: "Rest", Field: 7, Ref: api.Ref{Shape: &api.Shape{Type: api.TypeMap, Key: &api.Ref{Shape: str}, Value: &api.Ref{Shape: strList}}, Location: api.LocationQueryString}},
		{Name: "Payload", Field: 8, Ref: api.Ref{Shape: &api.Shape{Type: api.TypeBlob}}},
	}}
}

func TestDecodeRequestBindings(t *testing.T) {
	in := bindShape()
	svc := &api.Service{Name: "t", Operations: []*api.Operation{{Name: "Op", Method: "PUT", RequestURI: "/things/{Name}?x-id=Op", Input: in}}}
	svc.Index()
	req := httptest.NewRequest("PUT", "/things/a%20b?x-id=Op&count=7&flag=true&other=1&other=2", nil)
	req.Header.Set("X-When", "Mon, 16 Dec 2019 23:48:18 GMT")
	req.Header.Set("X-Tags", `a, "b,c", "\"d\""`)
	req.Header.Set("X-Meta-Color", "blue")
	req.Header.Set("X-Dates", "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT")
	c := &api.Call{Service: svc, Request: req, Body: []byte("raw bytes")}
	if err := Resolve(c); err != nil {
		t.Fatal(err)
	}
	var got bindInput
	if err := DecodeRequest(c, &got, nil); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2019, 12, 16, 23, 48, 18, 0, time.UTC)
	want := bindInput{
		Name: api.String("a b"), Count: api.Int32(7), When: &when,
		Tags: []string{"a", "b,c", `"d"`}, Meta: map[string]string{"color": "blue"}, Flag: api.Bool(true),
		Dates:   []time.Time{when, when.Add(24 * time.Hour)},
		Rest:    map[string][]string{"other": {"1", "2"}, "count": {"7"}, "flag": {"true"}},
		Payload: []byte("raw bytes"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}

	// Encoding the same struct as a response puts headers back.
	svc.Operations[0].Output = in
	w := httptest.NewRecorder()
	if err := EncodeResponse(w, c, &got, nil); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"X-When": "Mon, 16 Dec 2019 23:48:18 GMT", "X-Tags": `a, "b,c", "\"d\""`,
		"X-Dates": "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT",
	} {
		if g := w.Header().Get(k); g != v {
			t.Errorf("header %s = %q, want %q", k, g, v)
		}
	}
	if g := w.Header()["x-meta-color"]; len(g) != 1 || g[0] != "blue" {
		t.Errorf("prefix header x-meta-color = %q, want blue", g)
	}
	if w.Body.String() != "raw bytes" {
		t.Errorf("body %q", w.Body.String())
	}
}

func TestDecodeRequestBadInput(t *testing.T) {
	in := bindShape()
	svc := &api.Service{Name: "t", Operations: []*api.Operation{{Name: "Op", Method: "PUT", RequestURI: "/things/{Name}", Input: in}}}
	svc.Index()
	for _, target := range []string{"/things/x?count=abc", "/things/x?flag=yes", "/things/x?count=99999999999"} {
		req := httptest.NewRequest("PUT", target, nil)
		c := &api.Call{Service: svc, Request: req}
		if err := Resolve(c); err != nil {
			t.Fatal(err)
		}
		var got bindInput
		err := DecodeRequest(c, &got, nil)
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Code != "SerializationException" {
			t.Errorf("%s: got %v, want SerializationException", target, err)
		}
	}
}

func TestSplitHeaderList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a, b, c", []string{"a", "b", "c"}},
		{`"b,c", "\"def\"", a`, []string{"b,c", `"def"`, "a"}},
		{"a", []string{"a"}},
		{`""`, []string{""}},
	}
	for _, tt := range tests {
		if got := SplitHeaderList(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitHeaderList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRouterMatch(f *testing.F) {
	for _, s := range []string{"/bucket", "/bucket/a/b%2Fc", "/2015-03-31/functions/fn/invocations", "/g/a/baz/b/c/end", "/%zz/", "//", "/ReDosLiteral/abc/(a+)+"} {
		f.Add("GET", s, "list-type=2&uploads")
	}
	r := NewRouter(testService())
	f.Fuzz(func(t *testing.T, method, path, query string) {
		m, _ := r.Match(method, path, query, nil)
		if m != nil && m.Op == nil {
			t.Fatal("match without operation")
		}
	})
}

func BenchmarkRouterMatch(b *testing.B) {
	r := NewRouter(lambda.Service)
	paths := []struct{ method, path, query string }{
		{"POST", "/2015-03-31/functions/my-function/invocations", ""},
		{"GET", "/2015-03-31/functions/my-function/configuration", "Qualifier=1"},
		{"GET", "/2015-03-31/functions/", "MaxItems=50"},
	}
	for _, p := range paths {
		b.Run(p.method+p.path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if m, _ := r.Match(p.method, p.path, p.query, nil); m == nil {
					b.Fatal("no match")
				}
			}
		})
	}
}

// TestRealServices routes requests as SDKs send them against the generated
// S3 and Lambda schemas.
func TestRealServices(t *testing.T) {
	tests := []struct {
		svc                 *api.Service
		method, path, query string
		op                  string
		header              http.Header
	}{
		{s3.Service, "GET", "/", "", "ListBuckets", nil},
		{s3.Service, "PUT", "/bucket", "", "CreateBucket", nil},
		{s3.Service, "GET", "/bucket", "list-type=2&prefix=a", "ListObjectsV2", nil},
		{s3.Service, "GET", "/bucket", "prefix=a", "ListObjects", nil},
		{s3.Service, "GET", "/bucket", "uploads", "ListMultipartUploads", nil},
		{s3.Service, "GET", "/bucket", "location", "GetBucketLocation", nil},
		{s3.Service, "PUT", "/bucket", "tagging", "PutBucketTagging", nil},
		{s3.Service, "POST", "/bucket", "delete", "DeleteObjects", nil},
		{s3.Service, "PUT", "/bucket/a/b.txt", "", "PutObject", nil},
		{s3.Service, "GET", "/bucket/a/b.txt", "", "GetObject", nil},
		{s3.Service, "HEAD", "/bucket/a/b.txt", "", "HeadObject", nil},
		{s3.Service, "DELETE", "/bucket/a/b.txt", "", "DeleteObject", nil},
		{s3.Service, "POST", "/bucket/big", "uploads", "CreateMultipartUpload", nil},
		{s3.Service, "PUT", "/bucket/big", "partNumber=1&uploadId=u", "UploadPart", nil},
		{s3.Service, "POST", "/bucket/big", "uploadId=u", "CompleteMultipartUpload", nil},
		{s3.Service, "GET", "/bucket/a", "tagging", "GetObjectTagging", nil},
		{s3.Service, "PUT", "/bucket/a", "", "CopyObject", http.Header{"X-Amz-Copy-Source": {"/src/k"}}},
		{s3.Service, "PUT", "/bucket/big", "partNumber=1&uploadId=u", "UploadPartCopy", http.Header{"X-Amz-Copy-Source": {"/src/k"}}},
		{s3.Service, "DELETE", "/bucket/big", "uploadId=u", "AbortMultipartUpload", nil},
		{s3.Service, "GET", "/bucket/big", "uploadId=u", "ListParts", nil},
		{s3.Service, "GET", "/bucket", "analytics", "ListBucketAnalyticsConfigurations", nil},
		{s3.Service, "GET", "/bucket", "analytics&id=x", "GetBucketAnalyticsConfiguration", nil},
		{lambda.Service, "POST", "/2015-03-31/functions", "", "CreateFunction", nil},
		{lambda.Service, "GET", "/2015-03-31/functions/", "", "ListFunctions", nil},
		{lambda.Service, "GET", "/2015-03-31/functions/f", "", "GetFunction", nil},
		{lambda.Service, "GET", "/2015-03-31/functions/f/configuration", "", "GetFunctionConfiguration", nil},
		{lambda.Service, "POST", "/2015-03-31/functions/f/invocations", "", "Invoke", nil},
		{lambda.Service, "POST", "/2015-03-31/event-source-mappings/", "", "CreateEventSourceMapping", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+"?"+tt.query, func(t *testing.T) {
			m, _ := RouterFor(tt.svc).Match(tt.method, tt.path, tt.query, tt.header)
			if m == nil || m.Op.Name != tt.op {
				got := "<none>"
				if m != nil {
					got = m.Op.Name
				}
				t.Fatalf("matched %s, want %s", got, tt.op)
			}
		})
	}
}

type streamIn struct {
	Key  *string
	Body io.ReadCloser
}

type streamOut struct {
	Status *int32
	Length *int64
	Body   io.ReadCloser
}

// TestStreamingPayloads checks that a streaming payload reaches the handler
// unread (from the request when the router left c.Body nil) and that a
// streaming output is copied to the client and closed, with header and
// status members applied first.
func TestStreamingPayloads(t *testing.T) {
	str := &api.Shape{Name: "S", Type: api.TypeString}
	stream := &api.Shape{Name: "Stream", Type: api.TypeBlob, Streaming: true}
	in := &api.Shape{Name: "In", Type: api.TypeStructure, Payload: "Body", Members: []api.Member{
		{Name: "Key", Field: 0, Ref: api.Ref{Shape: str, Location: api.LocationURI, LocationName: "Key"}},
		{Name: "Body", Field: 1, Ref: api.Ref{Shape: stream, Streaming: true}},
	}}
	out := &api.Shape{Name: "Out", Type: api.TypeStructure, Payload: "Body", Members: []api.Member{
		{Name: "Status", Field: 0, Ref: api.Ref{Shape: &api.Shape{Type: api.TypeInteger}, Location: api.LocationStatusCode}},
		{Name: "Length", Field: 1, Ref: api.Ref{Shape: &api.Shape{Type: api.TypeLong}, Location: api.LocationHeader, LocationName: "Content-Length"}},
		{Name: "Body", Field: 2, Ref: api.Ref{Shape: stream, Streaming: true}},
	}}
	svc := &api.Service{Name: "t", Operations: []*api.Operation{{Name: "Put", Method: "PUT", RequestURI: "/{Key+}", Input: in, Output: out}}}
	svc.Index()
	req := httptest.NewRequest("PUT", "/a/b", strings.NewReader("streamed body"))
	c := &api.Call{Service: svc, Request: req}
	if err := Resolve(c); err != nil {
		t.Fatal(err)
	}
	var got streamIn
	if err := DecodeRequest(c, &got, nil); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(got.Body)
	if api.ToString(got.Key) != "a/b" || string(b) != "streamed body" {
		t.Fatalf("key %q body %q", api.ToString(got.Key), b)
	}

	rc := &closeRecorder{Reader: strings.NewReader("0123456789")}
	w := httptest.NewRecorder()
	if err := EncodeResponse(w, c, &streamOut{Status: api.Int32(206), Length: api.Int64(10), Body: rc}, nil); err != nil {
		t.Fatal(err)
	}
	if w.Code != 206 || w.Body.String() != "0123456789" || w.Header().Get("Content-Length") != "10" || !rc.closed {
		t.Fatalf("status %d body %q length %q closed %v", w.Code, w.Body.String(), w.Header().Get("Content-Length"), rc.closed)
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }
