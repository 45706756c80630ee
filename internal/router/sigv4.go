package router

import (
	"net/url"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
)

// Credential is what a request's signature says about who sent it and where:
// the access key and the SigV4 credential scope. Fogbank reads it to route
// the request (the scope names the service) and to pick the account and
// region; with auth off nothing here is verified.
type Credential struct {
	AccessKey string
	Date      string // yyyymmdd, as the scope has it
	Region    string // empty for SigV4a scopes, which carry no region
	Service   string // signing name ("sqs", "states", "execute-api")
}

// sigV4Algorithms are the schemes whose Authorization header carries a
// credential scope: SigV4 and SigV4a (the S3 multi-region flavour).
var sigV4Algorithms = [...]string{"AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"}

// ParseAuthorization reads an Authorization header. An empty header yields a
// zero Credential and no error (an unsigned request). A SigV4 header must
// carry Credential, SignedHeaders and Signature, and a well-formed scope; S3's
// legacy "AWS AKID:signature" (SigV2) yields just the access key. Anything else
// is an IncompleteSignature error, as AWS front ends answer it.
//
// The parser never panics and never allocates more than the header's size: it
// is fuzzed (FuzzParseAuthorization), because the header is the first thing
// of a request Fogbank reads.
func ParseAuthorization(h string) (Credential, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return Credential{}, nil
	}
	if rest, ok := strings.CutPrefix(h, "AWS "); ok {
		ak, sig, ok := strings.Cut(rest, ":")
		if !ok || !validKey(ak) || sig == "" {
			return Credential{}, incomplete(h)
		}
		return Credential{AccessKey: ak}, nil
	}
	alg, params, _ := strings.Cut(h, " ")
	if !isSigV4(alg) {
		return Credential{}, incomplete(h)
	}
	var cred, signed, sig string
	for _, p := range strings.FieldsFunc(params, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		switch k {
		case "Credential":
			cred = v
		case "SignedHeaders":
			signed = v
		case "Signature":
			sig = v
		}
	}
	if cred == "" || signed == "" || sig == "" {
		return Credential{}, incomplete(h)
	}
	c, ok := parseScope(cred)
	if !ok {
		return Credential{}, api.Errorf("IncompleteSignature", 400,
			"Credential should be scoped to a valid region, service and aws4_request terminator. Credential=%s", cred)
	}
	return c, nil
}

// ParsePresigned reads the credential of a presigned URL: X-Amz-Credential
// (SigV4) or AWSAccessKeyId (S3 SigV2). ok is false when q carries neither.
func ParsePresigned(q url.Values) (c Credential, ok bool, err error) {
	if v := q.Get("X-Amz-Credential"); v != "" {
		c, valid := parseScope(v)
		if !valid {
			return Credential{}, true, api.Errorf("AuthorizationQueryParametersError", 400,
				"X-Amz-Credential must be of the form AccessKey/yyyymmdd/region/service/aws4_request, got %q", v)
		}
		return c, true, nil
	}
	if ak := q.Get("AWSAccessKeyId"); ak != "" && q.Get("Signature") != "" {
		return Credential{AccessKey: ak}, true, nil
	}
	return Credential{}, false, nil
}

// parseScope reads AK/date/region/service/aws4_request, or the SigV4a form
// AK/date/service/aws4_request. Access keys never contain '/', so the split is
// unambiguous.
func parseScope(s string) (Credential, bool) {
	parts := strings.Split(s, "/")
	if parts[len(parts)-1] != "aws4_request" {
		return Credential{}, false
	}
	for _, p := range parts {
		if p == "" {
			return Credential{}, false
		}
	}
	if !validKey(parts[0]) {
		return Credential{}, false
	}
	switch len(parts) {
	case 5:
		return Credential{AccessKey: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}, true
	case 4:
		return Credential{AccessKey: parts[0], Date: parts[1], Service: parts[2]}, true
	}
	return Credential{}, false
}

func isSigV4(alg string) bool {
	for _, a := range sigV4Algorithms {
		if alg == a {
			return true
		}
	}
	return false
}

// incomplete is the error AWS front ends give for an Authorization header
// they cannot read. The header itself is echoed only up to a bound, and its
// Signature never (it is not a secret, but there is no reason to repeat it).
func incomplete(h string) *api.Error {
	if i := strings.Index(h, "Signature="); i >= 0 {
		h = h[:i] + "Signature=…"
	}
	if len(h) > 120 {
		h = strings.ToValidUTF8(h[:120], "") + "…"
	}
	return api.Errorf("IncompleteSignature", 400,
		"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "+
			"Authorization header requires 'SignedHeaders' parameter. Authorization=%s", h)
}

// validKey reports whether ak can be an access key: non-empty, printable, no
// spaces or slashes. Real keys are 16–128 letters and digits; users of
// emulators use anything ("test", "fake-key"), so no more is checked.
func validKey(ak string) bool {
	if ak == "" {
		return false
	}
	for _, r := range ak {
		if r <= ' ' || r == '/' || r == 0x7f || r == '\uFFFD' {
			return false
		}
	}
	return true
}
