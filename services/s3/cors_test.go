package s3_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// preflight sends a browser's OPTIONS preflight (not an AWS API call).
func preflight(t *testing.T, url, origin, method, headers string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodOptions, url, nil)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if method != "" {
		req.Header.Set("Access-Control-Request-Method", method)
	}
	if headers != "" {
		req.Header.Set("Access-Control-Request-Headers", headers)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestBucketCORS(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	c := client(srv, "us-east-1")
	mustCreate(t, c, "cors")
	mustPut(t, c, "cors", "obj", "test-cors")
	b := aws.String("cors")
	_, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	wantErr(t, err, "NoSuchCORSConfiguration", 404)

	// Without rules, a preflight to the bucket is refused (not the
	// server-wide "*" policy).
	if r := preflight(t, srv.URL()+"/cors/obj", "https://app.example", "GET", ""); r.StatusCode != 403 {
		t.Errorf("preflight without rules = %d, want 403", r.StatusCode)
	}
	if r := preflight(t, srv.URL()+"/cors/obj", "", "GET", ""); r.StatusCode != 400 {
		t.Errorf("preflight without Origin = %d, want 400", r.StatusCode)
	}
	for _, tc := range []struct {
		rules []types.CORSRule
		code  string
	}{
		{[]types.CORSRule{{AllowedMethods: []string{"MYMETHOD"}, AllowedOrigins: []string{"*"}}}, "InvalidRequest"},
		{[]types.CORSRule{}, "MalformedXML"},
	} {
		_, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: tc.rules}})
		wantErr(t, err, tc.code, 400)
	}
	_, err = c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{
		{AllowedOrigins: []string{"https://localhost:4200", "http://*.origin.com"}, AllowedMethods: []string{"GET", "PUT"},
			AllowedHeaders: []string{"x-amz-request-payer", "x-amz-meta-*"}, MaxAgeSeconds: aws.Int32(3000)},
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"HEAD"}, ExposeHeaders: []string{"x-amz-request-id"}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	if err != nil || len(got.CORSRules) != 2 || aws.ToInt32(got.CORSRules[0].MaxAgeSeconds) != 3000 {
		t.Fatalf("GetBucketCors: %v %+v", err, got)
	}

	for _, tc := range []struct {
		name, origin, method, headers string
		status                        int
		allowOrigin, allowHeaders     string
	}{
		{"exact origin", "https://localhost:4200", "GET", "", 200, "https://localhost:4200", ""},
		{"wildcard origin", "http://test.origin.com", "PUT", "", 200, "http://test.origin.com", ""},
		{"partial origin", "http://origin.com", "GET", "", 403, "", ""},
		{"headers", "https://localhost:4200", "GET", "X-Amz-Request-Payer, x-amz-meta-a", 200, "https://localhost:4200", "x-amz-request-payer, x-amz-meta-a"},
		{"header not allowed", "https://localhost:4200", "GET", "x-other", 403, "", ""},
		{"method not allowed", "https://localhost:4200", "DELETE", "", 403, "", ""},
		{"any origin", "https://else.where", "HEAD", "", 200, "*", ""},
	} {
		r := preflight(t, srv.URL()+"/cors/obj", tc.origin, tc.method, tc.headers)
		if r.StatusCode != tc.status || r.Header.Get("Access-Control-Allow-Origin") != tc.allowOrigin ||
			r.Header.Get("Access-Control-Allow-Headers") != tc.allowHeaders {
			t.Errorf("%s: %d %v", tc.name, r.StatusCode, r.Header)
		}
		if tc.status == 200 && tc.allowOrigin != "*" && (r.Header.Get("Access-Control-Max-Age") != "3000" || r.Header.Get("Access-Control-Allow-Credentials") != "true") {
			t.Errorf("%s: missing max-age/credentials: %v", tc.name, r.Header)
		}
	}

	// Actual requests (through the SDK, with an Origin header) carry the
	// matching rule's headers, and none when no rule matches.
	get := func(origin string) http.Header {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("obj")}, func(o *s3.Options) {
			o.APIOptions = append(o.APIOptions, smithyhttp.AddHeaderValue("Origin", origin))
		})
		if err != nil {
			t.Fatal(err)
		}
		out.Body.Close()
		return awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response).Header
	}
	if h := get("https://localhost:4200"); h.Get("Access-Control-Allow-Origin") != "https://localhost:4200" || h.Get("Access-Control-Allow-Methods") != "GET, PUT" {
		t.Errorf("GET with allowed origin: %v", h)
	}
	if h := get("https://else.where"); h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GET with an origin no GET rule allows got %q", h.Get("Access-Control-Allow-Origin"))
	}

	// A bucket that does not exist is left to the server-wide policy.
	if r := preflight(t, srv.URL()+"/no-such-bucket/k", "https://x.example", "PUT", ""); r.StatusCode != 200 || !strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "PUT") {
		t.Errorf("server-wide preflight: %d %v", r.StatusCode, r.Header)
	}

	if _, err := c.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	wantErr(t, err, "NoSuchCORSConfiguration", 404)
}
