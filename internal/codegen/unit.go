package codegen

import (
	"fmt"
	"strconv"
	"strings"
)

// unit is one model's share of a generated Go package: the structure types and
// the schema of the shapes reachable from its operations. A service package
// holds one unit; the conformance suites package holds one per suite, told
// apart by prefix.
//
// Invariant: shapes are numbered in sorted name order and every schema the
// unit emits (the primary one and any protocol variant) uses that numbering
// and the same Go types, so variants differ only in traits.
type unit struct {
	m      *Model
	prefix string // prepended to every Go name the unit declares
	order  []string
	index  map[string]int
	types  map[string]string   // structure shape → Go type name
	fields map[string][]string // structure shape → Go field names, in member order
	// usesTime and usesIO record which imports the types need.
	usesTime, usesIO bool
}

// newUnit works out which shapes of m are reachable from its operations (and
// its exception shapes, which a handler may return even when no operation
// lists them) and names their Go types in pkg's namespace.
func newUnit(m *Model, prefix string, pkg *namer) (*unit, error) {
	u := &unit{m: m, prefix: prefix, index: map[string]int{}, types: map[string]string{}, fields: map[string][]string{}}
	seen := map[string]bool{}
	var visit func(name, from string) error
	visit = func(name, from string) error {
		if seen[name] {
			return nil
		}
		sh := m.Shapes[name]
		if sh == nil {
			return fmt.Errorf("shape %q (used by %s) is not defined", name, from)
		}
		seen[name] = true
		for _, mem := range sh.Members {
			if err := visit(mem.Ref.Shape, name+"."+mem.Name); err != nil {
				return err
			}
		}
		for _, r := range []*Ref{sh.Member, sh.Key, sh.Value} {
			if r != nil {
				if err := visit(r.Shape, name); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, on := range sortedKeys(m.Operations) {
		op := m.Operations[on]
		for _, r := range opRefs(op) {
			if err := visit(r.Shape, "operation "+on); err != nil {
				return nil, err
			}
		}
	}
	for _, sn := range sortedKeys(m.Shapes) {
		if m.Shapes[sn].Exception {
			if err := visit(sn, "the model"); err != nil {
				return nil, err
			}
		}
	}
	u.order = sortedKeys(seen)
	for i, sn := range u.order {
		u.index[sn] = i
		sh := m.Shapes[sn]
		if sh.Type != "structure" || sh.Document {
			continue
		}
		u.types[sn] = pkg.claim(prefix+exportName(sn), false)
		u.fields[sn] = fieldNames(sh.Members)
	}
	return u, nil
}

// fieldNames names the Go fields of a structure's members. Members whose
// model name is already an exported identifier claim their names first, so
// when "tags" and "Tags" both exist, "Tags" keeps its name and "tags" becomes
// "Tags_"; field order stays member order.
func fieldNames(ms Members) []string {
	names := make([]string, len(ms))
	fn := newNamer()
	for pass := 0; pass < 2; pass++ {
		for i, mem := range ms {
			exact := exportName(mem.Name) == mem.Name
			if (pass == 0) == exact {
				names[i] = fn.claim(exportName(mem.Name), true)
			}
		}
	}
	return names
}

func opRefs(op *Operation) []Ref {
	var rs []Ref
	if op.Input != nil {
		rs = append(rs, *op.Input)
	}
	if op.Output != nil {
		rs = append(rs, *op.Output)
	}
	return append(rs, op.Errors...)
}

// goType returns the Go type of a value of the shape r refers to: as a struct
// field when elem is false (scalars are pointers, so absent differs from
// zero), as a list element or map value when elem is true (scalars are
// values). This mapping is a contract with the protocol codecs; see
// docs/codegen.md.
func (u *unit) goType(r Ref, elem bool) string {
	sh := u.m.Shapes[r.Shape]
	ptr := "*"
	if elem {
		ptr = ""
	}
	switch sh.Type {
	case "structure":
		if sh.Document {
			return "any"
		}
		return "*" + u.types[r.Shape]
	case "list":
		return "[]" + u.goType(*sh.Member, true)
	case "map":
		return "map[string]" + u.goType(*sh.Value, true)
	case "string", "biginteger", "bigdecimal", "bigInteger", "bigDecimal":
		return ptr + "string"
	case "integer":
		return ptr + "int32"
	case "long":
		return ptr + "int64"
	case "float":
		return ptr + "float32"
	case "double":
		return ptr + "float64"
	case "boolean":
		return ptr + "bool"
	case "byte":
		return ptr + "int8"
	case "short":
		return ptr + "int16"
	case "timestamp":
		u.usesTime = true
		return ptr + "time.Time"
	case "blob":
		if sh.Streaming || r.Streaming {
			u.usesIO = true
			return "io.ReadCloser"
		}
		return "[]byte"
	}
	// Unknown types are rejected by check before emission.
	return "any"
}

// apiType maps a model type name to the api.Type constant's Go name.
var apiTypes = map[string]string{
	"structure": "api.TypeStructure", "list": "api.TypeList", "map": "api.TypeMap",
	"string": "api.TypeString", "integer": "api.TypeInteger", "long": "api.TypeLong",
	"float": "api.TypeFloat", "double": "api.TypeDouble", "boolean": "api.TypeBoolean",
	"timestamp": "api.TypeTimestamp", "blob": "api.TypeBlob", "byte": "api.TypeByte",
	"short": "api.TypeShort", "biginteger": "api.TypeBigInteger", "bigInteger": "api.TypeBigInteger",
	"bigdecimal": "api.TypeBigDecimal", "bigDecimal": "api.TypeBigDecimal",
}

// check rejects models the generator would emit wrong code for.
func (u *unit) check() error {
	for _, sn := range u.order {
		sh := u.m.Shapes[sn]
		if apiTypes[sh.Type] == "" {
			return fmt.Errorf("shape %q: unknown type %q", sn, sh.Type)
		}
		if sh.Type == "list" && sh.Member == nil {
			return fmt.Errorf("shape %q: list without member", sn)
		}
		if sh.Type == "map" && (sh.Key == nil || sh.Value == nil) {
			return fmt.Errorf("shape %q: map without key or value", sn)
		}
	}
	return nil
}

// writeTypes emits a struct type per structure shape, fields in member order.
func (u *unit) writeTypes(w *strings.Builder) {
	for _, sn := range u.order {
		tn, ok := u.types[sn]
		if !ok {
			continue
		}
		sh := u.m.Shapes[sn]
		fmt.Fprintf(w, "// %s is the %s %s of the model.", tn, strconv.Quote(sn), kind(sh))
		if doc := firstSentence(sh.Documentation); doc != "" {
			fmt.Fprintf(w, "\n//\n// %s", doc)
		}
		fmt.Fprintf(w, "\ntype %s struct {\n", tn)
		for i, mem := range sh.Members {
			if doc := firstSentence(mem.Ref.Documentation); doc != "" {
				fmt.Fprintf(w, "\t// %s\n", doc)
			}
			fmt.Fprintf(w, "\t%s %s\n", u.fields[sn][i], u.goType(mem.Ref, false))
		}
		w.WriteString("}\n\n")
	}
}

func kind(sh *Shape) string {
	switch {
	case sh.Exception:
		return "error structure"
	case sh.Union:
		return "union (at most one member is set)"
	case sh.EventStream:
		return "event stream"
	}
	return "structure"
}

// writeEnums emits a constant per value of each enum shape.
func (u *unit) writeEnums(w *strings.Builder, pkg *namer) {
	for _, sn := range u.order {
		sh := u.m.Shapes[sn]
		if len(sh.Enum) == 0 {
			continue
		}
		fmt.Fprintf(w, "// Values of the %s enum.\nconst (\n", strconv.Quote(sn))
		base := u.prefix + exportName(sn)
		for _, v := range sh.Enum {
			fmt.Fprintf(w, "\t%s = %s\n", pkg.claim(base+exportName(v), false), strconv.Quote(v))
		}
		w.WriteString(")\n\n")
	}
}
