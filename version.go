package fogbank

import "runtime/debug"

// Version returns the version Fogbank was built as: the module version when
// built with `go install …@version`, else the VCS revision, else "dev".
// cmd/fogbank may override it with -ldflags "-X main.version=…".
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}
