package conformance

import (
	"io"
	"reflect"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

// Hand-built schemas for the harness's own tests, in the form the generator
// emits: scalar members are pointers, structures in lists and maps are
// pointers, scalars in lists and maps are not.

type testNested struct {
	Name  *string
	Count *int32
}

type testAll struct {
	Str       *string
	I32       *int32
	I64       *int64
	F32       *float32
	F64       *float64
	Bool      *bool
	Time      *time.Time
	I8        *int8
	I16       *int16
	Blob      []byte
	List      []string
	Map       map[string]int32
	Structs   []*testNested
	Nested    *testNested
	Doc       any
	StructMap map[string]*testNested
	Lists     [][]int64
}

type testStreaming struct {
	Body io.ReadCloser
}

func testShapes() (all, nested, streaming *api.Shape) {
	str := &api.Shape{Name: "String", Type: api.TypeString}
	i32 := &api.Shape{Name: "Integer", Type: api.TypeInteger}
	i64 := &api.Shape{Name: "Long", Type: api.TypeLong}
	nested = &api.Shape{Name: "Nested", Type: api.TypeStructure, GoType: reflect.TypeFor[testNested](), Members: []api.Member{
		{Name: "Name", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "Count", Ref: api.Ref{Shape: i32}, Field: 1},
	}}
	longList := &api.Shape{Name: "LongList", Type: api.TypeList, Member: &api.Ref{Shape: i64}}
	all = &api.Shape{Name: "All", Type: api.TypeStructure, GoType: reflect.TypeFor[testAll](), Members: []api.Member{
		{Name: "Str", Ref: api.Ref{Shape: str}, Field: 0},
		{Name: "I32", Ref: api.Ref{Shape: i32}, Field: 1},
		{Name: "I64", Ref: api.Ref{Shape: i64}, Field: 2},
		{Name: "F32", Ref: api.Ref{Shape: &api.Shape{Name: "Float", Type: api.TypeFloat}}, Field: 3},
		{Name: "F64", Ref: api.Ref{Shape: &api.Shape{Name: "Double", Type: api.TypeDouble}}, Field: 4},
		{Name: "Bool", Ref: api.Ref{Shape: &api.Shape{Name: "Boolean", Type: api.TypeBoolean}}, Field: 5},
		{Name: "Time", Ref: api.Ref{Shape: &api.Shape{Name: "Timestamp", Type: api.TypeTimestamp}}, Field: 6},
		{Name: "I8", Ref: api.Ref{Shape: &api.Shape{Name: "Byte", Type: api.TypeByte}}, Field: 7},
		{Name: "I16", Ref: api.Ref{Shape: &api.Shape{Name: "Short", Type: api.TypeShort}}, Field: 8},
		{Name: "Blob", Ref: api.Ref{Shape: &api.Shape{Name: "Blob", Type: api.TypeBlob}}, Field: 9},
		{Name: "List", Ref: api.Ref{Shape: &api.Shape{Name: "StringList", Type: api.TypeList, Member: &api.Ref{Shape: str}}}, Field: 10},
		{Name: "Map", Ref: api.Ref{Shape: &api.Shape{Name: "IntMap", Type: api.TypeMap, Key: &api.Ref{Shape: str}, Value: &api.Ref{Shape: i32}}}, Field: 11},
		{Name: "Structs", Ref: api.Ref{Shape: &api.Shape{Name: "NestedList", Type: api.TypeList, Member: &api.Ref{Shape: nested}}}, Field: 12},
		{Name: "Nested", Ref: api.Ref{Shape: nested}, Field: 13},
		{Name: "Doc", Ref: api.Ref{Shape: &api.Shape{Name: "Document", Type: api.TypeStructure, Document: true, GoType: reflect.TypeFor[any]()}}, Field: 14},
		{Name: "StructMap", Ref: api.Ref{Shape: &api.Shape{Name: "NestedMap", Type: api.TypeMap, Key: &api.Ref{Shape: str}, Value: &api.Ref{Shape: nested}}}, Field: 15},
		{Name: "Lists", Ref: api.Ref{Shape: &api.Shape{Name: "LongLists", Type: api.TypeList, Member: &api.Ref{Shape: longList}}}, Field: 16},
	}}
	streaming = &api.Shape{Name: "Streaming", Type: api.TypeStructure, GoType: reflect.TypeFor[testStreaming](), Payload: "Body", Members: []api.Member{
		{Name: "Body", Ref: api.Ref{Shape: &api.Shape{Name: "Stream", Type: api.TypeBlob, Streaming: true}}, Field: 0},
	}}
	all.Index()
	streaming.Index()
	return all, nested, streaming
}
