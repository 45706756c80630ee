package query

import (
	"net/http"
	"net/url"
	"strings"
)

// PeekAction returns the Action parameter of a query request without
// parsing the whole form, for routers that must pick a service before a
// codec runs (DESIGN.md: SigV4 scope, then X-Amz-Target, then Action). It
// looks in the body (a form body, as Resolve reads it) first, then the URL
// query string, and returns "" when there is none.
func PeekAction(r *http.Request, body []byte) string {
	if len(body) > 0 && isForm(r) {
		if a, ok := findParam(string(body), "Action"); ok {
			return a
		}
	}
	if r != nil && r.URL != nil {
		if a, ok := findParam(r.URL.RawQuery, "Action"); ok {
			return a
		}
	}
	return ""
}

// findParam returns the unescaped value of the first parameter called name
// in form string s.
func findParam(s, name string) (string, bool) {
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		k, v, _ := strings.Cut(pair, "=")
		if k != name {
			continue
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return "", false
		}
		return val, true
	}
	return "", false
}
