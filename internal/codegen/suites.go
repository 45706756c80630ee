package codegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"
)

// SuiteFiles are the botocore protocol-test files the conformance suites
// package is generated from, under <root>/{input,output}/.
var SuiteFiles = []string{"query.json", "json.json", "json_1_0.json", "json_1_0-query-compatible.json", "rest-json.json", "rest-xml.json"}

// suite is one element of a botocore protocol-test file.
type suite struct {
	Metadata Metadata          `json:"metadata"`
	Shapes   map[string]*Shape `json:"shapes"`
	Cases    []struct {
		Given *Operation `json:"given"`
	} `json:"cases"`
}

// GenerateSuites reads the botocore protocol-test files under root
// (shared/conformance/botocore-protocols) and returns the Go files of package
// pkg, by file name. The package exports
//
//	var Cases map[string]*api.Operation  // "input/query.json#3#0" → the operation case 0 of suite 3 defines
//	var Suites map[string]*api.Service   // "input/query.json#3" → the suite's service
//
// Each suite's shapes get their own Go types, prefixed with the suite's file
// and index ("InputQuery3…") so suites never collide. Every case gets its own
// *api.Operation because two cases of one suite may define the same operation
// differently; a suite's Operations hold the first definition of each name.
// Invoke is nil: suites have no handlers.
func GenerateSuites(root, pkg string) (map[string][]byte, error) {
	out := map[string][]byte{}
	names := newNamer("Cases", "Suites")
	var parts []string
	for _, dir := range []string{"input", "output"} {
		for _, file := range SuiteFiles {
			b, err := os.ReadFile(filepath.Join(root, dir, file))
			if err != nil {
				return nil, fmt.Errorf("reading suites: %w", err)
			}
			var suites []suite
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.UseNumber()
			if err := dec.Decode(&suites); err != nil {
				return nil, fmt.Errorf("parsing %s/%s: %w", dir, file, err)
			}
			base := exportName(dir) + exportName(strings.TrimSuffix(file, ".json"))
			fn := unexport(base)
			src, err := suiteFile(pkg, dir+"/"+file, base, fn, suites, names)
			if err != nil {
				return nil, fmt.Errorf("%s/%s: %w", dir, file, err)
			}
			name := "zz_generated_" + dir + "_" + strings.ReplaceAll(strings.TrimSuffix(file, ".json"), "-", "_") + ".go"
			if out[name], err = gofmt(name, src); err != nil {
				return nil, err
			}
			parts = append(parts, fn)
		}
	}
	var w strings.Builder
	w.WriteString(header)
	fmt.Fprintf(&w, `// Package %s holds the botocore protocol test suites
// (shared/conformance/botocore-protocols) as Fogbank schemas, so the
// conformance harness can decode and encode each case with the real codecs.
package %s

import "github.com/fogbank/fogbank/internal/api"

// Cases holds the operation each case defines, by "<direction>/<file>#<suite>#<case>"
// (indexes 0-based), e.g. "input/query.json#3#0".
// Suites holds each suite's service (metadata, error shapes and distinct
// operations), by "<direction>/<file>#<suite>".
// Both are read-only after package initialization.
var Cases, Suites = collect()

func collect() (map[string]*api.Operation, map[string]*api.Service) {
	cases := map[string]*api.Operation{}
	suites := map[string]*api.Service{}
`, pkg, pkg)
	for _, p := range parts {
		fmt.Fprintf(&w, "\t%s(cases, suites)\n", p)
	}
	w.WriteString("\treturn cases, suites\n}\n")
	var err error
	if out["zz_generated.go"], err = gofmt("zz_generated.go", w.String()); err != nil {
		return nil, err
	}
	return out, nil
}

func suiteFile(pkg, key, base, fn string, suites []suite, names *namer) (string, error) {
	var body, types strings.Builder
	fmt.Fprintf(&body, "// %s adds the suites of %s.\nfunc %s(cases map[string]*api.Operation, suites map[string]*api.Service) {\n", fn, key, fn)
	var schemas strings.Builder
	usesTime, usesIO, usesReflect := false, false, false
	for si, st := range suites {
		m := &Model{Metadata: st.Metadata, Shapes: st.Shapes, Operations: map[string]*Operation{}}
		if m.Shapes == nil {
			m.Shapes = map[string]*Shape{}
		}
		for ci, c := range st.Cases {
			m.Operations[fmt.Sprintf("%04d", ci)] = c.Given
		}
		foldOpRefs(m)
		prefix := fmt.Sprintf("%s%d", base, si)
		u, err := newUnit(m, prefix, names)
		if err != nil {
			return "", fmt.Errorf("suite %d: %w", si, err)
		}
		if err := u.check(); err != nil {
			return "", fmt.Errorf("suite %d: %w", si, err)
		}
		u.writeTypes(&types)
		for _, sn := range u.order {
			usesReflect = usesReflect || m.Shapes[sn].Type == "structure"
		}
		usesTime = usesTime || u.usesTime
		usesIO = usesIO || u.usesIO
		schemaFn := fmt.Sprintf("%s%dSchema", fn, si)
		u.writeSchema(&schemas, schemaFn, m)

		skey := fmt.Sprintf("%s#%d", key, si)
		fmt.Fprintf(&body, "\t{\n\t\ts := %s()\n", schemaFn)
		if len(u.order) == 0 {
			body.WriteString("\t\t_ = s // this suite has no shapes\n")
		}
		seen := map[string]bool{}
		var distinct []string
		for ci, c := range st.Cases {
			op := c.Given
			newInput := "func() any { return new(struct{}) }"
			if op.Input != nil {
				newInput = fmt.Sprintf("func() any { return new(%s) }", u.types[op.Input.Shape])
			}
			fmt.Fprintf(&body, "\t\tc%d := %s\n", ci, u.opLit(op, newInput, ""))
			fmt.Fprintf(&body, "\t\tcases[%q] = c%d\n", fmt.Sprintf("%s#%d", skey, ci), ci)
			if !seen[op.Name] {
				seen[op.Name] = true
				distinct = append(distinct, fmt.Sprintf("c%d", ci))
			}
		}
		f := serviceLit(skey, m, m.Protocols())
		f.add("Operations", "[]*api.Operation{"+strings.Join(distinct, ", ")+"}")
		f.add("Errors", u.errorsLit())
		fmt.Fprintf(&body, "\t\tsvc := &api.Service{%s}\n\t\tsvc.Index()\n\t\tsuites[%q] = svc\n\t}\n", f.join(), skey)
	}
	body.WriteString("}\n\n")

	var w strings.Builder
	w.WriteString(header)
	fmt.Fprintf(&w, "package %s\n\nimport (\n", pkg)
	if usesIO {
		w.WriteString("\t\"io\"\n")
	}
	if usesReflect {
		w.WriteString("\t\"reflect\"\n")
	}
	if usesTime {
		w.WriteString("\t\"time\"\n")
	}
	w.WriteString("\n\t\"github.com/fogbank/fogbank/internal/api\"\n)\n\n")
	w.WriteString(body.String())
	w.WriteString(types.String())
	w.WriteString(schemas.String())
	return w.String(), nil
}

// header starts every generated file.
const header = "// Code generated by fogbank-apigen. DO NOT EDIT.\n\n"

// gofmt formats generated source, reporting the file name on failure so a
// generator bug points at the output that shows it.
func gofmt(name, src string) ([]byte, error) {
	b, err := format.Source([]byte(src))
	if err != nil {
		return nil, fmt.Errorf("formatting %s: %w", name, err)
	}
	return b, nil
}
