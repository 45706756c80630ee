package query

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// form is a query request's parameters as a tree keyed by the dot-separated
// parts of each name: "Attribute.1.Name=x" is root → Attribute → 1 → Name
// with value x. The decoder walks it beside the input shape, so a list's
// items are simply the numeric children of its node, whatever their gaps or
// order on the wire.
//
// Invariant: within one node, kids have distinct names; a parameter given
// twice keeps its first value, as url.Values.Get would.
type form struct {
	name  string
	value string
	has   bool // a parameter with exactly this name was present
	kids  []*form
	// slab, on the root only, holds preallocated nodes so that building the
	// tree costs one allocation rather than one per name part.
	slab []form
}

// newForm returns a root with room for the nodes of parameter strings of
// n bytes holding parts name parts in all.
func newForm(parts int) *form {
	return &form{slab: make([]form, 0, parts)}
}

// node returns a fresh node from the slab, or the heap when it is used up.
func (f *form) node(name string) *form {
	if len(f.slab) < cap(f.slab) {
		f.slab = f.slab[:len(f.slab)+1]
		n := &f.slab[len(f.slab)-1]
		n.name = name
		return n
	}
	return &form{name: name}
}

// child returns the kid called name, or nil.
func (f *form) child(name string) *form {
	if f == nil {
		return nil
	}
	for _, k := range f.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// get returns the value of the top-level parameter name, or "".
func (f *form) get(name string) string {
	if c := f.child(name); c != nil {
		return c.value
	}
	return ""
}

func (f *form) add(name, value string) {
	n := f
	for {
		part, rest, more := strings.Cut(name, ".")
		c := n.child(part)
		if c == nil {
			c = f.node(part)
			n.kids = append(n.kids, c)
		}
		n = c
		if !more {
			break
		}
		name = rest
	}
	if !n.has {
		n.has, n.value = true, value
	}
}

// indexed returns the kids of f whose names are positive integers, in
// numeric order: the items of a list or entries of a map.
func (f *form) indexed() []*form {
	if f == nil {
		return nil
	}
	type item struct {
		i int
		f *form
	}
	var items []item
	for _, k := range f.kids {
		i, err := strconv.Atoi(k.name)
		if err != nil || i < 1 {
			continue
		}
		items = append(items, item{i, k})
	}
	if len(items) == 0 {
		return nil
	}
	slices.SortFunc(items, func(a, b item) int { return a.i - b.i })
	out := make([]*form, len(items))
	for i, it := range items {
		out[i] = it.f
	}
	return out
}

// parseInto adds the pairs of an application/x-www-form-urlencoded string
// to f.
func (f *form) parseInto(s string) error {
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return fmt.Errorf("parameter name %q: %w", k, err)
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return fmt.Errorf("value of parameter %q: %w", key, err)
		}
		f.add(key, val)
	}
	return nil
}
