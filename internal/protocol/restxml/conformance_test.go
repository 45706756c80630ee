package restxml

import (
	"testing"

	"github.com/fogbank/fogbank/internal/protocol/conformance"
)

// TestConformance runs botocore's rest-xml suites against Codec. Cases not
// yet passed are listed, with a reason, in conformance/testdata/skip.json.
func TestConformance(t *testing.T) {
	t.Run("input", func(t *testing.T) { conformance.RunInput(t, "rest-xml.json", Codec{}) })
	t.Run("output", func(t *testing.T) { conformance.RunOutput(t, "rest-xml.json", Codec{}) })
}
