package lambdaruntime

import (
	"os"
	"strings"
	"testing"
)

// TestEphemeralStorageLimitsTmp: a zip function's TMPDIR is a tmpfs of EphemeralStorage when
// the engine may mount one (root), so writing past it fails with ENOSPC; the mount goes with
// the environment.
func TestEphemeralStorageLimitsTmp(t *testing.T) {
	e, _ := newEngine(t)
	fn := newFunction(t, "provided.al2023", "bootstrap", goFunction(t))
	fn.EphemeralMB = 16
	res := invoke(t, e, fn, `{"op":"fill","mb":8}`)
	if strings.Contains(string(res.Log), "fogbank: /tmp not limited") {
		t.Skipf("no tmpfs here: %s", res.Log)
	}
	var ok string
	okJSON(t, res, &ok)
	doc := failed(t, invoke(t, e, fn, `{"op":"fill","mb":32}`))
	if !strings.Contains(doc.ErrorMessage, "no space left on device") {
		t.Fatalf("over EphemeralStorage: %+v", doc)
	}
	work := e.impl.workDir
	e.Retire(fn.ARN)
	if m := mountsUnder(work); len(m) > 0 {
		t.Fatalf("mounts left after Retire: %v", m)
	}
}

func mountsUnder(dir string) []string {
	b, _ := os.ReadFile("/proc/self/mounts")
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(f[1], dir+"/") {
			out = append(out, f[1])
		}
	}
	return out
}
