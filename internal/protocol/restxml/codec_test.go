package restxml

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
)

// The test schema is a slice of S3: a listing with a wrapped list, a
// structure payload with a namespace, a flattened list, an xsi:type
// attribute, GetBucketLocation and an error with an extra member.

type bucket struct{ Name *string }

type grantee struct {
	ID   *string
	Type *string
}

type listBucketsOutput struct {
	Buckets []*bucket
	Owner   *grantee
}

type tag struct{ Key, Value *string }

type tagging struct{ TagSet []*tag }

type putTaggingInput struct {
	Bucket  *string
	Tagging *tagging
}

type object struct{ Key *string }

type deleteReq struct {
	Objects []*object
	Quiet   *bool
}

type deleteInput struct {
	Bucket *string
	Delete *deleteReq
}

type locationOutput struct{ LocationConstraint *string }

type noSuchKey struct {
	Message *string
	Key     *string
}

func s3Service() *api.Service {
	str := &api.Shape{Name: "String", Type: api.TypeString}
	boo := &api.Shape{Name: "Boolean", Type: api.TypeBoolean}
	s3ns := &api.XMLNamespace{URI: "http://s3.amazonaws.com/doc/2006-03-01/"}
	bkt := &api.Shape{Name: "Bucket", Type: api.TypeStructure, GoType: reflect.TypeFor[bucket](), Members: []api.Member{
		{Name: "Name", Ref: api.Ref{Shape: str}, Field: 0}}}
	buckets := &api.Shape{Name: "Buckets", Type: api.TypeList, Member: &api.Ref{Shape: bkt, LocationName: "Bucket"}}
	gr := &api.Shape{Name: "Grantee", Type: api.TypeStructure, GoType: reflect.TypeFor[grantee](),
		XMLNamespace: &api.XMLNamespace{Prefix: "xsi", URI: "http://www.w3.org/2001/XMLSchema-instance"},
		Members: []api.Member{
			{Name: "ID", Ref: api.Ref{Shape: str}, Field: 0},
			{Name: "Type", Ref: api.Ref{Shape: str, LocationName: "xsi:type", XMLAttribute: true}, Field: 1},
		}}
	lbOut := &api.Shape{Name: "ListBucketsOutput", Type: api.TypeStructure, GoType: reflect.TypeFor[listBucketsOutput](), Members: []api.Member{
		{Name: "Buckets", Ref: api.Ref{Shape: buckets}, Field: 0},
		{Name: "Owner", Ref: api.Ref{Shape: gr}, Field: 1},
	}}
	tg := &api.Shape{Name: "Tag", Type: api.TypeStructure, GoType: reflect.TypeFor[tag](), Members: []api.Member{
		{Name: "Key", Ref: api.Ref{Shape: str}, Field: 0}, {Name: "Value", Ref: api.Ref{Shape: str}, Field: 1}}}
	tagSet := &api.Shape{Name: "TagSet", Type: api.TypeList, Member: &api.Ref{Shape: tg, LocationName: "Tag"}}
	tgg := &api.Shape{Name: "Tagging", Type: api.TypeStructure, GoType: reflect.TypeFor[tagging](), Members: []api.Member{
		{Name: "TagSet", Ref: api.Ref{Shape: tagSet}, Field: 0}}}
	ptIn := &api.Shape{Name: "PutBucketTaggingRequest", Type: api.TypeStructure, GoType: reflect.TypeFor[putTaggingInput](), Payload: "Tagging", Members: []api.Member{
		{Name: "Bucket", Ref: api.Ref{Shape: str, Location: api.LocationURI, LocationName: "Bucket"}, Field: 0},
		{Name: "Tagging", Ref: api.Ref{Shape: tgg, LocationName: "Tagging", XMLNamespace: s3ns}, Field: 1},
	}}
	obj := &api.Shape{Name: "ObjectIdentifier", Type: api.TypeStructure, GoType: reflect.TypeFor[object](), Members: []api.Member{
		{Name: "Key", Ref: api.Ref{Shape: str}, Field: 0}}}
	objs := &api.Shape{Name: "ObjectIdentifierList", Type: api.TypeList, Flattened: true, Member: &api.Ref{Shape: obj}}
	del := &api.Shape{Name: "Delete", Type: api.TypeStructure, GoType: reflect.TypeFor[deleteReq](), Members: []api.Member{
		{Name: "Objects", Ref: api.Ref{Shape: objs, LocationName: "Object"}, Field: 0},
		{Name: "Quiet", Ref: api.Ref{Shape: boo}, Field: 1},
	}}
	delIn := &api.Shape{Name: "DeleteObjectsRequest", Type: api.TypeStructure, GoType: reflect.TypeFor[deleteInput](), Payload: "Delete", Members: []api.Member{
		{Name: "Bucket", Ref: api.Ref{Shape: str, Location: api.LocationURI, LocationName: "Bucket"}, Field: 0},
		{Name: "Delete", Ref: api.Ref{Shape: del, LocationName: "Delete", XMLNamespace: s3ns}, Field: 1},
	}}
	locIn := &api.Shape{Name: "GetBucketLocationRequest", Type: api.TypeStructure, GoType: reflect.TypeFor[struct{ Bucket *string }](), Members: []api.Member{
		{Name: "Bucket", Ref: api.Ref{Shape: str, Location: api.LocationURI, LocationName: "Bucket"}, Field: 0}}}
	locOut := &api.Shape{Name: "GetBucketLocationOutput", Type: api.TypeStructure, GoType: reflect.TypeFor[locationOutput](), Members: []api.Member{
		{Name: "LocationConstraint", Ref: api.Ref{Shape: str}, Field: 0}}}
	nsk := &api.Shape{Name: "NoSuchKey", Type: api.TypeStructure, Exception: true, GoType: reflect.TypeFor[noSuchKey](), Members: []api.Member{
		{Name: "Message", Ref: api.Ref{Shape: str}, Field: 0}, {Name: "Key", Ref: api.Ref{Shape: str}, Field: 1}}}
	svc := &api.Service{Name: "s3", ServiceID: "S3", Protocols: []string{"rest-xml"}, Errors: map[string]*api.Shape{"NoSuchKey": nsk},
		Operations: []*api.Operation{
			{Name: "ListBuckets", Method: "GET", RequestURI: "/", Output: lbOut, NewInput: func() any { return &struct{}{} }},
			{Name: "PutBucketTagging", Method: "PUT", RequestURI: "/{Bucket}?tagging", Input: ptIn, NewInput: func() any { return &putTaggingInput{} }},
			{Name: "DeleteObjects", Method: "POST", RequestURI: "/{Bucket}?delete", Input: delIn, NewInput: func() any { return &deleteInput{} }},
			{Name: "GetBucketLocation", Method: "GET", RequestURI: "/{Bucket}?location", Input: locIn, Output: locOut, NewInput: func() any { return &struct{ Bucket *string }{} }},
		}}
	svc.Index()
	return svc
}

func call(t *testing.T, svc *api.Service, method, target, body string) *api.Call {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	return &api.Call{Service: svc, Request: r, Body: []byte(body), RequestID: "req-1", Protocol: Protocol}
}

func TestDecode(t *testing.T) {
	svc := s3Service()
	tests := []struct {
		name, method, target, body string
		want                       any
	}{
		{
			name: "structure payload", method: "PUT", target: "/b?tagging",
			body: `<?xml version="1.0" encoding="UTF-8"?><Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>` +
				`<Tag><Key>k</Key><Value>a &amp; b</Value></Tag><Tag><Key>k2</Key><Value></Value></Tag></TagSet></Tagging>`,
			want: &putTaggingInput{Bucket: api.String("b"), Tagging: &tagging{TagSet: []*tag{
				{Key: api.String("k"), Value: api.String("a & b")}, {Key: api.String("k2"), Value: api.String("")}}}},
		},
		{
			name: "flattened list in payload", method: "POST", target: "/b?delete",
			body: "<Delete><Object><Key>x</Key></Object><Object><Key>y</Key></Object><Quiet>true</Quiet></Delete>",
			want: &deleteInput{Bucket: api.String("b"), Delete: &deleteReq{Objects: []*object{{Key: api.String("x")}, {Key: api.String("y")}}, Quiet: api.Bool(true)}},
		},
		{
			name: "empty body leaves payload nil", method: "PUT", target: "/b?tagging", body: "",
			want: &putTaggingInput{Bucket: api.String("b")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := call(t, svc, tt.method, tt.target, tt.body)
			if err := (Codec{}).Resolve(c); err != nil {
				t.Fatal(err)
			}
			in := c.Op.NewInput()
			if err := (Codec{}).Decode(c, in); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(in, tt.want) {
				t.Fatalf("got %+v, want %+v", in, tt.want)
			}
		})
	}
}

func TestDecodeMalformed(t *testing.T) {
	svc := s3Service()
	for _, body := range []string{
		"<Delete><Object>",                      // unterminated
		"<Delete></Tagging>",                    // mismatched
		"<Delete><Quiet>maybe</Quiet></Delete>", // not a boolean
		"<a/><b/>",                              // two roots
		strings.Repeat("<a>", 200) + strings.Repeat("</a>", 200),
	} {
		t.Run(body[:min(len(body), 20)], func(t *testing.T) {
			c := call(t, svc, "POST", "/b?delete", body)
			if err := (Codec{}).Resolve(c); err != nil {
				t.Fatal(err)
			}
			err := Codec{}.Decode(c, c.Op.NewInput())
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Code != "MalformedXML" || ae.HTTPStatus() != 400 {
				t.Fatalf("Decode = %v, want MalformedXML", err)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	svc := s3Service()
	tests := []struct {
		op   string
		out  any
		want string
	}{
		{
			op: "ListBuckets",
			out: &listBucketsOutput{Buckets: []*bucket{{Name: api.String("a")}, {Name: api.String("b")}},
				Owner: &grantee{ID: api.String("id"), Type: api.String("CanonicalUser")}},
			want: `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
				`<Buckets><Bucket><Name>a</Name></Bucket><Bucket><Name>b</Name></Bucket></Buckets>` +
				`<Owner xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>id</ID></Owner></ListAllMyBucketsResult>`,
		},
		{
			op:   "GetBucketLocation",
			out:  &locationOutput{LocationConstraint: api.String("eu-west-1")},
			want: `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>`,
		},
		{
			op:   "GetBucketLocation",
			out:  &locationOutput{},
			want: `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></LocationConstraint>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			c := &api.Call{Service: svc, Op: svc.Operation(tt.op), RequestID: "req-1"}
			w := httptest.NewRecorder()
			if err := (Codec{}).Encode(w, c, tt.out); err != nil {
				t.Fatal(err)
			}
			if got := w.Body.String(); got != tt.want {
				t.Fatalf("body\n got %s\nwant %s", got, tt.want)
			}
			if w.Header().Get("x-amz-request-id") != "req-1" {
				t.Errorf("x-amz-request-id = %q", w.Header().Get("x-amz-request-id"))
			}
		})
	}
}

func TestEncodeError(t *testing.T) {
	s3 := s3Service()
	nsk := s3.Errors["NoSuchKey"]
	route53 := &api.Service{Name: "route53", ServiceID: "Route 53", XMLNamespace: "https://route53.amazonaws.com/doc/2013-04-01/"}
	tests := []struct {
		name   string
		svc    *api.Service
		method string
		err    *api.Error
		want   string
	}{
		{
			name: "s3", svc: s3, method: "GET",
			err: &api.Error{Code: "NoSuchKey", Status: 404, Sender: true, Message: "The specified key does not exist.",
				Shape: nsk, Value: &noSuchKey{Key: api.String("k&1")}},
			want: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>` +
				`<Key>k&amp;1</Key><RequestId>req-1</RequestId><HostId>fogbank/req-1</HostId></Error>`,
		},
		{
			name: "s3 detail members in order", svc: s3, method: "PUT",
			err: (&api.Error{Code: "InvalidArgument", Status: 400, Sender: true, Message: "Invalid id"}).
				With("ArgumentName", "x-amz-grant-read").With("ArgumentValue", "id=<1>").With("bad name", "dropped"),
			want: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>Invalid id</Message>` +
				`<ArgumentName>x-amz-grant-read</ArgumentName><ArgumentValue>id=&lt;1&gt;</ArgumentValue><RequestId>req-1</RequestId><HostId>fogbank/req-1</HostId></Error>`,
		},
		{
			name: "s3 shape members then detail", svc: s3, method: "GET",
			err: (&api.Error{Code: "NoSuchKey", Status: 404, Sender: true, Message: "m", Shape: nsk, Value: &noSuchKey{Key: api.String("k")}}).With("VersionId", "v1"),
			want: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>m</Message>` +
				`<Key>k</Key><VersionId>v1</VersionId><RequestId>req-1</RequestId><HostId>fogbank/req-1</HostId></Error>`,
		},
		{
			name: "s3 head has no body", svc: s3, method: "HEAD",
			err:  &api.Error{Code: "NotFound", Status: 404, Sender: true, Message: "Not Found"},
			want: "",
		},
		{
			name: "route53", svc: route53, method: "GET",
			err: &api.Error{Code: "NoSuchHostedZone", Status: 404, Sender: true, Message: "No hosted zone found with ID: Z1"},
			want: `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type>` +
				`<Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z1</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c := &api.Call{Service: tt.svc, Request: httptest.NewRequest(tt.method, "/b/k", http.NoBody), RequestID: "req-1"}
			Codec{}.EncodeError(w, c, tt.err)
			if w.Code != tt.err.HTTPStatus() {
				t.Errorf("status = %d", w.Code)
			}
			if got := w.Body.String(); got != tt.want {
				t.Fatalf("body\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestRoundTrip decodes what Encode would write for a payload shape, so the
// reader and writer agree on names, namespaces and attributes.
func TestRoundTrip(t *testing.T) {
	svc := s3Service()
	want := &deleteInput{Bucket: api.String("b"), Delete: &deleteReq{Objects: []*object{{Key: api.String("<&>\r\n")}}, Quiet: api.Bool(false)}}
	op := svc.Operation("DeleteObjects")
	payload := &op.Input.Members[1]
	data, err := body{}.Marshal(nil, payload.Ref.Shape, payload, reflect.ValueOf(want.Delete))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("&#xD;")) {
		t.Errorf("CR not escaped: %s", data)
	}
	c := call(t, svc, "POST", "/b?delete", string(data))
	if err := (Codec{}).Resolve(c); err != nil {
		t.Fatal(err)
	}
	got := &deleteInput{}
	if err := (Codec{}).Decode(c, got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v (wire %s)", got.Delete, want.Delete, data)
	}
}
