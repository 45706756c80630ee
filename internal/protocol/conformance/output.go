package conformance

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fogbank/fogbank/internal/api"
)

// RunOutput runs the output cases of file (e.g. "rest-xml.json") against
// codec: each case's result (or error) becomes a typed output (or an
// *api.Error), codec writes the response, and botocore's response parser,
// run in one python3 process for the whole file, must read it back to the
// case's result. It skips t when python3 or botocore is missing.
func RunOutput(t *testing.T, file string, codec api.Codec, opts ...Option) Result {
	t.Helper()
	r := newRun(t, "output", file, opts)

	// Encode every case first, then have botocore parse them all at once.
	type pending struct {
		id, skip string
		failures []string
		want     any
		bridge   int // index into bcs, or -1
	}
	var ps []pending
	var bcs []bridgeCase
	for si := range r.suites {
		s := &r.suites[si]
		for ci := range s.Cases {
			c := &s.Cases[ci]
			p := pending{id: c.ID, bridge: -1}
			if p.skip = r.skip.reason(r.direction, r.file, s.Description, c.ID); p.skip == "" {
				rec, failures := r.outputCase(si, ci, s, c, codec)
				p.failures = failures
				if len(failures) == 0 {
					p.want = expected(c)
					p.bridge = len(bcs)
					bcs = append(bcs, newBridgeCase(c.ID, s, c.Given, rec.Code, rec.Header(), rec.Body.Bytes(), c.isError()))
				}
			}
			ps = append(ps, p)
		}
	}

	var results []bridgeResult
	if len(bcs) > 0 {
		var err error
		results, err = parseWithBotocore(t.Context(), r.cfg.python, bcs)
		if errors.Is(err, errNoBotocore) {
			t.Skipf("conformance output %s: %v", file, err)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range ps {
		if p.bridge >= 0 {
			br := results[p.bridge]
			if br.Error != "" {
				p.failures = append(p.failures, "botocore could not parse the response: "+br.Error)
			} else {
				for _, d := range Diff(br.Parsed, p.want) {
					p.failures = append(p.failures, "parsed "+d)
				}
			}
			if len(p.failures) > 0 {
				p.failures = append(p.failures, describeResponse(bcs[p.bridge]))
			}
		}
		r.report(t, p.id, p.skip, p.failures)
	}
	return r.finish(t)
}

// outputCase encodes one output case and returns the recorded response, or
// the failures that kept it from being written.
func (r *run) outputCase(si, ci int, s *suite, c *testCase, codec api.Codec) (rec *httptest.ResponseRecorder, failures []string) {
	defer guard(&failures)
	op, svc, err := r.schemas(si, ci)
	if err != nil {
		return nil, []string{err.Error()}
	}
	method := op.Method
	if method == "" {
		method = http.MethodPost
	}
	req := httptest.NewRequest(method, "https://"+defaultHost+"/", http.NoBody)
	call := &api.Call{Service: svc, Op: op, Request: req, Protocol: protocolOf(svc, s),
		RequestID: requestID, Account: accountID, Region: region}
	rec = httptest.NewRecorder()
	if c.isError() {
		ae, err := caseError(op, svc, c)
		if err != nil {
			return nil, []string{err.Error()}
		}
		codec.EncodeError(rec, call, ae)
		return rec, nil
	}
	var out any
	if op.Output != nil {
		if out, err = Typed(op.Output, c.Result); err != nil {
			return nil, []string{fmt.Sprintf("building output: %v", err)}
		}
	}
	if err := codec.Encode(rec, call, out); err != nil {
		return nil, []string{fmt.Sprintf("Encode: %v", err)}
	}
	return rec, nil
}

// caseError builds the *api.Error a handler would return for an error case.
// The error shape is the one, among the operation's and the service's errors,
// named errorCode or whose error trait has that code (a query code).
func caseError(op *api.Operation, svc *api.Service, c *testCase) (*api.Error, error) {
	code := ""
	if c.ErrorCode != nil {
		code = *c.ErrorCode
	}
	ae := &api.Error{Code: code, Status: http.StatusBadRequest}
	if c.ErrorMessage != nil {
		ae.Message = *c.ErrorMessage
	}
	if c.Response != nil && c.Response.StatusCode != 0 {
		ae.Status = c.Response.StatusCode
	}
	sh := errorShape(op, svc, code)
	if sh == nil {
		ae.Sender = ae.Status < 500
		return ae, nil
	}
	ae.Code = sh.Name
	ae.QueryCode = sh.Error.Code
	ae.Sender = sh.Error.SenderFault || ae.Status < 500
	if len(sh.Members) > 0 && sh.GoType != nil {
		v, err := Typed(sh, c.Error)
		if err != nil {
			return nil, fmt.Errorf("building error %s: %w", sh.Name, err)
		}
		ae.Shape, ae.Value = sh, v
	}
	return ae, nil
}

// errorShape finds the error shape for code: by name first, then by the
// error trait's code, looking at the operation's errors before the service's.
func errorShape(op *api.Operation, svc *api.Service, code string) *api.Shape {
	all := append([]*api.Shape(nil), op.Errors...)
	names := make([]string, 0, len(svc.Errors))
	for n := range svc.Errors {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		all = append(all, svc.Errors[n])
	}
	for _, sh := range all {
		if sh != nil && sh.Name == code {
			return sh
		}
	}
	for _, sh := range all {
		if sh != nil && sh.Error.Code != "" && sh.Error.Code == code {
			return sh
		}
	}
	return nil
}

// expected is what botocore must parse an output case's response to: the
// result, or for errors {"Error": {"Code", "Message"}} beside the error's
// members, as botocore's tests/unit/test_protocols.py expects.
func expected(c *testCase) any {
	if !c.isError() {
		if c.Result == nil {
			return map[string]any{}
		}
		return c.Result
	}
	e := map[string]any{"Code": "", "Message": ""}
	if c.ErrorCode != nil {
		e["Code"] = *c.ErrorCode
	}
	if c.ErrorMessage != nil {
		e["Message"] = *c.ErrorMessage
	}
	want := map[string]any{"Error": e}
	if m, ok := c.Error.(map[string]any); ok {
		for k, v := range m {
			want[k] = v
		}
	}
	return want
}

// describeResponse renders a recorded response for a failure message.
func describeResponse(bc bridgeCase) string {
	keys := make([]string, 0, len(bc.Headers))
	for k := range bc.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "response: status %d", bc.StatusCode)
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %s: %s", k, bc.Headers[k])
	}
	body, _ := base64.StdEncoding.DecodeString(bc.BodyB64)
	if utf8.Valid(body) {
		fmt.Fprintf(&b, "\n  body: %s", body)
	} else {
		fmt.Fprintf(&b, "\n  body (base64): %s", bc.BodyB64)
	}
	return b.String()
}
