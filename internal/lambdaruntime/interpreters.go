package lambdaruntime

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// kind is the family of a runtime, which decides how an environment's process is started.
type kind int

const (
	kindProvided kind = iota // the zip's bootstrap
	kindPython               // our embedded Python runtime client on a host python3.X
	kindNode                 // our embedded Node runtime client on a host node
)

// runtimeSpec is what a Lambda runtime name resolves to on this host.
type runtimeSpec struct {
	kind    kind
	binary  string // interpreter path ("" for provided)
	version string // "3.12", "20.20.2"
	note    string // said in the function's log when the host's interpreter is not the asked one
	extra   string // python: a site-packages dir appended to PYTHONPATH so boto3 imports
	// python < 3.10: boto3 1.43 (the host's) needs 3.10, so these get Debian's python3-boto3
	// (botocore 1.29, which predates AWS_ENDPOINT_URL: the runtime client then patches
	// botocore to honour it).
	legacyBoto bool
}

// parseRuntime splits "python3.12" into its family and wanted minor, "nodejs20.x" into its major.
func parseRuntime(rt string) (k kind, major, minor int, err error) {
	switch {
	case rt == "provided" || strings.HasPrefix(rt, "provided."):
		return kindProvided, 0, 0, nil
	case strings.HasPrefix(rt, "python3."):
		m, err := strconv.Atoi(strings.TrimPrefix(rt, "python3."))
		if err != nil {
			break
		}
		return kindPython, 3, m, nil
	case strings.HasPrefix(rt, "nodejs") && strings.HasSuffix(rt, ".x"):
		m, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(rt, "nodejs"), ".x"))
		if err != nil {
			break
		}
		return kindNode, m, 0, nil
	}
	what := "this runtime"
	switch {
	case strings.HasPrefix(rt, "java"):
		what = "a Java runtime client (Fogbank ships Python and Node runtime clients only)"
	case strings.HasPrefix(rt, "dotnet"):
		what = "a .NET runtime (not installed, and Fogbank ships no .NET runtime client)"
	case strings.HasPrefix(rt, "ruby"):
		what = "a Ruby runtime (not installed, and Fogbank ships no Ruby runtime client)"
	case rt == "":
		return 0, 0, 0, fmt.Errorf("%w: the function has no Runtime (PackageType Image needs a container engine)", ErrRuntimeUnavailable)
	}
	return 0, 0, 0, fmt.Errorf("%w: %s needs %s; supported here: provided.al2023, provided.al2, python3.x, nodejs*.x", ErrRuntimeUnavailable, rt, what)
}

// interpreters finds host interpreters once per engine; lookups are cached because each one may
// stat dozens of paths or run `node --version`.
type interpreters struct {
	mu    sync.Mutex
	specs map[string]runtimeSpec
	errs  map[string]error
}

func (in *interpreters) resolve(rt string) (runtimeSpec, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if s, ok := in.specs[rt]; ok {
		return s, nil
	}
	if err, ok := in.errs[rt]; ok {
		return runtimeSpec{}, err
	}
	s, err := findRuntime(rt)
	if in.specs == nil {
		in.specs, in.errs = map[string]runtimeSpec{}, map[string]error{}
	}
	if err != nil {
		in.errs[rt] = err
	} else {
		in.specs[rt] = s
	}
	return s, err
}

func findRuntime(rt string) (runtimeSpec, error) {
	k, major, minor, err := parseRuntime(rt)
	if err != nil {
		return runtimeSpec{}, err
	}
	switch k {
	case kindPython:
		return findPython(rt, minor)
	case kindNode:
		return findNode(rt, major)
	}
	return runtimeSpec{kind: kindProvided}, nil
}

type pyCandidate struct {
	minor    int
	patch    int
	bin      string
	sitePkgs string // its site-packages, "" when unknown
}

func pyenvRoot() string {
	if r := os.Getenv("PYENV_ROOT"); r != "" {
		return r
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".pyenv")
	}
	return ""
}

// pythonCandidates lists the host's Python 3 interpreters: every pyenv version, then python3.X on
// the system paths.
func pythonCandidates() []pyCandidate {
	var out []pyCandidate
	if root := pyenvRoot(); root != "" {
		dirs, _ := filepath.Glob(filepath.Join(root, "versions", "3.*"))
		for _, d := range dirs {
			parts := strings.Split(filepath.Base(d), ".")
			if len(parts) < 2 {
				continue
			}
			minor, err := strconv.Atoi(parts[1])
			if err != nil {
				continue
			}
			patch := 0
			if len(parts) > 2 {
				patch, _ = strconv.Atoi(parts[2])
			}
			bin := filepath.Join(d, "bin", "python3")
			if !isExecutable(bin) {
				continue
			}
			out = append(out, pyCandidate{minor, patch, bin, filepath.Join(d, "lib", "python3."+parts[1], "site-packages")})
		}
	}
	for _, dir := range []string{"/usr/local/bin", "/usr/bin"} {
		bins, _ := filepath.Glob(filepath.Join(dir, "python3.*"))
		for _, b := range bins {
			minor, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(b), "python3."))
			if err != nil || !isExecutable(b) {
				continue
			}
			out = append(out, pyCandidate{minor: minor, patch: -1, bin: b})
		}
	}
	// Highest patch first within a minor; pyenv before system (patch -1).
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].minor != out[j].minor {
			return out[i].minor > out[j].minor
		}
		return out[i].patch > out[j].patch
	})
	return out
}

func findPython(rt string, minor int) (runtimeSpec, error) {
	cands := pythonCandidates()
	if len(cands) == 0 {
		return runtimeSpec{}, fmt.Errorf("%w: %s needs a Python 3 interpreter and none was found (looked in %s/versions, /usr/local/bin, /usr/bin)", ErrRuntimeUnavailable, rt, pyenvRoot())
	}
	best := cands[0]
	for _, c := range cands {
		d, bd := abs(c.minor-minor), abs(best.minor-minor)
		// Nearest minor; on a tie the newer one (cands is sorted newest first).
		if d < bd {
			best = c
		}
	}
	s := runtimeSpec{kind: kindPython, binary: best.bin, version: fmt.Sprintf("3.%d", best.minor)}
	if best.minor != minor {
		s.note = fmt.Sprintf("fogbank: %s asked for Python 3.%d, which this host lacks; running on Python 3.%d (%s), the nearest installed", rt, minor, best.minor, best.bin)
	}
	if !hasBoto3(best) {
		// AWS bundles boto3 in every Python runtime: borrow the site-packages of another
		// interpreter that has it, appended last so the function's own packages win.
		for _, c := range cands {
			if c.sitePkgs != "" && dirExists(filepath.Join(c.sitePkgs, "boto3")) {
				s.extra = c.sitePkgs
				break
			}
		}
		if best.minor < 10 {
			s.extra = ""
			if dirExists(filepath.Join(debianDist, "boto3")) {
				s.extra, s.legacyBoto = legacyBotoDir, true
			}
		}
		if s.extra == "" {
			note := fmt.Sprintf("fogbank: boto3 is not importable on Python 3.%d here (AWS bundles it): install it for %s", best.minor, best.bin)
			if best.minor < 10 {
				note += " or Debian's python3-boto3"
			}
			if s.note != "" {
				note = s.note + "\n" + note
			}
			s.note = note
		}
	}
	return s, nil
}

// debianDist is where Debian's python3-boto3 lives; legacyBotoDir marks "link its packages".
const (
	debianDist    = "/usr/lib/python3/dist-packages"
	legacyBotoDir = "\x00legacy-boto"
)

func hasBoto3(c pyCandidate) bool {
	if c.sitePkgs != "" {
		return dirExists(filepath.Join(c.sitePkgs, "boto3"))
	}
	for _, d := range []string{
		fmt.Sprintf("/usr/lib/python3/dist-packages/boto3"),
		fmt.Sprintf("/usr/local/lib/python3.%d/dist-packages/boto3", c.minor),
	} {
		if dirExists(d) {
			return true
		}
	}
	return false
}

// findNode picks the node binary whose major matches, else the nearest (only one is usually
// installed); versions come from `node --version`, run once per binary.
func findNode(rt string, major int) (runtimeSpec, error) {
	var bins []string
	if p, err := exec.LookPath("node"); err == nil {
		bins = append(bins, p)
	}
	if h, err := os.UserHomeDir(); err == nil {
		nvm, _ := filepath.Glob(filepath.Join(h, ".nvm", "versions", "node", "v*", "bin", "node"))
		bins = append(bins, nvm...)
	}
	bins = append(bins, "/usr/bin/node", "/usr/local/bin/node")
	seen := map[string]bool{}
	type cand struct {
		bin     string
		version string
		major   int
	}
	var cands []cand
	for _, b := range bins {
		real, err := filepath.EvalSymlinks(b)
		if err != nil || seen[real] || !isExecutable(real) {
			continue
		}
		seen[real] = true
		out, err := exec.Command(real, "--version").Output()
		if err != nil {
			continue
		}
		v := strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
		m, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
		if err != nil {
			continue
		}
		cands = append(cands, cand{real, v, m})
	}
	if len(cands) == 0 {
		return runtimeSpec{}, fmt.Errorf("%w: %s needs Node.js and no node binary was found (PATH, ~/.nvm, /usr/bin, /usr/local/bin)", ErrRuntimeUnavailable, rt)
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if d, bd := abs(c.major-major), abs(best.major-major); d < bd || (d == bd && c.major > best.major) {
			best = c
		}
	}
	s := runtimeSpec{kind: kindNode, binary: best.bin, version: best.version}
	if best.major != major {
		s.note = fmt.Sprintf("fogbank: %s asked for Node.js %d, which this host lacks; running on Node.js %s (%s), the nearest installed", rt, major, best.version, best.bin)
	}
	return s, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
