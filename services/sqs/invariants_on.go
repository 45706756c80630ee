//go:build invariants

package sqs

// invariantsEnabled turns on checkLocked after every receive (go test
// -tags invariants); a violation panics.
const invariantsEnabled = true
