package rest

import (
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/eventstream"
)

// bufPool recycles response buffers; a buffer that grew past maxPooled is
// dropped so one large response does not pin memory.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

const maxPooled = 64 << 10

// EncodeResponse writes a successful response for c.Op: header members,
// the status code (statusCode member, else the operation's ResponseCode,
// else 200) and the body — a raw or streaming payload, a structure payload
// or the body members through body. out is a pointer to the output struct,
// or nil. The x-amzn-RequestId header is set from c.RequestID.
func EncodeResponse(w http.ResponseWriter, c *api.Call, out any, body Body) error {
	h := w.Header()
	if c.RequestID != "" {
		h.Set("X-Amzn-Requestid", c.RequestID)
	}
	status := http.StatusOK
	if c.Op != nil && c.Op.ResponseCode != 0 {
		status = c.Op.ResponseCode
	}
	var s *api.Shape
	if c.Op != nil {
		s = c.Op.Output
	}
	v := reflect.ValueOf(out)
	if s == nil || !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		w.WriteHeader(status)
		return nil
	}
	v = v.Elem()
	p := planFor(s)
	EncodeHeaders(h, s, v)
	if p.status != nil {
		if code, ok := intField(v.Field(p.status.Field)); ok && code >= 100 && code <= 999 {
			status = int(code)
		}
	}
	if p.payload != nil {
		if sh := p.payload.Ref.Shape; sh != nil && sh.EventStream {
			return writeEvents(w, c, status, sh, v.Field(p.payload.Field), body)
		}
		return writePayload(w, status, p.payload, v.Field(p.payload.Field), body)
	}
	if !p.hasOutBody {
		if eb, ok := body.(EmptyBodier); ok && status != http.StatusNoContent && status != http.StatusNotModified {
			if b := eb.EmptyBody(); b != nil {
				h.Set("Content-Type", body.ContentType())
				h.Set("Content-Length", strconv.Itoa(len(b)))
				w.WriteHeader(status)
				_, err := w.Write(b)
				return err
			}
		}
		w.WriteHeader(status)
		return nil
	}
	return writeBody(w, status, s, nil, v, body)
}

func writeBody(w http.ResponseWriter, status int, s *api.Shape, payload *api.Member, v reflect.Value, body Body) error {
	bp := bufPool.Get().(*[]byte)
	buf, err := body.Marshal((*bp)[:0], s, payload, v)
	if err != nil {
		bufPool.Put(bp)
		return err
	}
	h := w.Header()
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", body.ContentType())
	}
	h.Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(status)
	_, err = w.Write(buf)
	if cap(buf) <= maxPooled {
		*bp = buf[:0]
		bufPool.Put(bp)
	}
	return err
}

func writePayload(w http.ResponseWriter, status int, mem *api.Member, f reflect.Value, body Body) error {
	h := w.Header()
	switch {
	case f.Kind() == reflect.Interface && f.Type().NumMethod() > 0:
		if f.IsNil() {
			w.WriteHeader(status)
			return nil
		}
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/octet-stream")
		}
		w.WriteHeader(status)
		r, _ := f.Interface().(io.Reader)
		if r == nil {
			return nil
		}
		_, err := io.Copy(w, r)
		if c, ok := r.(io.Closer); ok {
			c.Close()
		}
		return err
	case isRawPayload(mem):
		var data []byte
		ct := "application/octet-stream"
		switch f.Kind() {
		case reflect.Slice:
			data = f.Bytes()
		case reflect.Pointer:
			if !f.IsNil() {
				data = []byte(f.Elem().String())
			}
			ct = "text/plain"
		case reflect.String:
			data = []byte(f.String())
			ct = "text/plain"
		}
		if data == nil {
			w.WriteHeader(status)
			return nil
		}
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", ct)
		}
		h.Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(status)
		_, err := w.Write(data)
		return err
	}
	if (f.Kind() == reflect.Pointer || f.Kind() == reflect.Interface) && f.IsNil() {
		w.WriteHeader(status)
		return nil
	}
	return writeBody(w, status, mem.Ref.Shape, mem, f, body)
}

// EmptyBodier is implemented by a Body that answers with a body even when
// the output has no body members and no payload: rest-json sends "{}", as
// Smithy servers have since 2021. 204 and 304 responses stay empty.
type EmptyBodier interface {
	EmptyBody() []byte
}

// EncodeHeaders sets the header and prefix-header members of v, a struct of
// shape s, on h: timestamps in RFC 822 unless the model says otherwise, lists
// comma-separated (items with commas or quotes quoted), JSON values base64.
// Codecs also call it for error shapes.
func EncodeHeaders(h http.Header, s *api.Shape, v reflect.Value) {
	if s == nil || !v.IsValid() {
		return
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	p := planFor(s)
	for _, mem := range p.header {
		f := v.Field(mem.Field)
		if f.Kind() == reflect.Slice && f.Type().Elem().Kind() != reflect.Uint8 {
			if f.IsNil() {
				continue
			}
			elemRef := &api.Ref{}
			if mem.Ref.Shape != nil && mem.Ref.Shape.Member != nil {
				elemRef = mem.Ref.Shape.Member
			}
			parts := make([]string, 0, f.Len())
			for i := 0; i < f.Len(); i++ {
				t, ok := Text(f.Index(i), elemRef, api.TimestampRFC822, true)
				if !ok {
					continue
				}
				if f.Index(i).Type() != timeType && (strings.ContainsAny(t, ",\"") || t != strings.TrimSpace(t)) {
					t = quoteListItem(t)
				}
				parts = append(parts, t)
			}
			h.Set(headerName(mem), strings.Join(parts, ", "))
			continue
		}
		if t, ok := Text(f, &mem.Ref, api.TimestampRFC822, true); ok {
			h.Set(headerName(mem), t)
		}
	}
	for _, mem := range p.prefix {
		f := v.Field(mem.Field)
		if f.Kind() != reflect.Map || f.IsNil() {
			continue
		}
		prefix := mem.Ref.LocationName // may be "": then every header
		it := f.MapRange()
		for it.Next() {
			if t, ok := Text(it.Value(), &api.Ref{}, api.TimestampRFC822, true); ok {
				// Not canonicalized: clients take the map key from the
				// header name as sent ("x-amz-meta-Color" → "Color").
				h[prefix+it.Key().String()] = []string{t}
			}
		}
	}
}

// quoteListItem quotes a header-list item that holds a comma or a quote or
// has spaces at either end,
// escaping only '"' and '\\' (RFC 9110 quoted-string), which is what
// SplitHeaderList and the SDKs undo.
func quoteListItem(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

func intField(f reflect.Value) (int64, bool) {
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return 0, false
		}
		f = f.Elem()
	}
	switch f.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return f.Int(), true
	}
	return 0, false
}

// writeEvents writes an event-stream payload: the head, then each event as
// an application/vnd.amazon.eventstream message — those c.Events emits as
// they come (flushed one by one), else the members set in the union f.
func writeEvents(w http.ResponseWriter, c *api.Call, status int, s *api.Shape, f reflect.Value, body Body) error {
	h := w.Header()
	h.Set("Content-Type", eventstream.ContentType)
	w.WriteHeader(status)
	fl, _ := w.(http.Flusher)
	emit := func(ev any) error {
		v := reflect.ValueOf(ev)
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return nil
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return nil
		}
		for i := range s.Members {
			m := &s.Members[i]
			mv := v.Field(m.Field)
			if (mv.Kind() == reflect.Pointer || mv.Kind() == reflect.Interface) && mv.IsNil() {
				continue
			}
			msg, err := eventMessage(m, mv, body)
			if err != nil {
				return err
			}
			if _, err := w.Write(msg); err != nil {
				return err
			}
		}
		if fl != nil {
			fl.Flush()
		}
		return nil
	}
	if c != nil && c.Events != nil {
		return c.Events(emit)
	}
	return emit(f.Interface())
}

// eventMessage frames one event: the member's name is its type; its
// eventpayload member (a blob or string raw, a structure as the body
// codec writes it) is the payload, else its other members in a body.
func eventMessage(m *api.Member, v reflect.Value, body Body) ([]byte, error) {
	es := m.Ref.Shape
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if es == nil || v.Kind() != reflect.Struct {
		return eventstream.AppendEvent(nil, m.Name, body.ContentType(), nil), nil
	}
	for i := range es.Members {
		pm := &es.Members[i]
		if !pm.Ref.EventPayload {
			continue
		}
		pv := v.Field(pm.Field)
		if isRawPayload(pm) {
			var data []byte
			ct := "application/octet-stream"
			switch pv.Kind() {
			case reflect.Slice:
				data = pv.Bytes()
			case reflect.Pointer:
				if !pv.IsNil() {
					data = []byte(pv.Elem().String())
				}
				ct = "text/plain"
			}
			return eventstream.AppendEvent(nil, m.Name, ct, data), nil
		}
		data, err := body.Marshal(nil, pm.Ref.Shape, pm, pv)
		if err != nil {
			return nil, err
		}
		return eventstream.AppendEvent(nil, m.Name, body.ContentType(), data), nil
	}
	data, err := body.Marshal(nil, es, nil, v)
	if err != nil {
		return nil, err
	}
	return eventstream.AppendEvent(nil, m.Name, body.ContentType(), data), nil
}
