package codegen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ModelLoader reads models/apis/<dir>/api-2.json from a version of
// ModelsModule.
type ModelLoader func(ctx context.Context, version, dir string) (*Model, error)

// ModuleCacheLoader returns a ModelLoader that finds module versions with
// `go mod download -json`, which answers from the module cache when the
// version is there (after `go mod download` for the version go.mod requires)
// and fetches it through GOPROXY otherwise.
func ModuleCacheLoader() ModelLoader {
	dirs := map[string]string{}
	return func(ctx context.Context, version, dir string) (*Model, error) {
		root, ok := dirs[version]
		if !ok {
			var err error
			if root, err = moduleDir(ctx, ModelsModule+"@"+version); err != nil {
				return nil, err
			}
			dirs[version] = root
		}
		m, err := ReadModel(filepath.Join(root, "models", "apis", dir, "api-2.json"))
		if err != nil {
			return nil, err
		}
		// Documentation is optional: without docs-2.json the output only
		// lacks doc comments.
		if b, err := os.ReadFile(filepath.Join(root, "models", "apis", dir, "docs-2.json")); err == nil {
			if err := m.MergeDocs(b); err != nil {
				return nil, fmt.Errorf("%s: %w", dir, err)
			}
		}
		return m, nil
	}
}

func moduleDir(ctx context.Context, mod string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", mod)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("locating %s: %w: %s", mod, err, stderr.Bytes())
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return "", fmt.Errorf("locating %s: %w", mod, err)
	}
	if info.Dir == "" {
		return "", fmt.Errorf("locating %s: %s", mod, info.Error)
	}
	return info.Dir, nil
}

// ReadModel reads and parses a model file.
func ReadModel(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading model: %w", err)
	}
	m, err := ParseModel(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
