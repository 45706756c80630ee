package jsonrpc_test

import (
	"testing"

	"github.com/fogbank/fogbank/internal/protocol/conformance"
	"github.com/fogbank/fogbank/internal/protocol/jsonrpc"
)

// The botocore json suites (JSON 1.1, JSON 1.0, query-compatible JSON 1.0),
// both directions; every case not skipped must pass. Cases we cannot pass are in
// conformance/testdata/skip.json with their reasons.
func TestConformance(t *testing.T) {
	for _, file := range []string{"json.json", "json_1_0.json", "json_1_0-query-compatible.json"} {
		t.Run("input/"+file, func(t *testing.T) {
			conformance.RunInput(t, file, jsonrpc.Codec{})
		})
		t.Run("output/"+file, func(t *testing.T) {
			conformance.RunOutput(t, file, jsonrpc.Codec{})
		})
	}
}
