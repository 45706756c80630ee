package xmlenc

import (
	"encoding/base64"
	"errors"
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

var (
	timeType  = reflect.TypeFor[time.Time]()
	bytesType = reflect.TypeFor[[]byte]()
	rcType    = reflect.TypeFor[io.ReadCloser]()
)

// AppendScalar appends the text form of scalar v (a pointer to a scalar or a
// scalar itself, as list and map elements are). def is the timestamp format
// when neither r nor its shape sets one. It reports false, appending
// nothing, when v is absent (a nil pointer or nil blob).
func AppendScalar(dst []byte, r *api.Ref, v reflect.Value, def string) ([]byte, bool) {
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return dst, false
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return AppendText(dst, v.String()), true
	case reflect.Bool:
		return strconv.AppendBool(dst, v.Bool()), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, v.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(dst, v.Uint(), 10), true
	case reflect.Float32:
		return AppendFloat(dst, v.Float(), 32), true
	case reflect.Float64:
		return AppendFloat(dst, v.Float(), 64), true
	case reflect.Slice:
		if v.Type() == bytesType {
			if v.IsNil() {
				return dst, false
			}
			b := v.Bytes()
			return base64.StdEncoding.AppendEncode(dst, b), true
		}
	case reflect.Struct:
		if v.Type() == timeType {
			var t time.Time
			if v.CanAddr() {
				t = *v.Addr().Interface().(*time.Time) // no boxing copy
			} else {
				t = v.Interface().(time.Time)
			}
			return append(dst, protocol.FormatTimestamp(t, r.TimestampFormatOr(def))...), true
		}
	}
	return AppendText(dst, fmt.Sprint(v.Interface())), true
}

// AppendFloat appends f as AWS writes it: shortest round-trip digits, and
// "NaN", "Infinity", "-Infinity" for the special values.
func AppendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// ErrBadValue is wrapped by SetScalar's errors: the text does not parse as
// the member's type. Codecs report it as their protocol's validation error.
var ErrBadValue = errors.New("xmlenc: malformed value")

// SetScalar parses text into v, which is a settable pointer field (allocated
// here), a blob, or a non-pointer scalar (a list or map element). def is the
// timestamp format used when r sets none.
func SetScalar(r *api.Ref, v reflect.Value, text string, def string) error {
	if v.Kind() == reflect.Pointer {
		p := reflect.New(v.Type().Elem())
		if err := setDirect(r, p.Elem(), text, def); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	return setDirect(r, v, text, def)
}

func setDirect(r *api.Ref, v reflect.Value, text string, def string) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(text)
		return nil
	case reflect.Bool:
		switch strings.TrimSpace(text) {
		case "true", "True", "TRUE":
			v.SetBool(true)
		case "false", "False", "FALSE":
			v.SetBool(false)
		default:
			return fmt.Errorf("%w: %q is not a boolean", ErrBadValue, text)
		}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%w: %q is not an integer of %d bits", ErrBadValue, text, v.Type().Bits())
		}
		v.SetInt(n)
		return nil
	case reflect.Float32, reflect.Float64:
		f, err := parseFloat(strings.TrimSpace(text), v.Type().Bits())
		if err != nil {
			return fmt.Errorf("%w: %q is not a number", ErrBadValue, text)
		}
		v.SetFloat(f)
		return nil
	case reflect.Slice:
		if v.Type() == bytesType {
			b, err := decodeBase64(text)
			if err != nil {
				return fmt.Errorf("%w: blob is not base64", ErrBadValue)
			}
			v.SetBytes(b)
			return nil
		}
	case reflect.Struct:
		if v.Type() == timeType {
			t, err := protocol.ParseTimestamp(text, r.TimestampFormatOr(def))
			if err != nil {
				return fmt.Errorf("%w: %q is not a timestamp", ErrBadValue, text)
			}
			v.Set(reflect.ValueOf(t))
			return nil
		}
	case reflect.Interface:
		if v.Type() == rcType {
			v.Set(reflect.ValueOf(io.NopCloser(strings.NewReader(text))))
			return nil
		}
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(text))
			return nil
		}
	}
	return fmt.Errorf("%w: cannot hold text in Go type %s", ErrBadValue, v.Type())
}

func parseFloat(s string, bits int) (float64, error) {
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil {
		return 0, err
	}
	return f, nil
}

// decodeBase64 accepts padded and unpadded standard base64, ignoring the
// line breaks some clients insert.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "\r\n \t") {
		s = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, s)
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}
