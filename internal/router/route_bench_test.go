package router

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkRoute measures the router on the requests of the SQS hot path,
// per protocol: signed JSON (current SDKs) and signed query (CLI v2.9).
func BenchmarkRoute(b *testing.B) {
	tab := NewTable(testServices(), "000000000000", nil)
	cases := []struct {
		name   string
		header map[string]string
		body   string
	}{
		{"json", map[string]string{"Authorization": auth("test", "us-east-1", "sqs"), "X-Amz-Target": "AmazonSQS.SendMessage",
			"Content-Type": "application/x-amz-json-1.0"}, `{}`},
		{"query", map[string]string{"Authorization": auth("test", "us-east-1", "sqs"), "Content-Type": "application/x-www-form-urlencoded"},
			"Action=SendMessage&Version=2012-11-05"},
		{"unsigned-query", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "Action=GetCallerIdentity&Version=2011-06-15"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			form := func() url.Values { v, _ := url.ParseQuery(tc.body); return v }
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tab.Route(r, form); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
