package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/fogbank/fogbank/internal/sharedfiles"
)

// suite is one element of a botocore protocol test file: shared metadata and
// shapes, and the cases that use them.
type suite struct {
	Description    string          `json:"description"`
	Metadata       map[string]any  `json:"metadata"`
	ClientEndpoint string          `json:"clientEndpoint"`
	Shapes         json.RawMessage `json:"shapes"`
	Cases          []testCase      `json:"cases"`
}

// testCase is one case of a suite. Values stay generic (decoded with
// json.Number) so that longs and floats keep their exact text.
type testCase struct {
	ID          string          `json:"id"`
	Description string          `json:"description"`
	Given       json.RawMessage `json:"given"`

	// Input cases.
	Params     any         `json:"params"`
	Serialized *serialized `json:"serialized"`

	// Output cases.
	Result       any       `json:"result"`
	Response     *response `json:"response"`
	Error        any       `json:"error"`
	ErrorCode    *string   `json:"errorCode"`
	ErrorMessage *string   `json:"errorMessage"`
}

// serialized is the HTTP request of an input case.
type serialized struct {
	Method        string            `json:"method"`
	URI           string            `json:"uri"`
	Headers       map[string]string `json:"headers"`
	ForbidHeaders []string          `json:"forbidHeaders"`
	Body          string            `json:"body"`
	Host          string            `json:"host"`
}

// response is the HTTP response of an output case.
type response struct {
	StatusCode int               `json:"status_code"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
}

// isError reports whether an output case describes an error response.
func (c *testCase) isError() bool { return c.ErrorCode != nil || c.Error != nil }

// suiteKey and caseKey name suites and cases the way the generated package
// conformance/suites keys its Suites and Cases maps.
func suiteKey(direction, file string, si int) string {
	return fmt.Sprintf("%s/%s#%d", direction, file, si)
}

func caseKey(direction, file string, si, ci int) string {
	return fmt.Sprintf("%s/%s#%d#%d", direction, file, si, ci)
}

// loadSuites reads dir/direction/file.
func loadSuites(dir, direction, file string) ([]suite, error) {
	b, err := os.ReadFile(filepath.Join(dir, direction, file))
	if err != nil {
		return nil, fmt.Errorf("reading suite file: %w", err)
	}
	var s []suite
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&s); err != nil {
		return nil, fmt.Errorf("decoding %s/%s: %w", direction, file, err)
	}
	return s, nil
}

// ProtocolsDir returns the directory holding botocore's protocol suites
// (input/, output/, protocol-tests-ignore-list.json). It is
// $FOGBANK_SHARED/conformance/botocore-protocols when FOGBANK_SHARED is set,
// else shared/ beside the module root (../shared from it), found from this
// source file's location so it works whatever package's test calls it.
func ProtocolsDir() (string, error) {
	return sharedfiles.Path("conformance/botocore-protocols")
}
