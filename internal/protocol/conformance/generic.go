package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol"
)

// The generic form of a value is what encoding/json yields with UseNumber:
// map[string]any, []any, string, json.Number, bool and nil. It follows the
// conventions of botocore's protocol suites:
//
//   - an absent member (nil pointer, nil slice or map) has no key; an empty but
//     present list, map or structure is [] or {};
//   - timestamps are epoch seconds, with up to three decimals;
//   - blobs (streaming or not) are their bytes as a string;
//   - NaN and infinite floats are the strings "NaN", "Infinity", "-Infinity";
//   - documents are plain JSON values.

var (
	timeType       = reflect.TypeOf(time.Time{})
	readCloserType = reflect.TypeOf((*io.ReadCloser)(nil)).Elem()
)

// Generic returns the generic form of v, a value (usually a pointer to a
// struct) described by shape s. A nil s describes an operation without input
// or output, whose generic form is {}. Streaming blobs are read to the end.
func Generic(s *api.Shape, v any) (any, error) {
	if s == nil {
		return map[string]any{}, nil
	}
	g, ok, err := toGeneric(s, reflect.ValueOf(v), s.Name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, nil
	}
	return g, nil
}

// toGeneric converts v; ok is false when v is absent.
func toGeneric(s *api.Shape, v reflect.Value, path string) (g any, ok bool, err error) {
	if !v.IsValid() {
		return nil, false, nil
	}
	if s.Document {
		return documentToGeneric(v, path)
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil, false, nil
		}
		if v.Type().Implements(readCloserType) && s.Type == api.TypeBlob {
			b, err := io.ReadAll(v.Interface().(io.Reader))
			if err != nil {
				return nil, false, fmt.Errorf("%s: reading stream: %w", path, err)
			}
			return string(b), true, nil
		}
		v = v.Elem()
	}
	switch s.Type {
	case api.TypeStructure:
		if v.Kind() != reflect.Struct {
			return nil, false, mismatch(path, s, v)
		}
		m := map[string]any{}
		for i := range s.Members {
			mem := &s.Members[i]
			if mem.Field < 0 || mem.Field >= v.NumField() {
				return nil, false, fmt.Errorf("%s.%s: field index %d out of range for %s", path, mem.Name, mem.Field, v.Type())
			}
			mg, ok, err := toGeneric(mem.Ref.Shape, v.Field(mem.Field), path+"."+mem.Name)
			if err != nil {
				return nil, false, err
			}
			if ok {
				m[mem.Name] = mg
			}
		}
		return m, true, nil
	case api.TypeList:
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
			return nil, false, mismatch(path, s, v)
		}
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil, false, nil
		}
		l := make([]any, v.Len())
		for i := range l {
			eg, _, err := toGeneric(s.Member.Shape, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, false, err
			}
			l[i] = eg // an absent element of a sparse list is null
		}
		return l, true, nil
	case api.TypeMap:
		if v.Kind() != reflect.Map {
			return nil, false, mismatch(path, s, v)
		}
		if v.IsNil() {
			return nil, false, nil
		}
		m := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			k := fmt.Sprint(it.Key().Interface())
			eg, _, err := toGeneric(s.Value.Shape, it.Value(), path+"."+k)
			if err != nil {
				return nil, false, err
			}
			m[k] = eg
		}
		return m, true, nil
	case api.TypeTimestamp:
		if v.Type() != timeType {
			return nil, false, mismatch(path, s, v)
		}
		return json.Number(protocol.FormatUnix(v.Interface().(time.Time))), true, nil
	case api.TypeBlob:
		if v.Kind() == reflect.String {
			return v.String(), true, nil
		}
		if v.Kind() != reflect.Slice || v.Type().Elem().Kind() != reflect.Uint8 {
			return nil, false, mismatch(path, s, v)
		}
		if v.IsNil() {
			return nil, false, nil
		}
		return string(v.Bytes()), true, nil
	}
	return scalarToGeneric(s, v, path)
}

func scalarToGeneric(s *api.Shape, v reflect.Value, path string) (any, bool, error) {
	switch v.Kind() {
	case reflect.String:
		if isNumber(s.Type) {
			return json.Number(v.String()), true, nil
		}
		return v.String(), true, nil
	case reflect.Bool:
		return v.Bool(), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(strconv.FormatInt(v.Int(), 10)), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return json.Number(strconv.FormatUint(v.Uint(), 10)), true, nil
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			return "NaN", true, nil
		case math.IsInf(f, 1):
			return "Infinity", true, nil
		case math.IsInf(f, -1):
			return "-Infinity", true, nil
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, v.Type().Bits())), true, nil
	}
	return nil, false, mismatch(path, s, v)
}

func isNumber(t api.Type) bool {
	switch t {
	case api.TypeInteger, api.TypeLong, api.TypeFloat, api.TypeDouble, api.TypeByte, api.TypeShort, api.TypeBigInteger, api.TypeBigDecimal:
		return true
	}
	return false
}

// documentToGeneric normalizes a document value through JSON, so that Go
// numbers of any type compare as json.Number.
func documentToGeneric(v reflect.Value, path string) (any, bool, error) {
	if (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && v.IsNil() {
		return nil, false, nil
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, false, fmt.Errorf("%s: document: %w", path, err)
	}
	g, err := decodeGeneric(b)
	if err != nil {
		return nil, false, fmt.Errorf("%s: document: %w", path, err)
	}
	return g, true, nil
}

// decodeGeneric decodes JSON text into its generic form.
func decodeGeneric(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var g any
	if err := d.Decode(&g); err != nil {
		return nil, err
	}
	return g, nil
}

func mismatch(path string, s *api.Shape, v reflect.Value) error {
	return fmt.Errorf("%s: shape %s (%s) does not fit Go type %s", path, s.Name, s.Type, v.Type())
}

// Typed returns a pointer to a new value of s.GoType holding g, the generic
// form of a value of structure shape s (see Generic). Member names are the
// model's member names. A nil s yields nil.
func Typed(s *api.Shape, g any) (any, error) {
	if s == nil {
		return nil, nil
	}
	if s.GoType == nil {
		return nil, fmt.Errorf("shape %s has no GoType", s.Name)
	}
	p := reflect.New(s.GoType)
	if err := fromGeneric(s, g, p.Elem(), s.Name); err != nil {
		return nil, err
	}
	return p.Interface(), nil
}

// fromGeneric stores g into dst, which must be settable. A nil g leaves dst
// at its zero value (absent).
func fromGeneric(s *api.Shape, g any, dst reflect.Value, path string) error {
	if g == nil {
		return nil
	}
	if s.Document {
		if dst.Kind() != reflect.Interface {
			return mismatch(path, s, dst)
		}
		dst.Set(reflect.ValueOf(documentValue(g)))
		return nil
	}
	if s.Type == api.TypeBlob && dst.Kind() == reflect.Interface {
		str, ok := g.(string)
		if !ok {
			return wrongGeneric(path, s, g)
		}
		rc := io.NopCloser(strings.NewReader(str))
		if !reflect.TypeOf(rc).AssignableTo(dst.Type()) {
			return mismatch(path, s, dst)
		}
		dst.Set(reflect.ValueOf(rc))
		return nil
	}
	if dst.Kind() == reflect.Pointer {
		p := reflect.New(dst.Type().Elem())
		if err := fromGeneric(s, g, p.Elem(), path); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	}
	switch s.Type {
	case api.TypeStructure:
		m, ok := g.(map[string]any)
		if !ok || dst.Kind() != reflect.Struct {
			return wrongGeneric(path, s, g)
		}
		for k, mg := range m {
			mem := s.MemberByName(k)
			if mem == nil {
				return fmt.Errorf("%s: structure %s has no member %q", path, s.Name, k)
			}
			if mem.Field < 0 || mem.Field >= dst.NumField() {
				return fmt.Errorf("%s.%s: field index %d out of range for %s", path, k, mem.Field, dst.Type())
			}
			if err := fromGeneric(mem.Ref.Shape, mg, dst.Field(mem.Field), path+"."+k); err != nil {
				return err
			}
		}
		return nil
	case api.TypeList:
		l, ok := g.([]any)
		if !ok || dst.Kind() != reflect.Slice {
			return wrongGeneric(path, s, g)
		}
		sl := reflect.MakeSlice(dst.Type(), len(l), len(l))
		for i, eg := range l {
			if err := fromGeneric(s.Member.Shape, eg, sl.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		dst.Set(sl)
		return nil
	case api.TypeMap:
		m, ok := g.(map[string]any)
		if !ok || dst.Kind() != reflect.Map {
			return wrongGeneric(path, s, g)
		}
		mv := reflect.MakeMapWithSize(dst.Type(), len(m))
		for k, eg := range m {
			ev := reflect.New(dst.Type().Elem()).Elem()
			if err := fromGeneric(s.Value.Shape, eg, ev, path+"."+k); err != nil {
				return err
			}
			mv.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), ev)
		}
		dst.Set(mv)
		return nil
	case api.TypeTimestamp:
		if dst.Type() != timeType {
			return mismatch(path, s, dst)
		}
		t, err := genericTime(g)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	case api.TypeBlob:
		str, ok := g.(string)
		if !ok {
			return wrongGeneric(path, s, g)
		}
		switch {
		case dst.Kind() == reflect.String:
			dst.SetString(str)
		case dst.Kind() == reflect.Slice && dst.Type().Elem().Kind() == reflect.Uint8:
			dst.SetBytes([]byte(str))
		default:
			return mismatch(path, s, dst)
		}
		return nil
	}
	return scalarFromGeneric(s, g, dst, path)
}

func scalarFromGeneric(s *api.Shape, g any, dst reflect.Value, path string) error {
	switch dst.Kind() {
	case reflect.String:
		switch x := g.(type) {
		case string:
			dst.SetString(x)
		case json.Number:
			if !isNumber(s.Type) {
				return wrongGeneric(path, s, g)
			}
			dst.SetString(x.String())
		default:
			return wrongGeneric(path, s, g)
		}
	case reflect.Bool:
		b, ok := g.(bool)
		if !ok {
			return wrongGeneric(path, s, g)
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := g.(json.Number)
		if !ok {
			return wrongGeneric(path, s, g)
		}
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if dst.OverflowInt(i) {
			return fmt.Errorf("%s: %d overflows %s", path, i, dst.Type())
		}
		dst.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := g.(json.Number)
		if !ok {
			return wrongGeneric(path, s, g)
		}
		u, err := strconv.ParseUint(n.String(), 10, 64)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if dst.OverflowUint(u) {
			return fmt.Errorf("%s: %d overflows %s", path, u, dst.Type())
		}
		dst.SetUint(u)
	case reflect.Float32, reflect.Float64:
		f, err := genericFloat(g)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		dst.SetFloat(f)
	default:
		return mismatch(path, s, dst)
	}
	return nil
}

// genericFloat reads a number or one of the strings botocore uses for
// non-finite floats.
func genericFloat(g any) (float64, error) {
	switch x := g.(type) {
	case json.Number:
		return strconv.ParseFloat(x.String(), 64)
	case float64:
		return x, nil
	case string:
		switch x {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
	}
	return 0, fmt.Errorf("not a float: %v", g)
}

// genericTime reads epoch seconds (millisecond precision), or a string in any
// format protocol.ParseTimestamp accepts.
func genericTime(g any) (time.Time, error) {
	switch x := g.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(x.String(), 64)
		if err != nil {
			return time.Time{}, err
		}
		sec := math.Floor(f)
		ms := math.Round((f - sec) * 1e3)
		return time.Unix(int64(sec), int64(ms)*1e6).UTC(), nil
	case float64:
		return genericTime(json.Number(strconv.FormatFloat(x, 'f', -1, 64)))
	case string:
		return protocol.ParseTimestamp(x, api.TimestampISO8601)
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %v", g)
}

// documentValue converts a generic value to what encoding/json would decode
// into an any: json.Number becomes float64.
func documentValue(g any) any {
	switch x := g.(type) {
	case json.Number:
		f, _ := strconv.ParseFloat(x.String(), 64)
		return f
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = documentValue(e)
		}
		return l
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = documentValue(e)
		}
		return m
	}
	return g
}

func wrongGeneric(path string, s *api.Shape, g any) error {
	return fmt.Errorf("%s: value %v (%T) does not fit shape %s (%s)", path, g, g, s.Name, s.Type)
}

// dropNulls returns g, a generic value of shape s, without the structure
// members that are null. botocore's serializers drop a None member before
// anything reaches the wire, so in a case's params a null member means the
// same as an absent one. Nulls in lists, maps and documents are kept: there
// they are values.
func dropNulls(s *api.Shape, g any) any {
	if s == nil || s.Document {
		return g
	}
	switch s.Type {
	case api.TypeStructure:
		m, ok := g.(map[string]any)
		if !ok {
			return g
		}
		out := make(map[string]any, len(m))
		for k, v := range m {
			if v == nil {
				continue
			}
			if mem := s.MemberByName(k); mem != nil {
				v = dropNulls(mem.Ref.Shape, v)
			}
			out[k] = v
		}
		return out
	case api.TypeList:
		l, ok := g.([]any)
		if !ok || s.Member == nil {
			return g
		}
		out := make([]any, len(l))
		for i, v := range l {
			out[i] = dropNulls(s.Member.Shape, v)
		}
		return out
	case api.TypeMap:
		m, ok := g.(map[string]any)
		if !ok || s.Value == nil {
			return g
		}
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = dropNulls(s.Value.Shape, v)
		}
		return out
	}
	return g
}
