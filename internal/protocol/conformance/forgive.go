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
