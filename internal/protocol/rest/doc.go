// Package rest is the HTTP binding that rest-json and rest-xml share: it
// finds the operation a request addresses from its method and path (the
// model's requestUri templates), binds URI labels, query parameters, headers
// and the status code to and from members, and handles payload members that
// are raw bodies (blobs, strings, streams). What differs between the two
// protocols — how a structure is read from and written to the body, and the
// error envelope — stays in the protocol's own package.
//
// # Plugging in a body codec
//
// A REST protocol supplies a Body (for rest-json, JSON through jsonenc; for
// rest-xml, XML) and implements api.Codec with these calls:
//
//	func (Codec) Resolve(c *api.Call) error             { return rest.Resolve(c) }
//	func (Codec) Decode(c *api.Call, in any) error      { return rest.DecodeRequest(c, in, body) }
//	func (Codec) Encode(w http.ResponseWriter, c *api.Call, out any) error {
//		return rest.EncodeResponse(w, c, out, body)
//	}
//	func (Codec) EncodeError(w http.ResponseWriter, c *api.Call, e *api.Error) {
//		// protocol's envelope; rest.EncodeHeaders binds header members of
//		// e.Shape/e.Value, if any.
//	}
//
// The Body is called only for what is really a body:
//
//   - payload == nil: s is the operation's input or output shape and the Body
//     must read or write only the members for which InBody(m, output) holds:
//     api.LocationBody members, plus URI and query members in responses
//     (the others are bound here). v is the struct value.
//   - payload != nil: the shape names payload as its Payload and the payload
//     is a structure (or document): s is payload.Ref.Shape, v is the payload
//     field (a pointer to the struct, or the document's `any`), and every
//     member of s belongs to the body. For rest-xml the payload member's
//     LocationName (or the shape's) names the root element.
//
// A Body that also implements EmptyBodier gives the body of a response
// whose output has nothing for the body (rest-json's "{}").
//
// Blob and string payloads, streaming payloads (io.ReadCloser fields) and
// the Content-Type of raw bodies are handled here and never reach the Body.
//
// # Invariants
//
// Routers and binding plans are derived from a schema, which never changes
// after api.Service.Index, so they are computed once per *api.Service or
// *api.Shape and cached; the caches hold no other state. Every failure
// returned to a codec is an *api.Error.
package rest
