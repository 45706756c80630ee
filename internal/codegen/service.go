package codegen

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// GenerateServices generates the package of every spec, reading models with
// load. The result maps package name to zz_generated.go's source.
func GenerateServices(ctx context.Context, specs []ServiceSpec, load ModelLoader) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, spec := range specs {
		m, err := load(ctx, ModelsVersion, spec.Model)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name, err)
		}
		if spec.Newer != nil {
			if err := m.takeNewer(spec.Newer); err != nil {
				return nil, fmt.Errorf("%s: %w", spec.Name, err)
			}
		}
		var olds []*Model
		for _, v := range spec.Variants {
			o, err := load(ctx, v.Version, v.Model)
			if err != nil {
				return nil, fmt.Errorf("%s %s variant: %w", spec.Name, v.Protocol, err)
			}
			olds = append(olds, o)
		}
		src, err := GenerateService(spec, m, olds)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name, err)
		}
		out[spec.Name] = src
	}
	return out, nil
}

// GenerateService returns the gofmt'd source of internal/api/<spec.Name> for
// model m; olds[i] is the model of spec.Variants[i]. m is modified (error
// traits copied in from the variants' models, operation-ref traits folded
// into shapes).
func GenerateService(spec ServiceSpec, m *Model, olds []*Model) ([]byte, error) {
	if len(olds) != len(spec.Variants) {
		return nil, fmt.Errorf("%d variant models for %d variants", len(olds), len(spec.Variants))
	}
	for _, o := range olds {
		copyErrorTraits(m, o)
	}
	foldOpRefs(m)
	g := &svcGen{spec: spec, m: m, pkg: newNamer("Service", "Handler", "Unimplemented")}
	var err error
	if g.u, err = newUnit(m, "", g.pkg); err != nil {
		return nil, err
	}
	if err := g.u.check(); err != nil {
		return nil, err
	}
	g.nameOps()
	src := g.emit(olds)
	return gofmt(spec.Name+"/zz_generated.go", src)
}

// svcGen generates one service package.
type svcGen struct {
	spec ServiceSpec
	m    *Model
	u    *unit
	pkg  *namer
	ops  []string          // operation names, sorted
	meth map[string]string // operation → Handler method name
	in   map[string]string // operation → Go input type
	out  map[string]string // operation → Go output type
	// empty lists the struct{} types declared for operations that have no
	// input or output shape, in declaration order.
	empty []string
}

func (g *svcGen) nameOps() {
	g.ops = sortedKeys(g.m.Operations)
	g.meth, g.in, g.out = map[string]string{}, map[string]string{}, map[string]string{}
	methods := newNamer()
	for _, on := range g.ops {
		op := g.m.Operations[on]
		g.meth[on] = methods.claim(exportName(on), false)
		if op.Input != nil {
			g.in[on] = g.u.types[op.Input.Shape]
		} else {
			g.in[on] = g.pkg.claim(g.meth[on]+"Input", false)
			g.empty = append(g.empty, g.in[on])
		}
		if op.Output != nil {
			g.out[on] = g.u.types[op.Output.Shape]
		} else {
			g.out[on] = g.pkg.claim(g.meth[on]+"Output", false)
			g.empty = append(g.empty, g.out[on])
		}
	}
}

func (g *svcGen) emit(olds []*Model) string {
	var body strings.Builder
	g.writeService(&body, olds)
	g.writeHandler(&body)
	g.writeErrors(&body)
	g.u.writeEnums(&body, g.pkg)
	g.u.writeTypes(&body)
	for _, e := range g.empty {
		fmt.Fprintf(&body, "// %s is the empty value of an operation the model gives no shape for.\ntype %s struct{}\n\n", e, e)
	}
	g.u.writeSchema(&body, "newSchema", g.m)
	for i, v := range g.spec.Variants {
		g.u.writeSchema(&body, unexport(exportName(v.Protocol))+"Schema", overlay(g.m, olds[i]))
	}

	var w strings.Builder
	w.WriteString(header)
	md := g.m.Metadata
	fmt.Fprintf(&w, "// Package %s is the generated wire layer of %s: Go types for its shapes,\n", g.spec.Name, md.ServiceID)
	fmt.Fprintf(&w, "// the schema the protocol codecs walk, the operation table, the Handler a\n// service implements and constructors for its errors.\n//\n")
	fmt.Fprintf(&w, "// Source: %s@%s models/apis/%s.\n", ModelsModule, ModelsVersion, g.spec.Model)
	for _, v := range g.spec.Variants {
		fmt.Fprintf(&w, "// The %s schema overlays traits from %s@%s models/apis/%s.\n", v.Protocol, ModelsModule, v.Version, v.Model)
	}
	fmt.Fprintf(&w, "package %s\n\nimport (\n\t\"context\"\n\t\"fmt\"\n", g.spec.Name)
	if g.u.usesIO {
		w.WriteString("\t\"io\"\n")
	}
	w.WriteString("\t\"reflect\"\n")
	if g.u.usesTime {
		w.WriteString("\t\"time\"\n")
	}
	w.WriteString("\n\t\"github.com/fogbank/fogbank/internal/api\"\n)\n\n")
	w.WriteString(body.String())
	return w.String()
}

func (g *svcGen) protocols() []string {
	if len(g.spec.Protocols) > 0 {
		return g.spec.Protocols
	}
	return g.m.Protocols()
}

func (g *svcGen) writeService(w *strings.Builder, olds []*Model) {
	id := g.m.Metadata.ServiceID
	fmt.Fprintf(w, `// Service describes %s. It is built once at package initialization and
// read-only afterwards.
var Service = newService()

func newService() *api.Service {
	s := newSchema()
`, id)
	f := serviceLit(g.spec.Name, g.m, g.protocols())
	f.add("Operations", "operations(s)")
	f.add("Errors", g.u.errorsLit())
	fmt.Fprintf(w, "\tsvc := &api.Service{%s}\n", f.join())
	if len(g.spec.Variants) > 0 {
		w.WriteString("\tsvc.Variants = map[string]*api.Service{\n")
		for _, v := range g.spec.Variants {
			fmt.Fprintf(w, "\t\t%q: %sService(svc.Operations),\n", v.Protocol, unexport(exportName(v.Protocol)))
		}
		w.WriteString("\t}\n")
	}
	w.WriteString("\tsvc.Index()\n\treturn svc\n}\n\n")
	g.writeOps(w, "operations", g.m, false)

	for i, v := range g.spec.Variants {
		fn := unexport(exportName(v.Protocol))
		vm := overlay(g.m, olds[i])
		fmt.Fprintf(w, "// %sService describes %s as the %s protocol sees it: the same operations\n// and Go types, with that protocol's serialization traits. Its operations\n// share NewInput and Invoke with primary, the primary description's.\n", fn, id, v.Protocol)
		fmt.Fprintf(w, "func %sService(primary []*api.Operation) *api.Service {\n\ts := %sSchema()\n", fn, fn)
		f := serviceLit(g.spec.Name, vm, []string{v.Protocol})
		f.add("Operations", fn+"Operations(s, primary)")
		f.add("Errors", g.u.errorsLit())
		fmt.Fprintf(w, "\tsvc := &api.Service{%s}\n\tsvc.Index()\n\treturn svc\n}\n\n", f.join())
		g.writeOps(w, fn+"Operations", vm, true)
	}

	w.WriteString(`// invoke adapts a Handler method to api.Operation.Invoke. A nil output with
// a nil error becomes a zero output, so codecs always get a typed pointer.
func invoke[I, O any](m func(Handler, context.Context, *I) (*O, error)) func(context.Context, any, any) (any, error) {
	return func(ctx context.Context, h any, in any) (any, error) {
		hh, ok := h.(Handler)
		if !ok {
			return nil, fmt.Errorf("` + g.spec.Name + `: handler %T does not implement Handler", h)
		}
		i, ok := in.(*I)
		if !ok {
			return nil, fmt.Errorf("` + g.spec.Name + `: input %T is not a %T", in, i)
		}
		out, err := m(hh, ctx, i)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = new(O)
		}
		return out, nil
	}
}

`)
}

// writeOps emits fn, which returns the operation table over the schema s.
// A variant's table (shared) takes the primary table as well and reuses its
// NewInput and Invoke; both tables list operations in the same sorted order.
func (g *svcGen) writeOps(w *strings.Builder, fn string, m *Model, shared bool) {
	if shared {
		fmt.Fprintf(w, "func %s(s []api.Shape, primary []*api.Operation) []*api.Operation {\n\treturn []*api.Operation{\n", fn)
	} else {
		fmt.Fprintf(w, "func %s(s []api.Shape) []*api.Operation {\n\treturn []*api.Operation{\n", fn)
	}
	for i, on := range g.ops {
		op := m.Operations[on]
		newInput := fmt.Sprintf("func() any { return new(%s) }", g.in[on])
		invoke := "invoke(Handler." + g.meth[on] + ")"
		if shared {
			newInput = fmt.Sprintf("primary[%d].NewInput", i)
			invoke = fmt.Sprintf("primary[%d].Invoke", i)
		}
		lit := g.u.opLit(op, newInput, invoke)
		fmt.Fprintf(w, "\t\t%s,\n", strings.TrimPrefix(lit, "&api.Operation"))
	}
	w.WriteString("\t}\n}\n\n")
}

func (g *svcGen) writeHandler(w *strings.Builder) {
	id := g.m.Metadata.ServiceID
	fmt.Fprintf(w, "// Handler is what a %s implementation provides: one method per operation.\n// Methods return *api.Error values (see the New… constructors) for AWS errors.\ntype Handler interface {\n", id)
	for i, on := range g.ops {
		if doc := firstSentence(g.m.Operations[on].Documentation); doc != "" {
			if i > 0 {
				w.WriteString("\n")
			}
			fmt.Fprintf(w, "\t// %s\n", methodDoc(g.meth[on], doc))
		}
		fmt.Fprintf(w, "\t%s(ctx context.Context, in *%s) (*%s, error)\n", g.meth[on], g.in[on], g.out[on])
	}
	w.WriteString("}\n\n")
	fmt.Fprintf(w, "// Unimplemented answers every operation with NotImplemented. A service\n// embeds it and overrides operations one at a time.\ntype Unimplemented struct{}\n\nvar _ Handler = Unimplemented{}\n\n")
	for _, on := range g.ops {
		fmt.Fprintf(w, "// %s reports that %s is not implemented.\nfunc (Unimplemented) %s(context.Context, *%s) (*%s, error) {\n\treturn nil, api.NewNotImplemented(%q, %q)\n}\n\n",
			g.meth[on], on, g.meth[on], g.in[on], g.out[on], id, on)
	}
}

// writeErrors emits New<Error>(msg) for each exception shape.
func (g *svcGen) writeErrors(w *strings.Builder) {
	for _, sn := range g.u.order {
		sh := g.m.Shapes[sn]
		if !sh.Exception {
			continue
		}
		tn := g.u.types[sn]
		fn := g.pkg.claim("New"+tn, false)
		var f fields
		f.str("Code", sn)
		if sh.Error != nil && sh.Error.Code != "" {
			f.str("QueryCode", sh.Error.Code)
		}
		f.add("Message", "msg")
		status := 400
		switch {
		case sh.Error != nil && sh.Error.HTTPStatusCode != 0:
			status = sh.Error.HTTPStatusCode
		case sh.Fault:
			status = 500
		}
		f.add("Status", strconv.Itoa(status))
		sender := !sh.Fault && status < 500
		if sh.Error != nil && sh.Error.SenderFault != nil {
			sender = *sh.Error.SenderFault
		}
		f.flag("Sender", sender)
		f.add("Shape", fmt.Sprintf("Service.Errors[%q]", sn))
		value := "&" + tn + "{"
		for i, mem := range sh.Members {
			if strings.EqualFold(mem.Name, "message") && g.m.Shapes[mem.Ref.Shape].Type == "string" {
				value += g.u.fields[sn][i] + ": &msg"
				break
			}
		}
		f.add("Value", value+"}")
		fmt.Fprintf(w, "// %s returns the %s error with message msg.\nfunc %s(msg string) *api.Error {\n\treturn &api.Error{%s}\n}\n\n", fn, sn, fn, f.join())
	}
}

// methodDoc turns an operation's first documented sentence into a doc
// comment that starts with the method name. AWS documentation mostly starts
// with a verb ("Deletes the queue…"), which reads on after the name once
// lower-cased; anything else ("Amazon…", "Use this…", "AWS…") keeps its case
// after a colon.
func methodDoc(name, doc string) string {
	word, _, _ := strings.Cut(doc, " ")
	if len(word) > 2 && word[0] >= 'A' && word[0] <= 'Z' && strings.HasSuffix(word, "s") && strings.ToLower(word[1:]) == word[1:] {
		return name + " " + strings.ToLower(doc[:1]) + doc[1:]
	}
	return name + ": " + doc
}
