package rest

import (
	"errors"
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

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

// FuzzSplitHeaderList checks the header-list parser never panics and that
// items it is given back, quoted as EncodeHeaders quotes them, split to the
// same items.
func FuzzSplitHeaderList(f *testing.F) {
	for _, s := range []string{"a, b, c", `"b,c", "\"def\"", a`, `"`, `"\`, ",,", "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items := SplitHeaderList(s)
		var parts []string
		for _, it := range items {
			if strings.ContainsAny(it, "\r\n") {
				return // not what EncodeHeaders produces unquoted
			}
			if strings.ContainsAny(it, ",\"") || it != strings.TrimSpace(it) {
				it = quoteListItem(it)
			}
			parts = append(parts, it)
		}
		again := SplitHeaderList(strings.Join(parts, ", "))
		if len(items) > 0 && !reflect.DeepEqual(again, items) {
			t.Fatalf("%q split to %q, re-joined and split to %q", s, items, again)
		}
	})
}
