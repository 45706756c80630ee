package rest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

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

// FuzzRouterMatch routes arbitrary requests through a hand-made service and
// the generated S3 and Lambda ones: no panic, and a match names an
// operation and binds only labels its template has.
func FuzzRouterMatch(f *testing.F) {
	for _, s := range []string{"/bucket", "/bucket/a/b%2Fc", "/2015-03-31/functions/fn/invocations", "/g/a/baz/b/c/end", "/%zz/", "//", "/ReDosLiteral/abc/(a+)+"} {
		f.Add(uint8(0), "GET", s, "list-type=2&uploads", "x-amz-copy-source")
	}
	routers := []*Router{NewRouter(testService()), NewRouter(s3.Service), NewRouter(lambda.Service)}
	f.Fuzz(func(t *testing.T, which uint8, method, path, query, header string) {
		h := http.Header{}
		if header != "" {
			h[http.CanonicalHeaderKey(header)] = []string{"v"}
		}
		m, _ := routers[int(which)%len(routers)].Match(method, path, query, h)
		if m == nil {
			return
		}
		if m.Op == nil {
			t.Fatal("match without operation")
		}
		for _, l := range m.Labels {
			if !strings.Contains(m.Op.RequestURI, "{"+l.Name) {
				t.Fatalf("label %s is not in %s", l.Name, m.Op.RequestURI)
			}
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
