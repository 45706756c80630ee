package xmlenc

import "github.com/fogbank/fogbank/internal/api"

// RefName returns the wire name set on r (its locationName, else its shape's),
// or def.
func RefName(r *api.Ref, def string) string {
	if r == nil {
		return def
	}
	if r.LocationName != "" {
		return r.LocationName
	}
	if r.Shape != nil && r.Shape.LocationName != "" {
		return r.Shape.LocationName
	}
	return def
}

// MemberName is the element name of member m. A flattened list with a named
// list member takes that name, since there is no wrapper to carry the
// member's own (botocore's _member_key_name).
func MemberName(m *api.Member) string {
	r := &m.Ref
	if r.Shape != nil && r.Shape.Type == api.TypeList && r.IsFlattened() && r.Shape.Member != nil {
		if n := RefName(r.Shape.Member, ""); n != "" {
			return n
		}
	}
	return RefName(r, m.Name)
}

// CandidateNames lists the names under which a reader should look for
// member m, most likely first; entries may be empty or repeat. Clients
// disagree where the model gives several: Smithy SDKs (and botocore's XML
// serializer for lists) use the member's own locationName or name, botocore
// also applies a locationName set on the target shape, and botocore's query
// serializer and XML parser name a flattened list after its list member.
func CandidateNames(m *api.Member) [3]string {
	own := m.Ref.LocationName
	if own == "" {
		own = m.Name
	}
	names := [3]string{own, "", ""}
	if n := MemberName(m); n != own {
		names[1] = n
	}
	if n := RefName(&m.Ref, m.Name); n != own && n != names[1] {
		names[2] = n
	}
	return names
}

// ItemName is the element name of the items of a non-flattened list.
func ItemName(list *api.Shape) string { return RefName(list.Member, "member") }

// KeyName and ValueName name a map entry's key and value elements.
func KeyName(m *api.Shape) string   { return RefName(m.Key, "key") }
func ValueName(m *api.Shape) string { return RefName(m.Value, "value") }

// localName strips a namespace prefix ("xsi:type" → "type").
func localName(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ':' {
			return s[i+1:]
		}
	}
	return s
}
