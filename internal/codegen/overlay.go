package codegen

// overlay returns a copy of cur whose serialization traits come from old
// wherever old has the same shape (and member) name: the shape's
// locationName, flattened and xmlNamespace; each member's, list member's and
// map key's/value's locationName, queryName, flattened, xmlNamespace and
// xmlAttribute; each operation output's resultWrapper. Everything else —
// which shapes exist, their members and order, types and constraints — stays
// cur's, so the result describes the same Go types. cur is not modified.
func overlay(cur, old *Model) *Model {
	out := &Model{Metadata: cur.Metadata, Shapes: make(map[string]*Shape, len(cur.Shapes)), Operations: make(map[string]*Operation, len(cur.Operations))}
	if old.Metadata.XMLNamespace != "" {
		out.Metadata.XMLNamespace = old.Metadata.XMLNamespace
	}
	for name, sh := range cur.Shapes {
		c := copyShape(sh)
		out.Shapes[name] = c
		o := old.Shapes[name]
		if o == nil {
			continue
		}
		c.LocationName, c.Flattened, c.XMLNamespace = o.LocationName, o.Flattened, o.XMLNamespace
		for i := range c.Members {
			for _, om := range o.Members {
				if om.Name == c.Members[i].Name {
					overlayRef(&c.Members[i].Ref, &om.Ref)
				}
			}
		}
		overlayRef(c.Member, o.Member)
		overlayRef(c.Key, o.Key)
		overlayRef(c.Value, o.Value)
	}
	for name, op := range cur.Operations {
		c := *op
		if c.Output != nil {
			r := *c.Output
			c.Output = &r
			if o := old.Operations[name]; o != nil && o.Output != nil {
				r.ResultWrapper = o.Output.ResultWrapper
			}
		}
		out.Operations[name] = &c
	}
	return out
}

func overlayRef(dst, src *Ref) {
	if dst == nil || src == nil {
		return
	}
	dst.LocationName, dst.QueryName, dst.Flattened = src.LocationName, src.QueryName, src.Flattened
	dst.XMLNamespace, dst.XMLAttribute = src.XMLNamespace, src.XMLAttribute
}

// copyErrorTraits gives each exception shape of cur that has no "error"
// trait the one old has under the same name. An older query model is where
// a JSON model's lost awsQueryError codes survive, and JSON clients of an
// awsQueryCompatible service read them from x-amzn-query-error.
func copyErrorTraits(cur, old *Model) {
	for name, sh := range cur.Shapes {
		if o := old.Shapes[name]; sh.Exception && sh.Error == nil && o != nil && o.Error != nil {
			e := *o.Error
			sh.Error = &e
		}
	}
}

func copyShape(sh *Shape) *Shape {
	c := *sh
	c.Members = append(Members(nil), sh.Members...)
	for _, p := range []**Ref{&c.Member, &c.Key, &c.Value} {
		if *p != nil {
			r := **p
			*p = &r
		}
	}
	return &c
}
