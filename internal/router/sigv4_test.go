package router

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
)

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		name    string
		header  string
		want    Credential
		wantErr bool
	}{
		{name: "empty", header: ""},
		{name: "sigv4 comma-space", header: "AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
			want: Credential{AccessKey: "AKID", Date: "20261130", Region: "us-east-1", Service: "sqs"}},
		{name: "sigv4 comma only", header: "AWS4-HMAC-SHA256 Credential=123456789012/20261130/eu-west-1/states/aws4_request,SignedHeaders=host,Signature=abc",
			want: Credential{AccessKey: "123456789012", Date: "20261130", Region: "eu-west-1", Service: "states"}},
		{name: "sigv4a", header: "AWS4-ECDSA-P256-SHA256 Credential=AKID/20261130/s3/aws4_request, SignedHeaders=host, Signature=abc",
			want: Credential{AccessKey: "AKID", Date: "20261130", Service: "s3"}},
		{name: "sigv2 s3", header: "AWS AKID:c2lnbmF0dXJl", want: Credential{AccessKey: "AKID"}},
		{name: "bearer", header: "Bearer xyz", wantErr: true},
		{name: "no credential", header: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc", wantErr: true},
		{name: "no signature", header: "AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/sqs/aws4_request, SignedHeaders=host", wantErr: true},
		{name: "short scope", header: "AWS4-HMAC-SHA256 Credential=AKID/us-east-1/sqs, SignedHeaders=host, Signature=abc", wantErr: true},
		{name: "empty scope part", header: "AWS4-HMAC-SHA256 Credential=AKID//us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=abc", wantErr: true},
		{name: "bad terminator", header: "AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/sqs/aws5_request, SignedHeaders=host, Signature=abc", wantErr: true},
		{name: "sigv2 no colon", header: "AWS AKID", wantErr: true},
		{name: "binary", header: "\x00\xff\xfe", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAuthorization(tc.header)
			if tc.wantErr {
				var ae *api.Error
				if !errors.As(err, &ae) || ae.HTTPStatus() != 400 {
					t.Fatalf("error = %v, want a 400 *api.Error", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("= %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestParsePresigned(t *testing.T) {
	q := url.Values{"X-Amz-Credential": {"AKID/20261130/us-west-2/s3/aws4_request"}}
	c, ok, err := ParsePresigned(q)
	if !ok || err != nil || c.Region != "us-west-2" || c.Service != "s3" {
		t.Fatalf("= %+v %v %v", c, ok, err)
	}
	if _, ok, err := ParsePresigned(url.Values{"X-Amz-Credential": {"junk"}}); !ok || err == nil {
		t.Fatalf("junk credential: ok=%v err=%v", ok, err)
	}
	if _, ok, _ := ParsePresigned(url.Values{}); ok {
		t.Fatal("empty query reported as presigned")
	}
}

// FuzzParseAuthorization checks the property every parser here keeps: no
// panic, and a failure is always a 4xx *api.Error. Each seed is also fed cut
// in two, since a header that arrives truncated is the common garbage.
func FuzzParseAuthorization(f *testing.F) {
	seeds := []string{
		"AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
		"AWS4-ECDSA-P256-SHA256 Credential=AKID/20261130/s3/aws4_request, SignedHeaders=host, Signature=abc",
		"AWS AKID:sig",
		"Bearer x",
		"AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=",
		"AWS4-HMAC-SHA256 ,,,,==,=",
	}
	for _, s := range seeds {
		f.Add(s)
		f.Add(s[:len(s)/2])
	}
	f.Fuzz(func(t *testing.T, h string) {
		c, err := ParseAuthorization(h)
		if err != nil {
			var ae *api.Error
			if !errors.As(err, &ae) || ae.HTTPStatus() < 400 || ae.HTTPStatus() >= 500 {
				t.Fatalf("ParseAuthorization(%q) error %v is not a 4xx AWS error", h, err)
			}
			return
		}
		if strings.Contains(c.AccessKey, "/") {
			t.Fatalf("access key %q contains '/'", c.AccessKey)
		}
	})
}
