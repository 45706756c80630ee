package conformance

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"strings"
)

// parseScript is testdata/botocore_parse.py, run with python3 -c so that the
// harness works from any package's test directory.
//
//go:embed testdata/botocore_parse.py
var parseScript string

// errNoBotocore means python3 or botocore is missing; callers skip.
var errNoBotocore = errors.New("python3 with botocore is not available")

// bridgeCase is one response for botocore to parse, with the model it needs.
type bridgeCase struct {
	ID         string            `json:"id"`
	Metadata   map[string]any    `json:"metadata"`
	Shapes     any               `json:"shapes"`
	Given      json.RawMessage   `json:"given"`
	StatusCode int               `json:"status_code"`
	Headers    map[string]string `json:"headers"`
	BodyB64    string            `json:"body_b64"`
	IsError    bool              `json:"is_error"`
}

// bridgeResult is botocore's reading of one response: Parsed in generic form,
// or Error when botocore raised.
type bridgeResult struct {
	ID     string `json:"id"`
	Parsed any    `json:"parsed"`
	Error  string `json:"error"`
}

// newBridgeCase records a response for parsing. Repeated headers are joined
// with ", " as an HTTP/1.1 client would see them folded.
func newBridgeCase(id string, s *suite, given json.RawMessage, status int, h http.Header, body []byte, isError bool) bridgeCase {
	hm := make(map[string]string, len(h))
	for k, vs := range h {
		hm[k] = strings.Join(vs, ", ")
	}
	return bridgeCase{
		ID: id, Metadata: s.Metadata, Shapes: s.Shapes, Given: given,
		StatusCode: status, Headers: hm, BodyB64: base64.StdEncoding.EncodeToString(body), IsError: isError,
	}
}

// pythonPath picks the interpreter: the explicit one, $FOGBANK_PYTHON, or
// python3 on PATH.
func pythonPath(explicit string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	if p := os.Getenv("FOGBANK_PYTHON"); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("python3")
	if err != nil {
		return "", fmt.Errorf("%w: %w", errNoBotocore, err)
	}
	return p, nil
}

// parseWithBotocore runs one python3 process over all cases, so a suite file
// costs one interpreter start (about a third of a second) rather than one per
// case. Results come back in the order of cases.
func parseWithBotocore(ctx context.Context, python string, cases []bridgeCase) ([]bridgeResult, error) {
	py, err := pythonPath(python)
	if err != nil {
		return nil, err
	}
	if cases == nil {
		cases = []bridgeCase{} // an availability check: botocore imports, nothing to parse
	}
	in, err := json.Marshal(map[string]any{"cases": cases})
	if err != nil {
		return nil, fmt.Errorf("encoding bridge input: %w", err)
	}
	cmd := exec.CommandContext(ctx, py, "-c", parseScript)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			return nil, fmt.Errorf("%w: %s", errNoBotocore, strings.TrimSpace(stderr.String()))
		}
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %w", errNoBotocore, err)
		}
		return nil, fmt.Errorf("running botocore bridge: %w: %s", err, stderr.String())
	}
	var out struct {
		Results []bridgeResult `json:"results"`
	}
	d := json.NewDecoder(&stdout)
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		return nil, fmt.Errorf("decoding bridge output: %w", err)
	}
	if len(out.Results) != len(cases) {
		return nil, fmt.Errorf("botocore bridge returned %d results for %d cases", len(out.Results), len(cases))
	}
	return out.Results, nil
}
