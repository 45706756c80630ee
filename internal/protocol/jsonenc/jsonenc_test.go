package jsonenc

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

type inner struct {
	Name *string
	Next *inner
}

type all struct {
	S     *string
	I     *int32
	L     *int64
	F     *float32
	D     *float64
	B     *bool
	T     *time.Time
	TISO  *time.Time
	Blob  []byte
	List  []string
	Map   map[string]int64
	Inner *inner
	Doc   any
	Objs  []*inner
	Byte  *int8
	Short *int16
	Head  *string // bound to a header in REST protocols
}

func allShape() *api.Shape {
	str := &api.Shape{Name: "S", Type: api.TypeString}
	in := &api.Shape{Name: "Inner", Type: api.TypeStructure, GoType: reflect.TypeFor[inner]()}
	in.Members = []api.Member{
		{Name: "Name", Field: 0, Ref: api.Ref{Shape: str, LocationName: "name"}},
		{Name: "Next", Field: 1, Ref: api.Ref{Shape: in}},
	}
	s := &api.Shape{Name: "All", Type: api.TypeStructure, GoType: reflect.TypeFor[all](), Members: []api.Member{
		{Name: "S", Field: 0, Ref: api.Ref{Shape: str}},
		{Name: "I", Field: 1, Ref: api.Ref{Shape: &api.Shape{Name: "I", Type: api.TypeInteger}}},
		{Name: "L", Field: 2, Ref: api.Ref{Shape: &api.Shape{Name: "L", Type: api.TypeLong}}},
		{Name: "F", Field: 3, Ref: api.Ref{Shape: &api.Shape{Name: "F", Type: api.TypeFloat}}},
		{Name: "D", Field: 4, Ref: api.Ref{Shape: &api.Shape{Name: "D", Type: api.TypeDouble}}},
		{Name: "B", Field: 5, Ref: api.Ref{Shape: &api.Shape{Name: "B", Type: api.TypeBoolean}}},
		{Name: "T", Field: 6, Ref: api.Ref{Shape: &api.Shape{Name: "T", Type: api.TypeTimestamp}}},
		{Name: "TISO", Field: 7, Ref: api.Ref{Shape: &api.Shape{Name: "T", Type: api.TypeTimestamp}, TimestampFormat: api.TimestampISO8601}},
		{Name: "Blob", Field: 8, Ref: api.Ref{Shape: &api.Shape{Name: "Blob", Type: api.TypeBlob}}},
		{Name: "List", Field: 9, Ref: api.Ref{Shape: &api.Shape{Name: "List", Type: api.TypeList, Member: &api.Ref{Shape: str}}}},
		{Name: "Map", Field: 10, Ref: api.Ref{Shape: &api.Shape{Name: "Map", Type: api.TypeMap, Key: &api.Ref{Shape: str}, Value: &api.Ref{Shape: &api.Shape{Type: api.TypeLong}}}}},
		{Name: "Inner", Field: 11, Ref: api.Ref{Shape: in}},
		{Name: "Doc", Field: 12, Ref: api.Ref{Shape: &api.Shape{Name: "Doc", Type: api.TypeStructure, Document: true}}},
		{Name: "Objs", Field: 13, Ref: api.Ref{Shape: &api.Shape{Name: "Objs", Type: api.TypeList, Member: &api.Ref{Shape: in}}}},
		{Name: "Byte", Field: 14, Ref: api.Ref{Shape: &api.Shape{Name: "Byte", Type: api.TypeByte}}},
		{Name: "Short", Field: 15, Ref: api.Ref{Shape: &api.Shape{Name: "Short", Type: api.TypeShort}}},
		{Name: "Head", Field: 16, Ref: api.Ref{Shape: str, Location: api.LocationHeader, LocationName: "X-Head"}},
	}}
	s.Index()
	return s
}

func TestUnmarshalStruct(t *testing.T) {
	s := allShape()
	ts := time.Unix(1576540098, 0).UTC()
	tests := []struct {
		name     string
		body     string
		bodyOnly bool
		want     all
		err      bool
	}{
		{name: "empty", body: "  ", want: all{}},
		{name: "empty object", body: "{}", want: all{}},
		{
			name: "scalars",
			body: `{"S":"a\u00e9\n\ud83d\ude00","I":-7,"L":9007199254740993,"F":1.5,"D":-2.25e3,"B":true,"Byte":-128,"Short":300}`,
			want: all{S: api.String("aé\n😀"), I: api.Int32(-7), L: api.Int64(9007199254740993), F: ptr[float32](1.5), D: api.Float64(-2250), B: api.Bool(true), Byte: ptr[int8](-128), Short: ptr[int16](300)},
		},
		{name: "special floats", body: `{"D":"NaN","F":"-Infinity"}`, want: all{D: api.Float64(math.NaN()), F: ptr(float32(math.Inf(-1)))}},
		{name: "timestamps", body: `{"T":1576540098,"TISO":"2019-12-16T23:48:18Z"}`, want: all{T: &ts, TISO: &ts}},
		{name: "blob", body: `{"Blob":"aGk="}`, want: all{Blob: []byte("hi")}},
		{name: "unpadded blob", body: `{"Blob":"aGk"}`, want: all{Blob: []byte("hi")}},
		{name: "collections", body: `{"List":["a","b"],"Map":{"x":1,"y":null},"Objs":[{"name":"o"},null]}`,
			want: all{List: []string{"a", "b"}, Map: map[string]int64{"x": 1}, Objs: []*inner{{Name: api.String("o")}, nil}}},
		{name: "empty collections", body: `{"List":[],"Map":{}}`, want: all{List: []string{}, Map: map[string]int64{}}},
		{name: "recursive", body: `{"Inner":{"name":"a","Next":{"name":"b"}}}`,
			want: all{Inner: &inner{Name: api.String("a"), Next: &inner{Name: api.String("b")}}}},
		{name: "document", body: `{"Doc":{"a":[1,"x",true,null]}}`, want: all{Doc: map[string]any{"a": []any{1.0, "x", true, nil}}}},
		{name: "nulls and unknowns", body: `{"S":null,"Zzz":{"a":[{}]},"Inner":null}`, want: all{}},
		{name: "header member in body (rpc)", body: `{"Head":"h"}`, want: all{Head: api.String("h")}},
		{name: "header member in body (rest)", body: `{"Head":"h"}`, bodyOnly: true, want: all{}},
		{name: "wrong type", body: `{"S":1}`, err: true},
		{name: "bool as string", body: `{"B":"true"}`, err: true},
		{name: "byte overflow", body: `{"Byte":128}`, err: true},
		{name: "bad escape", body: `{"S":"\x"}`, err: true},
		{name: "control char", body: "{\"S\":\"a\x01\"}", err: true},
		{name: "leading zero", body: `{"I":01}`, err: true},
		{name: "missing colon", body: `{"S" "a"}`, err: true},
		{name: "trailing comma", body: `{"S":"a",}`, err: true},
		{name: "list for struct", body: `{"Inner":[]}`, err: true},
		{name: "too deep", body: `{"Doc":` + strings.Repeat("[", maxDepth+5), err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got all
			err := UnmarshalStruct([]byte(tt.body), s, reflect.ValueOf(&got).Elem(), tt.bodyOnly)
			if tt.err {
				var ae *api.Error
				if !errors.As(err, &ae) || ae.Code != "SerializationException" {
					t.Fatalf("got %v, want a SerializationException", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !equalAll(got, tt.want) {
				t.Fatalf("got  %s\nwant %s", show(got), show(tt.want))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// equalAll is reflect.DeepEqual that takes NaN as equal to NaN.
func equalAll(a, b all) bool {
	if a.D != nil && b.D != nil && math.IsNaN(*a.D) && math.IsNaN(*b.D) {
		a.D, b.D = nil, nil
	}
	return reflect.DeepEqual(a, b)
}

func show(v all) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestAppendStruct(t *testing.T) {
	s := allShape()
	ts := time.UnixMilli(1576540098120).UTC()
	tests := []struct {
		name     string
		v        all
		bodyOnly bool
		want     string
	}{
		{name: "absent", v: all{}, want: `{}`},
		{name: "scalars", v: all{S: api.String("a\"\\\n\x00<>&\u2028"), I: api.Int32(1), B: api.Bool(false), D: api.Float64(1e21), F: ptr[float32](0.1)},
			want: `{"S":"a\"\\\n\u0000<>&\u2028","I":1,"F":0.1,"D":1e+21,"B":false}`},
		{name: "special floats", v: all{D: api.Float64(math.Inf(1)), F: ptr(float32(math.NaN()))}, want: `{"F":"NaN","D":"Infinity"}`},
		{name: "timestamps", v: all{T: &ts, TISO: &ts}, want: `{"T":1576540098.12,"TISO":"2019-12-16T23:48:18.120Z"}`},
		{name: "collections", v: all{List: []string{}, Map: map[string]int64{"b": 2, "a": 1}, Objs: []*inner{nil, {Name: api.String("x")}}},
			want: `{"List":[],"Map":{"a":1,"b":2},"Objs":[null,{"name":"x"}]}`},
		{name: "blob and doc", v: all{Blob: []byte{}, Doc: map[string]any{"k": []any{1.5, "s", nil}}}, want: `{"Blob":"","Doc":{"k":[1.5,"s",null]}}`},
		{name: "invalid utf8", v: all{S: api.String("a\xffb")}, want: `{"S":"a\ufffdb"}`},
		{name: "rest body only", v: all{S: api.String("s"), Head: api.String("h")}, bodyOnly: true, want: `{"S":"s"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendStruct(nil, s, reflect.ValueOf(&tt.v), tt.bodyOnly)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Fatal("invalid JSON")
			}
		})
	}
}

func TestEpoch(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"0", time.Unix(0, 0)},
		{"1576540098", time.Unix(1576540098, 0)},
		{"1576540098.5", time.UnixMilli(1576540098500)},
		{"1576540098.1239", time.UnixMilli(1576540098124)},
		{"-1.5", time.UnixMilli(-1500)},
		{"1.5e3", time.Unix(1500, 0)},
	}
	for _, tt := range tests {
		got, err := epoch([]byte(tt.in))
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("epoch(%s) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if back := string(appendEpoch(nil, got)); tt.in != "1576540098.1239" && tt.in != "1.5e3" && back != tt.in {
			t.Errorf("appendEpoch(%v) = %s, want %s", got, back, tt.in)
		}
	}
}

func TestAppendError(t *testing.T) {
	type withMembers struct {
		Message *string
		Reason  *string
		Header  *string
	}
	str := &api.Shape{Name: "S", Type: api.TypeString}
	shape := &api.Shape{Name: "E", Type: api.TypeStructure, Exception: true, Members: []api.Member{
		{Name: "Message", Field: 0, Ref: api.Ref{Shape: str}},
		{Name: "Reason", Field: 1, Ref: api.Ref{Shape: str}},
		{Name: "Header", Field: 2, Ref: api.Ref{Shape: str, Location: api.LocationHeader, LocationName: "X-H"}},
	}}
	tests := []struct {
		name string
		typ  string
		e    *api.Error
		want string
	}{
		{"plain", "Code", &api.Error{Code: "Code", Message: "m"}, `{"__type":"Code","message":"m"}`},
		{"no type", "", &api.Error{Message: "m"}, `{"message":"m"}`},
		{"no message", "Code", &api.Error{Code: "Code"}, `{"__type":"Code"}`},
		{"members", "E", &api.Error{Code: "E", Message: "m", Shape: shape, Value: &withMembers{Message: api.String("m"), Reason: api.String("r"), Header: api.String("h")}},
			`{"__type":"E","Message":"m","Reason":"r"}`},
		{"message only in Error", "E", &api.Error{Code: "E", Message: "m", Shape: shape, Value: &withMembers{Reason: api.String("r")}},
			`{"__type":"E","Message":"m","Reason":"r"}`},
	}
	for _, tt := range tests {
		if got := string(AppendError(nil, tt.typ, tt.e)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}
