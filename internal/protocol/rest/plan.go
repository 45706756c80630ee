package rest

import (
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/api"
)

// plan sorts a structure's members by where REST binds them, so decoding and
// encoding walk only the members that apply.
type plan struct {
	uri      []*api.Member
	query    []*api.Member // named query parameters
	queryMap *api.Member   // a map member that takes the other parameters
	header   []*api.Member
	prefix   []*api.Member // "headers": maps of prefixed headers
	status   *api.Member
	// payload is the member that is the whole body, or nil.
	payload *api.Member
	// hasBody reports members bound to the body (when payload is nil).
	hasBody bool
	// hasOutBody is hasBody for responses, where URI and query members
	// have nowhere to go but the body (see InBody).
	hasOutBody bool
}

// plans memoizes planFor; shapes never change after Index, so neither do
// their plans.
var plans sync.Map // *api.Shape → *plan

func planFor(s *api.Shape) *plan {
	if p, ok := plans.Load(s); ok {
		return p.(*plan)
	}
	p := &plan{}
	for i := range s.Members {
		m := &s.Members[i]
		if InBody(m, true) && m.Name != s.Payload {
			p.hasOutBody = true
		}
		switch m.Ref.Location {
		case api.LocationURI:
			p.uri = append(p.uri, m)
		case api.LocationQueryString:
			if m.Ref.Shape != nil && m.Ref.Shape.Type == api.TypeMap {
				p.queryMap = m
			} else {
				p.query = append(p.query, m)
			}
		case api.LocationHeader:
			p.header = append(p.header, m)
		case api.LocationHeaders:
			p.prefix = append(p.prefix, m)
		case api.LocationStatusCode:
			p.status = m
		default:
			if s.Payload != "" && m.Name == s.Payload {
				p.payload = m
			} else {
				p.hasBody = true
			}
		}
	}
	if p.payload != nil {
		p.hasBody, p.hasOutBody = false, false
	}
	v, _ := plans.LoadOrStore(s, p)
	return v.(*plan)
}

// InBody reports whether member m of a top-level input (output false) or
// output (output true) structure belongs in the body. Header, prefix-header
// and status-code members never do. URI and query members do in responses
// only: a response has no URI, so a structure shared by an operation's input
// and output carries them in the body there (botocore's
// IgnoreQueryParamsInResponse cases). Body codecs use it to pick members.
func InBody(m *api.Member, output bool) bool {
	switch m.Ref.Location {
	case api.LocationBody:
		return true
	case api.LocationURI, api.LocationQueryString:
		return output
	}
	return false
}

// HasBodyMembers reports whether s has members bound to the body, other than
// a payload member. Body codecs may use it to decide whether to write "{}".
func HasBodyMembers(s *api.Shape) bool { return s != nil && planFor(s).hasBody }

// PayloadMember returns the member s names as its payload, or nil.
func PayloadMember(s *api.Shape) *api.Member {
	if s == nil {
		return nil
	}
	return planFor(s).payload
}

// isRawPayload reports whether payload member m is sent as the raw body
// (blob or string, streaming or not) rather than through the body codec.
func isRawPayload(m *api.Member) bool {
	sh := m.Ref.Shape
	if sh == nil {
		return false
	}
	return sh.Type == api.TypeBlob || sh.Type == api.TypeString
}

// headerName returns the canonical form of a header member's name.
func headerName(m *api.Member) string { return m.WireName() }

// hasPrefixFold reports whether s begins with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
