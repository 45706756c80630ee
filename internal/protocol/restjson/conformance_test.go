package restjson_test

import (
	"testing"

	"github.com/fogbank/fogbank/internal/protocol/conformance"
	"github.com/fogbank/fogbank/internal/protocol/restjson"
)

// The botocore rest-json suites, both directions. Cases we cannot pass are
// in conformance/testdata/skip.json with their reasons; every other case must
// pass.
func TestConformance(t *testing.T) {
	t.Run("input", func(t *testing.T) {
		conformance.RunInput(t, "rest-json.json", restjson.Codec{})
	})
	t.Run("output", func(t *testing.T) {
		conformance.RunOutput(t, "rest-json.json", restjson.Codec{})
	})
}
