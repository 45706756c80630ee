package xmlenc

import (
	"reflect"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
)

// AppendMembers appends the body members of structure s held in v (a struct
// value, or a pointer to one) as child elements, in model order. Members
// bound to response headers or the status code, and XML attributes, are left
// out: attributes belong to the enclosing start tag (see AppendAttrs). URI
// and query-string members have no place in a response other than the body,
// and botocore reads them from there, so they are written.
func AppendMembers(dst []byte, s *api.Shape, v reflect.Value) []byte {
	v = indirect(v)
	if !v.IsValid() {
		return dst
	}
	for i := range s.Members {
		m := &s.Members[i]
		if !inResponseBody(m.Ref.Location) || m.Ref.XMLAttribute {
			continue
		}
		dst = AppendMember(dst, m, v.Field(m.Field))
	}
	return dst
}

func inResponseBody(l api.Location) bool {
	return l == api.LocationBody || l == api.LocationURI || l == api.LocationQueryString
}

// AppendMember appends member m whose field value is f. An absent value
// (nil pointer, nil slice or map) appends nothing.
func AppendMember(dst []byte, m *api.Member, f reflect.Value) []byte {
	return AppendValue(dst, MemberName(m), &m.Ref, f)
}

// AppendAttrs appends ` name="value"` for each xmlAttribute member of s held
// in v.
func AppendAttrs(dst []byte, s *api.Shape, v reflect.Value) []byte {
	v = indirect(v)
	if !v.IsValid() {
		return dst
	}
	for i := range s.Members {
		m := &s.Members[i]
		if !m.Ref.XMLAttribute || m.Ref.Location != api.LocationBody {
			continue
		}
		f := v.Field(m.Field)
		mark := len(dst)
		dst = append(dst, ' ')
		dst = append(dst, RefName(&m.Ref, m.Name)...)
		dst = append(dst, `="`...)
		var ok bool
		start := len(dst)
		dst, ok = AppendScalar(dst, &m.Ref, f, api.TimestampISO8601)
		if !ok {
			dst = dst[:mark]
			continue
		}
		// AppendScalar escaped for text; re-escape the value for an attribute.
		if raw := dst[start:]; containsAttrUnsafe(raw) {
			val := string(raw)
			dst = appendAttrWhitespace(dst[:start], val)
		}
		dst = append(dst, '"')
	}
	return dst
}

func containsAttrUnsafe(b []byte) bool {
	for _, c := range b {
		if c == '\n' || c == '\t' {
			return true
		}
	}
	return false
}

// appendAttrWhitespace escapes the newlines and tabs that text escaping left
// in s, which attribute-value normalisation would turn into spaces.
func appendAttrWhitespace(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			dst = append(dst, "&#xA;"...)
		case '\t':
			dst = append(dst, "&#x9;"...)
		default:
			dst = append(dst, s[i])
		}
	}
	return dst
}

// AppendNamespace appends the xmlns declaration of ns, if any.
func AppendNamespace(dst []byte, ns *api.XMLNamespace) []byte {
	if ns == nil || ns.URI == "" {
		return dst
	}
	dst = append(dst, " xmlns"...)
	if ns.Prefix != "" {
		dst = append(dst, ':')
		dst = append(dst, ns.Prefix...)
	}
	dst = append(dst, `="`...)
	dst = AppendAttr(dst, ns.URI)
	return append(dst, '"')
}

// AppendValue appends v, described by r, as element(s) called name: one
// element for scalars, structures, maps and wrapped lists, one per item for
// flattened lists and one per entry for flattened maps.
func AppendValue(dst []byte, name string, r *api.Ref, v reflect.Value) []byte {
	s := r.Shape
	if s == nil {
		return dst
	}
	switch s.Type {
	case api.TypeStructure:
		v = indirect(v)
		if !v.IsValid() {
			return dst
		}
		dst = openTag(dst, name, r)
		dst = AppendAttrs(dst, s, v)
		dst = append(dst, '>')
		dst = AppendMembers(dst, s, v)
		return closeTag(dst, name)
	case api.TypeList:
		if v.Kind() != reflect.Slice || v.IsNil() {
			return dst
		}
		item := s.Member
		if r.IsFlattened() {
			for i := 0; i < v.Len(); i++ {
				dst = appendItem(dst, name, item, r, v.Index(i))
			}
			return dst
		}
		dst = openTag(dst, name, r)
		dst = append(dst, '>')
		itemName := ItemName(s)
		for i := 0; i < v.Len(); i++ {
			dst = appendItem(dst, itemName, item, item, v.Index(i))
		}
		return closeTag(dst, name)
	case api.TypeMap:
		if v.Kind() != reflect.Map || v.IsNil() {
			return dst
		}
		if m, ok := v.Interface().(map[string]string); ok {
			return appendStringMap(dst, name, r, m)
		}
		// Entries go out sorted by key, so responses are deterministic. The
		// iterator copies into preallocated storage: MapKeys and MapIndex
		// would allocate for every entry.
		n := v.Len()
		keys := reflect.MakeSlice(reflect.SliceOf(v.Type().Key()), n, n)
		vals := reflect.MakeSlice(reflect.SliceOf(v.Type().Elem()), n, n)
		order := make([]int, n)
		it := v.MapRange()
		for i := 0; it.Next() && i < n; i++ {
			keys.Index(i).SetIterKey(it)
			vals.Index(i).SetIterValue(it)
			order[i] = i
		}
		if keys.Type().Elem().Kind() == reflect.String {
			slices.SortFunc(order, func(a, b int) int {
				return strings.Compare(keys.Index(a).String(), keys.Index(b).String())
			})
		}
		flat := r.IsFlattened()
		if !flat {
			dst = openTag(dst, name, r)
			dst = append(dst, '>')
		}
		kn, vn := KeyName(s), ValueName(s)
		for _, i := range order {
			if flat {
				dst = openTag(dst, name, r)
				dst = append(dst, '>')
			} else {
				dst = append(dst, "<entry>"...)
			}
			dst = AppendValue(dst, kn, s.Key, keys.Index(i))
			dst = AppendValue(dst, vn, s.Value, vals.Index(i))
			if flat {
				dst = closeTag(dst, name)
			} else {
				dst = append(dst, "</entry>"...)
			}
		}
		if !flat {
			dst = closeTag(dst, name)
		}
		return dst
	}
	// Scalars.
	if v.Kind() == reflect.Interface && !v.IsNil() && s.Type != api.TypeBlob {
		v = v.Elem()
	}
	if v.Kind() == reflect.Pointer && v.IsNil() || v.Kind() == reflect.Slice && v.IsNil() || v.Kind() == reflect.Interface && v.IsNil() {
		return dst
	}
	if v.Type() == rcType {
		return dst // a streaming payload is never part of an XML body
	}
	mark := len(dst)
	dst = openTag(dst, name, r)
	dst = append(dst, '>')
	var ok bool
	dst, ok = AppendScalar(dst, r, v, api.TimestampISO8601)
	if !ok {
		return dst[:mark]
	}
	return closeTag(dst, name)
}

// appendStringMap is AppendValue for map[string]string, the commonest map
// (SQS attributes, tags), without reflection.
func appendStringMap(dst []byte, name string, r *api.Ref, m map[string]string) []byte {
	s := r.Shape
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	flat := r.IsFlattened()
	if !flat {
		dst = openTag(dst, name, r)
		dst = append(dst, '>')
	}
	kn, vn := KeyName(s), ValueName(s)
	for _, k := range keys {
		if flat {
			dst = openTag(dst, name, r)
			dst = append(dst, '>')
		} else {
			dst = append(dst, "<entry>"...)
		}
		dst = appendStringElem(dst, kn, s.Key, k)
		dst = appendStringElem(dst, vn, s.Value, m[k])
		if flat {
			dst = closeTag(dst, name)
		} else {
			dst = append(dst, "</entry>"...)
		}
	}
	if !flat {
		dst = closeTag(dst, name)
	}
	return dst
}

func appendStringElem(dst []byte, name string, r *api.Ref, s string) []byte {
	dst = openTag(dst, name, r)
	dst = append(dst, '>')
	dst = AppendText(dst, s)
	return closeTag(dst, name)
}

// appendItem appends one list item; a flattened item carries the traits of
// the list member (its namespace) under the list's element name.
func appendItem(dst []byte, name string, item, outer *api.Ref, v reflect.Value) []byte {
	if item == nil {
		return dst
	}
	if item != outer && item.Namespace() == nil && outer.XMLNamespace != nil {
		// Flattened: the member's own namespace applies to each element.
		r := *item
		r.XMLNamespace = outer.XMLNamespace
		return AppendValue(dst, name, &r, v)
	}
	return AppendValue(dst, name, item, v)
}

func openTag(dst []byte, name string, r *api.Ref) []byte {
	dst = append(dst, '<')
	dst = append(dst, name...)
	return AppendNamespace(dst, r.Namespace())
}

func closeTag(dst []byte, name string) []byte {
	dst = append(dst, "</"...)
	dst = append(dst, name...)
	return append(dst, '>')
}

// indirect returns the struct v refers to, or an invalid Value when v is a
// nil pointer or interface.
func indirect(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}
