package restxml

import (
	"net/http/httptest"
	"testing"
)

func TestVirtualHostBucket(t *testing.T) {
	for _, tc := range []struct{ host, bucket string }{
		{"my-bucket.s3.localhost:4566", "my-bucket"},
		{"my.dotted.bucket.s3.localhost", "my.dotted.bucket"},
		{"b1.s3.us-west-2.amazonaws.com", "b1"},
		{"b1.s3.amazonaws.com", "b1"},
		{"b1.s3-eu-west-1.amazonaws.com", "b1"},
		{"b1.s3.localhost.localstack.cloud:4566", "b1"},
		{"b1.localhost:4566", "b1"},
		{"s3.localhost:4566", ""},
		{"s3.us-east-1.localhost", ""},
		{"s3.localhost.localstack.cloud:4566", ""},
		{"s3.us-east-1.amazonaws.com", ""},
		{"localhost:4566", ""},
		{"127.0.0.1:4566", ""},
	} {
		t.Run(tc.host, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/key", nil)
			r.Host = tc.host
			if got := virtualHostBucket(r); got != tc.bucket {
				t.Errorf("bucket = %q, want %q", got, tc.bucket)
			}
		})
	}
}
