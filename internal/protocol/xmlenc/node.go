package xmlenc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Node is an element of a parsed XML document. Names are local names
// (namespace prefixes dropped): AWS's XML shapes never rely on two elements
// differing only by namespace.
type Node struct {
	Name     string
	Attrs    []xml.Attr
	Text     string // the element's character data, concatenated
	Children []*Node
}

// MaxDepth bounds element nesting in Parse, so a hostile document cannot
// drive the decoders' recursion arbitrarily deep.
const MaxDepth = 100

// ErrMalformed is wrapped by Parse's errors.
var ErrMalformed = errors.New("xmlenc: malformed XML")

// Parse reads one XML document and returns its root element. An empty (or
// whitespace-only) document yields nil and no error.
func Parse(data []byte) (*Node, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	var root *Node
	var stack []*Node
	var text [][]byte // character data of each open element
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= MaxDepth {
				return nil, fmt.Errorf("%w: nested deeper than %d elements", ErrMalformed, MaxDepth)
			}
			n := &Node{Name: t.Name.Local, Attrs: t.Attr}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("%w: more than one root element", ErrMalformed)
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			}
			stack = append(stack, n)
			text = append(text, nil)
		case xml.EndElement:
			n := stack[len(stack)-1]
			n.Text = string(text[len(text)-1])
			stack = stack[:len(stack)-1]
			text = text[:len(text)-1]
		case xml.CharData:
			if len(stack) > 0 {
				text[len(text)-1] = append(text[len(text)-1], t...)
			} else if len(bytes.TrimSpace(t)) != 0 {
				return nil, fmt.Errorf("%w: text outside the root element", ErrMalformed)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: no root element", ErrMalformed)
	}
	return root, nil
}

// charsetReader lets documents that declare a Latin-1 or ASCII encoding
// through (some hand-written clients do); UTF-8 needs no reader, and any
// other encoding is refused as malformed.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "latin1", "latin-1", "l1":
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b)+len(b)/4)
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// Child returns the first child element called name, or nil.
func (n *Node) Child(name string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Attr returns the value of the attribute called name (its local part is
// compared, so "xsi:type" finds xsi:type) and whether it is present.
func (n *Node) Attr(name string) (string, bool) {
	local := localName(name)
	for _, a := range n.Attrs {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value, true
		}
	}
	return "", false
}
