// Command fogbank-apigen generates Fogbank's wire layer from AWS service
// models: internal/api/<service> (run by internal/api/gen.go) and the
// conformance suites package (run by internal/protocol/conformance/suites/gen.go).
// See docs/codegen.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"

	"github.com/fogbank/fogbank/internal/codegen"
)

func main() {
	apiDir := flag.String("api", "", "write the generated service packages under `dir` (internal/api)")
	suitesRoot := flag.String("suites", "", "read botocore protocol suites from `dir` (shared/conformance/botocore-protocols)")
	out := flag.String("out", ".", "with -suites: write the suites package into `dir`")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *apiDir, *suitesRoot, *out); err != nil {
		fmt.Fprintln(os.Stderr, "fogbank-apigen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, apiDir, suitesRoot, out string) error {
	if apiDir == "" && suitesRoot == "" {
		return fmt.Errorf("nothing to do: give -api and/or -suites")
	}
	if suitesRoot != "" {
		files, err := codegen.GenerateSuites(suitesRoot, filepath.Base(mustAbs(out)))
		if err != nil {
			return err
		}
		if err := write(out, files); err != nil {
			return err
		}
	}
	if apiDir != "" {
		pkgs, err := codegen.GenerateServices(ctx, codegen.Services, codegen.ModuleCacheLoader())
		if err != nil {
			return err
		}
		for name, src := range pkgs {
			if err := write(filepath.Join(apiDir, name), map[string][]byte{"zz_generated.go": src}); err != nil {
				return err
			}
		}
	}
	return nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// write stores files in dir, in name order so failures are reproducible.
func write(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), files[n], 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", n, err)
		}
	}
	return nil
}
