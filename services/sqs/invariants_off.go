//go:build !invariants

package sqs

// invariantsEnabled is off in normal builds; see invariants_on.go.
const invariantsEnabled = false
