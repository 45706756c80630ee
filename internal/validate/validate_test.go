package validate

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

var s = api.String

type testCase struct {
	// name cites the recording ("<service>/<snapshot file> <test> <key>") when
	// the expected message was recorded from AWS.
	name   string
	shape  *api.Shape
	in     any
	opts   Options
	code   string // "" means valid
	status int
	msg    string
}

func run(t *testing.T, tests []testCase) {
	t.Helper()
	var v Validator
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Check(tt.shape, tt.in, tt.opts)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			var ae *api.Error
			if !errors.As(err, &ae) {
				t.Fatalf("got %v, want *api.Error %s", err, tt.code)
			}
			if ae.Code != tt.code || ae.Message != tt.msg {
				t.Errorf("got\n  %s: %s\nwant\n  %s: %s", ae.Code, ae.Message, tt.code, tt.msg)
			}
			if status := max(tt.status, 400); ae.HTTPStatus() != status || !ae.Sender {
				t.Errorf("status %d sender %v, want %d sender", ae.HTTPStatus(), ae.Sender, status)
			}
		})
	}
}

func TestRecorded(t *testing.T) {
	json, restJSON, query := Options{Protocol: "json"}, Options{Protocol: "rest-json"}, Options{Protocol: "query"}
	withPatterns := func(o Options) Options { o.Patterns = true; return o }
	run(t, []testCase{
		{
			name:  "sns/test_sns TestSNSSubscriptionSQS::test_empty_or_wrong_message_attributes fully_missing_data_type",
			shape: snsPublishInputShape,
			in: &snsPublishInput{TopicArn: s("arn"), Message: s("m"),
				MessageAttributes: map[string]*snsMessageAttributeValue{"attr1": {StringValue: s("value1")}}},
			opts: query, code: "ValidationError",
			msg: "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
		},
		{
			name:  "sns/test_sns TestSNSSubscriptionSQS::test_empty_or_wrong_message_attributes batch-fully_missing_data_type",
			shape: snsPublishBatchInputShape,
			in: &snsPublishBatchInput{TopicArn: s("arn"), PublishBatchRequestEntries: []*snsPublishBatchRequestEntry{
				{Id: s("1"), Message: s("m"), MessageAttributes: map[string]*snsMessageAttributeValue{"attr1": {StringValue: s("value1")}}}}},
			opts: query, code: "ValidationError",
			msg: "1 validation error detected: Value null at 'publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
		},
		{
			name:  "sns/test_sns TestSNSPlatformApplicationCrud::test_create_platform_application_invalid_attributes[no-args] platform-application-no-attributes",
			shape: snsCreatePlatformApplicationInputShape,
			in:    &snsCreatePlatformApplicationInput{Name: s("app"), Platform: s("APNS")},
			opts:  query, code: "ValidationError",
			msg: "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaTags::test_tag_exceptions untag_empty_keys",
			shape: lambdaUntagResourceShape,
			in:    &lambdaUntagResourceRequest{Resource: s("arn")},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaProvisionedConcurrency::test_provisioned_concurrency_exceptions put_provisioned_invalid_param_0",
			shape: lambdaPutProvisionedShape,
			in:    &lambdaPutProvisionedConcurrencyConfigRequest{FunctionName: s("f"), Qualifier: s("1"), ProvisionedConcurrentExecutions: api.Int32(0)},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaFunction::test_create_lambda_exceptions multiple_architectures",
			shape: lambdaCreateFunctionShape,
			in:    &lambdaCreateFunctionRequest{FunctionName: s("f"), Architectures: []string{"x86_64", "arm64"}},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaFunction::test_create_lambda_exceptions uppercase_architecture",
			shape: lambdaCreateFunctionShape,
			in:    &lambdaCreateFunctionRequest{FunctionName: s("f"), Architectures: []string{"X86_64"}},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaFunction::test_function_arns long_function_arn_exc",
			shape: lambdaCreateFunctionShape,
			in:    &lambdaCreateFunctionRequest{FunctionName: s("arn:<partition>:lambda:<region>:111111111111:function:<function-name>" + strings.Repeat("x", 80))},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value 'arn:<partition>:lambda:<region>:111111111111:function:<function-name>" + strings.Repeat("x", 80) + "' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 140",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaLayer::test_layer_function_exceptions add_layer_arn_without_version_exc",
			shape: lambdaCreateFunctionShape,
			in:    &lambdaCreateFunctionRequest{FunctionName: s("f"), Layers: []string{"arn:<partition>:lambda:<region>:111111111111:layer:<resource:1>"}},
			opts:  withPatterns(restJSON), code: "ValidationException",
			msg: `1 validation error detected: Value '[arn:<partition>:lambda:<region>:111111111111:layer:<resource:1>]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]`,
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaSnapStart::test_snapstart_exceptions create_function_invalid_snapstart_apply",
			shape: lambdaCreateFunctionShape,
			in:    &lambdaCreateFunctionRequest{FunctionName: s("f"), SnapStart: &lambdaSnapStart{ApplyOn: s("invalidOption")}},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value 'invalidOption' at 'snapStart.applyOn' failed to satisfy constraint: Member must satisfy enum value set: [PublishedVersions, None]",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaAlias::test_notfound_and_invalid_routingconfigs routing_config_exc_toohigh",
			shape: lambdaCreateAliasShape,
			in:    &lambdaCreateAliasRequest{FunctionName: s("f"), Name: s("a"), RoutingConfig: &lambdaRoutingConfig{map[string]float64{"2": 2}}},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaAlias::test_notfound_and_invalid_routingconfigs routing_config_exc_subzero",
			shape: lambdaCreateAliasShape,
			in:    &lambdaCreateAliasRequest{FunctionName: s("f"), Name: s("a"), RoutingConfig: &lambdaRoutingConfig{map[string]float64{"2": -1}}},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value '{2=-1.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaAlias::test_notfound_and_invalid_routingconfigs routing_config_exc_version_latest",
			shape: lambdaCreateAliasShape,
			in:    &lambdaCreateAliasRequest{FunctionName: s("f"), Name: s("a"), RoutingConfig: &lambdaRoutingConfig{map[string]float64{"$LATEST": 0.5}}},
			opts:  withPatterns(restJSON), code: "ValidationException",
			msg: "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaFunction::test_invalid_vpc_config_subnet create-response-invalid-format-subnet-id (AWS omits 'must not be null' here; we add it)",
			shape: lambdaCreateFunctionShape,
			in:    &lambdaCreateFunctionRequest{FunctionName: s("f"), VpcConfig: &lambdaVpcConfig{SubnetIds: []string{"<subnet_id_2>"}}},
			opts:  withPatterns(restJSON), code: "ValidationException",
			msg: "1 validation error detected: Value '[<subnet_id_2>]' at 'vpcConfig.subnetIds' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: subnet-[0-9a-z]*, Member must not be null]",
		},
		{
			name:  "lambda_/test_lambda_api TestLambdaFunction::test_list_functions list_functions_invalid_functionversion",
			shape: lambdaListFunctionsShape,
			in:    &lambdaListFunctionsRequest{FunctionVersion: s("invalid")},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value 'invalid' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]",
		},
		{
			name:  "lambda_/test_lambda_api (MaxItems above the model's max; cf. logs 'limit' message 'Member must have value less than or equal to 10000')",
			shape: lambdaListFunctionsShape,
			in:    &lambdaListFunctionsRequest{MaxItems: api.Int32(10001)},
			opts:  restJSON, code: "ValidationException",
			msg: "1 validation error detected: Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000",
		},
		{
			name:  "events/test_events TestEventTarget::test_put_target_id_validation put-targets-length-error",
			shape: eventsPutTargetsShape,
			in:    &eventsPutTargetsRequest{Rule: s("r"), Targets: []*eventsTarget{{Id: s("second-invalid-target-id" + strings.Repeat("x", 64)), Arn: s("arn")}}},
			opts:  json, code: "ValidationException",
			msg: "1 validation error detected: Value 'second-invalid-target-id" + strings.Repeat("x", 64) + "' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64",
		},
		{
			name:  "events/test_events TestEvents::test_create_connection_validations create_connection_exc",
			shape: eventsCreateConnectionShape,
			in: &eventsCreateConnectionRequest{Name: s("This should fail with two errors 123467890123412341234123412341234"),
				AuthorizationType: s("INVALID"), AuthParameters: &struct{}{}},
			opts: withPatterns(json), code: "ValidationException",
			msg: `3 validation errors detected: Value 'This should fail with two errors 123467890123412341234123412341234' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+; Value 'This should fail with two errors 123467890123412341234123412341234' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64; Value 'INVALID' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]`,
		},
		{
			name:  "events/test_api_destinations_and_connection TestEventBridgeConnections::test_create_connection_invalid_parameters create-connection-invalid-auth-error",
			shape: eventsCreateConnectionShape,
			in:    &eventsCreateConnectionRequest{Name: s("c"), AuthorizationType: s("INVALID_AUTH_TYPE"), AuthParameters: &struct{}{}},
			opts:  json, code: "ValidationException",
			msg: "1 validation error detected: Value 'INVALID_AUTH_TYPE' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
		},
		{
			name:  "sts/test_sts TestSTSIntegrations::test_sts_invalid_parameters invalid-session-name",
			shape: stsAssumeRoleShape,
			in:    &stsAssumeRoleRequest{RoleArn: s("arn:aws:iam::000000000000:role/r"), RoleSessionName: s("Session1:2")},
			opts:  withPatterns(query), code: "ValidationError",
			msg: `1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`,
		},
		{
			name:  "apigateway/test_apigateway_api TestApiGatewayApiDocumentationPart::test_invalid_create_documentation_part_operations create_documentation_part_invalid_location_type",
			shape: apigwCreateDocumentationPartShape,
			in:    &apigwCreateDocumentationPartRequest{RestApiId: s("id"), Location: &apigwDocumentationPartLocation{Type: s("INVALID")}, Properties: s("{}")},
			opts:  Options{Protocol: "rest-json", QualifyWithInput: true}, code: "ValidationException",
			msg: "1 validation error detected: Value 'INVALID' at 'createDocumentationPartInput.location.type' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_BODY, RESPONSE, METHOD, MODEL, AUTHORIZER, RESPONSE_HEADER, RESOURCE, PATH_PARAMETER, REQUEST_BODY, QUERY_PARAMETER, API, REQUEST_HEADER]",
		},
		{
			name:  "sqs/test_sqs send_empty_message (message format; SQS's own check raises it for an empty body)",
			shape: sqsSendMessageShape,
			in:    &sqsSendMessageRequest{QueueUrl: s("http://q")},
			opts:  Options{Protocol: "query", Missing: MissingParameter}, code: "MissingParameter",
			msg: "The request must contain the parameter MessageBody.",
		},
	})
}

func TestPatternsOffByDefault(t *testing.T) {
	run(t, []testCase{
		{
			name:  "events create_connection_exc without patterns drops the pattern error",
			shape: eventsCreateConnectionShape,
			in: &eventsCreateConnectionRequest{Name: s("This should fail with two errors 123467890123412341234123412341234"),
				AuthorizationType: s("INVALID"), AuthParameters: &struct{}{}},
			opts: Options{Protocol: "json"}, code: "ValidationException",
			msg: "2 validation errors detected: Value 'This should fail with two errors 123467890123412341234123412341234' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64; Value 'INVALID' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
		},
		{
			name:  "sts session name with a colon passes",
			shape: stsAssumeRoleShape,
			in:    &stsAssumeRoleRequest{RoleArn: s("arn:aws:iam::000000000000:role/r"), RoleSessionName: s("Session1:2")},
			opts:  Options{Protocol: "query"},
		},
		{
			name:  "map key matching only the pattern passes",
			shape: lambdaCreateAliasShape,
			in:    &lambdaCreateAliasRequest{FunctionName: s("f"), Name: s("a"), RoutingConfig: &lambdaRoutingConfig{map[string]float64{"$LATEST": 0.5}}},
			opts:  Options{Protocol: "rest-json"},
		},
		{
			name:  "a pattern RE2 cannot compile is never enforced",
			shape: structure("In", struct{ A *string }{}, m{"A", str(pattern(`(?!^[0-9]+$)([a-zA-Z0-9-_]+)`)), false, 0}),
			in:    &struct{ A *string }{s("2024")},
			opts:  Options{Protocol: "json", Patterns: true},
		},
	})
}

type allKinds struct {
	S     *string
	I     *int32
	L     *int64
	F     *float32
	D     *float64
	B     *bool
	T     *time.Time
	Blob  []byte
	Strs  []string
	Ints  map[string]int64
	Inner *allKinds
	Items []*allKinds
}

var allKindsShape = func() *api.Shape {
	sh := structure("AllKinds", allKinds{},
		m{"S", str(length(2, 4), enum("ab", "abc", "abcde")), false, 0},
		m{"I", typed(api.TypeInteger, "I", rng(-5, 5)), false, 0},
		m{"L", typed(api.TypeLong, "L", rng(0, 1e12)), false, 0},
		m{"F", typed(api.TypeFloat, "F", rng(0.5, 1.5)), false, 0},
		m{"D", typed(api.TypeDouble, "D", rng(-1e9, 1e8)), false, 0},
		m{"B", typed(api.TypeBoolean, "B"), true, 0},
		m{"T", typed(api.TypeTimestamp, "T"), false, 0},
		m{"Blob", typed(api.TypeBlob, "Blob", length(1, 3)), false, 0},
		m{"Strs", list(str(length(1, none)), length(none, 2)), false, 0},
		m{"Ints", mapOf(str(length(1, 3)), typed(api.TypeLong, "L", rng(0, 9)), length(none, 2)), false, 0},
		m{"Inner", nil, false, 0},
		m{"Items", nil, false, 0},
	)
	// Recursive members.
	sh.Members[10].Ref.Shape = sh
	sh.Members[11].Ref.Shape = list(sh, length(none, 3))
	sh.Index()
	return sh
}()

func TestConstraints(t *testing.T) {
	ok := func() *allKinds { return &allKinds{B: api.Bool(false)} }
	with := func(f func(*allKinds)) *allKinds { a := ok(); f(a); return a }
	j := Options{Protocol: "json"}
	const one = "1 validation error detected: "
	run(t, []testCase{
		{name: "valid", shape: allKindsShape, in: ok(), opts: j},
		{name: "valid everywhere", shape: allKindsShape, opts: j, in: with(func(a *allKinds) {
			a.S, a.I, a.L, a.F, a.D = s("abc"), api.Int32(-5), api.Int64(1e12), new(float32), api.Float64(1e8)
			*a.F = 1.5
			a.Blob, a.Strs, a.Ints = []byte{1}, []string{"x", "y"}, map[string]int64{"a": 0, "bcd": 9}
			a.Inner = ok()
			a.Items = []*allKinds{ok(), nil, ok()}
		})},
		{name: "string too short and not in enum", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { a.S = s("a") }),
			code: "ValidationException",
			msg: "2 validation errors detected: Value 'a' at 's' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
				"Value 'a' at 's' failed to satisfy constraint: Member must satisfy enum value set: [ab, abc, abcde]"},
		{name: "length counts characters, not bytes", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { a.S = s("ééééé") }),
			code: "ValidationException",
			msg: "2 validation errors detected: Value 'ééééé' at 's' failed to satisfy constraint: Member must have length less than or equal to 4; " +
				"Value 'ééééé' at 's' failed to satisfy constraint: Member must satisfy enum value set: [ab, abc, abcde]"},
		{name: "integer below min", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { a.I = api.Int32(-6) }),
			code: "ValidationException", msg: one + "Value '-6' at 'i' failed to satisfy constraint: Member must have value greater than or equal to -5"},
		{name: "long above max", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { a.L = api.Int64(1e12 + 1) }),
			code: "ValidationException", msg: one + "Value '1000000000001' at 'l' failed to satisfy constraint: Member must have value less than or equal to 1000000000000"},
		{name: "float below min", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { f := float32(0.25); a.F = &f }),
			code: "ValidationException", msg: one + "Value '0.25' at 'f' failed to satisfy constraint: Member must have value greater than or equal to 0.5"},
		{name: "double in Java's notation", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { a.D = api.Float64(2.5e8) }),
			code: "ValidationException", msg: one + "Value '2.5E8' at 'd' failed to satisfy constraint: Member must have value less than or equal to 1.0E8"},
		{name: "required boolean", shape: allKindsShape, opts: j, in: &allKinds{},
			code: "ValidationException", msg: one + "Value null at 'b' failed to satisfy constraint: Member must not be null"},
		{name: "nil input checks an empty struct", shape: allKindsShape, opts: j, in: (*allKinds)(nil),
			code: "ValidationException", msg: one + "Value null at 'b' failed to satisfy constraint: Member must not be null"},
		{name: "blob too long", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { a.Blob = []byte("abcd") }),
			code: "ValidationException", msg: one + "Value 'java.nio.HeapByteBuffer[pos=0 lim=4 cap=4]' at 'blob' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{name: "empty blob too short", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { a.Blob = []byte{} }),
			code: "ValidationException", msg: one + "Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at 'blob' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "list too long and an element too short", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { a.Strs = []string{"a", "", "c"} }),
			code: "ValidationException",
			msg: "2 validation errors detected: Value '[a, , c]' at 'strs' failed to satisfy constraint: Member must have length less than or equal to 2; " +
				"Value '[a, , c]' at 'strs' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 1, Member must not be null]"},
		{name: "map too big, a key too long, a value too big", shape: allKindsShape, opts: j, in: with(func(a *allKinds) { a.Ints = map[string]int64{"abcd": 1, "b": 10, "c": 1} }),
			code: "ValidationException",
			msg: "3 validation errors detected: Value '{abcd=1, b=10, c=1}' at 'ints' failed to satisfy constraint: Member must have length less than or equal to 2; " +
				"Value '{abcd=1, b=10, c=1}' at 'ints' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 3, Member must have length greater than or equal to 1]; " +
				"Value '{abcd=1, b=10, c=1}' at 'ints' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 9, Member must have value greater than or equal to 0, Member must not be null]"},
		{name: "recursion and lists of structures, in member order", shape: allKindsShape, opts: Options{Protocol: "query"}, in: with(func(a *allKinds) {
			a.Inner = with(func(b *allKinds) { b.Inner = &allKinds{I: api.Int32(9)} })
			a.Items = []*allKinds{ok(), {}, with(func(b *allKinds) { b.Items = []*allKinds{{}} })}
		}),
			code: "ValidationError",
			msg: "4 validation errors detected: Value '9' at 'inner.inner.i' failed to satisfy constraint: Member must have value less than or equal to 5; " +
				"Value null at 'inner.inner.b' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'items.2.member.b' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'items.3.member.items.1.member.b' failed to satisfy constraint: Member must not be null"},
		{name: "list of structures too long prints the structures", shape: allKindsShape, opts: j, in: with(func(a *allKinds) {
			a.Items = []*allKinds{ok(), ok(), ok(), with(func(b *allKinds) { b.S = s("ab"); b.Strs = []string{"x"} })}
		}),
			code: "ValidationException",
			msg: one + "Value '[AllKinds(s=null, i=null, l=null, f=null, d=null, b=false, t=null, blob=null, strs=null, ints=null, inner=null, items=null), " +
				"AllKinds(s=null, i=null, l=null, f=null, d=null, b=false, t=null, blob=null, strs=null, ints=null, inner=null, items=null), " +
				"AllKinds(s=null, i=null, l=null, f=null, d=null, b=false, t=null, blob=null, strs=null, ints=null, inner=null, items=null), " +
				"AllKinds(s=ab, i=null, l=null, f=null, d=null, b=false, t=null, blob=null, strs=[x], ints=null, inner=null, items=null)]' " +
				"at 'items' failed to satisfy constraint: Member must have length less than or equal to 3"},
	})
}

type secret struct{ Password *string }

func TestProtocolsAndOptions(t *testing.T) {
	secretShape := structure("SignUpRequest", secret{}, m{"Password", str(sensitive, length(6, none)), true, 0})
	sqsMissing := func(name string) *api.Error {
		e := MissingParameter(name)
		e.Code = "MissingRequiredParameterException" // what SQS's JSON model calls it
		return e
	}
	run(t, []testCase{
		{name: "sensitive values are not printed", shape: secretShape, in: &secret{s("short")}, opts: Options{Protocol: "json"},
			code: "ValidationException", msg: "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6"},
		{name: "ec2 reports missing parameters", shape: sqsSendMessageShape, in: &sqsSendMessageRequest{}, opts: Options{Protocol: "ec2"},
			code: "MissingParameter", msg: "The request must contain the parameter QueueUrl."},
		{name: "a service's Missing builder", shape: sqsSendMessageShape, in: &sqsSendMessageRequest{QueueUrl: s("q")}, opts: Options{Protocol: "json", Missing: sqsMissing},
			code: "MissingRequiredParameterException", msg: "The request must contain the parameter MessageBody."},
		{name: "json without Missing lists every null", shape: sqsSendMessageShape, in: &sqsSendMessageRequest{}, opts: Options{Protocol: "json"},
			code: "ValidationException", msg: "2 validation errors detected: Value null at 'queueUrl' failed to satisfy constraint: Member must not be null; Value null at 'messageBody' failed to satisfy constraint: Member must not be null"},
		{name: "rest-xml: a missing required body element is MalformedXML", shape: snsPublishBatchInputShape,
			in:   &snsPublishBatchInput{TopicArn: s("t"), PublishBatchRequestEntries: []*snsPublishBatchRequestEntry{{Message: s("m")}}},
			opts: Options{Protocol: "rest-xml"},
			code: "MalformedXML", msg: "The XML you provided was not well-formed or did not validate against our published schema"},
		{name: "rest-xml: lengths and enums are the service's business", shape: eventsCreateConnectionShape,
			in:   &eventsCreateConnectionRequest{Name: s(strings.Repeat("x", 100)), AuthorizationType: s("nope"), AuthParameters: &struct{}{}},
			opts: Options{Protocol: "rest-xml"}},
		{name: "rest-xml: a missing required URI member is left to the router", shape: lambdaUntagResourceShape,
			in: &lambdaUntagResourceRequest{TagKeys: []string{"k"}}, opts: Options{Protocol: "rest-xml"}},
		{name: "a nil shape is valid", shape: nil, in: &secret{}, opts: Options{Protocol: "json"}},
	})
}

func TestInputUsesProtocolDefaults(t *testing.T) {
	var v Validator
	err := v.Input(sqsSendMessageShape, &sqsSendMessageRequest{QueueUrl: s("q")}, "query")
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != "ValidationError" || ae.CodeFor("query") != "ValidationError" {
		t.Fatalf("got %#v, want ValidationError", err)
	}
	if err := v.Input(sqsSendMessageShape, &sqsSendMessageRequest{QueueUrl: s("q"), MessageBody: s("")}, "json"); err != nil {
		t.Fatalf("valid input: %v", err)
	}
}

func TestNoConstraintsIsNoWork(t *testing.T) {
	type plain struct {
		A *string
		B []string
	}
	sh := structure("Plain", plain{}, m{"A", str(), false, 0}, m{"B", list(str()), false, 0})
	var v Validator
	if err := v.Check(sh, &plain{}, Options{Protocol: "json", Patterns: true}); err != nil {
		t.Fatal(err)
	}
	if n := v.plan(sh); n.need != 0 {
		t.Errorf("need = %b for a shape without constraints", n.need)
	}
	if n := v.plan(allKindsShape); n.need&needRequired == 0 || n.need&needConstraint == 0 {
		t.Errorf("need = %b, want required and constraint bits", n.need)
	}
}

func TestPrepare(t *testing.T) {
	query := &api.Service{Name: "sqs", Operations: []*api.Operation{{Name: "SendMessage", Input: sqsSendMessageShape}}}
	svc := &api.Service{Name: "sqs", Operations: []*api.Operation{{Name: "SendMessage", Input: sqsSendMessageShape}, {Name: "ListQueues"}},
		Variants: map[string]*api.Service{"query": query}}
	svc.Variants["json"] = svc // a variant pointing back must not loop
	var v Validator
	v.Prepare(svc)
	if _, ok := v.plans.Load(sqsSendMessageShape); !ok {
		t.Error("Prepare did not plan SendMessage's input")
	}
}
