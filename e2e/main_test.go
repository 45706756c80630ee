package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// fogbankBin is the binary under test, built once by TestMain (or named by
// FOGBANK_BIN). binErr says why there is none.
var (
	fogbankBin string
	binErr     error
	// binMissing is set when cmd/fogbank has no Go files yet: a skip locally,
	// a failure in CI.
	binMissing bool
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fogbank-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	fogbankBin, binErr = buildFogbank(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildFogbank builds ./cmd/fogbank into dir, unless FOGBANK_BIN names a
// binary to test instead.
func buildFogbank(dir string) (string, error) {
	if bin := os.Getenv("FOGBANK_BIN"); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			return "", fmt.Errorf("FOGBANK_BIN: %w", err)
		}
		return bin, nil
	}
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	if m, _ := filepath.Glob(filepath.Join(root, "cmd", "fogbank", "*.go")); len(m) == 0 {
		binMissing = true
		return "", fmt.Errorf("cmd/fogbank has no Go files yet")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "fogbank")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/fogbank")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/fogbank: %w\n%s", err, out)
	}
	return bin, nil
}

// inCI reports whether missing prerequisites must fail rather than skip.
func inCI() bool { return os.Getenv("CI") == "true" }

// require skips t when err says something the test needs is missing on this
// machine, or fails it under CI=true.
func require(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if inCI() {
		t.Fatalf("%s is required in CI: %v", what, err)
	}
	t.Skipf("skipping: %s unavailable here: %v (bash .ci/run installs it; under CI=true this fails)", what, err)
}
