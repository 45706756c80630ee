package rest

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol"
)

var timeType = reflect.TypeFor[time.Time]()

// SetText stores s, the text form of a scalar from a header, query parameter
// or URI label, into f, the member's field (a pointer to a scalar, or an
// element of a list). def is the timestamp format that applies when ref sets
// none. A JSON-valued header string is base64-decoded first.
func SetText(f reflect.Value, ref *api.Ref, s string, def string) error {
	t := f.Type()
	if t.Kind() == reflect.Pointer {
		p := reflect.New(t.Elem())
		if err := setScalar(p.Elem(), ref, s, def); err != nil {
			return err
		}
		f.Set(p)
		return nil
	}
	return setScalar(f, ref, s, def)
}

func setScalar(v reflect.Value, ref *api.Ref, s, def string) error {
	if v.Type() == timeType {
		tm, err := protocol.ParseTimestamp(s, ref.TimestampFormatOr(def))
		if err != nil {
			return fmt.Errorf("invalid timestamp %q: %w", s, err)
		}
		v.Set(reflect.ValueOf(tm))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		if ref.JSONValue {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return fmt.Errorf("invalid base64 JSON value: %w", err)
			}
			s = string(b)
		}
		v.SetString(s)
	case reflect.Bool:
		switch s {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			return fmt.Errorf("invalid boolean %q", s)
		}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("invalid integer %q: %w", s, err)
		}
		v.SetInt(n)
	case reflect.Float32, reflect.Float64:
		f, err := ParseFloat(s, v.Type().Bits())
		if err != nil {
			return err
		}
		v.SetFloat(f)
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Uint8 {
			return fmt.Errorf("cannot bind text to %s", v.Type())
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return fmt.Errorf("invalid base64: %w", err)
		}
		v.SetBytes(b)
	case reflect.Interface:
		v.Set(reflect.ValueOf(s))
	default:
		return fmt.Errorf("cannot bind text to %s", v.Type())
	}
	return nil
}

// ParseFloat reads a float as AWS protocols write it, including "NaN",
// "Infinity" and "-Infinity".
func ParseFloat(s string, bits int) (float64, error) {
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), bits)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("invalid number %q", s)
	}
	return f, nil
}

// AppendFloat writes f as AWS protocols do in text: "NaN", "Infinity",
// "-Infinity", else the shortest decimal that reads back as f.
func AppendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	return strconv.AppendFloat(dst, f, format, -1, bits)
}

// Text returns the text form of v, a scalar (possibly behind a pointer), for
// a header, query parameter or label; ok is false when v is nil. def is the
// timestamp format that applies when ref sets none. JSON-valued strings are
// base64-encoded when header is set.
func Text(v reflect.Value, ref *api.Ref, def string, header bool) (s string, ok bool) {
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "", false
		}
		v = v.Elem()
	}
	if v.Type() == timeType {
		return protocol.FormatTimestamp(v.Interface().(time.Time), ref.TimestampFormatOr(def)), true
	}
	switch v.Kind() {
	case reflect.String:
		if header && ref.JSONValue {
			return base64.StdEncoding.EncodeToString([]byte(v.String())), true
		}
		return v.String(), true
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Float32, reflect.Float64:
		return string(AppendFloat(nil, v.Float(), v.Type().Bits())), true
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.IsNil() {
				return "", false
			}
			return base64.StdEncoding.EncodeToString(v.Bytes()), true
		}
	}
	return fmt.Sprint(v.Interface()), true
}
