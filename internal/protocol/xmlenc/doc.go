// Package xmlenc holds what the XML wire protocols (query responses and
// rest-xml bodies) share: escaping, writing a value of a schema shape as XML,
// reading an XML document into a small tree and that tree back into a typed
// value, and the text forms of scalars, which the query protocol's form
// parameters use too.
//
// Everything here is a pure function of its arguments: no package state, so
// codecs built on it are safe for concurrent use. Writers append to a caller's
// []byte (strconv style) so a response is built in one buffer without
// encoding/xml's reflection.
//
// Naming follows botocore, the reference client: a member's element is its
// locationName (on the member, else on the target shape), else the member's
// name; a non-flattened list wraps items named by the list member's
// locationName or "member"; a flattened list repeats the element, named by
// the list member's locationName when set; maps use "entry" with "key" and
// "value" (or the key/value locationNames), without "entry" when flattened.
package xmlenc
