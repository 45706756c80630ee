// Package conformance proves Fogbank's server-side wire codecs against
// botocore's protocol test suites (shared/conformance/botocore-protocols).
//
// The suites were written for clients, so the harness reads them the other
// way round:
//
//   - Input cases: the "serialized" HTTP request is what a client sends. The
//     codec must Resolve it to the case's operation and Decode it into a typed
//     input whose generic form (see Generic) equals the case's "params".
//   - Output cases: the case's "result" (or error) is turned into a typed
//     output (see Typed) or an *api.Error, the codec Encodes it, and botocore's
//     own response parser, run in python3, must read the recorded response
//     back to the case's "result". A real client is the judge, not a byte
//     comparison, because many encodings are equally valid.
//
// Input comparisons forgive only what a server cannot observe (see
// dropNulls, forgiveQueryMaps and forgiveDroppedEmpties): null params, empty
// lists and maps the wire form drops, and query-string maps that also see
// named parameters. Everything else must match exactly.
//
// Schemas come from the generated package conformance/suites (one
// *api.Operation per case, one *api.Service per suite). Cases the codecs do not
// pass yet are listed with a reason in testdata/skip.json, beside botocore's
// own protocol-tests-ignore-list.json; they are never deleted from the suites.
//
// The package holds no mutable package-level state: every run builds what it
// needs from its arguments, so codec tests may run in parallel.
package conformance
