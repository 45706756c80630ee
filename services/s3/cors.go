package s3

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	s3api "github.com/fogbank/fogbank/internal/api/s3"
	"github.com/fogbank/fogbank/internal/protocol/restxml"
	"github.com/fogbank/fogbank/internal/protocol/xmlenc"
	"github.com/fogbank/fogbank/internal/server"
)

// Bucket CORS. A request that addresses an existing bucket (path style or
// virtual host) is answered by the bucket's CORS rules, not the server-wide
// policy (internal/server.CORS, which S3 joins as a CORSOwner): a preflight
// is 200 with the first matching rule's headers, or 403 AccessForbidden
// ("CORSResponse: …") when the bucket has no rules or none matches; an
// actual request gets the Access-Control-* headers of the first rule that
// matches its origin and method, and none otherwise, as AWS does. Requests
// to a bucket that does not exist are left to the server-wide policy (AWS
// refuses their preflight; a local tool creating buckets from a browser
// page needs them allowed).

var _ server.CORSOwner = (*Service)(nil)

var corsMethods = map[string]bool{"GET": true, "PUT": true, "HEAD": true, "POST": true, "DELETE": true}

// PutBucketCors stores the rules after AWS's checks: at least one rule,
// each with origins and methods, methods among GET PUT HEAD POST DELETE,
// at most 100 rules.
func (s *Service) PutBucketCors(ctx context.Context, in *s3api.PutBucketCorsRequest) (*s3api.PutBucketCorsOutput, error) {
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		if in.CORSConfiguration == nil || len(in.CORSConfiguration.CORSRules) == 0 || len(in.CORSConfiguration.CORSRules) > 100 {
			return errMalformedXML()
		}
		for _, r := range in.CORSConfiguration.CORSRules {
			if r == nil || len(r.AllowedMethods) == 0 || len(r.AllowedOrigins) == 0 {
				return errMalformedXML()
			}
			for _, m := range r.AllowedMethods {
				if !corsMethods[m] {
					return s3err("InvalidRequest", 400, "Found unsupported HTTP method in CORS config. Unsupported method is "+m)
				}
			}
		}
		c.CORS = in.CORSConfiguration.CORSRules
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketCorsOutput{}, nil
}

func (s *Service) GetBucketCors(ctx context.Context, in *s3api.GetBucketCorsRequest) (*s3api.GetBucketCorsOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	if len(b.Config.CORS) == 0 {
		return nil, errNoSuchConfig("NoSuchCORSConfiguration", "The CORS configuration does not exist", str(in.Bucket))
	}
	return &s3api.GetBucketCorsOutput{CORSRules: b.Config.CORS}, nil
}

func (s *Service) DeleteBucketCors(ctx context.Context, in *s3api.DeleteBucketCorsRequest) (*s3api.DeleteBucketCorsOutput, error) {
	if err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error { c.CORS = nil; return nil }); err != nil {
		return nil, err
	}
	return &s3api.DeleteBucketCorsOutput{}, nil
}

// requestBucket is the bucket an S3 request addresses, "" if none (or if
// the request is another service's).
func requestBucket(r *http.Request) string {
	if r.Header.Get("X-Amz-Target") != "" || r.URL.Query().Get("Action") != "" {
		return ""
	}
	if b := restxml.VirtualHostBucket(r); b != "" {
		return b
	}
	p := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	seg, _, _ := strings.Cut(p, "/")
	b, err := url.PathUnescape(seg)
	if err != nil {
		return ""
	}
	return b
}

// ServeCORS implements server.CORSOwner for requests to existing buckets.
func (s *Service) ServeCORS(w http.ResponseWriter, r *http.Request) (owned, done bool) {
	name := requestBucket(r)
	if name == "" || !validBucketName(name) {
		return false, false
	}
	b, err := s.bucketInfo(name)
	if err != nil {
		return false, false
	}
	origin := r.Header.Get("Origin")
	resourceType := "BUCKET"
	if vk := restxml.VirtualHostBucket(r) != ""; vk && strings.Trim(r.URL.Path, "/") != "" || !vk && strings.Count(strings.Trim(r.URL.Path, "/"), "/") > 0 {
		resourceType = "OBJECT"
	}
	if r.Method != http.MethodOptions {
		if origin == "" {
			return true, false
		}
		if rule := matchCORS(b.Config.CORS, origin, r.Method, nil); rule != nil {
			setCORSHeaders(w.Header(), rule, origin, nil)
		}
		return true, false
	}
	if origin == "" {
		writeCORSError(w, http.StatusBadRequest, "BadRequest", "Insufficient information. Origin request header needed.", "", "")
		return true, true
	}
	method := r.Header.Get("Access-Control-Request-Method")
	if len(b.Config.CORS) == 0 {
		m := method
		if m == "" {
			m = http.MethodOptions
		}
		writeCORSError(w, http.StatusForbidden, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.", m, resourceType)
		return true, true
	}
	var reqHeaders []string
	for _, h := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			reqHeaders = append(reqHeaders, h)
		}
	}
	rule := matchCORS(b.Config.CORS, origin, method, reqHeaders)
	if rule == nil || method == "" {
		writeCORSError(w, http.StatusForbidden, "AccessForbidden", "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.", method, resourceType)
		return true, true
	}
	h := w.Header()
	setCORSHeaders(h, rule, origin, reqHeaders)
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return true, true
}

// matchCORS returns the first rule allowing origin, method and every one
// of headers (nil: no header check), or nil.
func matchCORS(rules []*s3api.CORSRule, origin, method string, headers []string) *s3api.CORSRule {
	for _, r := range rules {
		if !anyWildcard(r.AllowedOrigins, origin, false) {
			continue
		}
		mok := false
		for _, m := range r.AllowedMethods {
			mok = mok || m == method
		}
		if !mok {
			continue
		}
		hok := true
		for _, h := range headers {
			hok = hok && anyWildcard(r.AllowedHeaders, h, true)
		}
		if hok {
			return r
		}
	}
	return nil
}

// anyWildcard reports whether v matches one of the patterns, each of which
// may hold one "*" standing for any run of characters.
func anyWildcard(patterns []string, v string, fold bool) bool {
	if fold {
		v = strings.ToLower(v)
	}
	for _, p := range patterns {
		if fold {
			p = strings.ToLower(p)
		}
		pre, suf, star := strings.Cut(p, "*")
		if !star && p == v || star && len(v) >= len(pre)+len(suf) && strings.HasPrefix(v, pre) && strings.HasSuffix(v, suf) {
			return true
		}
	}
	return false
}

func setCORSHeaders(h http.Header, rule *s3api.CORSRule, origin string, reqHeaders []string) {
	wildcard := false
	for _, o := range rule.AllowedOrigins {
		wildcard = wildcard || o == "*"
	}
	if wildcard {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(rule.AllowedMethods, ", "))
	if len(reqHeaders) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(reqHeaders, ", "))
	}
	if len(rule.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(rule.ExposeHeaders, ", "))
	}
	if rule.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(int(*rule.MaxAgeSeconds)))
	}
	h.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}

// writeCORSError answers a preflight S3 refuses, in S3's error document
// with the Method and ResourceType members AWS adds.
func writeCORSError(w http.ResponseWriter, status int, code, msg, method, resourceType string) {
	id := newID()
	buf := []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error><Code>")
	buf = xmlenc.AppendText(buf, code)
	buf = append(buf, "</Code><Message>"...)
	buf = xmlenc.AppendText(buf, msg)
	buf = append(buf, "</Message>"...)
	if method != "" {
		buf = append(buf, "<Method>"...)
		buf = xmlenc.AppendText(buf, method)
		buf = append(buf, "</Method><ResourceType>"...)
		buf = xmlenc.AppendText(buf, resourceType)
		buf = append(buf, "</ResourceType>"...)
	}
	buf = append(buf, "<RequestId>"...)
	buf = append(buf, id...)
	buf = append(buf, "</RequestId><HostId>"...)
	buf = append(buf, id...)
	buf = append(buf, "</HostId></Error>"...)
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(buf)))
	h.Set("x-amz-request-id", id)
	w.WriteHeader(status)
	_, _ = w.Write(buf)
}
