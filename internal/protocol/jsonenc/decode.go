package jsonenc

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol"
)

var (
	timeType  = reflect.TypeFor[time.Time]()
	stringPtr = reflect.TypeFor[*string]()
	int32Ptr  = reflect.TypeFor[*int32]()
)

// slabSize is how many scalars one slab holds. Optional members are
// pointers, so a request with twenty string members would cost twenty
// small allocations for the pointers' targets; taking them from a slab
// costs one per slabSize. A slab stays alive while any member points into
// it, which costs at most slabSize-1 unused cells.
const slabSize = 16

// newFromSlab returns a pointer to a fresh zero T taken from *slab,
// starting a new slab when it is full.
func newFromSlab[T any](slab *[]T) *T {
	s := *slab
	if len(s) == cap(s) {
		s = make([]T, 0, slabSize)
	}
	s = s[:len(s)+1]
	*slab = s
	return &s[len(s)-1]
}

// UnmarshalStruct decodes data, a JSON object, into v, an addressable struct
// value of shape s. With bodyOnly (REST requests) the members bound to
// headers, the query or the URI are ignored at the top level, as are
// members the schema does not know (AWS ignores them too). null means
// absent. Empty or all-space data leaves v untouched. Every failure is a
// SerializationException *api.Error.
func UnmarshalStruct(data []byte, s *api.Shape, v reflect.Value, bodyOnly bool) (err error) {
	d := scanner{data: data}
	if d.peek() == 0 {
		return nil
	}
	defer recoverTo(&err)
	if d.literal("null") {
		return d.end()
	}
	if err := d.decodeStruct(s, v, bodyOnly); err != nil {
		return err
	}
	return d.end()
}

// Unmarshal decodes data into v, a settable value of ref's shape: a pointer
// field, a struct, a list, a map, or an `any` for documents.
func Unmarshal(data []byte, ref *api.Ref, v reflect.Value) (err error) {
	d := scanner{data: data}
	if d.peek() == 0 {
		return nil
	}
	defer recoverTo(&err)
	if err := d.decodeValue(ref, v); err != nil {
		return err
	}
	return d.end()
}

// recoverTo turns a panic (a schema and a Go type that disagree) into a
// SerializationException: no panic may reach a client.
func recoverTo(err *error) {
	if r := recover(); r != nil {
		*err = api.NewSerializationError("could not decode the request: %v", r)
	}
}

func (d *scanner) end() error {
	if d.peek() != 0 {
		return d.errorf("unexpected data after the JSON value")
	}
	return nil
}

func (d *scanner) decodeStruct(s *api.Shape, v reflect.Value, bodyOnly bool) error {
	if s.Document {
		return d.decodeDocumentInto(v)
	}
	p := planFor(s)
	return d.eachMember(func(key []byte) error {
		i, ok := p.byName[string(key)]
		if !ok || (bodyOnly && !p.fields[i].inBody) {
			return d.skipValue()
		}
		if d.literal("null") {
			return nil
		}
		m := p.fields[i].m
		return d.decodeValue(&m.Ref, v.Field(m.Field))
	})
}

// decodeValue decodes the next value into v, a settable value whose Go type
// follows the schema conventions for ref's shape.
func (d *scanner) decodeValue(ref *api.Ref, v reflect.Value) error {
	if d.peek() == 'n' && d.literal("null") {
		return nil
	}
	s := ref.Shape
	if s == nil {
		return d.decodeDocumentInto(v)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if s.Type == api.TypeStructure && !s.Document {
			if d.peek() != '{' {
				return d.typeError(s)
			}
			p := v
			if p.IsNil() {
				p = reflect.New(v.Type().Elem())
			}
			if err := d.decodeStruct(s, p.Elem(), false); err != nil {
				return err
			}
			v.Set(p)
			return nil
		}
		switch v.Type() {
		case stringPtr:
			if s.Type == api.TypeString {
				str, err := d.readString()
				if err != nil {
					return d.typeError(s)
				}
				p := newFromSlab(&d.strs)
				*p = string(str)
				v.Set(reflect.ValueOf(p))
				return nil
			}
		case int32Ptr:
			p := newFromSlab(&d.int32s)
			if err := d.decodeScalar(ref, reflect.ValueOf(p).Elem()); err != nil {
				return err
			}
			v.Set(reflect.ValueOf(p))
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := d.decodeScalar(ref, p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Struct:
		if v.Type() == timeType {
			return d.decodeScalar(ref, v)
		}
		if d.peek() != '{' {
			return d.typeError(s)
		}
		return d.decodeStruct(s, v, false)
	case reflect.Interface:
		return d.decodeDocumentInto(v)
	case reflect.Slice:
		if s.Type == api.TypeBlob {
			return d.decodeScalar(ref, v)
		}
		if d.peek() != '[' {
			return d.typeError(s)
		}
		elem := ref.Shape.Member
		if elem == nil {
			elem = &api.Ref{}
		}
		et := v.Type().Elem()
		sl := v
		if sl.IsNil() {
			sl = reflect.MakeSlice(v.Type(), 0, 4)
		} else {
			sl.SetLen(0)
		}
		err := d.eachElem(func() error {
			n := sl.Len()
			if n == sl.Cap() {
				sl = reflect.Append(sl, reflect.Zero(et))
			} else {
				sl = sl.Slice(0, n+1)
				sl.Index(n).SetZero()
			}
			return d.decodeValue(elem, sl.Index(n))
		})
		if err != nil {
			return err
		}
		v.Set(sl)
		return nil
	case reflect.Map:
		if d.peek() != '{' {
			return d.typeError(s)
		}
		valRef := s.Value
		if valRef == nil {
			valRef = &api.Ref{}
		}
		mp := v
		if mp.IsNil() {
			mp = reflect.MakeMap(v.Type())
		}
		// One key and one element slot serve every entry: SetMapIndex
		// copies them into the map.
		k := reflect.New(v.Type().Key()).Elem()
		ev := reflect.New(v.Type().Elem()).Elem()
		err := d.eachMember(func(key []byte) error {
			k.SetString(string(key))
			if d.literal("null") {
				return nil
			}
			ev.SetZero()
			if err := d.decodeValue(valRef, ev); err != nil {
				return err
			}
			mp.SetMapIndex(k, ev)
			return nil
		})
		if err != nil {
			return err
		}
		v.Set(mp)
		return nil
	default:
		return d.decodeScalar(ref, v)
	}
}

func (d *scanner) typeError(s *api.Shape) error {
	return d.errorf("expected a %s value for %s", s.Type, s.Name)
}

// decodeScalar decodes a scalar into v, which is not a pointer.
func (d *scanner) decodeScalar(ref *api.Ref, v reflect.Value) error {
	s := ref.Shape
	if v.Type() == timeType {
		return d.decodeTime(ref, v)
	}
	switch v.Kind() {
	case reflect.String:
		if s.Type == api.TypeBigInteger || s.Type == api.TypeBigDecimal {
			if d.peek() != '"' {
				num, err := d.readNumber()
				if err != nil {
					return err
				}
				v.SetString(string(num))
				return nil
			}
		}
		str, err := d.readString()
		if err != nil {
			return d.typeError(s)
		}
		v.SetString(string(str))
	case reflect.Bool:
		switch {
		case d.literal("true"):
			v.SetBool(true)
		case d.literal("false"):
			v.SetBool(false)
		default:
			return d.typeError(s)
		}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		num, err := d.readNumber()
		if err != nil {
			return d.typeError(s)
		}
		n, ok := parseInt(num)
		if !ok || v.OverflowInt(n) {
			return d.errorf("invalid %s value %s for %s", s.Type, num, s.Name)
		}
		v.SetInt(n)
	case reflect.Float32, reflect.Float64:
		var f float64
		if d.peek() == '"' {
			str, _ := d.readString()
			switch string(str) {
			case "NaN":
				f = math.NaN()
			case "Infinity":
				f = math.Inf(1)
			case "-Infinity":
				f = math.Inf(-1)
			default:
				return d.typeError(s)
			}
		} else {
			num, err := d.readNumber()
			if err != nil {
				return d.typeError(s)
			}
			f, err = strconv.ParseFloat(string(num), v.Type().Bits())
			if err != nil {
				return d.errorf("invalid %s value %s for %s", s.Type, num, s.Name)
			}
		}
		v.SetFloat(f)
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Uint8 {
			return d.typeError(s)
		}
		str, err := d.readString()
		if err != nil {
			return d.typeError(s)
		}
		b, err := decodeBase64(str)
		if err != nil {
			return d.errorf("invalid base64 value for %s", s.Name)
		}
		v.SetBytes(b)
	default:
		return d.errorf("cannot decode %s into %s", s.Type, v.Type())
	}
	return nil
}

// parseInt reads an integer. An integral number written with a fraction or
// an exponent ("1.0", "1e3") is accepted, as AWS JSON front ends do.
func parseInt(num []byte) (int64, bool) {
	neg := false
	b := num
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) > 0 && len(b) <= 18 {
		var n int64
		ok := true
		for _, c := range b {
			if c < '0' || c > '9' {
				ok = false
				break
			}
			n = n*10 + int64(c-'0')
		}
		if ok {
			if neg {
				n = -n
			}
			return n, true
		}
	}
	if n, err := strconv.ParseInt(string(num), 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

func decodeBase64(s []byte) ([]byte, error) {
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(out, s)
	if err != nil {
		n, err = base64.RawStdEncoding.Decode(out, s)
		if err != nil {
			return nil, err
		}
	}
	return out[:n], nil
}

// decodeTime reads epoch seconds (a number, possibly fractional) or a string
// in the member's format or any other AWS timestamp format.
func (d *scanner) decodeTime(ref *api.Ref, v reflect.Value) error {
	var t time.Time
	if d.peek() == '"' {
		str, err := d.readString()
		if err != nil {
			return err
		}
		t, err = protocol.ParseTimestamp(string(str), ref.TimestampFormatOr(api.TimestampUnix))
		if err != nil {
			return d.errorf("invalid timestamp %q", str)
		}
	} else {
		num, err := d.readNumber()
		if err != nil {
			return d.typeError(ref.Shape)
		}
		t, err = epoch(num)
		if err != nil {
			return d.errorf("invalid timestamp %s", num)
		}
	}
	*(v.Addr().Interface().(*time.Time)) = t
	return nil
}

// epoch reads seconds since the epoch, keeping millisecond precision
// without the rounding error of going through a float for the common
// "1700000000.123" form.
func epoch(num []byte) (time.Time, error) {
	intPart, frac := num, []byte(nil)
	if bytes.ContainsAny(num, "eE") {
		intPart = nil
	} else if i := bytes.IndexByte(num, '.'); i >= 0 {
		intPart, frac = num[:i], num[i+1:]
	}
	if intPart != nil {
		sec, err := strconv.ParseInt(string(intPart), 10, 64)
		if err == nil {
			var ns int64
			for i := 0; i < 9; i++ {
				ns *= 10
				if i < len(frac) {
					ns += int64(frac[i] - '0')
				}
			}
			ms := (ns + 500_000) / 1_000_000
			if len(intPart) > 0 && intPart[0] == '-' {
				return time.Unix(sec, 0).Add(-time.Duration(ms) * time.Millisecond).UTC(), nil
			}
			return time.Unix(sec, ms*1_000_000).UTC(), nil
		}
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return time.Time{}, fmt.Errorf("invalid epoch %s", num)
	}
	sec, fr := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(fr*1e3))*1e6).UTC(), nil
}

// decodeDocumentInto decodes any JSON value into v (an `any`, usually).
func (d *scanner) decodeDocumentInto(v reflect.Value) error {
	doc, err := d.decodeDocument()
	if err != nil {
		return err
	}
	if doc == nil {
		return nil
	}
	dv := reflect.ValueOf(doc)
	if !dv.Type().AssignableTo(v.Type()) {
		return d.errorf("cannot decode a document into %s", v.Type())
	}
	v.Set(dv)
	return nil
}

// decodeDocument reads any JSON value as map[string]any, []any, string,
// float64, bool or nil, as encoding/json does.
func (d *scanner) decodeDocument() (any, error) {
	switch d.peek() {
	case '{':
		m := map[string]any{}
		err := d.eachMember(func(key []byte) error {
			k := string(key)
			val, err := d.decodeDocument()
			m[k] = val
			return err
		})
		return m, err
	case '[':
		l := []any{}
		err := d.eachElem(func() error {
			val, err := d.decodeDocument()
			l = append(l, val)
			return err
		})
		return l, err
	case '"':
		s, err := d.readString()
		return string(s), err
	case 't', 'f', 'n':
		switch {
		case d.literal("true"):
			return true, nil
		case d.literal("false"):
			return false, nil
		case d.literal("null"):
			return nil, nil
		}
		return nil, d.errorf("")
	}
	num, err := d.readNumber()
	if err != nil {
		return nil, err
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil {
		return nil, d.errorf("invalid number %s", num)
	}
	return f, nil
}
