package conformance

import (
	"io"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
)

func TestBuildRequest(t *testing.T) {
	tests := []struct {
		name     string
		s        serialized
		endpoint string
		// want
		method, host, path, rawQuery, requestURI, body string
		headers                                        map[string]string
	}{
		{
			name:   "query post",
			s:      serialized{Method: "POST", URI: "/", Body: "Action=Op&Version=2020-01-08", Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
			method: "POST", host: "example.com", path: "/", requestURI: "/", body: "Action=Op&Version=2020-01-08",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Content-Length": "28"},
		},
		{
			name:   "rest uri with labels and query string kept verbatim",
			s:      serialized{Method: "GET", URI: "/foo/%2Fbar%20baz?a=b%26c&List=1&List=2"},
			method: "GET", host: "example.com", path: "/foo//bar baz", rawQuery: "a=b%26c&List=1&List=2", requestURI: "/foo/%2Fbar%20baz?a=b%26c&List=1&List=2",
		},
		{
			name:     "host from case wins over client endpoint",
			s:        serialized{URI: "/", Host: "foo.example.com"},
			endpoint: "https://other.example.org",
			method:   "POST", host: "foo.example.com", path: "/", requestURI: "/",
		},
		{
			name:     "host from client endpoint",
			s:        serialized{URI: "/"},
			endpoint: "https://svc.example.org",
			method:   "POST", host: "svc.example.org", path: "/", requestURI: "/",
		},
		{
			name:   "uri without leading slash",
			s:      serialized{Method: "PUT", URI: "path"},
			method: "PUT", host: "example.com", path: "/path", requestURI: "/path",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, body, err := buildRequest(&tt.s, tt.endpoint)
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tt.method || r.Host != tt.host || r.URL.Host != tt.host || r.URL.Path != tt.path ||
				r.URL.RawQuery != tt.rawQuery || r.RequestURI != tt.requestURI {
				t.Errorf("got %s host=%s urlhost=%s path=%q query=%q requestURI=%q", r.Method, r.Host, r.URL.Host, r.URL.Path, r.URL.RawQuery, r.RequestURI)
			}
			if r.URL.EscapedPath() != tt.requestURI[:len(tt.requestURI)-len(queryPart(tt.requestURI))] {
				t.Errorf("EscapedPath = %q, want the path as sent", r.URL.EscapedPath())
			}
			rb, _ := io.ReadAll(r.Body)
			if string(rb) != tt.body || string(body) != tt.body || r.ContentLength != int64(len(tt.body)) {
				t.Errorf("body = %q / %q (len %d), want %q", rb, body, r.ContentLength, tt.body)
			}
			for k, v := range tt.headers {
				if got := r.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
	if _, _, err := buildRequest(nil, ""); err == nil {
		t.Error("buildRequest(nil) succeeded")
	}
}

func queryPart(uri string) string {
	for i := range uri {
		if uri[i] == '?' {
			return uri[i:]
		}
	}
	return ""
}

func TestSeedRequests(t *testing.T) {
	if _, err := ProtocolsDir(); err != nil {
		t.Skip(err)
	}
	seeds, err := SeedRequests("rest-xml.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(seeds) < 50 {
		t.Fatalf("got %d seeds from rest-xml.json, want the whole file", len(seeds))
	}
	for _, s := range seeds {
		r, body, err := s.HTTPRequest()
		if err != nil {
			t.Errorf("%s: %v", s.ID, err)
			continue
		}
		if r.Method == "" || r.Host == "" || string(body) != s.Body {
			t.Errorf("%s: request %s %s host %q body %q", s.ID, r.Method, r.RequestURI, r.Host, body)
		}
	}
}

func TestForgiveQueryMaps(t *testing.T) {
	str := &api.Shape{Name: "String", Type: api.TypeString}
	in := &api.Shape{Name: "In", Type: api.TypeStructure, Members: []api.Member{
		{Name: "Named", Ref: api.Ref{Shape: str, Location: api.LocationQueryString, LocationName: "named"}},
		{Name: "Header", Ref: api.Ref{Shape: str, Location: api.LocationHeader, LocationName: "h"}},
		{Name: "Rest", Ref: api.Ref{Shape: &api.Shape{Name: "M", Type: api.TypeMap, Key: &api.Ref{Shape: str}, Value: &api.Ref{Shape: str}}, Location: api.LocationQueryString}},
	}}
	tests := []struct{ name, got, want, after string }{
		{"named parameter also in map", `{"Named":"a","Rest":{"named":"a","x":"1"}}`, `{"Named":"a","Rest":{"x":"1"}}`, `{"Named":"a","Rest":{"x":"1"}}`},
		{"map only had named parameters", `{"Named":"a","Rest":{"named":"a"}}`, `{"Named":"a"}`, `{"Named":"a"}`},
		{"params expect the key", `{"Named":"a","Rest":{"named":"a"}}`, `{"Named":"a","Rest":{"named":"a"}}`, `{"Named":"a","Rest":{"named":"a"}}`},
		{"empty map expected", `{"Named":"a","Rest":{"named":"a"}}`, `{"Named":"a","Rest":{}}`, `{"Named":"a","Rest":{}}`},
		{"unknown key kept", `{"Rest":{"h":"1"}}`, `{}`, `{"Rest":{"h":"1"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustGeneric(t, tt.got)
			forgiveQueryMaps(in, got, mustGeneric(t, tt.want))
			if d := Diff(got, mustGeneric(t, tt.after)); d != nil {
				t.Errorf("got %s, want %s: %v", show(got), tt.after, d)
			}
		})
	}
}

func TestForgiveDroppedEmpties(t *testing.T) {
	str := &api.Shape{Name: "String", Type: api.TypeString}
	list := &api.Shape{Name: "L", Type: api.TypeList, Member: &api.Ref{Shape: str}}
	mp := &api.Shape{Name: "M", Type: api.TypeMap, Key: &api.Ref{Shape: str}, Value: &api.Ref{Shape: str}}
	in := &api.Shape{Name: "In", Type: api.TypeStructure, Members: []api.Member{
		{Name: "QList", Ref: api.Ref{Shape: list, Location: api.LocationQueryString, LocationName: "q"}},
		{Name: "HList", Ref: api.Ref{Shape: list, Location: api.LocationHeader, LocationName: "h"}},
		{Name: "BodyList", Ref: api.Ref{Shape: list}},
		{Name: "BodyMap", Ref: api.Ref{Shape: mp}},
	}}
	tests := []struct{ name, protocol, got, want, after string }{
		{"query string and header lists", "rest-json", `{}`, `{"QList":[],"HList":[]}`, `{"QList":[],"HList":[]}`},
		{"body list is observable", "rest-json", `{}`, `{"BodyList":[]}`, `{}`},
		{"body map is observable in JSON", "json", `{}`, `{"BodyMap":{}}`, `{}`},
		{"empty map in query protocol", "query", `{}`, `{"BodyMap":{}}`, `{"BodyMap":{}}`},
		{"non-empty is never forgiven", "rest-json", `{}`, `{"QList":["a"]}`, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustGeneric(t, tt.got)
			forgiveDroppedEmpties(in, tt.protocol, got, mustGeneric(t, tt.want))
			if d := Diff(got, mustGeneric(t, tt.after)); d != nil {
				t.Errorf("got %s, want %s: %v", show(got), tt.after, d)
			}
		})
	}
}
