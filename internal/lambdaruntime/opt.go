package lambdaruntime

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// mergeLayers builds dst as the union of layers, later layers overriding earlier ones file by
// file, the way Lambda extracts layers into /opt in order. Files are symlinks into the layer
// dirs (owned read-only by the control plane), so a merge costs one syscall per entry and no
// copy; directories are real so two layers can both contribute to python/ or nodejs/node_modules/.
func mergeLayers(dst string, layers []string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dst, err)
	}
	for _, layer := range layers {
		err := filepath.WalkDir(layer, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(layer, p)
			if err != nil || rel == "." {
				return err
			}
			target := filepath.Join(dst, rel)
			if d.IsDir() {
				// A file of an earlier layer where this layer has a directory: the directory wins.
				if st, err := os.Lstat(target); err == nil && !st.IsDir() {
					_ = os.Remove(target)
				}
				return os.MkdirAll(target, 0o755)
			}
			if st, err := os.Lstat(target); err == nil {
				if st.IsDir() {
					if err := os.RemoveAll(target); err != nil {
						return err
					}
				} else if err := os.Remove(target); err != nil {
					return err
				}
			}
			abs, err := filepath.Abs(p)
			if err != nil {
				return err
			}
			return os.Symlink(abs, target)
		})
		if err != nil {
			return fmt.Errorf("merging layer %s into %s: %w", layer, dst, err)
		}
	}
	return nil
}
