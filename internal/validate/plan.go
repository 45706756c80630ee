package validate

import (
	"regexp"
	"strconv"

	"github.com/fogbank/fogbank/internal/api"
)

// Kinds of check, as bits of node.need.
const (
	needRequired   uint8 = 1 << iota // a required member somewhere below
	needConstraint                   // an enum, length or range somewhere below (or here)
	needPattern                      // a pattern somewhere below (or here)
)

// node is the compiled form of a shape: what to check on a value of it.
//
// Invariant: need is the union of own and the need of every node reachable
// from this one (members, list element, map key and value), so a walk may skip
// a value whose node's need does not meet the mask. Recursive shapes share
// nodes, and compile computes need to a fixed point.
type node struct {
	shape *api.Shape
	typ   api.Type
	own   uint8 // constraints on this shape itself (needConstraint, needPattern)
	need  uint8

	members []member // structure
	elem    *node    // list
	key     *node    // map
	value   *node    // map

	enum    []string
	enumSet map[string]struct{} // for long enums
	re      *regexp.Regexp      // compiled Pattern, nil if none or not RE2

	// constraints describes this shape's own constraint set as AWS words it
	// inside "Member must satisfy constraint: [...]": enum, length (max, min),
	// value (max, min), pattern.
	constraints []string
}

type member struct {
	member   *api.Member
	field    int
	name     string // lowerCamel, as AWS prints it in paths
	required bool
	body     bool // bound to the body (matters for rest-xml)
	n        *node
}

// compile builds the plan of s and everything below it.
func compile(s *api.Shape) *node {
	memo := map[*api.Shape]*node{}
	var all []*node
	var build func(s *api.Shape) *node
	build = func(s *api.Shape) *node {
		if n := memo[s]; n != nil {
			return n
		}
		n := &node{shape: s, typ: s.Type}
		memo[s] = n
		all = append(all, n)
		switch s.Type {
		case api.TypeStructure:
			if s.Document {
				break
			}
			n.members = make([]member, 0, len(s.Members))
			for i := range s.Members {
				m := &s.Members[i]
				if m.Ref.Shape == nil {
					continue
				}
				n.members = append(n.members, member{
					member:   m,
					field:    m.Field,
					name:     lowerFirst(m.Name),
					required: m.Required,
					body:     m.Ref.Location == api.LocationBody,
					n:        build(m.Ref.Shape),
				})
				if m.Required {
					n.need |= needRequired
				}
			}
		case api.TypeList:
			if s.Member != nil && s.Member.Shape != nil {
				n.elem = build(s.Member.Shape)
			}
		case api.TypeMap:
			if s.Key != nil && s.Key.Shape != nil {
				n.key = build(s.Key.Shape)
			}
			if s.Value != nil && s.Value.Shape != nil {
				n.value = build(s.Value.Shape)
			}
		}
		n.compileOwn()
		n.need |= n.own
		return n
	}
	root := build(s)
	// Propagate need upwards until nothing changes (cycles need more than one
	// pass; schemas are small, so this is cheap and runs once per shape).
	for changed := true; changed; {
		changed = false
		for _, n := range all {
			need := n.need
			for i := range n.members {
				need |= n.members[i].n.need
			}
			for _, c := range [...]*node{n.elem, n.key, n.value} {
				if c != nil {
					need |= c.need
				}
			}
			if need != n.need {
				n.need, changed = need, true
			}
		}
	}
	return root
}

// compileOwn sets own, enum, re and constraints from the shape's traits.
func (n *node) compileOwn() {
	s := n.shape
	if s.Streaming || s.EventStream {
		return // an io.ReadCloser or a stream: nothing to measure here
	}
	switch s.Type {
	case api.TypeString:
		if len(s.Enum) > 0 {
			n.own |= needConstraint
			n.enum = s.Enum
			if len(s.Enum) > 8 {
				n.enumSet = make(map[string]struct{}, len(s.Enum))
				for _, e := range s.Enum {
					n.enumSet[e] = struct{}{}
				}
			}
			n.constraints = append(n.constraints, enumMessage(s.Enum))
		}
		n.lengthConstraints()
		if s.Pattern != "" {
			n.own |= needPattern
			n.re, _ = regexp.Compile(`^(?:` + s.Pattern + `)$`)
			if n.re == nil {
				n.own &^= needPattern
			}
			n.constraints = append(n.constraints, "Member must satisfy regular expression pattern: "+s.Pattern)
		}
	case api.TypeBlob, api.TypeList, api.TypeMap:
		n.lengthConstraints()
	case api.TypeInteger, api.TypeLong, api.TypeByte, api.TypeShort, api.TypeFloat, api.TypeDouble:
		if s.HasMax {
			n.own |= needConstraint
			n.constraints = append(n.constraints, "Member must have value less than or equal to "+n.bound(s.Max))
		}
		if s.HasMin {
			n.own |= needConstraint
			n.constraints = append(n.constraints, "Member must have value greater than or equal to "+n.bound(s.Min))
		}
	}
}

func (n *node) lengthConstraints() {
	s := n.shape
	if s.HasMax {
		n.own |= needConstraint
		n.constraints = append(n.constraints, "Member must have length less than or equal to "+strconv.FormatInt(int64(s.Max), 10))
	}
	if s.HasMin {
		n.own |= needConstraint
		n.constraints = append(n.constraints, "Member must have length greater than or equal to "+strconv.FormatInt(int64(s.Min), 10))
	}
}

// bound formats a range bound the way the Java services print the member's
// type: "10" for integers, "1.0" for floats and doubles.
func (n *node) bound(v float64) string {
	if n.typ == api.TypeFloat || n.typ == api.TypeDouble {
		return javaDouble(v)
	}
	return strconv.FormatInt(int64(v), 10)
}

// inEnum reports whether s is one of the node's enum values.
func (n *node) inEnum(s string) bool {
	if n.enumSet != nil {
		_, ok := n.enumSet[s]
		return ok
	}
	for _, e := range n.enum {
		if e == s {
			return true
		}
	}
	return false
}

// lowerFirst lowercases the first letter only, as AWS prints member paths
// ("QueueUrl" → "queueUrl", "SSEKMSKeyId" → "sSEKMSKeyId").
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
