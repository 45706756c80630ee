package jsonenc

import (
	"sync"

	"github.com/fogbank/fogbank/internal/api"
)

// field is one member of a structure as the JSON codec sees it.
type field struct {
	m   *api.Member
	key []byte // `"name":`, escaped, ready to append
	// body reports that the member is bound to the body in REST protocols;
	// root structures decoded with bodyOnly ignore the others.
	body bool
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
		p.fields[i] = field{m: m, key: key, body: m.Ref.Location == api.LocationBody}
		if _, dup := p.byName[name]; !dup {
			p.byName[name] = i
		}
	}
	v, _ := plans.LoadOrStore(s, p)
	return v.(*structPlan)
}

// jsonName is a member's key in a JSON body: its locationName (the model's
// jsonName for rest-json) if set, else its name. Members bound elsewhere in
// REST protocols carry a header or query name as locationName; they are not
// written to the body, so the name does not matter for them.
func jsonName(m *api.Member) string {
	if m.Ref.Location == api.LocationBody && m.Ref.LocationName != "" {
		return m.Ref.LocationName
	}
	return m.Name
}
