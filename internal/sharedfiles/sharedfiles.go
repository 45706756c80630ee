// Package sharedfiles finds and reads the project's ground truth in shared/
// (botocore's protocol suites, responses recorded from real AWS), for the
// tests that replay it. shared/ is $FOGBANK_SHARED when set, else the
// directory beside the module root, as CI lays it out (../shared).
package sharedfiles

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Path returns shared/rel, found from $FOGBANK_SHARED, else from the module
// root above this source file or above the working directory.
func Path(rel string) (string, error) {
	if s := os.Getenv("FOGBANK_SHARED"); s != "" {
		return filepath.Join(s, rel), nil
	}
	var starts []string
	if _, file, _, ok := runtime.Caller(0); ok {
		starts = append(starts, filepath.Dir(file))
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, dir := range starts {
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				p := filepath.Join(d, "..", "shared", rel)
				if _, err := os.Stat(p); err == nil {
					return filepath.Clean(p), nil
				}
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return "", errors.New("shared/" + rel + " not found; set FOGBANK_SHARED to the shared/ directory")
}

// Dir is Path for a test: a missing directory fails the test under CI
// (CI=true), where shared/ must be there, and skips it elsewhere.
func Dir(t testing.TB, rel string) string {
	t.Helper()
	p, err := Path(rel)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return p
}

// Recorded reads the named snapshot files (all *.snapshot.json when none
// are named) of shared/conformance/aws-recorded/<service> and returns each
// entry's recorded-content by test id, with LocalStack's
// "tests/aws/services/<service>/" prefix taken off.
func Recorded(t testing.TB, service string, files ...string) map[string]map[string]any {
	t.Helper()
	dir := Dir(t, filepath.Join("conformance", "aws-recorded", service))
	if len(files) == 0 {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.snapshot.json"))
		for _, p := range paths {
			files = append(files, filepath.Base(p))
		}
	}
	want := map[string]map[string]any{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		var entries map[string]struct {
			Content map[string]any `json:"recorded-content"`
		}
		if err := json.Unmarshal(b, &entries); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k, e := range entries {
			want[strings.TrimPrefix(k, "tests/aws/services/"+service+"/")] = e.Content
		}
	}
	return want
}

// Skips reads a skip file: recorded test id → why it is not replayed.
func Skips(t testing.TB, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	skip := map[string]string{}
	if err := json.Unmarshal(b, &skip); err != nil {
		t.Fatal(fmt.Errorf("%s: %w", path, err))
	}
	return skip
}
