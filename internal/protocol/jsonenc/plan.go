package jsonenc

import (
	"sync"

	"github.com/fogbank/fogbank/internal/api"
)

// field is one member of a structure as the JSON codec sees it.
type field struct {
	m   *api.Member
	key []byte // `"name":`, escaped, ready to append
	// inBody and outBody report that the member belongs in the body of a
	// REST request or response (see rest.InBody: URI and query members are
	// body members in responses); with bodyOnly, root structures skip the
	// others.
	inBody, outBody bool
}

// structPlan is what decoding and encoding need to know about a structure
// shape, computed once: JSON names and the member each names.
type structPlan struct {
	fields []field
	byName map[string]int
}

// plans memoizes planFor. A shape never changes after api.Service.Index, so
// its plan is fixed; the cache holds no other state.
var plans sync.Map // *api.Shape → *structPlan

func planFor(s *api.Shape) *structPlan {
	if p, ok := plans.Load(s); ok {
		return p.(*structPlan)
	}
	p := &structPlan{fields: make([]field, len(s.Members)), byName: make(map[string]int, len(s.Members))}
	for i := range s.Members {
		m := &s.Members[i]
		name := jsonName(m)
		key := AppendString(nil, name)
		key = append(key, ':')
		loc := m.Ref.Location
		p.fields[i] = field{m: m, key: key, inBody: loc == api.LocationBody,
			outBody: loc == api.LocationBody || loc == api.LocationURI || loc == api.LocationQueryString}
		if _, dup := p.byName[name]; !dup {
			p.byName[name] = i
		}
	}
	v, _ := plans.LoadOrStore(s, p)
	return v.(*structPlan)
}

// jsonName is a member's key in a JSON body: its locationName (the model's
// jsonName for rest-json) if set, else its name. Header members carry a
// header name as locationName and never reach a body; URI and query members
// do in responses, under their label or parameter name, as botocore reads
// them.
func jsonName(m *api.Member) string {
	switch m.Ref.Location {
	case api.LocationBody, api.LocationURI, api.LocationQueryString:
		if m.Ref.LocationName != "" {
			return m.Ref.LocationName
		}
	}
	return m.Name
}
