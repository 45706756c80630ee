package codegen

// ModelsModule is the Go module whose models/apis tree holds the AWS service
// models, and ModelsVersion the version the generated code comes from. go.mod
// requires the same version (see models.go).
const (
	ModelsModule  = "github.com/aws/aws-sdk-go"
	ModelsVersion = "v1.55.8"
)

// ServiceSpec says how to generate one package under internal/api.
type ServiceSpec struct {
	// Name is Fogbank's name for the service: the package name and
	// api.Service.Name.
	Name string
	// Model is the model's directory under models/apis ("sqs/2012-11-05").
	Model string
	// Protocols overrides the model's protocol list, preferred first.
	Protocols []string
	// Variants are extra schemas over the same Go types for protocols whose
	// serialization traits the model has lost (see Variant).
	Variants []Variant
	// Newer takes what AWS added after ModelsVersion was frozen from a
	// newer official model (see Newer); nil for none.
	Newer *Newer
}

// Variant describes a protocol served from an older model's traits. The
// generator overlays, by shape and member name, the older model's
// locationName, flattened, xmlNamespace, xmlAttribute and resultWrapper
// traits onto the current model's shapes, and copies the older model's error
// traits (awsQueryError codes) into the primary schema and error
// constructors too. Shapes and members only in the current model keep their
// own traits.
type Variant struct {
	Protocol string // the protocol this schema serves ("query")
	Version  string // the ModelsModule version holding the old model
	Model    string // its directory under models/apis
}

// Services is the one list of generated services. Each becomes
// internal/api/<Name>/zz_generated.go.
var Services = []ServiceSpec{
	{Name: "events", Model: "events/2015-10-07"},
	{Name: "iam", Model: "iam/2010-05-08"},
	{Name: "lambda", Model: "lambda/2015-03-31"},
	{Name: "logs", Model: "logs/2014-03-28"},
	{Name: "s3", Model: "s3/2006-03-01", Newer: s3Newer},
	{Name: "sfn", Model: "states/2016-11-23"},
	{Name: "sns", Model: "sns/2010-03-31"},
	// SQS's current model is JSON only; AWS serves query on the same
	// endpoint, and AWS CLI v2.9 and older SDKs use it. v1.44.300 has the
	// last query model of SQS.
	{Name: "sqs", Model: "sqs/2012-11-05", Protocols: []string{"json", "query"},
		Variants: []Variant{{Protocol: "query", Version: "v1.44.300", Model: "sqs/2012-11-05"}}},
	{Name: "sts", Model: "sts/2011-06-15"},
}

// s3Newer is what S3's model gained after v1.55.8: ListBuckets pagination
// and filters (October 2024), the buckets' ARNs, the lifecycle's transition
// default, the CRC64NVME checksum and checksum type (December 2024); and the 204 that AWS answers PutBucketTagging and
// PutBucketPolicy with (recorded in shared/conformance/aws-recorded/s3), where
// both models say 200.
var s3Newer = &Newer{
	File: "botocore-1.43.11/s3-2006-03-01.json.gz",
	Take: []string{
		"ListBuckets.input",
		"ListBucketsOutput.ContinuationToken",
		"ListBucketsOutput.Prefix",
		"Bucket.BucketRegion",
		"Bucket.BucketArn",
		"HeadBucketOutput.BucketArn",
		"CreateBucketOutput.BucketArn",
		"GetBucketLifecycleConfigurationOutput.TransitionDefaultMinimumObjectSize",
		"PutObjectOutput.ChecksumCRC64NVME",
		"PutObjectOutput.ChecksumType",
		"GetObjectOutput.ChecksumCRC64NVME",
		"GetObjectOutput.ChecksumType",
		"HeadObjectOutput.ChecksumCRC64NVME",
		"HeadObjectOutput.ChecksumType",
		"UploadPartOutput.ChecksumCRC64NVME",
		"CompleteMultipartUploadOutput.ChecksumCRC64NVME",
		"CompleteMultipartUploadOutput.ChecksumType",
		"CopyObjectResult.ChecksumCRC64NVME",
		"CopyObjectResult.ChecksumType",
		"Checksum.ChecksumCRC64NVME",
		"Checksum.ChecksumType",
	},
	ResponseCodes: map[string]int{"PutBucketTagging": 204, "PutBucketPolicy": 204},
}
