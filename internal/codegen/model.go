// Package codegen turns AWS service models in the botocore JSON format
// (api-2.json) into Fogbank's typed wire layer: Go types for the shapes, the
// api.Shape schema the protocol codecs walk, the operation table, a Handler
// interface, error constructors and an Unimplemented base (see docs/codegen.md).
//
// The generator is a pure function of its inputs: the same models always give
// byte-identical output (everything is emitted in sorted or model order), so
// `go generate ./internal/api/ && git diff --exit-code` detects drift.
package codegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Model is a botocore service model (api-2.json) or a protocol-suite's
// description of one. Only what the generator uses is decoded.
type Model struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`
}

// Metadata is a model's "metadata" object.
type Metadata struct {
	APIVersion         string          `json:"apiVersion"`
	EndpointPrefix     string          `json:"endpointPrefix"`
	SigningName        string          `json:"signingName"`
	ServiceID          string          `json:"serviceId"`
	Protocol           string          `json:"protocol"`
	Protocols          []string        `json:"protocols"`
	JSONVersion        string          `json:"jsonVersion"`
	TargetPrefix       string          `json:"targetPrefix"`
	XMLNamespace       string          `json:"xmlNamespace"`
	AWSQueryCompatible json.RawMessage `json:"awsQueryCompatible"`
}

// Operation is one entry of a model's "operations" (or a suite case's "given").
type Operation struct {
	Name string `json:"name"`
	HTTP struct {
		Method       string `json:"method"`
		RequestURI   string `json:"requestUri"`
		ResponseCode int    `json:"responseCode"`
	} `json:"http"`
	Input         *Ref   `json:"input"`
	Output        *Ref   `json:"output"`
	Errors        []Ref  `json:"errors"`
	Documentation string `json:"documentation"`
}

// XMLNamespace is an "xmlNamespace" trait. Models write it either as an
// object {"prefix", "uri"} or, on metadata, as a plain URI string.
type XMLNamespace struct {
	Prefix string `json:"prefix"`
	URI    string `json:"uri"`
}

// UnmarshalJSON accepts both spellings of the trait.
func (x *XMLNamespace) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &x.URI)
	}
	type plain XMLNamespace
	return json.Unmarshal(b, (*plain)(x))
}

// Ref is a reference to a shape with the traits set where it is used.
type Ref struct {
	Shape            string        `json:"shape"`
	Location         string        `json:"location"`
	LocationName     string        `json:"locationName"`
	QueryName        string        `json:"queryName"`
	XMLNamespace     *XMLNamespace `json:"xmlNamespace"`
	XMLAttribute     bool          `json:"xmlAttribute"`
	Flattened        bool          `json:"flattened"`
	TimestampFormat  string        `json:"timestampFormat"`
	JSONValue        bool          `json:"jsonvalue"`
	IdempotencyToken bool          `json:"idempotencyToken"`
	HostLabel        bool          `json:"hostLabel"`
	EventPayload     bool          `json:"eventpayload"`
	Streaming        bool          `json:"streaming"`
	ResultWrapper    string        `json:"resultWrapper"`
	Documentation    string        `json:"documentation"`
}

// ErrorTrait is a shape's "error" object.
type ErrorTrait struct {
	Code           string `json:"code"`
	HTTPStatusCode int    `json:"httpStatusCode"`
	SenderFault    *bool  `json:"senderFault"`
}

// Shape is one entry of a model's "shapes".
type Shape struct {
	Type            string        `json:"type"`
	Members         Members       `json:"members"`
	Required        []string      `json:"required"`
	Member          *Ref          `json:"member"`
	Key             *Ref          `json:"key"`
	Value           *Ref          `json:"value"`
	Payload         string        `json:"payload"`
	Union           bool          `json:"union"`
	Document        bool          `json:"document"`
	Exception       bool          `json:"exception"`
	Fault           bool          `json:"fault"`
	Error           *ErrorTrait   `json:"error"`
	Flattened       bool          `json:"flattened"`
	LocationName    string        `json:"locationName"`
	XMLNamespace    *XMLNamespace `json:"xmlNamespace"`
	TimestampFormat string        `json:"timestampFormat"`
	Enum            []string      `json:"enum"`
	Min             *json.Number  `json:"min"`
	Max             *json.Number  `json:"max"`
	Pattern         string        `json:"pattern"`
	Sensitive       bool          `json:"sensitive"`
	Streaming       bool          `json:"streaming"`
	EventStream     bool          `json:"eventstream"`
	RequiresLength  bool          `json:"requiresLength"`
	Documentation   string        `json:"documentation"`
}

// NamedRef is a structure member: its name and reference, in model order.
type NamedRef struct {
	Name string
	Ref  Ref
}

// Members keeps a structure's members in the order the model lists them,
// which encoding/json's maps would lose; Go struct fields (and so
// api.Member.Field) follow this order.
type Members []NamedRef

// UnmarshalJSON decodes a JSON object into members, keeping key order.
func (ms *Members) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("members: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("members: want an object, got %v", tok)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("members: %w", err)
		}
		name, _ := tok.(string)
		var r Ref
		if err := dec.Decode(&r); err != nil {
			return fmt.Errorf("member %q: %w", name, err)
		}
		*ms = append(*ms, NamedRef{Name: name, Ref: r})
	}
	return nil
}

// ParseModel decodes a botocore model.
func ParseModel(b []byte) (*Model, error) {
	var m Model
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("parsing model: %w", err)
	}
	for name, op := range m.Operations {
		if op.Name == "" {
			op.Name = name
		}
	}
	return &m, nil
}

// docs is a docs-2.json file: the HTML documentation aws-sdk-go keeps apart
// from api-2.json.
type docs struct {
	Operations map[string]string `json:"operations"`
	Shapes     map[string]struct {
		Base *string           `json:"base"`
		Refs map[string]string `json:"refs"` // "Structure$Member" → doc
	} `json:"shapes"`
}

// MergeDocs copies the documentation of a docs-2.json file into m, so the
// generator can keep each doc's first sentence as a Go doc comment.
func (m *Model) MergeDocs(b []byte) error {
	var d docs
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("parsing docs: %w", err)
	}
	for name, doc := range d.Operations {
		if op := m.Operations[name]; op != nil {
			op.Documentation = doc
		}
	}
	for name, sd := range d.Shapes {
		if sh := m.Shapes[name]; sh != nil && sd.Base != nil {
			sh.Documentation = *sd.Base
		}
		for ref, doc := range sd.Refs {
			owner, member, ok := strings.Cut(ref, "$")
			sh := m.Shapes[owner]
			if !ok || sh == nil {
				continue
			}
			for i := range sh.Members {
				if sh.Members[i].Name == member {
					sh.Members[i].Ref.Documentation = doc
				}
			}
		}
	}
	return nil
}

// Protocols returns the model's protocols, preferred first: metadata
// "protocols" when set, else the single "protocol".
func (m *Model) Protocols() []string {
	if len(m.Metadata.Protocols) > 0 {
		return m.Metadata.Protocols
	}
	if m.Metadata.Protocol != "" {
		return []string{m.Metadata.Protocol}
	}
	return nil
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
