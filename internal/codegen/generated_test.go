package codegen_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/events"
	"github.com/fogbank/fogbank/internal/api/iam"
	"github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/api/logs"
	"github.com/fogbank/fogbank/internal/api/s3"
	"github.com/fogbank/fogbank/internal/api/sfn"
	"github.com/fogbank/fogbank/internal/api/sns"
	"github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/api/sts"
	"github.com/fogbank/fogbank/internal/codegen/testdata/widgets"
	"github.com/fogbank/fogbank/internal/protocol/conformance/suites"
)

// services are the generated packages, with a zero Unimplemented handler each.
var services = []struct {
	svc     *api.Service
	handler any
}{
	{events.Service, events.Unimplemented{}},
	{iam.Service, iam.Unimplemented{}},
	{lambda.Service, lambda.Unimplemented{}},
	{logs.Service, logs.Unimplemented{}},
	{s3.Service, s3.Unimplemented{}},
	{sfn.Service, sfn.Unimplemented{}},
	{sns.Service, sns.Unimplemented{}},
	{sqs.Service, sqs.Unimplemented{}},
	{sts.Service, sts.Unimplemented{}},
	{widgets.Service, widgets.Unimplemented{}},
}

// TestGenerated checks every generated schema against its Go types, which is
// the contract the codecs rely on: each structure's GoType has one field per
// member, at Member.Field, of the type the mapping in docs/codegen.md gives.
func TestGenerated(t *testing.T) {
	for _, tc := range services {
		t.Run(tc.svc.Name, func(t *testing.T) {
			checkService(t, tc.svc, true)
			for p, v := range tc.svc.Variants {
				if len(v.Operations) != len(tc.svc.Operations) {
					t.Errorf("variant %s has %d operations, want %d", p, len(v.Operations), len(tc.svc.Operations))
				}
				checkService(t, v, true)
				for i, op := range v.Operations {
					main := tc.svc.Operations[i]
					if op.Name != main.Name || reflect.ValueOf(op.Invoke).Pointer() != reflect.ValueOf(main.Invoke).Pointer() ||
						reflect.ValueOf(op.NewInput).Pointer() != reflect.ValueOf(main.NewInput).Pointer() {
						t.Errorf("variant %s operation %s does not share NewInput/Invoke with %s", p, op.Name, main.Name)
					}
				}
			}
			for _, op := range tc.svc.Operations {
				out, err := op.Invoke(context.Background(), tc.handler, op.NewInput())
				var ae *api.Error
				if out != nil || !errors.As(err, &ae) || ae.Code != "NotImplemented" {
					t.Errorf("%s: Unimplemented gave %v, %v; want NotImplemented", op.Name, out, err)
				}
			}
		})
	}
}

func TestSuites(t *testing.T) {
	if len(suites.Cases) == 0 || len(suites.Suites) == 0 {
		t.Fatal("no suites generated")
	}
	for key, op := range suites.Cases {
		if op.NewInput == nil {
			t.Errorf("%s: no NewInput", key)
		}
	}
	for key, svc := range suites.Suites {
		t.Run(key, func(t *testing.T) { checkService(t, svc, false) })
	}
	if op := suites.Cases["input/query.json#3#0"]; op == nil || op.Name != "HostWithPathOperation" {
		t.Errorf("input/query.json#3#0 = %+v, want HostWithPathOperation", op)
	}
}

func TestSQSQueryVariant(t *testing.T) {
	q := sqs.Service.For("query")
	if q == sqs.Service || q.XMLNamespace == "" {
		t.Fatalf("no query variant with a namespace: %+v", q)
	}
	if !sqs.Service.Speaks("query") || !sqs.Service.Speaks("json") {
		t.Errorf("protocols %v", sqs.Service.Protocols)
	}
	send := q.Operation("SendMessage")
	if send.ResultWrapper != "SendMessageResult" {
		t.Errorf("ResultWrapper = %q", send.ResultWrapper)
	}
	attrs := send.Input.MemberByName("MessageAttributes")
	if attrs.WireName() != "MessageAttribute" || !attrs.Ref.IsFlattened() ||
		attrs.Ref.Shape.Key.LocationName != "Name" || attrs.Ref.Shape.Value.LocationName != "Value" {
		t.Errorf("query MessageAttributes traits: %+v", attrs.Ref)
	}
	if j := sqs.Service.Operation("SendMessage").Input.MemberByName("MessageAttributes"); j.WireName() != "MessageAttributes" {
		t.Errorf("json MessageAttributes wire name %q", j.WireName())
	}
	e := sqs.NewQueueDoesNotExist("gone")
	if e.Code != "QueueDoesNotExist" || e.CodeFor("query") != "AWS.SimpleQueueService.NonExistentQueue" || !e.Sender || e.HTTPStatus() != 400 {
		t.Errorf("NewQueueDoesNotExist = %+v", e)
	}
	if v, ok := e.Value.(*sqs.QueueDoesNotExist); !ok || api.ToString(v.Message) != "gone" {
		t.Errorf("Value = %#v", e.Value)
	}
	if e.Shape == nil || e.Shape.Error.Code != "AWS.SimpleQueueService.NonExistentQueue" {
		t.Errorf("json error trait lacks the query code: %+v", e.Shape)
	}
}

func TestErrorConstructors(t *testing.T) {
	for _, tc := range []struct {
		err                 *api.Error
		code, query         string
		status              int
		sender, withMessage bool
	}{
		{iam.NewNoSuchEntityException("x"), "NoSuchEntityException", "NoSuchEntity", 404, true, true},
		{s3.NewNoSuchKey("x"), "NoSuchKey", "", 404, true, false},
		{widgets.NewInternalFault("x"), "InternalFault", "", 500, false, false},
		{widgets.NewWidgetNotFound("x"), "WidgetNotFound", "Widgets.NotFound", 404, true, true},
		{lambda.NewResourceNotFoundException("x"), "ResourceNotFoundException", "", 404, true, true},
	} {
		e := tc.err
		if e.Code != tc.code || e.QueryCode != tc.query || e.HTTPStatus() != tc.status || e.Sender != tc.sender || e.Message != "x" {
			t.Errorf("%s: got %+v", tc.code, e)
		}
		if e.Shape == nil || reflect.TypeOf(e.Value) != reflect.PointerTo(e.Shape.GoType) {
			t.Errorf("%s: Value %T does not match Shape %v", tc.code, e.Value, e.Shape)
		}
	}
}

func checkService(t *testing.T, svc *api.Service, handlers bool) {
	t.Helper()
	seen := map[*api.Shape]bool{}
	for _, op := range svc.Operations {
		if svc.Operation(op.Name) != op {
			t.Errorf("%s: not indexed", op.Name)
		}
		in := op.NewInput()
		if op.Input != nil {
			if reflect.TypeOf(in) != reflect.PointerTo(op.Input.GoType) {
				t.Errorf("%s: NewInput gives %T, schema says %v", op.Name, in, op.Input.GoType)
			}
		}
		if handlers && op.Invoke == nil {
			t.Errorf("%s: no Invoke", op.Name)
		}
		for _, s := range append([]*api.Shape{op.Input, op.Output}, op.Errors...) {
			if s != nil {
				if err := checkShape(s, seen); err != nil {
					t.Errorf("%s: %v", op.Name, err)
				}
			}
		}
	}
	for name, e := range svc.Errors {
		if e.Name != name || !e.Exception {
			t.Errorf("Errors[%q] is %q (exception %v)", name, e.Name, e.Exception)
		}
		if err := checkShape(e, seen); err != nil {
			t.Error(err)
		}
	}
}

func checkShape(s *api.Shape, seen map[*api.Shape]bool) error {
	if seen[s] {
		return nil
	}
	seen[s] = true
	switch s.Type {
	case api.TypeStructure:
		if s.Document {
			return nil
		}
		if s.GoType == nil || s.GoType.Kind() != reflect.Struct {
			return fmt.Errorf("%s: GoType %v", s.Name, s.GoType)
		}
		if s.GoType.NumField() != len(s.Members) {
			return fmt.Errorf("%s: %d fields for %d members", s.Name, s.GoType.NumField(), len(s.Members))
		}
		for i := range s.Members {
			m := &s.Members[i]
			if m.Field != i {
				return fmt.Errorf("%s.%s: Field %d, want %d", s.Name, m.Name, m.Field, i)
			}
			if s.MemberByName(m.Name) != m {
				return fmt.Errorf("%s.%s: not indexed", s.Name, m.Name)
			}
			got, want := s.GoType.Field(i).Type, wantType(&m.Ref, false)
			if got != want {
				return fmt.Errorf("%s.%s: field type %v, want %v", s.Name, m.Name, got, want)
			}
			if err := checkShape(m.Ref.Shape, seen); err != nil {
				return err
			}
		}
	case api.TypeList:
		return checkShape(s.Member.Shape, seen)
	case api.TypeMap:
		if s.Key.Shape.Type != api.TypeString {
			return fmt.Errorf("%s: map key of type %v", s.Name, s.Key.Shape.Type)
		}
		return checkShape(s.Value.Shape, seen)
	}
	return nil
}

// wantType is the type mapping of docs/codegen.md, written independently of
// the generator.
func wantType(r *api.Ref, elem bool) reflect.Type {
	s := r.Shape
	var t reflect.Type
	switch s.Type {
	case api.TypeStructure:
		if s.Document {
			return reflect.TypeFor[any]()
		}
		return reflect.PointerTo(s.GoType)
	case api.TypeList:
		return reflect.SliceOf(wantType(s.Member, true))
	case api.TypeMap:
		return reflect.MapOf(reflect.TypeFor[string](), wantType(s.Value, true))
	case api.TypeBlob:
		if s.Streaming || r.Streaming {
			return reflect.TypeFor[io.ReadCloser]()
		}
		return reflect.TypeFor[[]byte]()
	case api.TypeString, api.TypeBigInteger, api.TypeBigDecimal:
		t = reflect.TypeFor[string]()
	case api.TypeInteger:
		t = reflect.TypeFor[int32]()
	case api.TypeLong:
		t = reflect.TypeFor[int64]()
	case api.TypeFloat:
		t = reflect.TypeFor[float32]()
	case api.TypeDouble:
		t = reflect.TypeFor[float64]()
	case api.TypeBoolean:
		t = reflect.TypeFor[bool]()
	case api.TypeTimestamp:
		t = reflect.TypeFor[time.Time]()
	case api.TypeByte:
		t = reflect.TypeFor[int8]()
	case api.TypeShort:
		t = reflect.TypeFor[int16]()
	default:
		return nil
	}
	if elem {
		return t
	}
	return reflect.PointerTo(t)
}
