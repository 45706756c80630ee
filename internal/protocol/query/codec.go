// Package query is the server side of the AWS query protocol: requests are
// form parameters (a POST body of application/x-www-form-urlencoded, or the
// URL query string of a GET, merged), "Action" names the operation, and
// responses and errors are XML documents. SQS (for AWS CLI v2.9 and older
// SDKs), SNS, STS, IAM, CloudFormation and ElastiCache speak it.
//
// Codec is stateless: Resolve parses the form once and leaves it in
// Call.Scratch for Decode. Member naming follows botocore's query serializer
// (see Decode) so that anything a real client sends decodes to the value it
// meant; Encode and EncodeError follow botocore's query parser and what AWS
// was recorded answering (conformance/aws-recorded).
//
// SQS quirks live here too, because they are visible on the wire: query
// errors carry an empty <Detail/>, and a request posted to a queue's URL
// without a QueueUrl parameter addresses that queue.
package query

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/xmlenc"
)

// Protocol is the name this codec serves in api.Service.Protocols.
const Protocol = "query"

// Codec implements api.Codec for the query protocol.
type Codec struct{}

var _ api.Codec = Codec{}

// Resolve parses the request's parameters and finds the operation its
// Action names.
func (Codec) Resolve(c *api.Call) error {
	f, err := parseRequest(c)
	if err != nil {
		return err
	}
	c.Scratch = f
	action := f.get("Action")
	if action == "" {
		return &api.Error{Code: "MissingAction", Status: http.StatusBadRequest, Sender: true,
			Message: "The request is missing an action or a required parameter."}
	}
	svc := c.Service.For(Protocol)
	op := svc.Operation(action)
	if op == nil {
		return &api.Error{Code: "InvalidAction", Status: http.StatusBadRequest, Sender: true,
			Message: fmt.Sprintf("The action %s is not valid for this endpoint.", action)}
	}
	c.Op = op
	return nil
}

// parseRequest merges the URL query string and, for a form body, the body's
// parameters; body parameters come first, so they win over the URL's.
func parseRequest(c *api.Call) (*form, error) {
	body, err := inflate(c)
	if err != nil {
		return nil, err
	}
	rawQuery := ""
	if c.Request != nil && c.Request.URL != nil {
		rawQuery = c.Request.URL.RawQuery
	}
	f := newForm(nameParts(body) + nameParts(rawQuery))
	if len(body) > 0 && isForm(c.Request) {
		if err := f.parseInto(string(body)); err != nil {
			return nil, malformed(err)
		}
	}
	if rawQuery != "" {
		if err := f.parseInto(rawQuery); err != nil {
			return nil, malformed(err)
		}
	}
	return f, nil
}

// nameParts counts the dot-separated parts of the parameter names in a form
// string: an upper bound on the tree's nodes (escaped dots aside, which
// then come from the heap). Values are skipped, so a message body full of
// dots does not inflate the count.
func nameParts[T string | []byte](s T) int {
	n := 0
	inName := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			inName = true
		case !inName:
		case c == '=':
			inName = false
			n++
		case c == '.':
			n++
		}
	}
	return n + 1 // the last name, if it had no '='
}

// maxInflated bounds a gzip-encoded body once inflated, so a small
// compressed request cannot exhaust memory.
const maxInflated = 16 << 20

// inflate returns the request body, gunzipped when the client compressed it
// (SDKs do for operations with the requestCompression trait).
func inflate(c *api.Call) ([]byte, error) {
	if c.Request == nil || len(c.Body) == 0 || !strings.Contains(strings.ToLower(c.Request.Header.Get("Content-Encoding")), "gzip") {
		return c.Body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(c.Body))
	if err != nil {
		return nil, malformed(fmt.Errorf("gzip body: %w", err))
	}
	b, err := io.ReadAll(io.LimitReader(zr, maxInflated+1))
	if err != nil {
		return nil, malformed(fmt.Errorf("gzip body: %w", err))
	}
	if len(b) > maxInflated {
		return nil, &api.Error{Code: "RequestEntityTooLarge", Status: http.StatusRequestEntityTooLarge, Sender: true,
			Message: fmt.Sprintf("The inflated request body exceeds %d bytes.", maxInflated)}
	}
	return b, nil
}

// isForm reports whether r's body holds form parameters: it says so, or it
// says nothing (some hand-rolled clients send no Content-Type).
func isForm(r *http.Request) bool {
	if r == nil {
		return true
	}
	ct := r.Header.Get("Content-Type")
	return ct == "" || strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/x-www-form-urlencoded")
}

func malformed(err error) *api.Error {
	return &api.Error{Code: "MalformedQueryString", Status: http.StatusBadRequest, Sender: true,
		Message: "The query string is malformed: " + err.Error()}
}

// Decode fills in (a pointer to c.Op's input struct) from the parameters
// Resolve parsed. Names follow botocore's query serializer:
//
//   - a member is its locationName, else its name; nested structures are "A.B";
//   - a list is "Name.member.N" (the list member's locationName replaces
//     "member"), or "Name.N" when flattened (the list member's locationName,
//     if set, replaces "Name"); an empty list is "Name=";
//   - a map is "Name.entry.N.key" / ".value" (key and value locationNames
//     replace "key" and "value"), or "Name.N.key" when flattened.
//
// Items are taken in numeric order and gaps are tolerated. Unknown
// parameters are ignored, as AWS ignores them. A value that does not parse
// as its member's type is an InvalidParameterValue error.
func (Codec) Decode(c *api.Call, in any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &api.Error{Code: "InvalidParameterValue", Status: http.StatusBadRequest, Sender: true,
				Message: "The request could not be decoded."}
		}
	}()
	f, ok := c.Scratch.(*form)
	if !ok {
		if f, err = parseRequest(c); err != nil {
			return err
		}
		c.Scratch = f
	}
	op := queryOp(c)
	if op == nil || op.Input == nil || in == nil {
		return nil
	}
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return api.NewInternalFailure()
	}
	if err := decodeStruct(f, op.Input, v.Elem()); err != nil {
		var pe *paramError
		if errors.As(err, &pe) {
			return &api.Error{Code: "InvalidParameterValue", Status: http.StatusBadRequest, Sender: true,
				Message: fmt.Sprintf("Value %s for parameter %s is invalid. Reason: %s.", pe.text, pe.path, reason(pe.ref))}
		}
		return err
	}
	queueURLFromPath(c, op, v.Elem())
	return nil
}

// queryOp returns c.Op as the service's query description has it. The
// router passes that description, but an operation taken from a JSON-first
// model (SQS) would lack the query traits (flattened lists, locationNames,
// resultWrapper); both share Go types, so swapping is safe.
func queryOp(c *api.Call) *api.Operation {
	if c.Op == nil || c.Service == nil {
		return c.Op
	}
	if v := c.Service.For(Protocol); v != c.Service {
		if op := v.Operation(c.Op.Name); op != nil {
			return op
		}
	}
	return c.Op
}

// queueURLFromPath fills an SQS request's absent QueueUrl from the request
// path: older clients (boto 2, PHP SDK v2, hand-written scripts) post to the
// queue's URL and leave the parameter out, and SQS accepts that.
func queueURLFromPath(c *api.Call, op *api.Operation, v reflect.Value) {
	if c.Service == nil || (c.Service.Name != "sqs" && c.Service.ServiceID != "SQS") || c.Request == nil || c.Request.URL == nil {
		return
	}
	path := c.Request.URL.Path
	if path == "" || path == "/" {
		return
	}
	m := op.Input.MemberByName("QueueUrl")
	if m == nil {
		return
	}
	f := v.Field(m.Field)
	if f.Kind() != reflect.Pointer || !f.IsNil() || f.Type().Elem().Kind() != reflect.String {
		return
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	host := c.Request.Host
	if host == "" {
		host = c.Request.URL.Host
	}
	u := reflect.New(f.Type().Elem())
	u.Elem().SetString(scheme + "://" + host + path)
	f.Set(u)
}

// paramError is a parameter whose text does not parse as its member's type.
// Its path is built while unwinding, so decoding a valid request never
// spends an allocation on names it would only need for an error.
type paramError struct {
	path, text string
	ref        *api.Ref
}

func (e *paramError) Error() string { return "invalid value for parameter " + e.path }

// under prefixes the path of a *paramError with name.
func under(name string, err error) error {
	if pe, ok := err.(*paramError); ok {
		if pe.path == "" {
			pe.path = name
		} else {
			pe.path = name + "." + pe.path
		}
	}
	return err
}

func decodeStruct(f *form, s *api.Shape, v reflect.Value) error {
	for i := range s.Members {
		m := &s.Members[i]
		// botocore's serializer first (the list member's name for a
		// flattened list), then the other names clients use.
		name := xmlenc.MemberName(m)
		n := f.child(name)
		if n == nil {
			for _, alt := range xmlenc.CandidateNames(m) {
				if alt != "" && alt != name {
					if n = f.child(alt); n != nil {
						name = alt
						break
					}
				}
			}
		}
		if n == nil {
			continue
		}
		if err := decodeValue(n, &m.Ref, v.Field(m.Field)); err != nil {
			return under(name, err)
		}
	}
	return nil
}

// decodeValue fills f (described by r) from the parameters under n.
func decodeValue(n *form, r *api.Ref, f reflect.Value) error {
	s := r.Shape
	if s == nil {
		return nil
	}
	switch s.Type {
	case api.TypeStructure:
		if f.Kind() != reflect.Pointer || f.Type().Elem().Kind() != reflect.Struct {
			return nil // a document: the query protocol has no form for it
		}
		if f.IsNil() {
			f.Set(reflect.New(f.Type().Elem()))
		}
		return decodeStruct(n, s, f.Elem())
	case api.TypeList:
		if f.Kind() != reflect.Slice || s.Member == nil {
			return nil
		}
		items, wrap := n.indexed(), ""
		if !r.IsFlattened() {
			itemName := xmlenc.ItemName(s)
			if w := n.child(itemName); w != nil {
				items, wrap = w.indexed(), itemName
			}
		}
		if len(items) == 0 && !n.has && f.IsNil() {
			return nil
		}
		out := reflect.MakeSlice(f.Type(), len(items), len(items))
		for i, it := range items {
			if err := decodeValue(it, s.Member, out.Index(i)); err != nil {
				err = under(it.name, err)
				if wrap != "" {
					err = under(wrap, err)
				}
				return err
			}
		}
		f.Set(out)
		return nil
	case api.TypeMap:
		if f.Kind() != reflect.Map || s.Key == nil || s.Value == nil {
			return nil
		}
		entries, wrap := n.indexed(), ""
		if !r.IsFlattened() {
			if w := n.child("entry"); w != nil {
				entries, wrap = w.indexed(), "entry"
			}
		}
		if len(entries) == 0 && !n.has && f.IsNil() {
			return nil
		}
		if f.IsNil() {
			f.Set(reflect.MakeMapWithSize(f.Type(), len(entries)))
		}
		kn, vn := xmlenc.KeyName(s), xmlenc.ValueName(s)
		for _, e := range entries {
			kf := e.child(kn)
			if kf == nil || !kf.has {
				continue
			}
			k := reflect.New(f.Type().Key()).Elem()
			err := setScalar(s.Key, k, kf.value)
			if err != nil {
				err = under(kn, err)
			}
			val := reflect.New(f.Type().Elem()).Elem()
			if vf := e.child(vn); vf != nil && err == nil {
				if err = decodeValue(vf, s.Value, val); err != nil {
					err = under(vn, err)
				}
			}
			if err != nil {
				err = under(e.name, err)
				if wrap != "" {
					err = under(wrap, err)
				}
				return err
			}
			f.SetMapIndex(k, val)
		}
		return nil
	}
	if !n.has {
		return nil
	}
	return setScalar(r, f, n.value)
}

func setScalar(r *api.Ref, f reflect.Value, text string) error {
	if err := xmlenc.SetScalar(r, f, text, api.TimestampISO8601); err != nil {
		return &paramError{text: text, ref: r}
	}
	return nil
}

// reason says what a parameter of r's type must look like.
func reason(r *api.Ref) string {
	switch r.Shape.Type {
	case api.TypeInteger, api.TypeLong, api.TypeShort, api.TypeByte, api.TypeBigInteger:
		return "Must be an integer"
	case api.TypeFloat, api.TypeDouble, api.TypeBigDecimal:
		return "Must be a number"
	case api.TypeBoolean:
		return "Must be true or false"
	case api.TypeTimestamp:
		return "Must be an ISO 8601 timestamp"
	case api.TypeBlob:
		return "Must be base64-encoded"
	}
	return "Malformed value"
}
