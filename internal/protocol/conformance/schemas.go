package conformance

import (
	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/conformance/suites"
)

// generatedSchemas returns the schemas generated from the suites
// (package conformance/suites), used unless a run is given WithSchemas.
func generatedSchemas() (map[string]*api.Operation, map[string]*api.Service) {
	return suites.Cases, suites.Suites
}
