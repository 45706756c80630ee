package codegen

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedOutputIsCurrent regenerates every service and the suites in
// memory and compares them with the committed files, so a generator change
// that was not followed by `go generate` fails here and not only in CI's
// diff check. It skips when the models or suites are not available.
func TestCommittedOutputIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every model")
	}
	pkgs, err := GenerateServices(context.Background(), Services, ModuleCacheLoader())
	if err != nil {
		t.Skipf("models not available: %v", err)
	}
	for name, src := range pkgs {
		compareFile(t, filepath.Join("..", "api", name, "zz_generated.go"), src)
	}
	root := filepath.Join("..", "..", "..", "shared", "conformance", "botocore-protocols")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("suites not available: %v", err)
	}
	files, err := GenerateSuites(root, "suites")
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range files {
		compareFile(t, filepath.Join("..", "protocol", "conformance", "suites", name), src)
	}
}

func compareFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (run go generate)", err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go generate", path)
	}
}
