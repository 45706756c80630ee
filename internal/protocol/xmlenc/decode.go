package xmlenc

import (
	"fmt"
	"reflect"

	"github.com/fogbank/fogbank/internal/api"
)

// DecodeMembers fills the body members of structure s into v (a settable
// struct, or a non-nil pointer to one) from the children and attributes of
// n. Unknown elements are ignored, as AWS front ends ignore them. Errors wrap
// ErrBadValue and name the member path.
func DecodeMembers(n *Node, s *api.Shape, v reflect.Value) error {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	for i := range s.Members {
		m := &s.Members[i]
		if m.Ref.Location != api.LocationBody {
			continue
		}
		f := v.Field(m.Field)
		if m.Ref.XMLAttribute {
			if text, ok := n.Attr(RefName(&m.Ref, m.Name)); ok {
				if err := SetScalar(&m.Ref, f, text, api.TimestampISO8601); err != nil {
					return fmt.Errorf("%s: %w", m.Name, err)
				}
			}
			continue
		}
		flat := m.Ref.IsFlattened() && m.Ref.Shape != nil && (m.Ref.Shape.Type == api.TypeList || m.Ref.Shape.Type == api.TypeMap)
		var items []*Node
		var c *Node
		for _, name := range CandidateNames(m) {
			if name == "" {
				continue
			}
			if flat {
				items = n.all(name)
				if len(items) > 0 {
					break
				}
			} else if c = n.Child(name); c != nil {
				break
			}
		}
		if flat {
			if len(items) == 0 {
				continue
			}
			var err error
			if m.Ref.Shape.Type == api.TypeList {
				err = decodeItems(items, m.Ref.Shape.Member, f)
			} else {
				err = decodeEntries(items, m.Ref.Shape, f)
			}
			if err != nil {
				return fmt.Errorf("%s.%w", m.Name, err)
			}
			continue
		}
		if c == nil {
			continue
		}
		if err := DecodeValue(c, &m.Ref, f); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
	}
	return nil
}

// all returns the children of n called name.
func (n *Node) all(name string) []*Node {
	var out []*Node
	for _, c := range n.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// DecodeValue fills f, described by r, from element n.
func DecodeValue(n *Node, r *api.Ref, f reflect.Value) error {
	s := r.Shape
	if s == nil {
		return nil
	}
	switch s.Type {
	case api.TypeStructure:
		if f.Kind() == reflect.Interface {
			return nil // documents have no XML form
		}
		var sv reflect.Value
		if f.Kind() == reflect.Pointer {
			if f.IsNil() {
				f.Set(reflect.New(f.Type().Elem()))
			}
			sv = f.Elem()
		} else {
			sv = f
		}
		if sv.Kind() != reflect.Struct {
			return fmt.Errorf("%w: Go type %s for structure %s", ErrBadValue, f.Type(), s.Name)
		}
		return DecodeMembers(n, s, sv)
	case api.TypeList:
		if r.IsFlattened() {
			return decodeItems([]*Node{n}, s.Member, f)
		}
		items := n.Children
		if f.Kind() != reflect.Slice {
			return fmt.Errorf("%w: Go type %s for a list", ErrBadValue, f.Type())
		}
		if f.IsNil() {
			f.Set(reflect.MakeSlice(f.Type(), 0, len(items)))
		}
		return decodeItems(items, s.Member, f)
	case api.TypeMap:
		if r.IsFlattened() {
			return decodeEntries([]*Node{n}, s, f)
		}
		if f.Kind() != reflect.Map {
			return fmt.Errorf("%w: Go type %s for a map", ErrBadValue, f.Type())
		}
		if f.IsNil() {
			f.Set(reflect.MakeMapWithSize(f.Type(), len(n.Children)))
		}
		return decodeEntries(n.Children, s, f)
	}
	return SetScalar(r, f, n.Text, api.TimestampISO8601)
}

// decodeItems appends one element to list f per node.
func decodeItems(items []*Node, item *api.Ref, f reflect.Value) error {
	if item == nil {
		return nil
	}
	if f.Kind() != reflect.Slice {
		return fmt.Errorf("%w: Go type %s for a list", ErrBadValue, f.Type())
	}
	if f.IsNil() {
		f.Set(reflect.MakeSlice(f.Type(), 0, len(items)))
	}
	for i, it := range items {
		e := reflect.New(f.Type().Elem()).Elem()
		if err := DecodeValue(it, item, e); err != nil {
			return fmt.Errorf("%d: %w", i+1, err)
		}
		f.Set(reflect.Append(f, e))
	}
	return nil
}

// decodeEntries adds one entry to map f per node holding key and value
// children; entries without a key are skipped.
func decodeEntries(entries []*Node, m *api.Shape, f reflect.Value) error {
	if m.Key == nil || m.Value == nil {
		return nil
	}
	if f.Kind() != reflect.Map {
		return fmt.Errorf("%w: Go type %s for a map", ErrBadValue, f.Type())
	}
	if f.IsNil() {
		f.Set(reflect.MakeMapWithSize(f.Type(), len(entries)))
	}
	kn, vn := KeyName(m), ValueName(m)
	for _, e := range entries {
		kNode := e.Child(kn)
		if kNode == nil {
			continue
		}
		k := reflect.New(f.Type().Key()).Elem()
		if err := SetScalar(m.Key, k, kNode.Text, api.TimestampISO8601); err != nil {
			return fmt.Errorf("key: %w", err)
		}
		val := reflect.New(f.Type().Elem()).Elem()
		if vNode := e.Child(vn); vNode != nil {
			if err := DecodeValue(vNode, m.Value, val); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
		f.SetMapIndex(k, val)
	}
	return nil
}
