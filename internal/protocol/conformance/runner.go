package conformance

import (
	"fmt"
	"reflect"
	"runtime/debug"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
)

// Values every Call built by the harness carries.
const (
	requestID = "conformance-request-id"
	accountID = "123456789012"
	region    = "us-east-1"
)

// run is one pass over one suite file in one direction.
type run struct {
	cfg       *config
	direction string
	file      string
	suites    []suite
	skip      *skipList
	res       Result
}

// newRun loads the file, its skip list and the schemas; any failure to do so
// is fatal to t, since no case could run.
func newRun(t *testing.T, direction, file string, opts []Option) *run {
	t.Helper()
	cfg := newConfig(opts)
	if cfg.cases == nil {
		cfg.cases, cfg.suites = generatedSchemas()
	}
	if cfg.dir == "" {
		d, err := ProtocolsDir()
		if err != nil {
			t.Fatal(err)
		}
		cfg.dir = d
	}
	s, err := loadSuites(cfg.dir, direction, file)
	if err != nil {
		t.Fatal(err)
	}
	sl, err := loadSkipList(cfg.dir, direction, file, cfg.skip)
	if err != nil {
		t.Fatal(err)
	}
	return &run{cfg: cfg, direction: direction, file: file, suites: s, skip: sl,
		res: Result{Direction: direction, File: file, Failures: map[string]string{}}}
}

// schemas returns the case's operation and a service to resolve it against:
// the suite's service narrowed to that one operation, because cases of a
// suite may each define an operation of the same name.
func (r *run) schemas(si, ci int) (*api.Operation, *api.Service, error) {
	op := r.cfg.cases[caseKey(r.direction, r.file, si, ci)]
	if op == nil {
		return nil, nil, fmt.Errorf("no schema for case %s", caseKey(r.direction, r.file, si, ci))
	}
	svc := r.cfg.suites[suiteKey(r.direction, r.file, si)]
	if svc == nil {
		return nil, nil, fmt.Errorf("no service for suite %s", suiteKey(r.direction, r.file, si))
	}
	return op, narrow(svc, op), nil
}

// narrow returns a copy of svc that has op as its only operation. The copy
// is built field by field so that svc's operation index is not carried over.
func narrow(svc *api.Service, op *api.Operation) *api.Service {
	return &api.Service{
		Name: svc.Name, ServiceID: svc.ServiceID, EndpointPrefix: svc.EndpointPrefix, SigningName: svc.SigningName,
		APIVersion: svc.APIVersion, Protocols: svc.Protocols, JSONVersion: svc.JSONVersion,
		TargetPrefix: svc.TargetPrefix, XMLNamespace: svc.XMLNamespace, AWSQueryCompatible: svc.AWSQueryCompatible,
		Operations: []*api.Operation{op}, Errors: svc.Errors,
	}
}

// protocolOf is the protocol the suite's service speaks.
func protocolOf(svc *api.Service, s *suite) string {
	if len(svc.Protocols) > 0 {
		return svc.Protocols[0]
	}
	p, _ := s.Metadata["protocol"].(string)
	return p
}

// newInput returns a pointer to a zero input value for op.
func newInput(op *api.Operation) any {
	if op.NewInput != nil {
		return op.NewInput()
	}
	if op.Input != nil && op.Input.GoType != nil {
		return reflect.New(op.Input.GoType).Interface()
	}
	return new(struct{})
}

// report records the outcome of one case as a subtest named after its id.
// failures empty means it passed.
func (r *run) report(t *testing.T, id, skip string, failures []string) {
	t.Helper()
	switch {
	case skip != "":
		r.res.Skipped++
	case len(failures) == 0:
		r.res.Passed++
	default:
		r.res.Failed++
		r.res.Failures[id] = failures[0]
	}
	t.Run(id, func(t *testing.T) {
		if skip != "" {
			t.Skip(skip)
		}
		for _, f := range failures {
			if r.cfg.minPassRate < 0 {
				t.Error(f)
			} else {
				t.Log("FAIL (tolerated by MinPassRate): " + f)
			}
		}
	})
}

// finish logs the summary and enforces MinPassRate.
func (r *run) finish(t *testing.T) Result {
	t.Helper()
	t.Log(r.res.String())
	if r.cfg.minPassRate >= 0 && r.res.PassRate() < r.cfg.minPassRate {
		t.Errorf("%s: pass rate %.1f%% is below %.1f%%", r.res, 100*r.res.PassRate(), 100*r.cfg.minPassRate)
	}
	return r.res
}

// guard turns a panic in a codec into a failure line.
func guard(failures *[]string) {
	if p := recover(); p != nil {
		*failures = append(*failures, fmt.Sprintf("codec panicked: %v\n%s", p, debug.Stack()))
	}
}
