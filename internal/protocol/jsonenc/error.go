package jsonenc

import (
	"reflect"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
)

// AppendError appends the JSON error body shared by json and rest-json:
// {"__type": typ, "message": e.Message, …members of e.Value}. The message
// goes under the key the error shape uses for it ("message" unless the shape
// says "Message"); an empty typ leaves __type out.
func AppendError(dst []byte, typ string, e *api.Error) []byte {
	dst = append(dst, '{')
	first := true
	if typ != "" {
		dst = append(dst, `"__type":`...)
		dst = AppendString(dst, typ)
		first = false
	}
	msgKey := "message"
	msgSet := false
	var members []byte
	if e.Shape != nil && e.Value != nil {
		v := reflect.ValueOf(e.Value)
		for v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if v.Kind() == reflect.Struct && e.Shape.Type == api.TypeStructure {
			for i := range e.Shape.Members {
				m := &e.Shape.Members[i]
				if m.Ref.Location == api.LocationBody && strings.EqualFold(m.WireName(), "message") {
					msgKey = m.WireName()
					if f := v.Field(m.Field); !(f.Kind() == reflect.Pointer && f.IsNil()) {
						msgSet = true
					}
				}
			}
			if b, err := AppendStruct(nil, e.Shape, v, true); err == nil && len(b) > 2 {
				members = b[1 : len(b)-1]
			}
		}
	}
	if !msgSet && e.Message != "" {
		if !first {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, msgKey)
		dst = append(dst, ':')
		dst = AppendString(dst, e.Message)
		first = false
	}
	if len(members) > 0 {
		if !first {
			dst = append(dst, ',')
		}
		dst = append(dst, members...)
	}
	return append(dst, '}')
}
