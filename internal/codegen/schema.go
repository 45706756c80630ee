package codegen

import (
	"fmt"
	"strconv"
	"strings"
)

// writeSchema emits fn(s []api.Shape), which fills s (len(u.order) long) with
// the unit's shapes carrying the traits of m. m is u.m or an overlay of it
// with the same shapes and members (see overlay.go).
//
// Pointers between shapes are taken inside a function, not in package-level
// composite literals, because models have recursive shapes and Go forbids
// initialization cycles. Large models are split over several functions to keep
// each one quick to compile.
func (u *unit) writeSchema(w *strings.Builder, fn string, m *Model) {
	const chunk = 150
	nchunks := (len(u.order) + chunk - 1) / chunk
	fmt.Fprintf(w, "// %s builds the shapes of the model, numbered in name order.\nfunc %s() []api.Shape {\n\ts := make([]api.Shape, %d)\n", fn, fn, len(u.order))
	for c := 0; c < nchunks; c++ {
		fmt.Fprintf(w, "\t%s%d(s)\n", fn, c)
	}
	w.WriteString("\treturn s\n}\n\n")
	for c := 0; c < nchunks; c++ {
		fmt.Fprintf(w, "func %s%d(s []api.Shape) {\n", fn, c)
		for i := c * chunk; i < len(u.order) && i < (c+1)*chunk; i++ {
			sn := u.order[i]
			fmt.Fprintf(w, "\ts[%d] = %s\n", i, u.shapeLit(sn, m))
		}
		w.WriteString("}\n\n")
	}
}

// foldOpRefs copies the traits an operation's input or output reference sets
// (rest-xml's root element name and namespace) onto the shape when the shape
// does not set its own, since api.Operation refers to shapes, not refs.
func foldOpRefs(m *Model) {
	for _, on := range sortedKeys(m.Operations) {
		op := m.Operations[on]
		for _, r := range []*Ref{op.Input, op.Output} {
			if r == nil || m.Shapes[r.Shape] == nil {
				continue
			}
			sh := m.Shapes[r.Shape]
			if sh.LocationName == "" && r.LocationName != "" {
				sh.LocationName = r.LocationName
			}
			if sh.XMLNamespace == nil && r.XMLNamespace != nil {
				sh.XMLNamespace = r.XMLNamespace
			}
		}
	}
}

func (u *unit) shapeLit(sn string, m *Model) string {
	sh := m.Shapes[sn]
	var f fields
	f.add("Name", strconv.Quote(sn))
	f.add("Type", apiTypes[sh.Type])
	if sh.Type == "structure" {
		if len(sh.Members) > 0 {
			req := map[string]bool{}
			for _, r := range sh.Required {
				req[r] = true
			}
			var ms strings.Builder
			ms.WriteString("[]api.Member{\n")
			for i, mem := range sh.Members {
				var mf fields
				mf.add("Name", strconv.Quote(mem.Name))
				mf.add("Ref", u.refLit(mem.Ref))
				mf.flag("Required", req[mem.Name])
				if i > 0 {
					mf.add("Field", strconv.Itoa(i))
				}
				fmt.Fprintf(&ms, "\t\t{%s},\n", mf.join())
			}
			ms.WriteString("\t}")
			f.add("Members", ms.String())
		}
		f.str("Payload", sh.Payload)
		f.flag("Union", sh.Union)
		f.flag("Document", sh.Document)
		f.flag("Exception", sh.Exception)
		if sh.Error != nil {
			var ef fields
			ef.str("Code", sh.Error.Code)
			if sh.Error.HTTPStatusCode != 0 {
				ef.add("HTTPStatusCode", strconv.Itoa(sh.Error.HTTPStatusCode))
			}
			ef.flag("SenderFault", sh.Error.SenderFault != nil && *sh.Error.SenderFault)
			f.add("Error", "api.ErrorTrait{"+ef.join()+"}")
		}
		if sh.Document {
			f.add("GoType", "reflect.TypeFor[any]()")
		} else {
			f.add("GoType", "reflect.TypeFor["+u.types[sn]+"]()")
		}
	}
	if sh.Member != nil {
		f.add("Member", "&"+u.refLit(*sh.Member))
	}
	if sh.Key != nil {
		f.add("Key", "&"+u.refLit(*sh.Key))
	}
	if sh.Value != nil {
		f.add("Value", "&"+u.refLit(*sh.Value))
	}
	f.flag("Flattened", sh.Flattened)
	f.str("LocationName", sh.LocationName)
	if sh.XMLNamespace != nil {
		f.add("XMLNamespace", nsLit(sh.XMLNamespace))
	}
	f.str("TimestampFormat", sh.TimestampFormat)
	if len(sh.Enum) > 0 {
		q := make([]string, len(sh.Enum))
		for i, v := range sh.Enum {
			q[i] = strconv.Quote(v)
		}
		f.add("Enum", "[]string{"+strings.Join(q, ", ")+"}")
	}
	if sh.Min != nil {
		f.add("Min", sh.Min.String())
		f.add("HasMin", "true")
	}
	if sh.Max != nil {
		f.add("Max", sh.Max.String())
		f.add("HasMax", "true")
	}
	f.str("Pattern", sh.Pattern)
	f.flag("Sensitive", sh.Sensitive)
	f.flag("Streaming", sh.Streaming)
	f.flag("EventStream", sh.EventStream)
	f.flag("RequiresLength", sh.RequiresLength)
	return "api.Shape{" + f.join() + "}"
}

func (u *unit) refLit(r Ref) string {
	var f fields
	f.add("Shape", fmt.Sprintf("&s[%d]", u.index[r.Shape]))
	if r.Location != "" {
		loc := map[string]string{"header": "api.LocationHeader", "headers": "api.LocationHeaders",
			"querystring": "api.LocationQueryString", "uri": "api.LocationURI", "statusCode": "api.LocationStatusCode"}[r.Location]
		if loc != "" {
			f.add("Location", loc)
		}
	}
	f.str("LocationName", r.LocationName)
	f.str("QueryName", r.QueryName)
	if r.XMLNamespace != nil {
		f.add("XMLNamespace", nsLit(r.XMLNamespace))
	}
	f.flag("XMLAttribute", r.XMLAttribute)
	f.flag("Flattened", r.Flattened)
	f.str("TimestampFormat", r.TimestampFormat)
	f.flag("JSONValue", r.JSONValue)
	f.flag("IdempotencyToken", r.IdempotencyToken)
	f.flag("HostLabel", r.HostLabel)
	f.flag("EventPayload", r.EventPayload)
	f.flag("Streaming", r.Streaming)
	return "api.Ref{" + f.join() + "}"
}

func nsLit(ns *XMLNamespace) string {
	var f fields
	f.str("Prefix", ns.Prefix)
	f.str("URI", ns.URI)
	return "&api.XMLNamespace{" + f.join() + "}"
}

// fields collects the non-zero fields of a composite literal.
type fields []string

func (f *fields) add(name, val string) { *f = append(*f, name+": "+val) }

func (f *fields) str(name, val string) {
	if val != "" {
		f.add(name, strconv.Quote(val))
	}
}

func (f *fields) flag(name string, on bool) {
	if on {
		f.add(name, "true")
	}
}

func (f fields) join() string { return strings.Join(f, ", ") }
