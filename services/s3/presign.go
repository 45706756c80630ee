package s3

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// maxPresignExpiry is SigV4's limit on X-Amz-Expires: one week.
const maxPresignExpiry = 7 * 24 * time.Hour

// checkPresigned enforces a SigV4 presigned URL's expiry (X-Amz-Date plus
// X-Amz-Expires in the query) against the service clock: past it, AWS
// answers AccessDenied "Request has expired" (403). The router parses the
// credential but has no clock, and presigned URLs are S3's, so S3 checks it
// in the operations such URLs are made for: object reads, writes, copies,
// deletes, tagging and attributes, multipart uploads, and listings.
// Signatures themselves are not verified yet.
func (s *Service) checkPresigned(ctx context.Context) error {
	r := call(ctx).Request
	if r == nil || r.URL.RawQuery == "" {
		return nil
	}
	q := r.URL.Query()
	d, e := q.Get("X-Amz-Date"), q.Get("X-Amz-Expires")
	if d == "" || e == "" {
		return nil
	}
	at, err1 := time.Parse("20060102T150405Z", d)
	secs, err2 := strconv.Atoi(e)
	switch {
	case err1 != nil || err2 != nil || secs < 0:
		return s3err("AuthorizationQueryParametersError", http.StatusBadRequest,
			"X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\" and X-Amz-Expires must be a non-negative integer")
	case time.Duration(secs)*time.Second > maxPresignExpiry:
		return s3err("AuthorizationQueryParametersError", http.StatusBadRequest,
			"X-Amz-Expires must be less than a week (in seconds) that is 604800")
	case s.env.Clock.Now().After(at.Add(time.Duration(secs) * time.Second)):
		return s3err("AccessDenied", http.StatusForbidden, "Request has expired")
	}
	return nil
}
