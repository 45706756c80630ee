package conformance

import (
	"fmt"

	"github.com/fogbank/fogbank/internal/api"
)

// Result counts the outcome of one run over one suite file.
type Result struct {
	Direction string // "input" or "output"
	File      string // "query.json"
	Passed    int
	Failed    int
	Skipped   int
	// Failures maps each failed case id to its first failure line.
	Failures map[string]string
}

// Total is the number of cases in the file.
func (r Result) Total() int { return r.Passed + r.Failed + r.Skipped }

// PassRate is the share of the cases that ran (not skipped) that passed; 1
// when none ran.
func (r Result) PassRate() float64 {
	if r.Passed+r.Failed == 0 {
		return 1
	}
	return float64(r.Passed) / float64(r.Passed+r.Failed)
}

// String is the summary line each run logs.
func (r Result) String() string {
	return fmt.Sprintf("conformance %s %s: %d passed, %d failed, %d skipped", r.Direction, r.File, r.Passed, r.Failed, r.Skipped)
}

// Option adjusts a run.
type Option func(*config)

type config struct {
	dir         string
	cases       map[string]*api.Operation
	suites      map[string]*api.Service
	skip        map[string]string
	minPassRate float64 // < 0: every failed case fails the test
	python      string
}

func newConfig(opts []Option) *config {
	c := &config{minPassRate: -1}
	for _, o := range opts {
		o(c)
	}
	return c
}

// WithSchemas sets the schemas of the cases, keyed as the generated package
// conformance/suites keys them: cases by "<direction>/<file>#<suite>#<case>",
// suites by "<direction>/<file>#<suite>" (0-based indexes). RunInput and
// RunOutput use that package's maps unless this option is given.
func WithSchemas(cases map[string]*api.Operation, suites map[string]*api.Service) Option {
	return func(c *config) { c.cases, c.suites = cases, suites }
}

// WithDir reads the suite files from dir (holding input/ and output/)
// instead of the one ProtocolsDir finds.
func WithDir(dir string) Option { return func(c *config) { c.dir = dir } }

// Skip adds cases to skip, id (or "<direction>/<file>:<id>") → reason, on top
// of testdata/skip.json. Codec packages use it for cases they know they fail.
func Skip(cases map[string]string) Option {
	return func(c *config) {
		if c.skip == nil {
			c.skip = map[string]string{}
		}
		for k, v := range cases {
			c.skip[k] = v
		}
	}
}

// MinPassRate turns case failures into log lines and fails the test only when
// the share of cases that pass (of those not skipped) is below rate. Without
// it every failed case fails its subtest. Meant for bringing a codec up.
func MinPassRate(rate float64) Option { return func(c *config) { c.minPassRate = rate } }

// WithPython runs the botocore bridge with this interpreter instead of
// $FOGBANK_PYTHON or python3.
func WithPython(path string) Option { return func(c *config) { c.python = path } }
