package lambdaruntime

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
)

// The runtime clients for Python and Node ship inside the binary (AWS's own clients,
// awslambdaric and aws-lambda-nodejs-runtime-interface-client, are not installable here and
// would need native builds); they are written to <WorkDir>/runtime on first use.
//
//go:embed shims/bootstrap.py shims/bootstrap.cjs
var shimFS embed.FS

func writeShims(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating runtime dir: %w", err)
	}
	for _, name := range []string{"bootstrap.py", "bootstrap.cjs"} {
		b, err := shimFS.ReadFile("shims/" + name)
		if err != nil {
			return fmt.Errorf("reading embedded %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("writing runtime client %s: %w", name, err)
		}
	}
	return nil
}

// DefaultNodeSDKDir is where scripts/install-lambda-node-sdk.sh installs the AWS SDK for
// JavaScript v3 by default.
const DefaultNodeSDKDir = "/usr/local/lib/fogbank/lambda-node-sdk"

// findNodeSDK returns the node_modules dir holding @aws-sdk for Node functions: configured, then
// $FOGBANK_LAMBDA_NODE_SDK, then the install script's default, then ~/.local/share; "" if none.
func findNodeSDK(configured string) string {
	var cands []string
	if configured != "" {
		cands = append(cands, configured)
	} else {
		if d := os.Getenv("FOGBANK_LAMBDA_NODE_SDK"); d != "" {
			cands = append(cands, d)
		}
		cands = append(cands, DefaultNodeSDKDir)
		if h, err := os.UserHomeDir(); err == nil {
			cands = append(cands, filepath.Join(h, ".local", "share", "fogbank", "lambda-node-sdk"))
		}
	}
	for _, c := range cands {
		for _, nm := range []string{filepath.Join(c, "node_modules"), c} {
			if filepath.Base(nm) == "node_modules" && dirExists(filepath.Join(nm, "@aws-sdk")) {
				abs, err := filepath.Abs(nm)
				if err == nil {
					return abs
				}
			}
		}
	}
	return ""
}

// legacyBoto returns a dir holding only Debian's boto3 and its dependencies (symlinks), so
// Python < 3.10 gets a boto3 it can run without the rest of Debian's dist-packages.
func (st *engineState) legacyBoto() string {
	dir := filepath.Join(st.shimDir, "py-legacy-boto3")
	if _, err := os.Stat(filepath.Join(dir, "boto3")); err == nil {
		return dir
	}
	_ = os.MkdirAll(dir, 0o755)
	for _, name := range []string{"boto3", "botocore", "s3transfer", "urllib3", "dateutil", "jmespath", "six.py", "requests", "idna", "certifi", "chardet", "charset_normalizer"} {
		_ = os.Symlink(filepath.Join(debianDist, name), filepath.Join(dir, name))
	}
	return dir
}
