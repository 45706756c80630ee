package s3

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

// preconditions applies RFC 7232 as S3 does: If-Match and
// If-Unmodified-Since fail with 412; If-None-Match and If-Modified-Since
// answer 304. If-Match takes precedence over If-Unmodified-Since and
// If-None-Match over If-Modified-Since. Dates compare at second precision,
// the precision of Last-Modified on the wire. copySource is true for the
// x-amz-copy-source-If-* headers of a copy, where every failure is a 412
// naming the x-amz-copy-source- header.
//
// An If-Modified-Since later than now is ignored, as RFC 7232 has it and
// AWS does (recorded).
func preconditions(o *object, ifMatch, ifNoneMatch *string, ifModSince, ifUnmodSince *time.Time, copySource bool, now time.Time) error {
	lm := o.LastModified.Truncate(time.Second)
	if ifModSince != nil && ifModSince.After(now) {
		ifModSince = nil
	}
	failed := func(header string) error {
		if copySource {
			return errPreconditionFailed("x-amz-copy-source-" + header)
		}
		return errPreconditionFailed(header)
	}
	notModified := func(header string) error {
		if copySource {
			return failed(header)
		}
		return errNotModified()
	}
	if ifMatch != nil {
		if !etagIn(o.ETag, *ifMatch) {
			return failed("If-Match")
		}
	} else if ifUnmodSince != nil && lm.After(*ifUnmodSince) {
		return failed("If-Unmodified-Since")
	}
	if ifNoneMatch != nil {
		if etagIn(o.ETag, *ifNoneMatch) {
			return notModified("If-None-Match")
		}
	} else if ifModSince != nil && !lm.After(*ifModSince) {
		return notModified("If-Modified-Since")
	}
	return nil
}

// etagIn reports whether etag is in the comma-separated list (quotes
// optional, "*" matches anything).
func etagIn(etag, list string) bool {
	bare := strings.Trim(etag, `"`)
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimSpace(e)
		if e == "*" || strings.Trim(e, `"`) == bare {
			return true
		}
	}
	return false
}

// parseRange parses a single "bytes=" range against size. ok is false for
// a header S3 ignores (not bytes=, several ranges, unparsable), which
// answers the whole object; an unsatisfiable range is InvalidRange.
func parseRange(h string, size int64) (start, end int64, ok bool, err error) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, nil
	}
	first, last, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false, nil
	}
	switch {
	case first == "": // suffix: the last n bytes
		n, perr := strconv.ParseInt(last, 10, 64)
		if perr != nil {
			return 0, 0, false, nil
		}
		if n == 0 || size == 0 {
			return 0, 0, false, errInvalidRange(h, size)
		}
		if n > size {
			n = size
		}
		return size - n, size - 1, true, nil
	default:
		s, perr := strconv.ParseInt(first, 10, 64)
		if perr != nil {
			return 0, 0, false, nil
		}
		e := size - 1
		if last != "" {
			if e, perr = strconv.ParseInt(last, 10, 64); perr != nil || e < s {
				return 0, 0, false, nil
			}
		}
		if s >= size {
			return 0, 0, false, errInvalidRange(h, size)
		}
		if e >= size {
			e = size - 1
		}
		return s, e, true, nil
	}
}

// parseCopySource splits x-amz-copy-source ("bucket/key" or
// "/bucket/key", URL-encoded, optionally "?versionId=…").
func parseCopySource(src string) (bucket, key, versionID string, err error) {
	src, query, _ := strings.Cut(src, "?")
	if q, qerr := url.ParseQuery(query); qerr == nil {
		versionID = q.Get("versionId")
	}
	src = strings.TrimPrefix(src, "/")
	if u, uerr := url.PathUnescape(src); uerr == nil {
		src = u
	}
	bucket, key, found := strings.Cut(src, "/")
	if !found || bucket == "" || key == "" {
		return "", "", "", errInvalidArgument("Invalid copy source object key", "x-amz-copy-source", src)
	}
	return bucket, key, versionID, nil
}

// writeCondition is a conditional write's check (PutObject, CopyObject's
// destination and CompleteMultipartUpload; the model this API was generated
// from has no members for them, so the headers are read from the request):
// If-None-Match "*" fails with 412 when the key exists; If-Match fails with
// 412 when the current ETag differs and with NoSuchKey when there is no
// object. As recorded, If-None-Match other than "*", If-Match "*", and both
// at once are NotImplemented (501), refused before anything is read.
// key is the key written, which NoSuchKey names.
func writeCondition(ctx context.Context, key string) (func(old *object) error, error) {
	r := call(ctx).Request
	if r == nil {
		return nil, nil
	}
	ifNone, ifMatch := r.Header.Get("If-None-Match"), r.Header.Get("If-Match")
	switch {
	case ifNone == "" && ifMatch == "":
		return nil, nil
	case ifNone != "" && ifMatch != "":
		return nil, errConditionNotImplemented("If-Match,If-None-Match", "Multiple conditional request headers present in the request")
	case ifNone != "" && ifNone != "*":
		return nil, errConditionNotImplemented("If-None-Match", "We don't accept the provided value of If-None-Match header for this API")
	case ifMatch == "*":
		return nil, errConditionNotImplemented("If-Match", "We don't accept the provided value of If-Match header for this API")
	}
	return func(old *object) error {
		if ifNone != "" && old != nil {
			return errPreconditionFailed("If-None-Match")
		}
		if ifMatch != "" {
			if old == nil {
				return errNoSuchKey(key)
			}
			if !etagIn(old.ETag, ifMatch) {
				return errPreconditionFailed("If-Match")
			}
		}
		return nil
	}, nil
}

// errConditionNotImplemented is the 501 of a conditional write S3 does not
// take, naming the header and why.
func errConditionNotImplemented(header, why string) *api.Error {
	return s3err("NotImplemented", http.StatusNotImplemented, "A header you provided implies functionality that is not implemented").
		With("Header", header).With("additionalMessage", why)
}
