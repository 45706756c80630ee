package jsonenc

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol"
)

// AppendStruct appends v, a struct value (or a pointer to one) of shape s,
// as a JSON object. Absent members (nil pointers, slices, maps, interfaces)
// are omitted. With bodyOnly (REST responses), members bound to headers or
// the status code are left out at the top level; URI and query members stay,
// since a response has nowhere else to put them. A nil v is written as {}.
func AppendStruct(dst []byte, s *api.Shape, v reflect.Value, bodyOnly bool) ([]byte, error) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return append(dst, "{}"...), nil
		}
		v = v.Elem()
	}
	return appendStruct(dst, s, v, bodyOnly, 0)
}

// Append appends v, a value of ref's shape, as JSON.
func Append(dst []byte, ref *api.Ref, v reflect.Value) ([]byte, error) {
	return appendValue(dst, ref, v, 0)
}

func appendStruct(dst []byte, s *api.Shape, v reflect.Value, bodyOnly bool, depth int) ([]byte, error) {
	if s.Document {
		return appendDocument(dst, v.Interface(), depth)
	}
	if depth > maxDepth {
		return dst, fmt.Errorf("jsonenc: value nested deeper than %d", maxDepth)
	}
	p := planFor(s)
	dst = append(dst, '{')
	first := true
	var err error
	for i := range p.fields {
		f := &p.fields[i]
		if bodyOnly && !f.outBody {
			continue
		}
		fv := v.Field(f.m.Field)
		if isAbsent(fv) {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, f.key...)
		if dst, err = appendValue(dst, &f.m.Ref, fv, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func isAbsent(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return v.IsNil()
	}
	return false
}

func appendValue(dst []byte, ref *api.Ref, v reflect.Value, depth int) ([]byte, error) {
	s := ref.Shape
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		if v.Type() == reflect.PointerTo(timeType) {
			return appendTime(dst, ref, *(v.Interface().(*time.Time))), nil
		}
		v = v.Elem()
	case reflect.Interface:
		if v.IsNil() {
			return append(dst, "null"...), nil
		}
		return appendDocument(dst, v.Interface(), depth)
	}
	if s == nil {
		return appendDocument(dst, v.Interface(), depth)
	}
	if v.Type() == timeType {
		return appendTime(dst, ref, v.Interface().(time.Time)), nil
	}
	var err error
	switch v.Kind() {
	case reflect.Struct:
		return appendStruct(dst, s, v, false, depth)
	case reflect.String:
		if (s.Type == api.TypeBigInteger || s.Type == api.TypeBigDecimal) && isNumberText(v.String()) {
			return append(dst, v.String()...), nil
		}
		return AppendString(dst, v.String()), nil
	case reflect.Bool:
		return strconv.AppendBool(dst, v.Bool()), nil
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		return strconv.AppendInt(dst, v.Int(), 10), nil
	case reflect.Float32, reflect.Float64:
		return appendFloat(dst, v.Float(), v.Type().Bits()), nil
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.IsNil() {
				return append(dst, "null"...), nil
			}
			dst = append(dst, '"')
			dst = base64.StdEncoding.AppendEncode(dst, v.Bytes())
			return append(dst, '"'), nil
		}
		elem := s.Member
		if elem == nil {
			elem = &api.Ref{}
		}
		dst = append(dst, '[')
		for i, n := 0, v.Len(); i < n; i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = appendValue(dst, elem, v.Index(i), depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case reflect.Map:
		return appendMap(dst, s, v, depth)
	}
	return dst, fmt.Errorf("jsonenc: cannot encode %s as %s", v.Type(), s.Type)
}

// appendMap writes a map with its keys sorted, so responses are
// reproducible.
func appendMap(dst []byte, s *api.Shape, v reflect.Value, depth int) ([]byte, error) {
	valRef := s.Value
	if valRef == nil {
		valRef = &api.Ref{}
	}
	if ss, ok := v.Interface().(map[string]string); ok {
		keys := make([]string, 0, len(ss))
		for k := range ss {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, k)
			dst = append(dst, ':')
			dst = AppendString(dst, ss[k])
		}
		return append(dst, '}'), nil
	}
	n := v.Len()
	if n == 0 {
		return append(dst, "{}"...), nil
	}
	// One key slot, filled from the iterator and then from the sorted
	// keys, keeps the per-entry cost free of reflect allocations.
	kv := reflect.New(v.Type().Key()).Elem()
	it := v.MapRange()
	var err error
	if n == 1 {
		it.Next()
		kv.SetIterKey(it)
		dst = append(dst, '{')
		dst = AppendString(dst, kv.String())
		dst = append(dst, ':')
		if dst, err = appendValue(dst, valRef, it.Value(), depth+1); err != nil {
			return dst, err
		}
		return append(dst, '}'), nil
	}
	keys := make([]string, 0, n)
	for it.Next() {
		kv.SetIterKey(it)
		keys = append(keys, kv.String())
	}
	sort.Strings(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, k)
		dst = append(dst, ':')
		kv.SetString(k)
		if dst, err = appendValue(dst, valRef, v.MapIndex(kv), depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func appendTime(dst []byte, ref *api.Ref, t time.Time) []byte {
	format := ref.TimestampFormatOr(api.TimestampUnix)
	if format == api.TimestampUnix {
		return appendEpoch(dst, t)
	}
	dst = append(dst, '"')
	dst = append(dst, protocol.FormatTimestamp(t, format)...)
	return append(dst, '"')
}

// appendEpoch writes seconds since the epoch with millisecond precision, as
// AWS JSON services do (1700000000.123), without formatting through a float.
func appendEpoch(dst []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	if ms < 0 {
		dst = append(dst, '-')
		ms = -ms
	}
	sec, frac := ms/1000, ms%1000
	dst = strconv.AppendInt(dst, sec, 10)
	if frac == 0 {
		return dst
	}
	dst = append(dst, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	for dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// appendFloat writes f as encoding/json does, and NaN and the infinities as
// the strings AWS JSON protocols use for them.
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(dst, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-Infinity"`...)
	}
	abs := math.Abs(f)
	fmtc := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			fmtc = 'e'
		}
	}
	return strconv.AppendFloat(dst, f, fmtc, -1, bits)
}

func isNumberText(s string) bool {
	if s == "" {
		return false
	}
	d := scanner{data: []byte(s)}
	_, err := d.readNumber()
	return err == nil && d.pos == len(s)
}

// appendDocument writes a document value: what decodeDocument produces, plus
// the other Go values a handler may build (ints, typed maps, json.Number…),
// which go through encoding/json.
func appendDocument(dst []byte, doc any, depth int) ([]byte, error) {
	if depth > maxDepth {
		return dst, fmt.Errorf("jsonenc: document nested deeper than %d", maxDepth)
	}
	var err error
	switch x := doc.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return AppendString(dst, x), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case float64:
		return appendFloat(dst, x, 64), nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case json.Number:
		return append(dst, x...), nil
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = appendDocument(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, k)
			dst = append(dst, ':')
			if dst, err = appendDocument(dst, x[k], depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return dst, fmt.Errorf("jsonenc: encoding document: %w", err)
	}
	return append(dst, b...), nil
}

const hexDigits = "0123456789abcdef"

// plainASCII marks the bytes AppendString copies as they are: printable
// ASCII other than '"' and '\\'. It is computed once and never written.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// AppendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as
// with encoding/json; "<", ">" and "&" are left alone (AWS does not escape
// them).
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plainASCII[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 break JavaScript parsers that eval JSON.
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
