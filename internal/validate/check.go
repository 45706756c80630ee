package validate

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fogbank/fogbank/internal/api"
)

// checker walks one input value. It lives on the caller's stack; errs is
// allocated only when something fails.
type checker struct {
	mask uint8
	opts Options
	root string // path prefix (Options.QualifyWithInput), or ""
	// The current path is path[:depth], continued in deep once path is full.
	// A fixed array rather than a slice of one, so that the checker holds no
	// pointer to itself and stays on the stack.
	path  [8]seg
	deep  []seg
	depth int
	errs  []string
}

// seg is one step of a member path.
type seg struct {
	name string // member name (lowerCamel) or map key
	idx  int    // 1-based list index; 0 when name is used
	elem bool   // a list element or map value: printed with ".member" after it
}

// pathString renders the current path as AWS prints it:
// "publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType".
func (c *checker) pathString() string {
	var b strings.Builder
	b.WriteString(c.root)
	for i := range c.depth {
		var s seg
		if i < len(c.path) {
			s = c.path[i]
		} else {
			s = c.deep[i-len(c.path)]
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if s.idx > 0 {
			b.WriteString(strconv.Itoa(s.idx))
		} else {
			b.WriteString(s.name)
		}
		if s.elem {
			b.WriteString(".member")
		}
	}
	return b.String()
}

func (c *checker) push(s seg) {
	if c.depth < len(c.path) {
		c.path[c.depth] = s
	} else {
		c.deep = append(c.deep[:c.depth-len(c.path)], s)
	}
	c.depth++
}

func (c *checker) pop() { c.depth-- }

// fail records a violation by the value v of node n at the current path.
func (c *checker) fail(n *node, v reflect.Value, constraint string) {
	c.errs = append(c.errs, "Value "+quoted(n, v)+"at '"+c.pathString()+"' failed to satisfy constraint: "+constraint)
}

// failNull records a required member that is absent.
func (c *checker) failNull() {
	c.errs = append(c.errs, "Value null at '"+c.pathString()+"' failed to satisfy constraint: Member must not be null")
}

// structure checks the members of v, a struct of node n.
func (c *checker) structure(n *node, v reflect.Value, top bool) {
	for i := range n.members {
		m := &n.members[i]
		need := m.n.need
		if m.required {
			need |= needRequired
		}
		if need&c.mask == 0 || m.field >= v.NumField() {
			continue
		}
		f := v.Field(m.field)
		c.push(seg{name: m.name})
		if isNull(f) {
			if m.required && c.mask&needRequired != 0 && !(top && !m.body && c.opts.Protocol == "rest-xml") {
				c.failNull()
			}
		} else {
			c.value(m.n, f)
		}
		c.pop()
	}
}

// value checks v, a present value of node n, at the current path.
func (c *checker) value(n *node, v reflect.Value) {
	if n.need&c.mask == 0 {
		return
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch n.typ {
	case 0:
		return
	case api.TypeStructure:
		if v.Kind() == reflect.Struct {
			c.structure(n, v, false)
		}
	case api.TypeList:
		c.list(n, v)
	case api.TypeMap:
		c.mapValue(n, v)
	default:
		c.scalar(n, v, true)
	}
}

// scalar checks a scalar's own constraints. With report it records each
// violation and returns whether there was one; without, it stops at the first.
// Order follows the recorded messages: pattern, length, range, enum.
func (c *checker) scalar(n *node, v reflect.Value, report bool) (bad bool) {
	if n.own&c.mask == 0 {
		return false
	}
	s := n.shape
	switch v.Kind() {
	case reflect.String:
		str := v.String()
		if n.re != nil && c.mask&needPattern != 0 && !n.re.MatchString(str) {
			if !report {
				return true
			}
			bad = true
			c.fail(n, v, "Member must satisfy regular expression pattern: "+s.Pattern)
		}
		if c.mask&needConstraint != 0 {
			if msg := lengthViolation(n, utf8.RuneCountInString(str)); msg != "" {
				if !report {
					return true
				}
				bad = true
				c.fail(n, v, msg)
			}
			if n.enum != nil && !c.opts.SkipEnums && !n.inEnum(str) {
				if !report {
					return true
				}
				bad = true
				c.fail(n, v, enumMessage(n.enum))
			}
		}
	case reflect.Slice: // blob
		if c.mask&needConstraint != 0 && v.Type().Elem().Kind() == reflect.Uint8 {
			if msg := lengthViolation(n, v.Len()); msg != "" {
				if report {
					c.fail(n, v, msg)
				}
				return true
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if c.mask&needConstraint != 0 {
			return c.rangeCheck(n, v, float64(v.Int()), report)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if c.mask&needConstraint != 0 {
			return c.rangeCheck(n, v, float64(v.Uint()), report)
		}
	case reflect.Float32, reflect.Float64:
		if c.mask&needConstraint != 0 {
			return c.rangeCheck(n, v, v.Float(), report)
		}
	}
	return bad
}

func (c *checker) rangeCheck(n *node, v reflect.Value, x float64, report bool) bool {
	s := n.shape
	var msg string
	switch {
	case s.HasMax && x > s.Max:
		msg = "Member must have value less than or equal to " + n.bound(s.Max)
	case s.HasMin && x < s.Min:
		msg = "Member must have value greater than or equal to " + n.bound(s.Min)
	default:
		return false
	}
	if report {
		c.fail(n, v, msg)
	}
	return true
}

// lengthViolation returns the message for a length (or size) l outside the
// shape's bounds, or "".
func lengthViolation(n *node, l int) string {
	s := n.shape
	switch {
	case s.HasMax && float64(l) > s.Max:
		return "Member must have length less than or equal to " + strconv.FormatInt(int64(s.Max), 10)
	case s.HasMin && float64(l) < s.Min:
		return "Member must have length greater than or equal to " + strconv.FormatInt(int64(s.Min), 10)
	}
	return ""
}

// list checks a list's length and its elements. Structure elements are walked
// one by one ("targets.1.member.id"); a failing scalar element is reported at
// the list with the element's constraint set, once per list, as AWS does.
func (c *checker) list(n *node, v reflect.Value) {
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return
	}
	if n.own&c.mask&needConstraint != 0 {
		if msg := lengthViolation(n, v.Len()); msg != "" {
			c.fail(n, v, msg)
		}
	}
	e := n.elem
	if e == nil || e.need&c.mask == 0 {
		return
	}
	if isScalar(e) {
		for i := range v.Len() {
			if c.scalar(e, deref(v.Index(i)), false) {
				c.fail(n, v, "Member must satisfy constraint: ["+elementConstraints(e, true)+"]")
				return
			}
		}
		return
	}
	for i := range v.Len() {
		ev := v.Index(i)
		if isNull(ev) {
			continue
		}
		c.push(seg{idx: i + 1, elem: true})
		c.value(e, ev)
		c.pop()
	}
}

// mapValue checks a map's size, its keys and its values, with the same rules
// as list: "Map keys must satisfy constraint: [...]", "Map value must satisfy
// constraint: [...]", and structure values walked by key
// ("messageAttributes.attr1.member.dataType").
func (c *checker) mapValue(n *node, v reflect.Value) {
	if v.Kind() != reflect.Map {
		return
	}
	if n.own&c.mask&needConstraint != 0 {
		if msg := lengthViolation(n, v.Len()); msg != "" {
			c.fail(n, v, msg)
		}
	}
	k, e := n.key, n.value
	checkKeys := k != nil && k.own&c.mask != 0 && v.Type().Key().Kind() == reflect.String
	checkValues := e != nil && e.need&c.mask != 0
	if !checkKeys && !checkValues {
		return
	}
	if checkKeys {
		var it reflect.MapIter
		it.Reset(v)
		for it.Next() {
			if c.scalar(k, it.Key(), false) {
				c.fail(n, v, "Map keys must satisfy constraint: ["+elementConstraints(k, false)+"]")
				break
			}
		}
	}
	if !checkValues {
		return
	}
	if isScalar(e) {
		var it reflect.MapIter
		it.Reset(v)
		for it.Next() {
			if c.scalar(e, deref(it.Value()), false) {
				c.fail(n, v, "Map value must satisfy constraint: ["+elementConstraints(e, true)+"]")
				return
			}
		}
		return
	}
	// Walk structure (or container) values in map order, which allocates
	// nothing; if that found errors and the order could matter, walk again in
	// key order so that the message is stable.
	before := len(c.errs)
	var it reflect.MapIter
	it.Reset(v)
	for it.Next() {
		c.entry(e, it.Key(), it.Value())
	}
	if len(c.errs) == before || v.Len() < 2 {
		return
	}
	c.errs = c.errs[:before]
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(keyString(a), keyString(b)) })
	for _, k := range keys {
		c.entry(e, k, v.MapIndex(k))
	}
}

// entry walks one map value of node e, found under key.
func (c *checker) entry(e *node, key, ev reflect.Value) {
	if isNull(ev) {
		return
	}
	c.push(seg{name: keyString(key), elem: true})
	c.value(e, ev)
	c.pop()
}

// elementConstraints lists a list element's or map entry's constraint set, as
// AWS words it inside "...must satisfy constraint: [...]".
func elementConstraints(n *node, notNull bool) string {
	parts := n.constraints
	if notNull {
		parts = append(slices.Clip(parts), "Member must not be null")
	}
	return strings.Join(parts, ", ")
}

func isScalar(n *node) bool {
	return n.typ != api.TypeStructure && n.typ != api.TypeList && n.typ != api.TypeMap
}

// isNull reports whether v is an absent member: a nil pointer, slice, map or
// interface.
func isNull(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	case reflect.Invalid:
		return true
	}
	return false
}

// deref follows pointers and interfaces; a nil one yields the invalid Value,
// which no check fails.
func deref(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

func keyString(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	return formatValue(nil, k)
}
