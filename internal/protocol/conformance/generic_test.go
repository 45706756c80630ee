package conformance

import (
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

func mustGeneric(t *testing.T, text string) any {
	t.Helper()
	g, err := decodeGeneric([]byte(text))
	if err != nil {
		t.Fatalf("decoding %s: %v", text, err)
	}
	return g
}

// TestRoundTrip checks generic → typed → generic on hand-built schemas: what
// goes in must come out, with absent and empty kept apart.
func TestRoundTrip(t *testing.T) {
	all, _, streaming := testShapes()
	tests := []struct {
		name  string
		shape *api.Shape
		in    string
	}{
		{"empty", all, `{}`},
		{"scalars", all, `{"Str":"héllo","I32":-7,"I64":9007199254740993,"F32":1.1,"F64":0.1,"Bool":false,"I8":127,"I16":-32768}`},
		{"timestamps", all, `{"Time":1398796238}`},
		{"fractional timestamp", all, `{"Time":946845296.123}`},
		{"non-finite floats", all, `{"F32":"NaN","F64":"-Infinity"}`},
		{"infinity", all, `{"F64":"Infinity"}`},
		{"blob", all, `{"Blob":"binary-value"}`},
		{"empty blob", all, `{"Blob":""}`},
		{"empty containers", all, `{"List":[],"Map":{},"Structs":[],"Nested":{},"StructMap":{},"Lists":[]}`},
		{"containers", all, `{"List":["a","b"],"Map":{"x":1,"y":2},"Structs":[{"Name":"n"},{}],"Nested":{"Count":3},"StructMap":{"k":{"Name":"v"}},"Lists":[[1,2],[]]}`},
		{"document", all, `{"Doc":{"a":[1,"two",true,null,{"b":2.5}]}}`},
		{"scalar document", all, `{"Doc":"text"}`},
		{"streaming", streaming, `{"Body":"streamed bytes"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := mustGeneric(t, tt.in)
			v, err := Typed(tt.shape, want)
			if err != nil {
				t.Fatalf("Typed: %v", err)
			}
			got, err := Generic(tt.shape, v)
			if err != nil {
				t.Fatalf("Generic: %v", err)
			}
			if d := Diff(got, want); len(d) > 0 {
				t.Errorf("round trip differs:\n%s", strings.Join(d, "\n"))
			}
		})
	}
}

// TestTypedValues checks that Typed fills the Go fields the codecs read.
func TestTypedValues(t *testing.T) {
	all, _, streaming := testShapes()
	v, err := Typed(all, mustGeneric(t, `{"Str":"s","F32":"NaN","Time":946845296.123,"Blob":"b","Map":{"k":1},"Structs":[{"Name":"n"}],"Doc":{"n":2}}`))
	if err != nil {
		t.Fatal(err)
	}
	a := v.(*testAll)
	if api.ToString(a.Str) != "s" || a.F32 == nil || !math.IsNaN(float64(*a.F32)) {
		t.Errorf("scalars: %+v", a)
	}
	if want := time.Date(2000, 1, 2, 20, 34, 56, 123e6, time.UTC); a.Time == nil || !a.Time.Equal(want) {
		t.Errorf("Time = %v, want %v", a.Time, want)
	}
	if string(a.Blob) != "b" || a.Map["k"] != 1 || api.ToString(a.Structs[0].Name) != "n" {
		t.Errorf("containers: %+v", a)
	}
	if d, ok := a.Doc.(map[string]any); !ok || d["n"] != float64(2) {
		t.Errorf("Doc = %#v, want map with float64 2", a.Doc)
	}
	sv, err := Typed(streaming, mustGeneric(t, `{"Body":"xyz"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(sv.(*testStreaming).Body)
	if string(b) != "xyz" {
		t.Errorf("Body = %q", b)
	}
}

func TestTypedErrors(t *testing.T) {
	all, _, _ := testShapes()
	tests := []struct{ name, in, want string }{
		{"unknown member", `{"Nope":1}`, `no member "Nope"`},
		{"wrong type", `{"Str":1}`, "does not fit"},
		{"overflow", `{"I8":300}`, "overflows"},
		{"bad float", `{"F64":"many"}`, "not a float"},
		{"list for struct", `{"Nested":[]}`, "does not fit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Typed(all, mustGeneric(t, tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Typed(%s) error = %v, want it to mention %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestGenericNil(t *testing.T) {
	all, _, _ := testShapes()
	if g, err := Generic(nil, new(struct{})); err != nil || Diff(g, map[string]any{}) != nil {
		t.Errorf("Generic(nil shape) = %v, %v; want {}", g, err)
	}
	if g, err := Generic(all, (*testAll)(nil)); err != nil || g != nil {
		t.Errorf("Generic(nil value) = %v, %v; want nil", g, err)
	}
	// A float32 is rendered with float32 digits, so 1.1 stays 1.1.
	f := float32(1.1)
	g, err := Generic(all, &testAll{F32: &f})
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(g, mustGeneric(t, `{"F32":1.1}`)); d != nil {
		t.Error(d)
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name      string
		got, want string
		diffs     int
	}{
		{"equal", `{"a":[1,{"b":"c"}]}`, `{"a":[1,{"b":"c"}]}`, 0},
		{"absent vs empty list", `{}`, `{"a":[]}`, 1},
		{"extra key", `{"a":1,"b":2}`, `{"a":1}`, 1},
		{"int vs float text", `{"a":1.0}`, `{"a":1}`, 0},
		{"float formatting", `{"a":1.1000000000000001}`, `{"a":1.1}`, 0},
		{"float32 digits in a double", `{"a":1.100000023841858}`, `{"a":1.1}`, 1},
		{"long exact", `{"a":9007199254740993}`, `{"a":9007199254740992}`, 1},
		{"millisecond timestamp", `{"a":946845296.123}`, `{"a":946845296.123}`, 0},
		{"list length", `[1,2]`, `[1]`, 1},
		{"string vs number", `"1"`, `1`, 1},
		{"NaN strings", `"NaN"`, `"NaN"`, 0},
		{"null", `null`, `null`, 0},
		{"bool", `true`, `false`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diff(mustGeneric(t, tt.got), mustGeneric(t, tt.want))
			if len(d) != tt.diffs {
				t.Errorf("Diff(%s, %s) = %q, want %d differences", tt.got, tt.want, d, tt.diffs)
			}
		})
	}
}

func TestDropNulls(t *testing.T) {
	all, _, _ := testShapes()
	tests := []struct{ name, in, want string }{
		{"members", `{"Str":null,"I32":1}`, `{"I32":1}`},
		{"nested", `{"Nested":{"Name":null},"Structs":[{"Name":null,"Count":2}]}`, `{"Nested":{},"Structs":[{"Count":2}]}`},
		{"list elements kept", `{"List":["a",null]}`, `{"List":["a",null]}`},
		{"document kept", `{"Doc":{"a":null}}`, `{"Doc":{"a":null}}`},
		{"map values kept", `{"StructMap":{"k":null}}`, `{"StructMap":{"k":null}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dropNulls(all, mustGeneric(t, tt.in))
			if d := Diff(got, mustGeneric(t, tt.want)); d != nil {
				t.Errorf("dropNulls(%s) = %s, want %s: %v", tt.in, show(got), tt.want, d)
			}
		})
	}
}
