package codegen

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
)

// newerModels holds official models newer than ModelsVersion, copied
// unchanged from botocore's data directory (botocore 1.43.11, the version the
// machine's python3 carries; see shared/LIBRARIES.md). aws-sdk-go v1 froze its
// models in mid-2025, so members AWS added since exist only there. They are
// embedded so that go generate gives the same output on every machine.
//
//go:embed models
var newerModels embed.FS

// Newer names what to take from a newer official model, for what AWS added
// after ModelsVersion was frozen. Only the named parts are taken, so the rest
// of the generated package stays on the model every other service uses; and
// nothing the frozen model has is changed or removed, so generated types only
// grow.
type Newer struct {
	// File is the model under internal/codegen/models
	// ("botocore-1.43.11/s3-2006-03-01.json.gz").
	File string
	// Take lists the parts to copy, each in one of three forms:
	//   - "Operation.input" or "Operation.output": the operation's newer
	//     input or output reference;
	//   - "Structure.Member": a member the frozen structure lacks, appended
	//     after its own members in the order of Take;
	//   - "Shape": a whole shape the frozen model lacks.
	// The shapes a taken part refers to come along when the frozen model
	// lacks them.
	Take []string
	// ResponseCodes sets an operation's HTTP status where AWS answers with
	// another than either model says (each entry says where that was
	// recorded). It is behaviour, not shape: the only thing here not copied
	// from a model.
	ResponseCodes map[string]int
}

// takeNewer applies n to m.
func (m *Model) takeNewer(n *Newer) error {
	newer, err := loadNewer(n.File)
	if err != nil {
		return err
	}
	for _, part := range n.Take {
		if err := m.take(newer, part); err != nil {
			return fmt.Errorf("taking %s from %s: %w", part, n.File, err)
		}
	}
	for _, op := range sortedKeys(n.ResponseCodes) {
		o := m.Operations[op]
		if o == nil {
			return fmt.Errorf("response code for %s: no such operation", op)
		}
		o.HTTP.ResponseCode = n.ResponseCodes[op]
	}
	return nil
}

func loadNewer(file string) (*Model, error) {
	f, err := newerModels.Open("models/" + file)
	if err != nil {
		return nil, fmt.Errorf("newer model: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(file, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("newer model %s: %w", file, err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("newer model %s: %w", file, err)
	}
	return ParseModel(bytes.TrimSpace(b))
}

func (m *Model) take(newer *Model, part string) error {
	name, sub, dotted := strings.Cut(part, ".")
	if !dotted {
		if m.Shapes[name] != nil {
			return fmt.Errorf("the frozen model has shape %s already", name)
		}
		return m.takeShape(newer, name)
	}
	if nop := newer.Operations[name]; nop != nil && (sub == "input" || sub == "output") {
		op := m.Operations[name]
		if op == nil {
			return fmt.Errorf("the frozen model has no operation %s", name)
		}
		ref := nop.Input
		if sub == "output" {
			ref = nop.Output
		}
		if ref == nil {
			return fmt.Errorf("the newer model's %s has no %s", name, sub)
		}
		r := *ref
		if sub == "input" {
			op.Input = &r
		} else {
			op.Output = &r
		}
		return m.takeShape(newer, r.Shape)
	}
	ns := newer.Shapes[name]
	if ns == nil {
		return fmt.Errorf("the newer model has no shape or operation %s", name)
	}
	i := slices.IndexFunc(ns.Members, func(r NamedRef) bool { return r.Name == sub })
	if i < 0 {
		return fmt.Errorf("the newer %s has no member %s", name, sub)
	}
	sh := m.Shapes[name]
	if sh == nil {
		return fmt.Errorf("the frozen model has no shape %s (take it whole)", name)
	}
	if slices.ContainsFunc(sh.Members, func(r NamedRef) bool { return r.Name == sub }) {
		return fmt.Errorf("the frozen %s has member %s already", name, sub)
	}
	sh.Members = append(sh.Members, ns.Members[i])
	return m.takeShape(newer, ns.Members[i].Ref.Shape)
}

// takeShape copies newer's shape name, and the shapes it refers to, into m
// where m lacks them.
func (m *Model) takeShape(newer *Model, name string) error {
	if m.Shapes[name] != nil {
		return nil
	}
	sh := newer.Shapes[name]
	if sh == nil {
		return fmt.Errorf("the newer model has no shape %s", name)
	}
	m.Shapes[name] = sh
	refs := []*Ref{sh.Member, sh.Key, sh.Value}
	for i := range sh.Members {
		refs = append(refs, &sh.Members[i].Ref)
	}
	for _, r := range refs {
		if r == nil {
			continue
		}
		if err := m.takeShape(newer, r.Shape); err != nil {
			return err
		}
	}
	return nil
}
