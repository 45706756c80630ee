package restxml

import (
	"net"
	"net/http"
	"regexp"
	"strings"
)

// s3HostBucket matches the virtual-host forms of an S3 endpoint and
// captures the bucket: bucket.s3.localhost, bucket.s3.<region>.amazonaws.com,
// bucket.s3-<region>.amazonaws.com, bucket.s3.localhost.localstack.cloud.
var s3HostBucket = regexp.MustCompile(`^(.+?)\.s3([.-][a-z0-9-]+)?\.(amazonaws\.com|localhost(\.localstack\.cloud)?)$`)

// virtualHostBucket returns the bucket a virtual-host-style S3 request
// names in its Host ("" for path style). Besides the forms s3HostBucket
// matches, bucket.localhost is one (clients that were given
// http://localhost:4566 and address buckets virtually), unless the label is
// an endpoint's ("s3", "s3.<region>").
func virtualHostBucket(r *http.Request) string {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	if m := s3HostBucket.FindStringSubmatch(host); m != nil {
		return m[1]
	}
	if b, ok := strings.CutSuffix(host, ".localhost"); ok && b != "s3" && !strings.HasPrefix(b, "s3.") && !strings.Contains(b, ".localstack.") {
		return b
	}
	return ""
}

// toPathStyle rewrites a virtual-host-style S3 request to path style, so
// the model's URI templates (/{Bucket}/{Key+}) match it: S3 is the one
// rest-xml service whose bucket can travel in the Host header, and the SDKs
// use that form by default whenever the endpoint is a DNS name.
func toPathStyle(r *http.Request) {
	b := virtualHostBucket(r)
	if b == "" {
		return
	}
	r.URL.Path = "/" + b + r.URL.Path
	if r.URL.RawPath != "" {
		r.URL.RawPath = "/" + b + r.URL.RawPath
	}
}

// VirtualHostBucket is the bucket a virtual-host-style S3 request names in
// its Host ("" for path style), for S3's own handling of requests that do
// not reach the codec (CORS preflights).
func VirtualHostBucket(r *http.Request) string { return virtualHostBucket(r) }
