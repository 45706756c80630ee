package server

import (
	"net/http"
	"slices"
	"strings"
)

// CORS answers browser preflight requests and marks responses readable
// cross-origin, so the AWS SDK for JavaScript in a browser page (a local web
// app, the console of a tool) can call Fogbank directly. Real AWS endpoints
// do the same for the services browsers use.
//
// Origins lists the allowed origins; "*" allows any. An empty list turns
// CORS off: no headers are added and OPTIONS goes to the wrapped handler.
type CORS struct {
	Origins []string
	// Owners answer CORS themselves for the requests they claim, in place of
	// Origins (S3 answers with a bucket's own CORS rules, as AWS does).
	Owners []CORSOwner
}

// CORSOwner is a service that answers CORS for some requests itself.
type CORSOwner interface {
	// ServeCORS reports whether r is the owner's (owned). If so it either
	// answered r whole (a preflight; done) or set the CORS headers of r's
	// response on w, and r goes on to the service.
	ServeCORS(w http.ResponseWriter, r *http.Request) (owned, done bool)
}

// corsAllowMethods are the methods a preflight is told it may use.
const corsAllowMethods = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"

// corsAllowHeaders is offered when a preflight does not list the headers it
// wants (it usually does, and then they are echoed back).
const corsAllowHeaders = "authorization, content-type, content-md5, content-encoding, cache-control, " +
	"x-amz-content-sha256, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-target, " +
	"x-amz-acl, x-amz-tagging, x-amz-version-id, x-amz-checksum-crc32, x-amz-sdk-checksum-algorithm, " +
	"amz-sdk-invocation-id, amz-sdk-request, x-amz-api-version"

// corsExposeHeaders are the response headers a page's script may read: the
// request ids and error type the SDKs parse, and S3/Lambda metadata.
const corsExposeHeaders = "x-amzn-RequestId, x-amz-request-id, x-amz-id-2, x-amzn-ErrorType, " +
	"x-amzn-query-error, ETag, Content-Length, Content-Type, Date, Last-Modified, Location, " +
	"x-amz-version-id, x-amz-delete-marker, x-amz-server-side-encryption, x-amz-checksum-crc32, " +
	"x-amz-function-error, x-amz-log-result, x-amz-executed-version"

// Wrap returns h with CORS handling in front of it.
func (c CORS) Wrap(h http.Handler) http.Handler {
	if len(c.Origins) == 0 && len(c.Owners) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions || r.Header.Get("Origin") != "" {
			for _, o := range c.Owners {
				if owned, done := o.ServeCORS(w, r); owned {
					if !done {
						h.ServeHTTP(w, r)
					}
					return
				}
			}
		}
		origin := r.Header.Get("Origin")
		if origin == "" || len(c.Origins) == 0 || !c.allowed(origin) {
			h.ServeHTTP(w, r)
			return
		}
		hdr := w.Header()
		hdr.Set("Access-Control-Allow-Origin", origin)
		hdr.Add("Vary", "Origin")
		hdr.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			hdr.Set("Access-Control-Allow-Methods", corsAllowMethods)
			if want := r.Header.Get("Access-Control-Request-Headers"); want != "" {
				hdr.Set("Access-Control-Allow-Headers", want)
			} else {
				hdr.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			}
			hdr.Set("Access-Control-Max-Age", "86400")
			hdr.Set("Content-Length", "0")
			w.WriteHeader(http.StatusOK)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (c CORS) allowed(origin string) bool {
	return slices.Contains(c.Origins, "*") || slices.ContainsFunc(c.Origins, func(o string) bool {
		return strings.EqualFold(strings.TrimSuffix(o, "/"), origin)
	})
}
