package rest

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/api"
)

// segment is one "/"-separated piece of a requestUri path template.
type segment struct {
	literal string // when label == ""
	label   string // the {label} name, without braces or "+"
	greedy  bool   // {label+}: matches the rest of the path, slashes included
}

// queryLiteral is a query parameter a requestUri template requires, as in
// "/{Bucket}?uploads" or "?list-type=2": it tells operations that share a
// path apart.
type queryLiteral struct {
	key, value string
	hasValue   bool
}

// route is one operation's compiled requestUri template.
type route struct {
	op       *api.Operation
	segments []segment
	query    []queryLiteral
	// requires lists the query parameters and headers that the operation's
	// required members put on the wire. They tell apart operations that share
	// a method and template, as S3's front end does: PUT /{Bucket}/{Key+} is
	// UploadPart with partNumber and uploadId, CopyObject with
	// x-amz-copy-source, else PutObject. Only set for such shared templates,
	// so that elsewhere a missing required member is a validation error, not
	// an unknown operation.
	requires []requirement
	// greedy is set when the template ends in (or holds) a {label+}.
	greedy bool
}

// requirement is a query parameter (header false) or header that must be
// present for a route to match.
type requirement struct {
	name   string
	header bool
}

// Router finds the operation an HTTP request addresses. It is built once per
// service (see RouterFor) and read-only afterwards.
type Router struct {
	byMethod map[string][]*route
	// byFirst narrows the routes of a method to those whose first segment
	// is the request's first segment (a literal), followed by those that
	// start with a label or have no segments. Every route starting with a
	// literal sorts before every route starting with a label (see
	// moreSpecific), so trying the two lists in turn keeps the order.
	byFirst map[string]*firstIndex
}

// firstIndex is the routes of one method, split by first segment.
type firstIndex struct {
	literal map[string][]*route
	other   []*route
}

// routers memoizes RouterFor. Services are built once and never change, so a
// cached router never goes stale; this is a cache, not shared state.
var routers sync.Map // *api.Service → *Router

// RouterFor returns the router for svc, building it on first use.
func RouterFor(svc *api.Service) *Router {
	if r, ok := routers.Load(svc); ok {
		return r.(*Router)
	}
	r, _ := routers.LoadOrStore(svc, NewRouter(svc))
	return r.(*Router)
}

// NewRouter compiles the requestUri templates of svc's operations.
func NewRouter(svc *api.Service) *Router {
	r := &Router{byMethod: map[string][]*route{}}
	shared := map[string][]*route{} // method + requestUri → routes
	for _, op := range svc.Operations {
		rt := compile(op)
		m := strings.ToUpper(op.Method)
		if m == "" {
			m = http.MethodPost
		}
		r.byMethod[m] = append(r.byMethod[m], rt)
		key := m + " " + op.RequestURI
		shared[key] = append(shared[key], rt)
	}
	for _, rs := range shared {
		if len(rs) > 1 {
			for _, rt := range rs {
				rt.requires = requirements(rt.op.Input)
			}
		}
	}
	r.byFirst = map[string]*firstIndex{}
	for m, rs := range r.byMethod {
		sort.SliceStable(rs, func(i, j int) bool { return moreSpecific(rs[i], rs[j]) })
		fi := &firstIndex{literal: map[string][]*route{}}
		for _, rt := range rs {
			if len(rt.segments) > 0 && rt.segments[0].kind() == 0 {
				fi.literal[rt.segments[0].literal] = append(fi.literal[rt.segments[0].literal], rt)
			} else {
				fi.other = append(fi.other, rt)
			}
		}
		r.byFirst[m] = fi
	}
	return r
}

// requirements lists the query parameters and headers of in's required
// members.
func requirements(in *api.Shape) []requirement {
	if in == nil {
		return nil
	}
	var reqs []requirement
	for i := range in.Members {
		m := &in.Members[i]
		if !m.Required {
			continue
		}
		switch m.Ref.Location {
		case api.LocationQueryString:
			if m.Ref.Shape == nil || m.Ref.Shape.Type != api.TypeMap {
				reqs = append(reqs, requirement{name: m.WireName()})
			}
		case api.LocationHeader:
			reqs = append(reqs, requirement{name: m.WireName(), header: true})
		}
	}
	return reqs
}

// moreSpecific orders routes so that the first match is the most specific
// template: at the first position where two templates differ, a literal
// segment beats a label and a label beats a greedy label (so "/a/b/{y}" wins
// over "/a/{x}/c" for "/a/b/c"); then more query literals win ("?list-type=2"
// over none); then more required parameters (see route.requires); then
// longer templates. Routes that tie on all of these (S3's GetBucketLifecycle
// and GetBucketLifecycleConfiguration) keep the model's order.
func moreSpecific(a, b *route) bool {
	for i := 0; i < len(a.segments) && i < len(b.segments); i++ {
		if ka, kb := a.segments[i].kind(), b.segments[i].kind(); ka != kb {
			return ka < kb
		}
	}
	if len(a.query) != len(b.query) {
		return len(a.query) > len(b.query)
	}
	if len(a.requires) != len(b.requires) {
		return len(a.requires) > len(b.requires)
	}
	if len(a.segments) != len(b.segments) {
		return len(a.segments) > len(b.segments)
	}
	// Same template: an operation that extends another's name replaced it
	// (S3's PutBucketLifecycleConfiguration the deprecated
	// PutBucketLifecycle, GetBucketNotificationConfiguration
	// GetBucketNotification) and is what current SDKs send.
	return a.op != nil && b.op != nil && len(a.op.Name) > len(b.op.Name) && strings.HasPrefix(a.op.Name, b.op.Name)
}

// kind ranks a segment for moreSpecific: literal, label, greedy label.
func (s segment) kind() int {
	switch {
	case s.greedy:
		return 2
	case s.label != "":
		return 1
	}
	return 0
}

func compile(op *api.Operation) *route {
	rt := &route{op: op}
	uri := op.RequestURI
	if uri == "" {
		uri = "/"
	}
	path, query, _ := strings.Cut(uri, "?")
	segs := splitPath(path)
	if n := len(segs); n > 0 && segs[n-1] == "" {
		segs = segs[:n-1] // matched requests lose their trailing slash too
	}
	for _, s := range segs {
		if len(s) > 2 && s[0] == '{' && s[len(s)-1] == '}' {
			name := s[1 : len(s)-1]
			g := strings.HasSuffix(name, "+")
			name = strings.TrimSuffix(name, "+")
			rt.segments = append(rt.segments, segment{label: name, greedy: g})
			rt.greedy = rt.greedy || g
			continue
		}
		rt.segments = append(rt.segments, segment{literal: s})
	}
	if query != "" {
		for _, kv := range strings.Split(query, "&") {
			if kv == "" {
				continue
			}
			k, v, has := strings.Cut(kv, "=")
			rt.query = append(rt.query, queryLiteral{key: k, value: v, hasValue: has})
		}
	}
	return rt
}

// splitPath splits an (escaped) path into its segments, without the leading
// slash. "/" and "" have no segments.
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// Label is a URI label's value, url-decoded.
type Label struct {
	Name, Value string
}

// Match is the result of routing one request: the operation and its labels.
// Resolve stores it in api.Call.Scratch for DecodeRequest.
type Match struct {
	Op     *api.Operation
	Labels []Label
	// Query is the request's parsed query string (nil when it had none).
	Query url.Values
	// literalKeys are the query keys the template required; they are not
	// handed to a map-of-all-parameters member.
	literalKeys []queryLiteral
}

// Label returns the value of label name and whether the template had it.
func (m *Match) Label(name string) (string, bool) {
	for _, l := range m.Labels {
		if l.Name == name {
			return l.Value, true
		}
	}
	return "", false
}

// Match finds the operation for method, the escaped request path, the raw
// query and the headers (h may be nil). It returns nil when no template
// matches; methodOK then says whether some template matched the path under
// another method.
func (r *Router) Match(method, escapedPath, rawQuery string, h http.Header) (m *Match, methodOK bool) {
	raw := splitPath(escapedPath)
	// Segments are unescaped once here, not once per route tried; a
	// segment that does not unescape can only be matched by nothing.
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, true
		}
		segs[i] = u
	}
	var q url.Values
	if rawQuery != "" {
		q, _ = url.ParseQuery(rawQuery) // a malformed pair is dropped, as front ends do
	}
	if fi := r.byFirst[strings.ToUpper(method)]; fi != nil {
		var first []*route
		if len(segs) > 0 {
			first = fi.literal[segs[0]]
		}
		for _, rs := range [2][]*route{first, fi.other} {
			for _, rt := range rs {
				if labels, ok := rt.match(raw, segs, q, h); ok {
					return &Match{Op: rt.op, Labels: labels, Query: q, literalKeys: rt.query}, true
				}
			}
		}
	}
	for meth, rs := range r.byMethod {
		if strings.EqualFold(meth, method) {
			continue
		}
		for _, rt := range rs {
			if _, ok := rt.match(raw, segs, q, h); ok {
				return nil, false
			}
		}
	}
	return nil, true
}

// match matches the request path, as raw (escaped) and unescaped segments,
// query q and headers h against rt.
func (rt *route) match(raw, segs []string, q url.Values, h http.Header) ([]Label, bool) {
	for _, rq := range rt.requires {
		if rq.header && len(h.Values(rq.name)) == 0 || !rq.header && !q.Has(rq.name) {
			return nil, false
		}
	}
	for _, ql := range rt.query {
		vs, ok := q[ql.key]
		if !ok {
			return nil, false
		}
		if ql.hasValue && (len(vs) == 0 || vs[0] != ql.value) {
			return nil, false
		}
	}
	// A trailing slash the template does not have is tolerated
	// ("/bucket/" for "/{Bucket}").
	if n := len(segs); n > 0 && segs[n-1] == "" && !rt.greedy {
		segs, raw = segs[:n-1], raw[:n-1]
	}
	var labels []Label
	i := 0
	for si, s := range rt.segments {
		if s.greedy {
			if i >= len(segs) {
				return nil, false
			}
			// The rest of the template must match the tail of the path.
			tail := rt.segments[si+1:]
			end := len(segs) - len(tail)
			if end <= i {
				return nil, false
			}
			for k, ts := range tail {
				seg := segs[end+k]
				if ts.label != "" {
					if seg == "" {
						return nil, false
					}
					labels = append(labels, Label{ts.label, seg})
				} else if seg != ts.literal {
					return nil, false
				}
			}
			// Joined raw, then unescaped, so "%2F" and "/" both end up
			// as slashes in the key.
			v, err := url.PathUnescape(strings.Join(raw[i:end], "/"))
			if err != nil || v == "" {
				return nil, false
			}
			labels = append(labels, Label{s.label, v})
			return labels, true
		}
		if i >= len(segs) {
			return nil, false
		}
		seg := segs[i]
		if s.label != "" {
			if seg == "" {
				return nil, false
			}
			labels = append(labels, Label{s.label, seg})
		} else if seg != s.literal {
			return nil, false
		}
		i++
	}
	if i != len(segs) {
		return nil, false
	}
	return labels, true
}

// Resolve sets c.Op from the request's method and path and keeps the Match in
// c.Scratch for DecodeRequest. No match is UnknownOperationException (404),
// or MethodNotAllowed (405) when the path exists under another method.
func Resolve(c *api.Call) error {
	r := RouterFor(c.Service)
	u := c.Request.URL
	m, methodOK := r.Match(c.Request.Method, u.EscapedPath(), u.RawQuery, c.Request.Header)
	if m == nil {
		if !methodOK {
			return &api.Error{Code: "MethodNotAllowed", Status: http.StatusMethodNotAllowed, Sender: true,
				Message: "The specified method is not allowed against this resource."}
		}
		return &api.Error{Code: "UnknownOperationException", Status: http.StatusNotFound, Sender: true,
			Message: "No operation matches " + c.Request.Method + " " + u.EscapedPath()}
	}
	c.Op = m.Op
	c.Scratch = m
	return nil
}
