package codegen

import (
	"fmt"
	"strconv"
	"strings"
)

// opLit returns an *api.Operation literal for op, whose shapes are those of
// u numbered in the schema slice s. newInput and invoke are Go expressions
// (invoke may be "" for none).
func (u *unit) opLit(op *Operation, newInput, invoke string) string {
	var f fields
	f.str("Name", op.Name)
	f.str("Method", op.HTTP.Method)
	f.str("RequestURI", op.HTTP.RequestURI)
	if op.HTTP.ResponseCode != 0 {
		f.add("ResponseCode", strconv.Itoa(op.HTTP.ResponseCode))
	}
	if op.Input != nil {
		f.add("Input", fmt.Sprintf("&s[%d]", u.index[op.Input.Shape]))
	}
	if op.Output != nil {
		f.add("Output", fmt.Sprintf("&s[%d]", u.index[op.Output.Shape]))
		f.str("ResultWrapper", op.Output.ResultWrapper)
	}
	if len(op.Errors) > 0 {
		es := make([]string, len(op.Errors))
		for i, e := range op.Errors {
			es[i] = fmt.Sprintf("&s[%d]", u.index[e.Shape])
		}
		f.add("Errors", "[]*api.Shape{"+strings.Join(es, ", ")+"}")
	}
	f.add("NewInput", newInput)
	if invoke != "" {
		f.add("Invoke", invoke)
	}
	return "&api.Operation{" + f.join() + "}"
}

// serviceLit returns the fields of an api.Service literal for m's metadata.
func serviceLit(name string, m *Model, protocols []string) fields {
	md := m.Metadata
	var f fields
	f.str("Name", name)
	f.str("ServiceID", md.ServiceID)
	f.str("EndpointPrefix", md.EndpointPrefix)
	signing := md.SigningName
	if signing == "" {
		signing = md.EndpointPrefix
	}
	f.str("SigningName", signing)
	f.str("APIVersion", md.APIVersion)
	if len(protocols) > 0 {
		q := make([]string, len(protocols))
		for i, p := range protocols {
			q[i] = strconv.Quote(p)
		}
		f.add("Protocols", "[]string{"+strings.Join(q, ", ")+"}")
	}
	f.str("JSONVersion", md.JSONVersion)
	f.str("TargetPrefix", md.TargetPrefix)
	f.str("XMLNamespace", md.XMLNamespace)
	f.flag("AWSQueryCompatible", md.AWSQueryCompatible != nil)
	return f
}

// errorsLit returns a map literal of m's exception shapes by name.
func (u *unit) errorsLit() string {
	var b strings.Builder
	b.WriteString("map[string]*api.Shape{")
	first := true
	for _, sn := range u.order {
		if !u.m.Shapes[sn].Exception {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		fmt.Fprintf(&b, "%s: &s[%d]", strconv.Quote(sn), u.index[sn])
	}
	b.WriteString("}")
	return b.String()
}
