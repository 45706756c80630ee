package eventpattern

import (
	"encoding/json"
	"math"
	"strconv"
	"unsafe"
)

// Attribute is one SNS message attribute as published: DataType is
// "String", "Number", "String.Array" or "Binary" (custom suffixes such as
// "Number.float" allowed), Value is StringValue (BinaryValue is not matched).
type Attribute struct {
	Name     string
	DataType string
	Value    string
}

// MatchAttributes reports whether SNS message attributes match a policy with
// FilterPolicyScope MessageAttributes, without building JSON:
//   - String: the value is a string leaf.
//   - Number: the value is a number leaf (exact numbers and numeric ranges
//     apply; string operators do not).
//   - String.Array: the value is a JSON array whose elements are leaves, so
//     the key matches if any element matches.
//   - Binary: present (exists) but matches no value operator.
//
// Nested keys never match an attribute. It does not allocate.
func (p *Pattern) MatchAttributes(attrs []Attribute) bool {
	return p.root.matchAttrs(attrs)
}

func (n *node) matchAttrs(attrs []Attribute) bool {
	for i := range n.fields {
		f := &n.fields[i]
		st := scanState{f: f}
		if len(f.path) == 1 {
			for j := range attrs {
				if attrs[j].Name == f.path[0] {
					st.attribute(&attrs[j])
					break
				}
			}
		}
		if !f.decide(st.found, st.matched) {
			return false
		}
	}
	for _, g := range n.ors {
		ok := false
		for i := range g {
			if g[i].matchAttrs(attrs) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func (st *scanState) attribute(a *Attribute) {
	base := a.DataType
	switch {
	case base == "String.Array":
	case len(base) > 7 && base[:7] == "String.":
		base = "String"
	case len(base) > 7 && base[:7] == "Number.":
		base = "Number"
	}
	switch {
	case base == "String.Array":
		b := unsafe.Slice(unsafe.StringData(a.Value), len(a.Value))
		if len(b) > 0 && json.Valid(b) {
			st.scan(b, skipWS(b, 0), len(st.f.key)+1)
			return
		}
		st.found = true
	case base == "Number":
		st.found = true
		f, err := strconv.ParseFloat(a.Value, 64)
		if err == nil && !math.IsInf(f, 0) {
			st.matched = st.f.matchValue(value{kind: kNumber, num: f})
		} else {
			st.matched = st.f.matchValue(value{kind: kOther})
		}
	case base == "String":
		st.found = true
		st.matched = st.f.matchValue(value{kind: kString, s: a.Value})
	default:
		st.found = true
		st.matched = st.f.matchValue(value{kind: kOther})
	}
}
