// Package jsonenc reads and writes the JSON bodies of the AWS json (1.0,
// 1.1) and rest-json protocols by walking a schema (*api.Shape) and a typed
// Go value side by side.
//
// Decoding is a streaming tokenizer over the whole body guided by the
// schema: keys are looked up in a per-shape table and values are stored
// straight into the Go struct, never through map[string]any. Encoding
// appends to a caller-supplied buffer (codecs pool them). Per-shape tables
// are computed once and cached; a schema never changes after
// api.Service.Index, so the cache cannot go stale.
//
// Wire rules shared by both protocols: a member's key is its locationName
// (jsonName) if set, else its name; timestamps default to epoch seconds
// (fractional, millisecond precision) and strings in any AWS format are
// accepted too; blobs are base64; floats NaN and ±Infinity are the strings
// "NaN", "Infinity", "-Infinity"; null and absent are the same; unknown
// members are ignored. Every decoding failure is an *api.Error with code
// SerializationException, and nesting is bounded (maxDepth) so that no
// input can exhaust the stack.
package jsonenc
