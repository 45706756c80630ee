package conformance

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

// fakeCodec is a toy awsJson1.1 codec built on Generic and Typed, enough to
// drive the runners end to end. It writes blobs raw rather than base64, so
// it is not a real codec: only the harness is under test.
type fakeCodec struct{}

var _ api.Codec = fakeCodec{}

func (fakeCodec) Resolve(c *api.Call) error {
	target := c.Request.Header.Get("X-Amz-Target")
	_, name, _ := strings.Cut(target, ".")
	if c.Op = c.Service.Operation(name); c.Op == nil {
		return api.Errorf("UnknownOperationException", 400, "no operation %q", target)
	}
	return nil
}

func (fakeCodec) Decode(c *api.Call, in any) error {
	if c.Op.Input == nil || len(c.Body) == 0 {
		return nil
	}
	g, err := decodeGeneric(c.Body)
	if err != nil {
		return api.NewSerializationError("%v", err)
	}
	if err := fromGeneric(c.Op.Input, g, reflect.ValueOf(in).Elem(), "in"); err != nil {
		return api.NewSerializationError("%v", err)
	}
	return nil
}

func (fakeCodec) Encode(w http.ResponseWriter, c *api.Call, out any) error {
	g, err := Generic(c.Op.Output, out)
	if err != nil {
		return err
	}
	if m, ok := g.(map[string]any); ok {
		if n, ok := m["Name"].(string); ok && strings.HasPrefix(n, "not ") {
			m["Name"] = "mangled"
		}
	}
	return writeJSON(w, http.StatusOK, g)
}

func (fakeCodec) EncodeError(w http.ResponseWriter, c *api.Call, e *api.Error) {
	body := map[string]any{}
	if e.Shape != nil {
		if g, err := Generic(e.Shape, e.Value); err == nil && g != nil {
			body = g.(map[string]any)
		}
	}
	body["__type"] = e.Code
	if _, ok := body["message"]; !ok {
		body["message"] = e.Message
	}
	_ = writeJSON(w, e.HTTPStatus(), body)
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", requestID)
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// Go types and schemas of testdata/fake.

type fakeIn struct {
	Name *string
	When *time.Time
	Tags []string
}

type fakeOut struct {
	Name *string
	When *time.Time
	F    *float64
	Tags []string
}

type fakeOops struct {
	Message *string
	Extra   *string
}

func fakeSchemas() (map[string]*api.Operation, map[string]*api.Service) {
	str := &api.Shape{Name: "String", Type: api.TypeString}
	ts := &api.Shape{Name: "Timestamp", Type: api.TypeTimestamp}
	tags := &api.Shape{Name: "Tags", Type: api.TypeList, Member: &api.Ref{Shape: str}}
	in := &api.Shape{Name: "In", Type: api.TypeStructure, GoType: reflect.TypeFor[fakeIn](), Members: []api.Member{
		{Name: "Name", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "When", Ref: api.Ref{Shape: ts}, Field: 1},
		{Name: "Tags", Ref: api.Ref{Shape: tags}, Field: 2},
	}}
	out := &api.Shape{Name: "Out", Type: api.TypeStructure, GoType: reflect.TypeFor[fakeOut](), Members: []api.Member{
		{Name: "Name", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "When", Ref: api.Ref{Shape: ts}, Field: 1},
		{Name: "F", Ref: api.Ref{Shape: &api.Shape{Name: "Double", Type: api.TypeDouble}}, Field: 2},
		{Name: "Tags", Ref: api.Ref{Shape: tags}, Field: 3},
	}}
	oops := &api.Shape{Name: "Oops", Type: api.TypeStructure, Exception: true, GoType: reflect.TypeFor[fakeOops](), Members: []api.Member{
		{Name: "message", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "Extra", Ref: api.Ref{Shape: str}, Field: 1},
	}}
	newSvc := func(name string, ops ...*api.Operation) *api.Service {
		svc := &api.Service{Name: name, Protocols: []string{"json"}, JSONVersion: "1.1", TargetPrefix: "Fake",
			Operations: ops, Errors: map[string]*api.Shape{"Oops": oops}}
		svc.Index()
		return svc
	}
	cases := map[string]*api.Operation{}
	for i := range 5 {
		cases[caseKey("input", "fake.json", 0, i)] = &api.Operation{Name: "Op", Method: "POST", RequestURI: "/", Input: in,
			NewInput: func() any { return new(fakeIn) }}
	}
	for i := range 4 {
		op := &api.Operation{Name: "Op", Method: "POST", RequestURI: "/", Output: out}
		if i == 1 {
			op.Errors = []*api.Shape{oops}
		}
		cases[caseKey("output", "fake.json", 0, i)] = op
	}
	suites := map[string]*api.Service{
		suiteKey("input", "fake.json", 0):  newSvc("input/fake.json#0", cases[caseKey("input", "fake.json", 0, 0)]),
		suiteKey("output", "fake.json", 0): newSvc("output/fake.json#0", cases[caseKey("output", "fake.json", 0, 0)]),
	}
	return cases, suites
}
