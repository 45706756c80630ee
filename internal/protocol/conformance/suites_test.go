package conformance

import (
	"testing"

	"github.com/fogbank/fogbank/internal/protocol/conformance/suites"
)

// protocolFiles are the suite files Fogbank's codecs are proven against.
var protocolFiles = []string{"query.json", "json.json", "json_1_0.json", "json_1_0-query-compatible.json", "rest-json.json", "rest-xml.json"}

// TestGeneratedSchemasCoverSuites checks that package suites has a schema for
// every case and suite of every file, and that each typed value the harness
// builds from a case fits its generated Go type.
func TestGeneratedSchemasCoverSuites(t *testing.T) {
	dir, err := ProtocolsDir()
	if err != nil {
		t.Skip(err)
	}
	for _, direction := range []string{"input", "output"} {
		for _, file := range protocolFiles {
			ss, err := loadSuites(dir, direction, file)
			if err != nil {
				t.Fatal(err)
			}
			for si, s := range ss {
				if suites.Suites[suiteKey(direction, file, si)] == nil {
					t.Errorf("no Suites entry %s", suiteKey(direction, file, si))
				}
				for ci, c := range s.Cases {
					key := caseKey(direction, file, si, ci)
					op := suites.Cases[key]
					if op == nil {
						t.Errorf("no Cases entry %s (%s)", key, c.ID)
						continue
					}
					switch {
					case direction == "input":
						if _, err := Typed(op.Input, c.Params); err != nil {
							t.Errorf("%s (%s): params do not fit: %v", key, c.ID, err)
						}
					case c.isError():
						svc := suites.Suites[suiteKey(direction, file, si)]
						if _, err := caseError(op, narrow(svc, op), &c); err != nil {
							t.Errorf("%s (%s): %v", key, c.ID, err)
						}
					default:
						if _, err := Typed(op.Output, c.Result); err != nil {
							t.Errorf("%s (%s): result does not fit: %v", key, c.ID, err)
						}
					}
				}
			}
		}
	}
}

// TestRealSuitesWithFakeCodec drives the runners over real suite files with
// the toy JSON codec, tolerating its failures: it proves the harness handles
// every generated schema without crashing, and logs how far a naive codec
// gets.
func TestRealSuitesWithFakeCodec(t *testing.T) {
	if testing.Short() {
		t.Skip("runs python over whole suite files")
	}
	t.Run("input", func(t *testing.T) { RunInput(t, "json.json", fakeCodec{}, MinPassRate(0)) })
	t.Run("output", func(t *testing.T) { RunOutput(t, "json.json", fakeCodec{}, MinPassRate(0)) })
}
