// Package restjson is the server side of the AWS "rest-json" protocol
// (Lambda, API Gateway, AppSync, EKS, …): the operation comes from the
// method and path (package rest), members are bound to labels, query
// parameters and headers (package rest), and the rest of the input or output
// is a JSON body (package jsonenc) — or, when the shape names a payload, the
// payload alone: a structure as JSON, a blob or string as the raw body, a
// streaming blob as an io.ReadCloser.
//
// Errors carry their code twice, in the X-Amzn-Errortype header and as
// "__type" in the body, with the message and the error shape's members;
// botocore and aws-sdk-go-v2 read the header first, other clients the body.
package restjson

import (
	"net/http"
	"reflect"
	"strconv"
	"sync"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/jsonenc"
	"github.com/fogbank/fogbank/internal/protocol/rest"
)

// Protocol is the protocol name this codec serves.
const Protocol = "rest-json"

// ContentType is the media type of JSON bodies.
const ContentType = "application/json"

// Codec implements api.Codec for rest-json. The zero value is ready to use
// and safe for concurrent use.
type Codec struct{}

var _ api.Codec = Codec{}

// Resolve finds the operation from the method and path; see rest.Resolve.
func (Codec) Resolve(c *api.Call) error { return rest.Resolve(c) }

// Decode binds labels, query, headers and the JSON body into in.
func (Codec) Decode(c *api.Call, in any) error { return rest.DecodeRequest(c, in, Body{}) }

// Encode writes out's header members, status and JSON body.
func (Codec) Encode(w http.ResponseWriter, c *api.Call, out any) error {
	return rest.EncodeResponse(w, c, out, Body{})
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// EncodeError writes e with its status, the X-Amzn-Errortype header and a
// JSON body {"__type", "message", members…}; header-bound members of the
// error shape become headers.
func (Codec) EncodeError(w http.ResponseWriter, c *api.Call, e *api.Error) {
	if e == nil {
		e = api.NewInternalFailure()
	}
	h := w.Header()
	for k, vs := range e.Header {
		h[k] = vs
	}
	if e.Shape != nil && e.Value != nil {
		rest.EncodeHeaders(h, e.Shape, reflect.ValueOf(e.Value))
	}
	h.Set("X-Amzn-Errortype", e.Code)
	h.Set("Content-Type", ContentType)
	if c != nil && c.RequestID != "" {
		h.Set("X-Amzn-Requestid", c.RequestID)
	}
	bp := bufPool.Get().(*[]byte)
	buf := jsonenc.AppendError((*bp)[:0], e.Code, e)
	h.Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(e.HTTPStatus())
	_, _ = w.Write(buf)
	*bp = buf[:0]
	bufPool.Put(bp)
}

// Body is the rest-json body codec for package rest: JSON through jsonenc.
type Body struct{}

var _ rest.Body = Body{}

// Unmarshal reads the body members of s (payload == nil) or the payload.
func (Body) Unmarshal(data []byte, s *api.Shape, payload *api.Member, v reflect.Value) error {
	if payload == nil {
		return jsonenc.UnmarshalStruct(data, s, v, true)
	}
	return jsonenc.Unmarshal(data, &payload.Ref, v)
}

// Marshal appends the body members of s (payload == nil) or the payload.
func (Body) Marshal(dst []byte, s *api.Shape, payload *api.Member, v reflect.Value) ([]byte, error) {
	if payload == nil {
		return jsonenc.AppendStruct(dst, s, v, true)
	}
	return jsonenc.Append(dst, &payload.Ref, v)
}

// EmptyBody is "{}": Smithy servers answer with a JSON object even when the
// output has no body members, and every client accepts it.
func (Body) EmptyBody() []byte { return []byte("{}") }

var _ rest.EmptyBodier = Body{}

// ContentType is application/json.
func (Body) ContentType() string { return ContentType }
