package validate

import (
	"reflect"

	"github.com/fogbank/fogbank/internal/api"
)

// Hand-built schemas for the tests. Each mirrors the constraints that AWS's
// recorded message shows (which can differ from the public model), so that the
// recorded message is the expected output.

func str(opts ...func(*api.Shape)) *api.Shape {
	s := &api.Shape{Name: "String", Type: api.TypeString}
	for _, o := range opts {
		o(s)
	}
	return s
}

func typed(t api.Type, name string, opts ...func(*api.Shape)) *api.Shape {
	s := &api.Shape{Name: name, Type: t}
	for _, o := range opts {
		o(s)
	}
	return s
}

// none leaves a bound unset.
const none = -1 << 60

func length(min, max float64) func(*api.Shape) {
	return func(s *api.Shape) {
		if min != none {
			s.Min, s.HasMin = min, true
		}
		if max != none {
			s.Max, s.HasMax = max, true
		}
	}
}

// rng is length under another name: the model uses min/max for both.
var rng = length

func enum(values ...string) func(*api.Shape) { return func(s *api.Shape) { s.Enum = values } }

func pattern(p string) func(*api.Shape) { return func(s *api.Shape) { s.Pattern = p } }

func sensitive(s *api.Shape) { s.Sensitive = true }

func list(elem *api.Shape, opts ...func(*api.Shape)) *api.Shape {
	s := typed(api.TypeList, "List", opts...)
	s.Member = &api.Ref{Shape: elem}
	return s
}

func mapOf(key, value *api.Shape, opts ...func(*api.Shape)) *api.Shape {
	s := typed(api.TypeMap, "Map", opts...)
	s.Key, s.Value = &api.Ref{Shape: key}, &api.Ref{Shape: value}
	return s
}

// m is a member; its Field is its position in the structure call.
type m struct {
	name     string
	shape    *api.Shape
	required bool
	location api.Location
}

func structure(name string, goType any, members ...m) *api.Shape {
	s := &api.Shape{Name: name, Type: api.TypeStructure, GoType: reflect.TypeOf(goType)}
	for i, mm := range members {
		s.Members = append(s.Members, api.Member{Name: mm.name, Required: mm.required, Field: i,
			Ref: api.Ref{Shape: mm.shape, Location: mm.location}})
	}
	s.Index()
	return s
}

// SNS Publish / PublishBatch (query).
type snsMessageAttributeValue struct {
	DataType    *string
	StringValue *string
	BinaryValue []byte
}

type snsPublishInput struct {
	TopicArn          *string
	Message           *string
	MessageAttributes map[string]*snsMessageAttributeValue
}

type snsPublishBatchRequestEntry struct {
	Id                *string
	Message           *string
	MessageAttributes map[string]*snsMessageAttributeValue
}

type snsPublishBatchInput struct {
	TopicArn                   *string
	PublishBatchRequestEntries []*snsPublishBatchRequestEntry
}

type snsCreatePlatformApplicationInput struct {
	Name       *string
	Platform   *string
	Attributes map[string]string
}

var (
	snsMessageAttributeValueShape = structure("MessageAttributeValue", snsMessageAttributeValue{},
		m{"DataType", str(), true, 0}, m{"StringValue", str(), false, 0}, m{"BinaryValue", typed(api.TypeBlob, "Binary"), false, 0})
	snsAttrs             = mapOf(str(), snsMessageAttributeValueShape)
	snsPublishInputShape = structure("PublishInput", snsPublishInput{},
		m{"TopicArn", str(), false, 0}, m{"Message", str(), true, 0}, m{"MessageAttributes", snsAttrs, false, 0})
	snsPublishBatchInputShape = structure("PublishBatchInput", snsPublishBatchInput{},
		m{"TopicArn", str(), true, 0},
		m{"PublishBatchRequestEntries", list(structure("PublishBatchRequestEntry", snsPublishBatchRequestEntry{},
			m{"Id", str(), true, 0}, m{"Message", str(), true, 0}, m{"MessageAttributes", snsAttrs, false, 0})), true, 0})
	snsCreatePlatformApplicationInputShape = structure("CreatePlatformApplicationInput", snsCreatePlatformApplicationInput{},
		m{"Name", str(), true, 0}, m{"Platform", str(), true, 0}, m{"Attributes", mapOf(str(), str()), true, 0})
)

// Lambda (rest-json).
type lambdaCreateFunctionRequest struct {
	FunctionName  *string
	Architectures []string
	Layers        []string
	VpcConfig     *lambdaVpcConfig
	SnapStart     *lambdaSnapStart
}

type lambdaVpcConfig struct {
	SubnetIds        []string
	SecurityGroupIds []string
}

type lambdaSnapStart struct{ ApplyOn *string }

type lambdaRoutingConfig struct{ AdditionalVersionWeights map[string]float64 }

type lambdaCreateAliasRequest struct {
	FunctionName  *string
	Name          *string
	RoutingConfig *lambdaRoutingConfig
}

type lambdaPutProvisionedConcurrencyConfigRequest struct {
	FunctionName                    *string
	Qualifier                       *string
	ProvisionedConcurrentExecutions *int32
}

type lambdaUntagResourceRequest struct {
	Resource *string
	TagKeys  []string
}

type lambdaListFunctionsRequest struct {
	MasterRegion    *string
	FunctionVersion *string
	Marker          *string
	MaxItems        *int32
}

var (
	lambdaFunctionName        = str(length(1, 140))
	lambdaCreateFunctionShape = structure("CreateFunctionRequest", lambdaCreateFunctionRequest{},
		m{"FunctionName", lambdaFunctionName, true, 0},
		m{"Architectures", list(str(enum("x86_64", "arm64")), length(1, 1)), false, 0},
		m{"Layers", list(str(length(1, 2048), pattern(`(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`))), false, 0},
		m{"VpcConfig", structure("VpcConfig", lambdaVpcConfig{},
			m{"SubnetIds", list(str(length(0, 1024), pattern(`subnet-[0-9a-z]*`)), length(none, 16)), false, 0},
			m{"SecurityGroupIds", list(str(length(0, 1024), pattern(`sg-[0-9a-zA-Z]*`)), length(none, 5)), false, 0}), false, 0},
		m{"SnapStart", structure("SnapStart", lambdaSnapStart{},
			m{"ApplyOn", str(enum("PublishedVersions", "None")), false, 0}), false, 0})
	lambdaCreateAliasShape = structure("CreateAliasRequest", lambdaCreateAliasRequest{},
		m{"FunctionName", lambdaFunctionName, true, api.LocationURI},
		m{"Name", str(length(1, 128)), true, 0},
		m{"RoutingConfig", structure("AliasRoutingConfiguration", lambdaRoutingConfig{},
			m{"AdditionalVersionWeights", mapOf(str(length(1, 1024), pattern(`[0-9]+`)), typed(api.TypeDouble, "Weight", rng(0, 1))), false, 0}), false, 0})
	lambdaPutProvisionedShape = structure("PutProvisionedConcurrencyConfigRequest", lambdaPutProvisionedConcurrencyConfigRequest{},
		m{"FunctionName", lambdaFunctionName, true, api.LocationURI},
		m{"Qualifier", str(length(1, 128)), true, api.LocationQueryString},
		m{"ProvisionedConcurrentExecutions", typed(api.TypeInteger, "PositiveInteger", rng(1, none)), true, 0})
	lambdaUntagResourceShape = structure("UntagResourceRequest", lambdaUntagResourceRequest{},
		m{"Resource", str(), true, api.LocationURI},
		m{"TagKeys", list(str()), true, api.LocationQueryString})
	lambdaListFunctionsShape = structure("ListFunctionsRequest", lambdaListFunctionsRequest{},
		m{"MasterRegion", str(), false, api.LocationQueryString},
		m{"FunctionVersion", str(enum("ALL")), false, api.LocationQueryString},
		m{"Marker", str(), false, api.LocationQueryString},
		m{"MaxItems", typed(api.TypeInteger, "MaxListItems", rng(1, 10000)), false, api.LocationQueryString})
)

// EventBridge (json 1.1).
type eventsTarget struct {
	Id  *string
	Arn *string
}

type eventsPutTargetsRequest struct {
	Rule    *string
	Targets []*eventsTarget
}

type eventsCreateConnectionRequest struct {
	Name              *string
	Description       *string
	AuthorizationType *string
	AuthParameters    *struct{}
}

var (
	eventsPutTargetsShape = structure("PutTargetsRequest", eventsPutTargetsRequest{},
		m{"Rule", str(length(1, 64)), true, 0},
		m{"Targets", list(structure("Target", eventsTarget{},
			m{"Id", str(length(1, 64), pattern(`[\.\-_A-Za-z0-9]+`)), true, 0},
			m{"Arn", str(length(1, 1600)), true, 0}), length(1, 10)), true, 0})
	eventsCreateConnectionShape = structure("CreateConnectionRequest", eventsCreateConnectionRequest{},
		m{"Name", str(length(1, 64), pattern(`[\.\-_A-Za-z0-9]+`)), true, 0},
		m{"Description", str(length(none, 512)), false, 0},
		m{"AuthorizationType", str(enum("BASIC", "OAUTH_CLIENT_CREDENTIALS", "API_KEY")), true, 0},
		m{"AuthParameters", structure("CreateConnectionAuthRequestParameters", struct{}{}), true, 0})
)

// STS AssumeRole (query).
type stsAssumeRoleRequest struct {
	RoleArn         *string
	RoleSessionName *string
	DurationSeconds *int32
}

var stsAssumeRoleShape = structure("AssumeRoleRequest", stsAssumeRoleRequest{},
	m{"RoleArn", str(length(20, 2048)), true, 0},
	m{"RoleSessionName", str(length(2, 64), pattern(`[\w+=,.@-]*`)), true, 0},
	m{"DurationSeconds", typed(api.TypeInteger, "roleDurationSecondsType", rng(900, 43200)), false, 0})

// API Gateway CreateDocumentationPart (rest-json, paths qualified by input).
type apigwDocumentationPartLocation struct {
	Type *string
	Path *string
}

type apigwCreateDocumentationPartRequest struct {
	RestApiId  *string
	Location   *apigwDocumentationPartLocation
	Properties *string
}

var apigwCreateDocumentationPartShape = structure("CreateDocumentationPartRequest", apigwCreateDocumentationPartRequest{},
	m{"RestApiId", str(), true, api.LocationURI},
	m{"Location", structure("DocumentationPartLocation", apigwDocumentationPartLocation{},
		m{"Type", str(enum("RESPONSE_BODY", "RESPONSE", "METHOD", "MODEL", "AUTHORIZER", "RESPONSE_HEADER", "RESOURCE", "PATH_PARAMETER", "REQUEST_BODY", "QUERY_PARAMETER", "API", "REQUEST_HEADER")), true, 0},
		m{"Path", str(), false, 0}), true, 0},
	m{"Properties", str(), true, 0})

// SQS SendMessage (json and query).
type sqsSendMessageRequest struct {
	QueueUrl     *string
	MessageBody  *string
	DelaySeconds *int32
}

var sqsSendMessageShape = structure("SendMessageRequest", sqsSendMessageRequest{},
	m{"QueueUrl", str(), true, 0}, m{"MessageBody", str(), true, 0}, m{"DelaySeconds", typed(api.TypeInteger, "NullableInteger"), false, 0})
