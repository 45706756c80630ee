package conformance

import "github.com/fogbank/fogbank/internal/api"

// forgiveQueryMaps removes from got what a server cannot be blamed for when
// a map member takes the query string (location "querystring" on a map):
// the suites' params hold only the parameters no named member took, but a
// server cannot tell whether a client meant a named parameter for the map as
// well, and Smithy servers give the map every parameter. So a key of the
// decoded map that is the wire name of another query-string member is
// dropped when params do not expect it, and a map left empty that params do
// not have at all is dropped too. got is modified in place.
func forgiveQueryMaps(in *api.Shape, got, want any) {
	if in == nil || in.Type != api.TypeStructure {
		return
	}
	gm, ok := got.(map[string]any)
	if !ok {
		return
	}
	wm, _ := want.(map[string]any)
	named := map[string]bool{}
	for i := range in.Members {
		m := &in.Members[i]
		if m.Ref.Location == api.LocationQueryString && m.Ref.Shape != nil && m.Ref.Shape.Type != api.TypeMap {
			named[m.WireName()] = true
		}
	}
	for i := range in.Members {
		m := &in.Members[i]
		if m.Ref.Location != api.LocationQueryString || m.Ref.Shape == nil || m.Ref.Shape.Type != api.TypeMap {
			continue
		}
		qm, ok := gm[m.Name].(map[string]any)
		if !ok {
			continue
		}
		wantMap, wantHas := wm[m.Name].(map[string]any)
		for k := range qm {
			if _, expected := wantMap[k]; named[k] && !expected {
				delete(qm, k)
			}
		}
		if len(qm) == 0 && !wantHas {
			delete(gm, m.Name)
		}
	}
}

// forgiveDroppedEmpties accepts an absent member where params hold an empty
// list or map that the wire form cannot carry: a query-string or header
// member of a REST protocol (an empty list writes no parameter or header),
// or a map in the query protocol (an empty map writes no key). A server
// sees exactly what it sees for an absent member. got is modified in place.
func forgiveDroppedEmpties(in *api.Shape, protocol string, got, want any) {
	if in == nil || in.Type != api.TypeStructure {
		return
	}
	gm, ok := got.(map[string]any)
	if !ok {
		return
	}
	wm, _ := want.(map[string]any)
	for i := range in.Members {
		m := &in.Members[i]
		if _, present := gm[m.Name]; present || m.Ref.Shape == nil {
			continue
		}
		w, ok := wm[m.Name]
		if !ok || !isEmptyContainer(w) {
			continue
		}
		loc := m.Ref.Location
		dropped := loc == api.LocationQueryString || loc == api.LocationHeader || loc == api.LocationHeaders ||
			(protocol == "query" && m.Ref.Shape.Type == api.TypeMap)
		if dropped {
			gm[m.Name] = w
		}
	}
}

func isEmptyContainer(g any) bool {
	switch x := g.(type) {
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
