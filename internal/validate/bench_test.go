package validate

import (
	"testing"

	"github.com/fogbank/fogbank/internal/api"
)

// validInputs are valid requests of shapes with constraints. Checking them
// allocates nothing, except that reflect copies a map's string keys and
// non-pointer values out as it iterates (one small allocation per entry
// read); the test allows for those.
func validInputs() []struct {
	name  string
	shape *api.Shape
	in    any
	opts  Options
} {
	return []struct {
		name  string
		shape *api.Shape
		in    any
		opts  Options
	}{
		{"sns-publish-attrs", snsPublishInputShape, &snsPublishInput{TopicArn: s("t"), Message: s("m"),
			MessageAttributes: map[string]*snsMessageAttributeValue{"a": {DataType: s("String"), StringValue: s("v")}}}, Options{Protocol: "query"}},
		{"events-put-targets", eventsPutTargetsShape, &eventsPutTargetsRequest{Rule: s("r"),
			Targets: []*eventsTarget{{Id: s("a"), Arn: s("arn")}, {Id: s("b"), Arn: s("arn")}}}, Options{Protocol: "json", Patterns: true}},
		{"lambda-create-function", lambdaCreateFunctionShape, &lambdaCreateFunctionRequest{FunctionName: s("f"),
			Architectures: []string{"arm64"}, VpcConfig: &lambdaVpcConfig{SubnetIds: []string{"subnet-1"}}}, Options{Protocol: "rest-json"}},
		{"lambda-alias-weights", lambdaCreateAliasShape, &lambdaCreateAliasRequest{FunctionName: s("f"), Name: s("a"),
			RoutingConfig: &lambdaRoutingConfig{map[string]float64{"2": 0.5}}}, Options{Protocol: "rest-json"}},
	}
}

func TestValidInputDoesNotAllocate(t *testing.T) {
	var v Validator
	for _, tt := range validInputs() {
		if err := v.Check(tt.shape, tt.in, tt.opts); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		want := 0.0
		if tt.name == "sns-publish-attrs" {
			want = 1 // one key
		}
		if tt.name == "lambda-alias-weights" {
			want = 2 // one key, one float64 value
		}
		if n := testing.AllocsPerRun(100, func() { _ = v.Check(tt.shape, tt.in, tt.opts) }); n > want {
			t.Errorf("%s: %v allocations per valid check, want at most %v", tt.name, n, want)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	type plain struct{ A, B *string }
	noConstraints := structure("Plain", plain{}, m{"A", str(), false, 0}, m{"B", str(), false, 0})
	cases := append(validInputs(), struct {
		name  string
		shape *api.Shape
		in    any
		opts  Options
	}{"no-constraints", noConstraints, &plain{}, Options{Protocol: "json"}})
	for _, tt := range cases {
		b.Run(tt.name, func(b *testing.B) {
			var v Validator
			b.ReportAllocs()
			for b.Loop() {
				if err := v.Check(tt.shape, tt.in, tt.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("invalid", func(b *testing.B) {
		var v Validator
		in := &eventsCreateConnectionRequest{Name: s("bad name"), AuthorizationType: s("INVALID"), AuthParameters: &struct{}{}}
		b.ReportAllocs()
		for b.Loop() {
			if v.Check(eventsCreateConnectionShape, in, Options{Protocol: "json"}) == nil {
				b.Fatal("want an error")
			}
		}
	})
}
