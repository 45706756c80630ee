package pebblestore

// OpenFS exposes openFS to the external tests.
var OpenFS = openFS

// ZeroChunk exposes zeroChunk: a WAL's size is a multiple of it.
const ZeroChunk = zeroChunk
