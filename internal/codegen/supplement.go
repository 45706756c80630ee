package codegen

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Supplement merges members that AWS added after the frozen models of
// ModelsVersion into m. patch is a fragment in the model's own format,
// {"operations": {…}, "shapes": {…}}: an operation's input, output or
// http.responseCode given there replaces the model's, a new shape is added, and an existing
// structure gains the members it does not have yet (after its own, in the
// patch's order). Nothing the model has is changed or removed, so the
// generated types only grow.
func (m *Model) Supplement(patch string) error {
	var p Model
	dec := json.NewDecoder(bytes.NewReader([]byte(patch)))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("parsing supplement: %w", err)
	}
	for _, name := range sortedKeys(p.Shapes) {
		ps := p.Shapes[name]
		sh := m.Shapes[name]
		if sh == nil {
			m.Shapes[name] = ps
			continue
		}
		for _, pm := range ps.Members {
			have := false
			for _, mm := range sh.Members {
				have = have || mm.Name == pm.Name
			}
			if !have {
				sh.Members = append(sh.Members, pm)
			}
		}
	}
	for _, name := range sortedKeys(p.Operations) {
		po := p.Operations[name]
		op := m.Operations[name]
		if op == nil {
			return fmt.Errorf("supplement: operation %s is not in the model", name)
		}
		if po.Input != nil {
			op.Input = po.Input
		}
		if po.Output != nil {
			op.Output = po.Output
		}
		if po.HTTP.ResponseCode != 0 {
			op.HTTP.ResponseCode = po.HTTP.ResponseCode
		}
	}
	for name, sh := range m.Shapes {
		for _, mm := range sh.Members {
			if m.Shapes[mm.Ref.Shape] == nil {
				return fmt.Errorf("supplement: %s.%s names missing shape %s", name, mm.Name, mm.Ref.Shape)
			}
		}
	}
	return nil
}
