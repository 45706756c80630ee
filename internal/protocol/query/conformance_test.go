package query

import (
	"testing"

	"github.com/fogbank/fogbank/internal/protocol/conformance"
)

// TestConformance runs botocore's query protocol suites against Codec: input
// cases must decode to their params, output cases must parse back (through
// botocore itself) to their results. Cases not yet passed are listed, with a
// reason, in conformance/testdata/skip.json.
func TestConformance(t *testing.T) {
	t.Run("input", func(t *testing.T) {
		conformance.RunInput(t, "query.json", Codec{})
	})
	t.Run("output", func(t *testing.T) {
		conformance.RunOutput(t, "query.json", Codec{})
	})
}
