package conformance

import (
	"fmt"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
)

// RunInput runs the input cases of file (e.g. "query.json") against codec:
// each case's serialized request must Resolve to the case's operation and
// Decode to a value whose generic form equals the case's params. Each case is
// a subtest named after its id; the summary line is logged and returned.
func RunInput(t *testing.T, file string, codec api.Codec, opts ...Option) Result {
	t.Helper()
	r := newRun(t, "input", file, opts)
	for si := range r.suites {
		s := &r.suites[si]
		for ci := range s.Cases {
			c := &s.Cases[ci]
			if reason := r.skip.reason(r.direction, r.file, s.Description, c.ID); reason != "" {
				r.report(t, c.ID, reason, nil)
				continue
			}
			r.report(t, c.ID, "", r.inputCase(si, ci, s, c, codec))
		}
	}
	return r.finish(t)
}

// inputCase runs one input case and returns its failures.
func (r *run) inputCase(si, ci int, s *suite, c *testCase, codec api.Codec) (failures []string) {
	defer guard(&failures)
	op, svc, err := r.schemas(si, ci)
	if err != nil {
		return []string{err.Error()}
	}
	req, body, err := buildRequest(c.Serialized, s.ClientEndpoint)
	if err != nil {
		return []string{err.Error()}
	}
	call := &api.Call{Service: svc, Request: req, Body: body, Protocol: protocolOf(svc, s),
		RequestID: requestID, Account: accountID, Region: region}
	if err := codec.Resolve(call); err != nil {
		return []string{fmt.Sprintf("Resolve: %v", err)}
	}
	if call.Op != op {
		name := "<nil>"
		if call.Op != nil {
			name = call.Op.Name
		}
		return []string{fmt.Sprintf("Resolve chose operation %s, want %s", name, op.Name)}
	}
	in := newInput(op)
	if err := codec.Decode(call, in); err != nil {
		return []string{fmt.Sprintf("Decode: %v", err)}
	}
	got, err := Generic(op.Input, in)
	if err != nil {
		return []string{fmt.Sprintf("reading decoded input: %v", err)}
	}
	if got == nil {
		got = map[string]any{}
	}
	want := dropNulls(op.Input, c.Params)
	if want == nil {
		want = map[string]any{}
	}
	forgiveQueryMaps(op.Input, got, want)
	forgiveDroppedEmpties(op.Input, call.Protocol, got, want)
	for _, d := range Diff(got, want) {
		failures = append(failures, "params "+d)
	}
	return failures
}
