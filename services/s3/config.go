package s3

import (
	"context"
	"encoding/json"
	"strings"

	s3api "github.com/fogbank/fogbank/internal/api/s3"
	"github.com/fogbank/fogbank/internal/router"
)

// bucketConfig is every stored bucket setting but versioning and tags,
// kept as the generated wire values (JSON in the bucket record). A nil
// member is "not set": Get answers AWS's default or its not-found error.
type bucketConfig struct {
	ACL               *acl                                     `json:"acl,omitempty"`
	Policy            string                                   `json:"policy,omitempty"`
	Ownership         *s3api.OwnershipControls                 `json:"ownership,omitempty"`
	OwnershipDeleted  bool                                     `json:"ownershipDeleted,omitempty"`
	PublicAccessBlock *s3api.PublicAccessBlockConfiguration    `json:"pab,omitempty"`
	PABDeleted        bool                                     `json:"pabDeleted,omitempty"`
	Encryption        *s3api.ServerSideEncryptionConfiguration `json:"encryption,omitempty"`
	Website           *s3api.WebsiteConfiguration              `json:"website,omitempty"`
	Payer             string                                   `json:"payer,omitempty"`
	Accelerate        string                                   `json:"accelerate,omitempty"`
	Logging           *s3api.LoggingEnabled                    `json:"logging,omitempty"`
	CORS              []*s3api.CORSRule                        `json:"cors,omitempty"`
	Lifecycle         []*s3api.LifecycleRule                   `json:"lifecycle,omitempty"`
	Notification      *s3api.NotificationConfiguration         `json:"notification,omitempty"`
}

// setConfig validates (inside f) and stores a bucket setting.
func (s *Service) setConfig(ctx context.Context, bucket string, f func(c *bucketConfig) error) error {
	return s.updateBucket(ctx, bucket, func(r *bucketRecord) error { return f(&r.Config) })
}

// checkOwner applies x-amz-expected-bucket-owner: not an account id is
// InvalidBucketOwnerAWSAccountID (400), another account's bucket
// AccessDenied (403), as recorded for the bucket policy operations.
func (s *Service) checkOwner(bucket string, expected *string) error {
	if expected == nil {
		return nil
	}
	if !router.IsAccountID(*expected) {
		return s3err("InvalidBucketOwnerAWSAccountID", 400, "The value of the expected bucket owner parameter must be an AWS Account ID... ["+*expected+"]")
	}
	b, err := s.bucketInfo(bucket)
	if err != nil {
		return err
	}
	if b.Account != *expected {
		return s3err("AccessDenied", 403, "Access Denied")
	}
	return nil
}

// ---- policy

// PutBucketPolicy stores a policy after checking it is a JSON object with
// a Statement, as AWS's first checks are (it is enforced when auth lands).
func (s *Service) PutBucketPolicy(ctx context.Context, in *s3api.PutBucketPolicyRequest) (*s3api.PutBucketPolicyOutput, error) {
	if err := s.checkOwner(str(in.Bucket), in.ExpectedBucketOwner); err != nil {
		return nil, err
	}
	p := strings.TrimSpace(str(in.Policy))
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		var doc map[string]json.RawMessage
		if !strings.HasPrefix(p, "{") || json.Unmarshal([]byte(p), &doc) != nil {
			return s3err("MalformedPolicy", 400, "Policies must be valid JSON and the first byte must be '{'")
		}
		if _, ok := doc["Statement"]; !ok {
			return s3err("MalformedPolicy", 400, "Missing required field Statement")
		}
		c.Policy = str(in.Policy)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketPolicyOutput{}, nil
}

func (s *Service) GetBucketPolicy(ctx context.Context, in *s3api.GetBucketPolicyRequest) (*s3api.GetBucketPolicyOutput, error) {
	if err := s.checkOwner(str(in.Bucket), in.ExpectedBucketOwner); err != nil {
		return nil, err
	}
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	if b.Config.Policy == "" {
		return nil, errNoSuchConfig("NoSuchBucketPolicy", "The bucket policy does not exist", str(in.Bucket))
	}
	return &s3api.GetBucketPolicyOutput{Policy: ptr(b.Config.Policy)}, nil
}

func (s *Service) DeleteBucketPolicy(ctx context.Context, in *s3api.DeleteBucketPolicyRequest) (*s3api.DeleteBucketPolicyOutput, error) {
	if err := s.checkOwner(str(in.Bucket), in.ExpectedBucketOwner); err != nil {
		return nil, err
	}
	if err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error { c.Policy = ""; return nil }); err != nil {
		return nil, err
	}
	return &s3api.DeleteBucketPolicyOutput{}, nil
}

// GetBucketPolicyStatus: a policy allowing "*" makes the bucket public.
func (s *Service) GetBucketPolicyStatus(ctx context.Context, in *s3api.GetBucketPolicyStatusRequest) (*s3api.GetBucketPolicyStatusOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	if b.Config.Policy == "" {
		return nil, errNoSuchConfig("NoSuchBucketPolicy", "The bucket policy does not exist", str(in.Bucket))
	}
	var doc struct {
		Statement []struct {
			Effect    string
			Principal any
		}
	}
	public := false
	if json.Unmarshal([]byte(b.Config.Policy), &doc) == nil {
		for _, st := range doc.Statement {
			if st.Effect != "Allow" {
				continue
			}
			switch p := st.Principal.(type) {
			case string:
				public = public || p == "*"
			case map[string]any:
				public = public || p["AWS"] == "*"
			}
		}
	}
	return &s3api.GetBucketPolicyStatusOutput{PolicyStatus: &s3api.PolicyStatus{IsPublic: ptr(public)}}, nil
}

// ---- ownership controls

var objectOwnerships = map[string]bool{"BucketOwnerEnforced": true, "BucketOwnerPreferred": true, "ObjectWriter": true}

// ownership is the bucket's effective object ownership: BucketOwnerEnforced
// for a bucket created without one (AWS's default since April 2023).
func (c *bucketConfig) ownership() string {
	if c.Ownership != nil && len(c.Ownership.Rules) == 1 {
		return str(c.Ownership.Rules[0].ObjectOwnership)
	}
	if c.OwnershipDeleted {
		return "ObjectWriter"
	}
	return "BucketOwnerEnforced"
}

func (s *Service) PutBucketOwnershipControls(ctx context.Context, in *s3api.PutBucketOwnershipControlsRequest) (*s3api.PutBucketOwnershipControlsOutput, error) {
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		oc := in.OwnershipControls
		if oc == nil || len(oc.Rules) != 1 || oc.Rules[0] == nil || !objectOwnerships[str(oc.Rules[0].ObjectOwnership)] {
			return errMalformedXML()
		}
		c.Ownership, c.OwnershipDeleted = oc, false
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketOwnershipControlsOutput{}, nil
}

func (s *Service) GetBucketOwnershipControls(ctx context.Context, in *s3api.GetBucketOwnershipControlsRequest) (*s3api.GetBucketOwnershipControlsOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	if b.Config.OwnershipDeleted {
		return nil, errNoSuchConfig("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", str(in.Bucket))
	}
	return &s3api.GetBucketOwnershipControlsOutput{OwnershipControls: &s3api.OwnershipControls{
		Rules: []*s3api.OwnershipControlsRule{{ObjectOwnership: ptr(b.Config.ownership())}}}}, nil
}

func (s *Service) DeleteBucketOwnershipControls(ctx context.Context, in *s3api.DeleteBucketOwnershipControlsRequest) (*s3api.DeleteBucketOwnershipControlsOutput, error) {
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		c.Ownership, c.OwnershipDeleted = nil, true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.DeleteBucketOwnershipControlsOutput{}, nil
}

// ---- public access block

func (s *Service) PutPublicAccessBlock(ctx context.Context, in *s3api.PutPublicAccessBlockRequest) (*s3api.PutPublicAccessBlockOutput, error) {
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		p := in.PublicAccessBlockConfiguration
		if p == nil {
			return errMalformedXML()
		}
		// Unset members are false.
		c.PublicAccessBlock = &s3api.PublicAccessBlockConfiguration{
			BlockPublicAcls: ptr(p.BlockPublicAcls != nil && *p.BlockPublicAcls), IgnorePublicAcls: ptr(p.IgnorePublicAcls != nil && *p.IgnorePublicAcls),
			BlockPublicPolicy: ptr(p.BlockPublicPolicy != nil && *p.BlockPublicPolicy), RestrictPublicBuckets: ptr(p.RestrictPublicBuckets != nil && *p.RestrictPublicBuckets),
		}
		c.PABDeleted = false
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutPublicAccessBlockOutput{}, nil
}

// GetPublicAccessBlock answers the setting: all four true for a new bucket
// (AWS's default since April 2023), not found once deleted.
func (s *Service) GetPublicAccessBlock(ctx context.Context, in *s3api.GetPublicAccessBlockRequest) (*s3api.GetPublicAccessBlockOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	p := b.Config.PublicAccessBlock
	switch {
	case p != nil:
	case b.Config.PABDeleted:
		return nil, errNoSuchConfig("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", str(in.Bucket))
	default:
		p = &s3api.PublicAccessBlockConfiguration{BlockPublicAcls: ptr(true), IgnorePublicAcls: ptr(true), BlockPublicPolicy: ptr(true), RestrictPublicBuckets: ptr(true)}
	}
	return &s3api.GetPublicAccessBlockOutput{PublicAccessBlockConfiguration: p}, nil
}

func (s *Service) DeletePublicAccessBlock(ctx context.Context, in *s3api.DeletePublicAccessBlockRequest) (*s3api.DeletePublicAccessBlockOutput, error) {
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		c.PublicAccessBlock, c.PABDeleted = nil, true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.DeletePublicAccessBlockOutput{}, nil
}

// ---- encryption

var sseAlgorithms = map[string]bool{"AES256": true, "aws:kms": true, "aws:kms:dsse": true}

func (s *Service) PutBucketEncryption(ctx context.Context, in *s3api.PutBucketEncryptionRequest) (*s3api.PutBucketEncryptionOutput, error) {
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		e := in.ServerSideEncryptionConfiguration
		if e == nil || len(e.Rules) != 1 || e.Rules[0] == nil {
			return errMalformedXML()
		}
		d := e.Rules[0].ApplyServerSideEncryptionByDefault
		if d != nil {
			alg := str(d.SSEAlgorithm)
			if !sseAlgorithms[alg] {
				return errMalformedXML()
			}
			if d.KMSMasterKeyID != nil && !strings.HasPrefix(alg, "aws:kms") {
				return errInvalidArgumentName("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse", "ApplyServerSideEncryptionByDefault")
			}
		}
		c.Encryption = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketEncryptionOutput{}, nil
}

// GetBucketEncryption answers the setting, or SSE-S3 (AES256) without a
// bucket key, which every bucket has by default, as AWS reports it.
func (s *Service) GetBucketEncryption(ctx context.Context, in *s3api.GetBucketEncryptionRequest) (*s3api.GetBucketEncryptionOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	e := b.Config.Encryption
	if e == nil {
		e = &s3api.ServerSideEncryptionConfiguration{Rules: []*s3api.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3api.ServerSideEncryptionByDefault{SSEAlgorithm: ptr(sseAlgorithm)},
			BucketKeyEnabled:                   ptr(false),
		}}}
	}
	return &s3api.GetBucketEncryptionOutput{ServerSideEncryptionConfiguration: e}, nil
}

// DeleteBucketEncryption returns the bucket to the SSE-S3 default.
func (s *Service) DeleteBucketEncryption(ctx context.Context, in *s3api.DeleteBucketEncryptionRequest) (*s3api.DeleteBucketEncryptionOutput, error) {
	if err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error { c.Encryption = nil; return nil }); err != nil {
		return nil, err
	}
	return &s3api.DeleteBucketEncryptionOutput{}, nil
}

// ---- website

func (s *Service) PutBucketWebsite(ctx context.Context, in *s3api.PutBucketWebsiteRequest) (*s3api.PutBucketWebsiteOutput, error) {
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		w := in.WebsiteConfiguration
		if err := checkWebsite(w); err != nil {
			return err
		}
		c.Website = w
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketWebsiteOutput{}, nil
}

// checkWebsite applies AWS's rules to a website configuration, with its
// messages (as recorded).
func checkWebsite(w *s3api.WebsiteConfiguration) error {
	if w == nil {
		return errMalformedXML()
	}
	if w.RedirectAllRequestsTo != nil {
		if w.IndexDocument != nil || w.ErrorDocument != nil || len(w.RoutingRules) > 0 {
			return errInvalidArgument("RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.", "RedirectAllRequestsTo", "not null")
		}
		return checkProtocol(w.RedirectAllRequestsTo.Protocol)
	}
	if w.IndexDocument == nil {
		return errInvalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty", "IndexDocument", "null")
	}
	if sfx := str(w.IndexDocument.Suffix); sfx == "" || strings.Contains(sfx, "/") {
		return errInvalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", sfx)
	}
	for _, r := range w.RoutingRules {
		if r == nil || r.Redirect == nil {
			return errMalformedXML()
		}
		if c := r.Condition; c != nil && c.HttpErrorCodeReturnedEquals == nil && c.KeyPrefixEquals == nil {
			return s3err("InvalidRequest", 400, "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.")
		}
		if r.Redirect.ReplaceKeyPrefixWith != nil && r.Redirect.ReplaceKeyWith != nil {
			return s3err("InvalidRequest", 400, "You can only define ReplaceKeyPrefix or ReplaceKey but not both.")
		}
		if err := checkProtocol(r.Redirect.Protocol); err != nil {
			return err
		}
	}
	return nil
}

func checkProtocol(p *string) error {
	if p != nil && *p != "http" && *p != "https" {
		return s3err("InvalidRequest", 400, "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.")
	}
	return nil
}

func (s *Service) GetBucketWebsite(ctx context.Context, in *s3api.GetBucketWebsiteRequest) (*s3api.GetBucketWebsiteOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	w := b.Config.Website
	if w == nil {
		return nil, errNoSuchConfig("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration", str(in.Bucket))
	}
	return &s3api.GetBucketWebsiteOutput{IndexDocument: w.IndexDocument, ErrorDocument: w.ErrorDocument,
		RedirectAllRequestsTo: w.RedirectAllRequestsTo, RoutingRules: w.RoutingRules}, nil
}

func (s *Service) DeleteBucketWebsite(ctx context.Context, in *s3api.DeleteBucketWebsiteRequest) (*s3api.DeleteBucketWebsiteOutput, error) {
	if err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error { c.Website = nil; return nil }); err != nil {
		return nil, err
	}
	return &s3api.DeleteBucketWebsiteOutput{}, nil
}

// ---- request payment, accelerate, logging

func (s *Service) PutBucketRequestPayment(ctx context.Context, in *s3api.PutBucketRequestPaymentRequest) (*s3api.PutBucketRequestPaymentOutput, error) {
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		if in.RequestPaymentConfiguration == nil {
			return errMalformedXML()
		}
		switch p := str(in.RequestPaymentConfiguration.Payer); p {
		case "Requester", "BucketOwner":
			c.Payer = p
		default:
			return errMalformedXML()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketRequestPaymentOutput{}, nil
}

func (s *Service) GetBucketRequestPayment(ctx context.Context, in *s3api.GetBucketRequestPaymentRequest) (*s3api.GetBucketRequestPaymentOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	p := b.Config.Payer
	if p == "" {
		p = "BucketOwner"
	}
	return &s3api.GetBucketRequestPaymentOutput{Payer: ptr(p)}, nil
}

func (s *Service) PutBucketAccelerateConfiguration(ctx context.Context, in *s3api.PutBucketAccelerateConfigurationRequest) (*s3api.PutBucketAccelerateConfigurationOutput, error) {
	name := str(in.Bucket)
	err := s.setConfig(ctx, name, func(c *bucketConfig) error {
		if strings.Contains(name, ".") {
			return s3err("InvalidRequest", 400, "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names")
		}
		if in.AccelerateConfiguration == nil {
			return errMalformedXML()
		}
		switch st := str(in.AccelerateConfiguration.Status); st {
		case "Enabled", "Suspended":
			c.Accelerate = st
		default:
			return errMalformedXML()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketAccelerateConfigurationOutput{}, nil
}

func (s *Service) GetBucketAccelerateConfiguration(ctx context.Context, in *s3api.GetBucketAccelerateConfigurationRequest) (*s3api.GetBucketAccelerateConfigurationOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	out := &s3api.GetBucketAccelerateConfigurationOutput{}
	if b.Config.Accelerate != "" {
		out.Status = ptr(b.Config.Accelerate)
	}
	return out, nil
}

// PutBucketLogging stores the setting; the target bucket must exist (no
// access logs are written yet).
func (s *Service) PutBucketLogging(ctx context.Context, in *s3api.PutBucketLoggingRequest) (*s3api.PutBucketLoggingOutput, error) {
	var le *s3api.LoggingEnabled
	if in.BucketLoggingStatus != nil {
		le = in.BucketLoggingStatus.LoggingEnabled
	}
	if le != nil {
		if _, err := s.bucketInfo(str(le.TargetBucket)); err != nil {
			return nil, s3err("InvalidTargetBucketForLogging", 400, "The target bucket for logging does not exist").With("TargetBucket", str(le.TargetBucket))
		}
	}
	if err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error { c.Logging = le; return nil }); err != nil {
		return nil, err
	}
	return &s3api.PutBucketLoggingOutput{}, nil
}

func (s *Service) GetBucketLogging(ctx context.Context, in *s3api.GetBucketLoggingRequest) (*s3api.GetBucketLoggingOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	return &s3api.GetBucketLoggingOutput{LoggingEnabled: b.Config.Logging}, nil
}

// ---- replication

// GetBucketReplication answers ReplicationConfigurationNotFoundError for
// every bucket: replication cannot be configured yet (PutBucketReplication
// is NotImplemented), so none ever is, and a missing bucket is NoSuchBucket,
// as AWS answers both.
func (s *Service) GetBucketReplication(ctx context.Context, in *s3api.GetBucketReplicationRequest) (*s3api.GetBucketReplicationOutput, error) {
	if _, err := s.bucketInfo(str(in.Bucket)); err != nil {
		return nil, err
	}
	return nil, errNoSuchConfig("ReplicationConfigurationNotFoundError", "The replication configuration was not found", str(in.Bucket))
}
