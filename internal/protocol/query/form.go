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
// Children are a linked list (first, next) of nodes cut from one slab, so
// building the tree for a typical request costs one allocation. Invariant:
// within one node, children have distinct names, in order of first
// appearance; a parameter given twice keeps its first value, as
// url.Values.Get would.
type form struct {
	name        string
	value       string
	has         bool // a parameter with exactly this name was present
	first, last *form
	next        *form
	// slab, on the root only, holds preallocated nodes.
	slab []form
}

// newForm returns a root with room for parts nodes.
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

// child returns the child called name, or nil.
func (f *form) child(name string) *form {
	if f == nil {
		return nil
	}
	for k := f.first; k != nil; k = k.next {
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
			if n.last == nil {
				n.first = c
			} else {
				n.last.next = c
			}
			n.last = c
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

// indexed returns the children of f whose names are positive integers, in
// numeric order: the items of a list or entries of a map.
func (f *form) indexed() []*form {
	if f == nil {
		return nil
	}
	var out []*form
	sorted := true
	prev := 0
	for k := f.first; k != nil; k = k.next {
		i := index(k.name)
		if i < 1 {
			continue
		}
		if i < prev {
			sorted = false
		}
		prev = i
		out = append(out, k)
	}
	if !sorted {
		slices.SortStableFunc(out, func(a, b *form) int { return index(a.name) - index(b.name) })
	}
	return out
}

// index parses a list index; anything but a positive decimal integer of
// sane size is 0.
func index(s string) int {
	if len(s) == 0 || len(s) > 9 {
		return 0
	}
	i, err := strconv.Atoi(s)
	if err != nil || i < 1 {
		return 0
	}
	return i
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
