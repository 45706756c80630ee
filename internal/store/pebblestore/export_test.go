package pebblestore

// OpenFS exposes openFS to the external tests.
var OpenFS = openFS
