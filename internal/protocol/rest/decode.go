package rest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
)

// Body reads and writes a structure as an HTTP body: JSON for rest-json, XML
// for rest-xml. See the package comment for what payload and v are. An
// implementation must be safe for concurrent use and must return an
// *api.Error for input it cannot parse.
type Body interface {
	Unmarshal(data []byte, s *api.Shape, payload *api.Member, v reflect.Value) error
	// Marshal appends the body to dst.
	Marshal(dst []byte, s *api.Shape, payload *api.Member, v reflect.Value) ([]byte, error)
	// ContentType is the media type of a structure body.
	ContentType() string
}

// maxGzipBody bounds a gzip-encoded request body once inflated, so a small
// compressed body cannot exhaust memory.
const maxGzipBody = 64 << 20

// DecodeRequest fills in, a pointer to c.Op's input struct, from c.Request
// (labels from the Match that Resolve left in c.Scratch, query, headers) and
// from the body (c.Body, or c.Request.Body for streaming payloads), handing
// structure bodies to body. Every failure is an *api.Error; a panic in a
// binding is recovered as a SerializationException.
func DecodeRequest(c *api.Call, in any, body Body) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = api.NewSerializationError("could not bind request: %v", r)
		}
	}()
	if c.Op == nil || c.Op.Input == nil || in == nil {
		return nil
	}
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return api.NewInternalFailure()
	}
	v = v.Elem()
	s := c.Op.Input
	p := planFor(s)
	m, _ := c.Scratch.(*Match)
	if m == nil || m.Op != c.Op {
		u := c.Request.URL
		m, _ = RouterFor(c.Service).Match(c.Request.Method, u.EscapedPath(), u.RawQuery, c.Request.Header)
		if m == nil {
			m = &Match{Op: c.Op}
		}
	}
	for _, mem := range p.uri {
		val, ok := m.Label(mem.WireName())
		if !ok {
			continue
		}
		if err := SetText(v.Field(mem.Field), &mem.Ref, val, api.TimestampISO8601); err != nil {
			return bindError("URI label", mem, err)
		}
	}
	if err := bindQuery(p, m, v); err != nil {
		return err
	}
	if err := bindHeaders(p, c.Request.Header, v); err != nil {
		return err
	}
	return bindBody(c, s, p, v, body)
}

func bindError(where string, m *api.Member, err error) error {
	return api.NewSerializationError("%s %s: %v", where, m.WireName(), err)
}

func bindQuery(p *plan, m *Match, v reflect.Value) error {
	q := m.Query
	if len(q) == 0 {
		return nil
	}
	for _, mem := range p.query {
		vs, ok := q[mem.WireName()]
		if !ok || len(vs) == 0 {
			continue
		}
		f := v.Field(mem.Field)
		if f.Kind() == reflect.Slice && f.Type().Elem().Kind() != reflect.Uint8 {
			if err := setList(f, mem, vs, api.TimestampISO8601); err != nil {
				return bindError("query parameter", mem, err)
			}
			continue
		}
		if err := SetText(f, &mem.Ref, vs[0], api.TimestampISO8601); err != nil {
			return bindError("query parameter", mem, err)
		}
	}
	// A map member takes every parameter the template does not fix,
	// including those a named member also took: a server cannot tell whether
	// the client put them in the map too, and Smithy servers do the same.
	if mem := p.queryMap; mem != nil {
		f := v.Field(mem.Field)
		if f.Kind() != reflect.Map {
			return nil
		}
		mp := reflect.MakeMapWithSize(f.Type(), len(q))
		et := f.Type().Elem()
		var valRef *api.Ref
		if mem.Ref.Shape != nil && mem.Ref.Shape.Value != nil {
			valRef = mem.Ref.Shape.Value
		} else {
			valRef = &api.Ref{}
		}
	keys:
		for k, vs := range q {
			if len(vs) == 0 {
				continue
			}
			for _, ql := range m.literalKeys {
				if ql.key == k {
					continue keys
				}
			}
			ev := reflect.New(et).Elem()
			if et.Kind() == reflect.Slice && et.Elem().Kind() != reflect.Uint8 {
				lm := &api.Member{Name: k, Ref: *valRef}
				if err := setList(ev, lm, vs, api.TimestampISO8601); err != nil {
					return bindError("query parameter", mem, err)
				}
			} else if err := SetText(ev, valRef, vs[0], api.TimestampISO8601); err != nil {
				return bindError("query parameter", mem, err)
			}
			mp.SetMapIndex(reflect.ValueOf(k).Convert(f.Type().Key()), ev)
		}
		if mp.Len() > 0 {
			f.Set(mp)
		}
	}
	return nil
}

// setList fills slice field f from the texts vs, each an element.
func setList(f reflect.Value, mem *api.Member, vs []string, def string) error {
	elemRef := &api.Ref{}
	if mem.Ref.Shape != nil && mem.Ref.Shape.Member != nil {
		elemRef = mem.Ref.Shape.Member
	}
	sl := reflect.MakeSlice(f.Type(), len(vs), len(vs))
	for i, s := range vs {
		if err := SetText(sl.Index(i), elemRef, s, def); err != nil {
			return err
		}
	}
	f.Set(sl)
	return nil
}

func bindHeaders(p *plan, h http.Header, v reflect.Value) error {
	for _, mem := range p.header {
		vs := h.Values(headerName(mem))
		if len(vs) == 0 {
			continue
		}
		f := v.Field(mem.Field)
		if f.Kind() == reflect.Slice && f.Type().Elem().Kind() != reflect.Uint8 {
			joined := strings.Join(vs, ", ")
			var items []string
			if strings.TrimSpace(joined) != "" {
				items = SplitHeaderList(joined)
				if el := mem.Ref.Shape; el != nil && el.Member != nil && el.Member.Shape != nil &&
					el.Member.Shape.Type == api.TypeTimestamp &&
					el.Member.TimestampFormatOr(api.TimestampRFC822) == api.TimestampRFC822 {
					items = joinHTTPDates(items)
				}
			}
			if err := setList(f, mem, items, api.TimestampRFC822); err != nil {
				return bindError("header", mem, err)
			}
			continue
		}
		if err := SetText(f, &mem.Ref, strings.TrimSpace(vs[0]), api.TimestampRFC822); err != nil {
			return bindError("header", mem, err)
		}
	}
	for _, mem := range p.prefix {
		f := v.Field(mem.Field)
		if f.Kind() != reflect.Map {
			continue
		}
		prefix := mem.Ref.LocationName // may be "": then every header
		// The map is set even when empty: clients send no header for an
		// empty map, and handlers then see the same value either way.
		mp := reflect.MakeMap(f.Type())
		for name, vs := range h {
			if !hasPrefixFold(name, prefix) || len(vs) == 0 {
				continue
			}
			key := strings.ToLower(name[len(prefix):])
			mp.SetMapIndex(reflect.ValueOf(key).Convert(f.Type().Key()),
				reflect.ValueOf(strings.Join(vs, ",")).Convert(f.Type().Elem()))
		}
		f.Set(mp)
	}
	return nil
}

// SplitHeaderList splits a comma-separated header value into its items,
// honouring double-quoted items (which may contain commas and \" escapes)
// and trimming spaces around each item.
func SplitHeaderList(s string) []string {
	var out []string
	for i := 0; i <= len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i < len(s) && s[i] == '"' {
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			out = append(out, b.String())
			i = j + 1
			for i < len(s) && s[i] != ',' {
				i++
			}
			i++
			continue
		}
		j := strings.IndexByte(s[i:], ',')
		if j < 0 {
			out = append(out, strings.TrimSpace(s[i:]))
			break
		}
		out = append(out, strings.TrimSpace(s[i:i+j]))
		i += j + 1
	}
	return out
}

// joinHTTPDates rejoins the halves of HTTP dates ("Mon, 16 Dec 2019 …")
// that splitting a header list on commas cut apart.
func joinHTTPDates(items []string) []string {
	out := items[:0:0]
	for i := 0; i < len(items); i++ {
		if len(items[i]) == 3 && i+1 < len(items) {
			out = append(out, items[i]+", "+items[i+1])
			i++
			continue
		}
		out = append(out, items[i])
	}
	return out
}

func bindBody(c *api.Call, s *api.Shape, p *plan, v reflect.Value, body Body) error {
	if p.payload != nil {
		mem := p.payload
		f := v.Field(mem.Field)
		// A streaming payload is handed over unread.
		if f.Kind() == reflect.Interface && f.Type().NumMethod() > 0 {
			var rc io.ReadCloser
			if c.Body != nil || c.Request.Body == nil {
				rc = io.NopCloser(bytes.NewReader(c.Body))
			} else {
				rc = c.Request.Body
			}
			if reflect.TypeOf(rc).AssignableTo(f.Type()) {
				f.Set(reflect.ValueOf(rc))
				return nil
			}
		}
		data, err := requestBody(c)
		if err != nil {
			return err
		}
		if isRawPayload(mem) {
			if len(data) == 0 {
				return nil
			}
			switch f.Kind() {
			case reflect.Slice:
				f.SetBytes(bytes.Clone(data))
			case reflect.Pointer:
				pv := reflect.New(f.Type().Elem())
				pv.Elem().SetString(string(data))
				f.Set(pv)
			case reflect.String:
				f.SetString(string(data))
			}
			return nil
		}
		// SDKs send "{}" for a structure payload that is not set, so an
		// empty object leaves the member absent (a document's {} is a value).
		if t := bytes.TrimSpace(data); len(t) == 0 || isEmptyObject(t) && (mem.Ref.Shape == nil || !mem.Ref.Shape.Document) {
			return nil
		}
		return body.Unmarshal(data, mem.Ref.Shape, mem, f)
	}
	if !p.hasBody {
		return nil
	}
	data, err := requestBody(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	return body.Unmarshal(data, s, nil, v)
}

// requestBody returns the request body, read whole, inflated when the
// client compressed it with gzip (SDKs do for operations with the
// requestCompression trait).
func requestBody(c *api.Call) ([]byte, error) {
	data := c.Body
	if data == nil && c.Request != nil && c.Request.Body != nil {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return nil, api.NewSerializationError("reading request body: %v", err)
		}
		data = b
		c.Body = b
	}
	if c.Request != nil && strings.Contains(strings.ToLower(c.Request.Header.Get("Content-Encoding")), "gzip") && len(data) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, api.NewSerializationError("gzip body: %v", err)
		}
		b, err := io.ReadAll(io.LimitReader(zr, maxGzipBody+1))
		if err != nil {
			return nil, api.NewSerializationError("gzip body: %v", err)
		}
		if len(b) > maxGzipBody {
			return nil, &api.Error{Code: "RequestEntityTooLargeException", Status: http.StatusRequestEntityTooLarge, Sender: true,
				Message: fmt.Sprintf("inflated request body exceeds %d bytes", maxGzipBody)}
		}
		data = b
	}
	return data, nil
}

// isEmptyObject reports whether b is "{}" (spaces allowed inside),
// what a client sends for an unset structure payload.
func isEmptyObject(b []byte) bool {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	return len(bytes.TrimSpace(b[1:len(b)-1])) == 0
}
