package validate

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

var timeType = reflect.TypeFor[time.Time]()

// quoted returns "'value' " for the message "Value 'value' at '...'", or ""
// for a sensitive shape, whose value AWS does not print ("Value at '...'").
func quoted(n *node, v reflect.Value) string {
	if n != nil && (n.shape.Sensitive || n.elem != nil && n.elem.shape.Sensitive || n.value != nil && n.value.shape.Sensitive) {
		return ""
	}
	return "'" + formatValue(n, v) + "' "
}

// enumMessage is the enum constraint as AWS words it.
func enumMessage(values []string) string {
	return "Member must satisfy enum value set: [" + strings.Join(values, ", ") + "]"
}

// formatValue prints v the way AWS's Java services print a value in a
// validation message (its toString): strings bare, numbers as Java prints
// them, lists "[a, b]", maps "{k=v, k2=v2}" (in key order here; Java's is
// hash order), structures "ShapeName(member=value, ...)", absent values
// "null". n, the value's node, may be nil.
func formatValue(n *node, v reflect.Value) string {
	var b strings.Builder
	writeValue(&b, n, v)
	return b.String()
}

func writeValue(b *strings.Builder, n *node, v reflect.Value) {
	v = deref(v)
	if !v.IsValid() {
		b.WriteString("null")
		return
	}
	switch v.Kind() {
	case reflect.String:
		b.WriteString(v.String())
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32:
		b.WriteString(javaFloat(v.Float(), 32))
	case reflect.Float64:
		b.WriteString(javaFloat(v.Float(), 64))
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("null")
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			l := strconv.Itoa(v.Len())
			b.WriteString("java.nio.HeapByteBuffer[pos=0 lim=" + l + " cap=" + l + "]")
			return
		}
		var e *node
		if n != nil {
			e = n.elem
		}
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, e, v.Index(i))
		}
		b.WriteByte(']')
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		var e *node
		if n != nil {
			e = n.value
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(formatValue(nil, a), formatValue(nil, b)) })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, nil, k)
			b.WriteByte('=')
			writeValue(b, e, v.MapIndex(k))
		}
		b.WriteByte('}')
	case reflect.Struct:
		if v.Type() == timeType {
			// java.util.Date.toString, in UTC.
			b.WriteString(v.Interface().(time.Time).UTC().Format("Mon Jan 02 15:04:05 MST 2006"))
			return
		}
		writeStruct(b, n, v)
	default:
		b.WriteString("null")
	}
}

// writeStruct prints "ShapeName(member=value, ...)" in model order, as the
// generated Java types' toString does.
func writeStruct(b *strings.Builder, n *node, v reflect.Value) {
	if n == nil || n.typ != api.TypeStructure {
		b.WriteString(v.Type().Name())
		b.WriteByte('(')
		for i := range v.NumField() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(lowerFirst(v.Type().Field(i).Name))
			b.WriteByte('=')
			writeValue(b, nil, v.Field(i))
		}
		b.WriteByte(')')
		return
	}
	b.WriteString(n.shape.Name)
	b.WriteByte('(')
	for i := range n.members {
		m := &n.members[i]
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m.name)
		b.WriteByte('=')
		if m.field < v.NumField() {
			writeValue(b, m.n, v.Field(m.field))
		} else {
			b.WriteString("null")
		}
	}
	b.WriteByte(')')
}

// javaDouble formats x as Java's Double.toString does: "2.0", "0.5", "-1.0",
// "1.0E7", "1.5E-4".
func javaDouble(x float64) string { return javaFloat(x, 64) }

// javaFloat formats x as Java's Double.toString (bits 64) or Float.toString
// (bits 32): shortest digits that round-trip, at least one digit after the
// point, scientific notation outside [1e-3, 1e7).
func javaFloat(x float64, bits int) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "Infinity"
	case math.IsInf(x, -1):
		return "-Infinity"
	}
	if a := math.Abs(x); a == 0 || (a >= 1e-3 && a < 1e7) {
		s := strconv.FormatFloat(x, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(x, 'e', -1, bits) // "1.5e-04"
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
