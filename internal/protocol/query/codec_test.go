package query

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

// The test schema mirrors SQS's query model: flattened lists and maps with
// member locationNames, nested structures, every scalar type.

type attrValue struct {
	DataType    *string
	StringValue *string
	BinaryValue []byte
}

type sendInput struct {
	QueueUrl          *string
	MessageBody       *string
	DelaySeconds      *int32
	MessageAttributes map[string]*attrValue
	AttributeNames    []string
	Tags              map[string]string
	Wrapped           []string
	When              *time.Time
	Flag              *bool
	Ratio             *float64
	Big               *int64
	Nested            *sendInput
}

type message struct {
	MessageId  *string
	Body       *string
	Attributes map[string]string
}

type sendOutput struct {
	MessageId *string
	Messages  []*message
	Count     *int32
	Sent      *time.Time
	Names     []string
}

type nonExistent struct {
	Message *string
	Extra   *string
}

func testService() *api.Service {
	str := &api.Shape{Name: "String", Type: api.TypeString}
	i32 := &api.Shape{Name: "Integer", Type: api.TypeInteger}
	i64 := &api.Shape{Name: "Long", Type: api.TypeLong}
	dbl := &api.Shape{Name: "Double", Type: api.TypeDouble}
	boo := &api.Shape{Name: "Boolean", Type: api.TypeBoolean}
	ts := &api.Shape{Name: "Timestamp", Type: api.TypeTimestamp}
	blob := &api.Shape{Name: "Blob", Type: api.TypeBlob}
	av := &api.Shape{Name: "MessageAttributeValue", Type: api.TypeStructure, GoType: reflect.TypeFor[attrValue](), Members: []api.Member{
		{Name: "DataType", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "StringValue", Ref: api.Ref{Shape: str}, Field: 1},
		{Name: "BinaryValue", Ref: api.Ref{Shape: blob}, Field: 2},
	}}
	attrMap := &api.Shape{Name: "MessageBodyAttributeMap", Type: api.TypeMap, Flattened: true,
		Key: &api.Ref{Shape: str, LocationName: "Name"}, Value: &api.Ref{Shape: av, LocationName: "Value"}}
	nameList := &api.Shape{Name: "AttributeNameList", Type: api.TypeList, Flattened: true,
		Member: &api.Ref{Shape: str, LocationName: "AttributeName"}}
	tagMap := &api.Shape{Name: "TagMap", Type: api.TypeMap, Key: &api.Ref{Shape: str, LocationName: "Key"}, Value: &api.Ref{Shape: str, LocationName: "Value"}}
	wrapped := &api.Shape{Name: "Wrapped", Type: api.TypeList, Member: &api.Ref{Shape: str}}
	in := &api.Shape{Name: "SendMessageRequest", Type: api.TypeStructure, GoType: reflect.TypeFor[sendInput]()}
	in.Members = []api.Member{
		{Name: "QueueUrl", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "MessageBody", Ref: api.Ref{Shape: str}, Field: 1},
		{Name: "DelaySeconds", Ref: api.Ref{Shape: i32}, Field: 2},
		{Name: "MessageAttributes", Ref: api.Ref{Shape: attrMap, LocationName: "MessageAttribute"}, Field: 3},
		{Name: "AttributeNames", Ref: api.Ref{Shape: nameList}, Field: 4},
		{Name: "Tags", Ref: api.Ref{Shape: tagMap, LocationName: "Tag"}, Field: 5},
		{Name: "Wrapped", Ref: api.Ref{Shape: wrapped}, Field: 6},
		{Name: "When", Ref: api.Ref{Shape: ts}, Field: 7},
		{Name: "Flag", Ref: api.Ref{Shape: boo}, Field: 8},
		{Name: "Ratio", Ref: api.Ref{Shape: dbl}, Field: 9},
		{Name: "Big", Ref: api.Ref{Shape: i64}, Field: 10},
		{Name: "Nested", Ref: api.Ref{Shape: in}, Field: 11},
	}
	strMap := &api.Shape{Name: "Attrs", Type: api.TypeMap, Flattened: true,
		Key: &api.Ref{Shape: str, LocationName: "Name"}, Value: &api.Ref{Shape: str, LocationName: "Value"}}
	msg := &api.Shape{Name: "Message", Type: api.TypeStructure, GoType: reflect.TypeFor[message](), Members: []api.Member{
		{Name: "MessageId", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "Body", Ref: api.Ref{Shape: str}, Field: 1},
		{Name: "Attributes", Ref: api.Ref{Shape: strMap, LocationName: "Attribute"}, Field: 2},
	}}
	msgList := &api.Shape{Name: "MessageList", Type: api.TypeList, Flattened: true, Member: &api.Ref{Shape: msg, LocationName: "Message"}}
	out := &api.Shape{Name: "SendMessageResult", Type: api.TypeStructure, GoType: reflect.TypeFor[sendOutput](), Members: []api.Member{
		{Name: "MessageId", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "Messages", Ref: api.Ref{Shape: msgList}, Field: 1},
		{Name: "Count", Ref: api.Ref{Shape: i32}, Field: 2},
		{Name: "Sent", Ref: api.Ref{Shape: ts}, Field: 3},
		{Name: "Names", Ref: api.Ref{Shape: wrapped}, Field: 4},
	}}
	errShape := &api.Shape{Name: "QueueDoesNotExist", Type: api.TypeStructure, Exception: true, GoType: reflect.TypeFor[nonExistent](), Members: []api.Member{
		{Name: "Message", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "Extra", Ref: api.Ref{Shape: str}, Field: 1},
	}}
	svc := &api.Service{Name: "sqs", ServiceID: "SQS", Protocols: []string{"query"}, XMLNamespace: "http://queue.amazonaws.com/doc/2012-11-05/",
		Operations: []*api.Operation{
			{Name: "SendMessage", Input: in, Output: out, ResultWrapper: "SendMessageResult", Errors: []*api.Shape{errShape},
				NewInput: func() any { return &sendInput{} }},
			{Name: "DeleteQueue", Input: in, NewInput: func() any { return &sendInput{} }},
		}}
	svc.Index()
	return svc
}

func newCall(t *testing.T, svc *api.Service, method, target, body string) *api.Call {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	return &api.Call{Service: svc, Request: r, Body: []byte(body), RequestID: "req-1", Protocol: "query"}
}

func TestResolve(t *testing.T) {
	svc := testService()
	tests := []struct {
		name, method, target, body string
		op, code                   string
		status                     int
	}{
		{name: "post body", method: "POST", target: "/", body: "Action=SendMessage&Version=2012-11-05", op: "SendMessage"},
		{name: "get query", method: "GET", target: "/?Action=DeleteQueue", op: "DeleteQueue"},
		{name: "body beats url", method: "POST", target: "/?Action=DeleteQueue", body: "Action=SendMessage", op: "SendMessage"},
		{name: "unknown action", method: "POST", target: "/", body: "Action=Nope", code: "InvalidAction", status: 400},
		{name: "missing action", method: "POST", target: "/", body: "Version=1", code: "MissingAction", status: 400},
		{name: "bad escape", method: "POST", target: "/", body: "Action=%zz", code: "MalformedQueryString", status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCall(t, svc, tt.method, tt.target, tt.body)
			err := Codec{}.Resolve(c)
			if tt.code != "" {
				var ae *api.Error
				if !errors.As(err, &ae) || ae.Code != tt.code || ae.HTTPStatus() != tt.status {
					t.Fatalf("Resolve error = %v, want %s/%d", err, tt.code, tt.status)
				}
				return
			}
			if err != nil || c.Op == nil || c.Op.Name != tt.op {
				t.Fatalf("Resolve = %v, op %v; want %s", err, c.Op, tt.op)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	svc := testService()
	when := time.Date(2015, 1, 25, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		body string
		want sendInput
	}{
		{
			name: "scalars",
			body: "QueueUrl=http%3A%2F%2Fq&MessageBody=a+b%0D%0Ac&DelaySeconds=5&Flag=true&Ratio=1.5&Big=9000000000&When=2015-01-25T08%3A00%3A00Z",
			want: sendInput{QueueUrl: api.String("http://q"), MessageBody: api.String("a b\r\nc"), DelaySeconds: api.Int32(5),
				Flag: api.Bool(true), Ratio: api.Float64(1.5), Big: api.Int64(9000000000), When: &when},
		},
		{
			name: "epoch timestamp",
			body: "When=1422172800",
			want: sendInput{When: &when},
		},
		{
			name: "flattened map of structures, out of order",
			body: "MessageAttribute.2.Name=b&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue=AQI%3D" +
				"&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=x",
			want: sendInput{MessageAttributes: map[string]*attrValue{
				"a": {DataType: api.String("String"), StringValue: api.String("x")},
				"b": {DataType: api.String("Binary"), BinaryValue: []byte{1, 2}},
			}},
		},
		{
			name: "flattened list with gaps",
			body: "AttributeName.3=B&AttributeName.1=All",
			want: sendInput{AttributeNames: []string{"All", "B"}},
		},
		{
			name: "wrapped map and list",
			body: "Tag.entry.1.Key=k&Tag.entry.1.Value=v&Wrapped.member.1=x&Wrapped.member.2=y",
			want: sendInput{Tags: map[string]string{"k": "v"}, Wrapped: []string{"x", "y"}},
		},
		{
			name: "empty list",
			body: "Wrapped=",
			want: sendInput{Wrapped: []string{}},
		},
		{
			name: "nested structure",
			body: "Nested.QueueUrl=u&Nested.Nested.DelaySeconds=1",
			want: sendInput{Nested: &sendInput{QueueUrl: api.String("u"), Nested: &sendInput{DelaySeconds: api.Int32(1)}}},
		},
		{
			name: "unknown parameters ignored",
			body: "Bogus=1&QueueUrl.x=2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCall(t, svc, "POST", "/", "Action=SendMessage&"+tt.body)
			if err := (Codec{}).Resolve(c); err != nil {
				t.Fatal(err)
			}
			var got sendInput
			if err := (Codec{}).Decode(c, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	svc := testService()
	for _, body := range []string{"DelaySeconds=abc", "DelaySeconds=99999999999", "Flag=yes", "Ratio=x", "When=yesterday",
		"MessageAttribute.1.Name=a&MessageAttribute.1.Value.BinaryValue=!!!"} {
		t.Run(body, func(t *testing.T) {
			c := newCall(t, svc, "POST", "/", "Action=SendMessage&"+body)
			if err := (Codec{}).Resolve(c); err != nil {
				t.Fatal(err)
			}
			err := Codec{}.Decode(c, &sendInput{})
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Code != "InvalidParameterValue" || ae.HTTPStatus() != 400 {
				t.Fatalf("Decode error = %v, want InvalidParameterValue", err)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	svc := testService()
	c := &api.Call{Service: svc, Op: svc.Operation("SendMessage"), RequestID: "req-1"}
	sent := time.Date(2014, 4, 29, 18, 30, 38, 0, time.UTC)
	out := &sendOutput{
		MessageId: api.String("id-1"),
		Messages:  []*message{{Body: api.String("a<b>&\"c\"\r\n\x01"), Attributes: map[string]string{"B": "2", "A": "1"}}},
		Count:     api.Int32(3),
		Sent:      &sent,
		Names:     []string{},
	}
	w := httptest.NewRecorder()
	if err := (Codec{}).Encode(w, c, out); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0"?><SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><SendMessageResult>` +
		`<MessageId>id-1</MessageId><Message><Body>a&lt;b&gt;&amp;&quot;c&quot;&#xD;` + "\n" + "\uFFFD</Body>" +
		`<Attribute><Name>A</Name><Value>1</Value></Attribute><Attribute><Name>B</Name><Value>2</Value></Attribute></Message>` +
		`<Count>3</Count><Sent>2014-04-29T18:30:38Z</Sent><Names></Names></SendMessageResult>` +
		`<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></SendMessageResponse>`
	if got := w.Body.String(); got != want {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type = %q", ct)
	}
	if id := w.Header().Get("x-amzn-RequestId"); id != "req-1" {
		t.Errorf("x-amzn-RequestId = %q", id)
	}

	// No output shape: only the metadata.
	c.Op = svc.Operation("DeleteQueue")
	w = httptest.NewRecorder()
	if err := (Codec{}).Encode(w, c, nil); err != nil {
		t.Fatal(err)
	}
	want = `<?xml version="1.0"?><DeleteQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteQueueResponse>`
	if got := w.Body.String(); got != want {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
}

func TestEncodeError(t *testing.T) {
	svc := testService()
	errShape := svc.Operation("SendMessage").Errors[0]
	tests := []struct {
		name   string
		svc    *api.Service
		err    *api.Error
		status int
		want   string
	}{
		{
			name: "sqs query code and detail",
			svc:  svc,
			err: &api.Error{Code: "QueueDoesNotExist", QueryCode: "AWS.SimpleQueueService.NonExistentQueue", Status: 400, Sender: true,
				Message: "The specified queue does not exist.", Shape: errShape, Value: &nonExistent{Message: api.String("x"), Extra: api.String("e")}},
			status: 400,
			want: `<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>` +
				`<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message><Extra>e</Extra><Detail/></Error>` +
				`<RequestId>req-1</RequestId></ErrorResponse>`,
		},
		{
			name:   "server fault elsewhere",
			svc:    &api.Service{Name: "sts", XMLNamespace: "https://sts.amazonaws.com/doc/2011-06-15/"},
			err:    api.NewInternalFailure(),
			status: 500,
			want: `<?xml version="1.0"?><ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Receiver</Type>` +
				`<Code>InternalFailure</Code><Message>We encountered an internal error. Please try again.</Message></Error>` +
				`<RequestId>req-1</RequestId></ErrorResponse>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			Codec{}.EncodeError(w, &api.Call{Service: tt.svc, RequestID: "req-1"}, tt.err)
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d", w.Code, tt.status)
			}
			if got := w.Body.String(); got != tt.want {
				t.Fatalf("body\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestRoundTripGet checks a GET with parameters in the URL only, as
// presigned or hand-written query requests arrive.
func TestRoundTripGet(t *testing.T) {
	svc := testService()
	q := url.Values{"Action": {"SendMessage"}, "MessageBody": {"hi there"}}
	c := newCall(t, svc, http.MethodGet, "/?"+q.Encode(), "")
	if err := (Codec{}).Resolve(c); err != nil {
		t.Fatal(err)
	}
	var in sendInput
	if err := (Codec{}).Decode(c, &in); err != nil {
		t.Fatal(err)
	}
	if api.ToString(in.MessageBody) != "hi there" {
		t.Fatalf("MessageBody = %q", api.ToString(in.MessageBody))
	}
}

func TestDecodeErrorNamesParameter(t *testing.T) {
	svc := testService()
	tests := []struct{ body, path string }{
		{"DelaySeconds=x", "DelaySeconds"},
		{"Nested.Nested.Big=x", "Nested.Nested.Big"},
		{"MessageAttribute.3.Name=a&MessageAttribute.3.Value.BinaryValue=!", "MessageAttribute.3.Value.BinaryValue"},
		{"Tag.entry.2.Key=a&Tag.entry.2.Value=b&Nested.Wrapped.member.1=x&Nested.When=never", "Nested.When"},
	}
	for _, tt := range tests {
		c := newCall(t, svc, "POST", "/", "Action=SendMessage&"+tt.body)
		if err := (Codec{}).Resolve(c); err != nil {
			t.Fatal(err)
		}
		err := Codec{}.Decode(c, &sendInput{})
		var ae *api.Error
		if !errors.As(err, &ae) || !strings.Contains(ae.Message, " for parameter "+tt.path+" is invalid") {
			t.Errorf("%s: Decode = %v, want parameter %s named", tt.body, err, tt.path)
		}
	}
}

func TestQueueURLFromPath(t *testing.T) {
	svc := testService()
	tests := []struct{ target, body, want string }{
		{"/000000000000/q", "Action=SendMessage&MessageBody=x", "http://example.com/000000000000/q"},
		{"/000000000000/q", "Action=SendMessage&QueueUrl=http%3A%2F%2Fother%2Fq", "http://other/q"},
		{"/", "Action=SendMessage", ""},
	}
	for _, tt := range tests {
		c := newCall(t, svc, "POST", tt.target, tt.body)
		if err := (Codec{}).Resolve(c); err != nil {
			t.Fatal(err)
		}
		var in sendInput
		if err := (Codec{}).Decode(c, &in); err != nil {
			t.Fatal(err)
		}
		if got := api.ToString(in.QueueUrl); got != tt.want {
			t.Errorf("%s %s: QueueUrl = %q, want %q", tt.target, tt.body, got, tt.want)
		}
	}
}

func TestPeekAction(t *testing.T) {
	tests := []struct{ target, body, want string }{
		{"/", "Version=1&Action=SendMessage", "SendMessage"},
		{"/?Action=ListQueues", "", "ListQueues"},
		{"/?Action=ListQueues", "Action=Send%4Dessage", "SendMessage"},
		{"/", "Actions=x", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", tt.target, nil)
		if got := PeekAction(r, []byte(tt.body)); got != tt.want {
			t.Errorf("PeekAction(%s, %s) = %q, want %q", tt.target, tt.body, got, tt.want)
		}
	}
}

// TestJSONFirstService checks that a call carrying the JSON description of a
// service and its operation still decodes and encodes with the query traits
// of the service's query variant.
func TestJSONFirstService(t *testing.T) {
	variant := testService()
	primary := &api.Service{Name: "sqs", ServiceID: "SQS", Protocols: []string{"json", "query"},
		Variants: map[string]*api.Service{"query": variant}}
	in := &api.Shape{Name: "SendMessageRequest", Type: api.TypeStructure, GoType: reflect.TypeFor[sendInput](), Members: []api.Member{
		{Name: "AttributeNames", Ref: api.Ref{Shape: &api.Shape{Type: api.TypeList, Member: &api.Ref{Shape: &api.Shape{Type: api.TypeString}}}}, Field: 4},
	}}
	primary.Operations = []*api.Operation{{Name: "SendMessage", Input: in, Output: variant.Operation("SendMessage").Output}}
	primary.Index()

	c := newCall(t, primary, "POST", "/", "Action=SendMessage&AttributeName.1=All")
	c.Op = primary.Operation("SendMessage")
	var got sendInput
	if err := (Codec{}).Decode(c, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.AttributeNames) != 1 || got.AttributeNames[0] != "All" {
		t.Fatalf("AttributeNames = %v", got.AttributeNames)
	}
	w := httptest.NewRecorder()
	if err := (Codec{}).Encode(w, c, &sendOutput{MessageId: api.String("m")}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Body.String(), `<SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><SendMessageResult><MessageId>m</MessageId>`) {
		t.Fatalf("body %s", w.Body.String())
	}
}
