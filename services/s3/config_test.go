package s3_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func tagSet(kv ...string) *types.Tagging {
	t := &types.Tagging{TagSet: []types.Tag{}}
	for i := 0; i+1 < len(kv); i += 2 {
		t.TagSet = append(t.TagSet, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return t
}

func tagString(tags []types.Tag) string {
	s := ""
	for _, t := range tags {
		s += aws.ToString(t.Key) + "=" + aws.ToString(t.Value) + ";"
	}
	return s
}

func TestObjectTagging(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "tags")
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tags"), Key: aws.String("k"), Body: nil, Tagging: aws.String("tag=&tag1=tag1&tag2=tag2")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("k")})
	if err != nil || tagString(got.TagSet) != "tag=;tag1=tag1;tag2=tag2;" {
		t.Fatalf("tags from header: %v %v", err, tagString(got.TagSet))
	}
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("k"), Tagging: tagSet("tag3", "tag3")}); err != nil {
		t.Fatal(err)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("tags"), Key: aws.String("k")})
	if err != nil || head.ServerSideEncryption != "AES256" {
		t.Fatalf("head: %v %+v", err, head)
	}
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("tags"), Key: aws.String("k")})
	if err != nil || aws.ToInt32(get.TagCount) != 1 {
		t.Fatalf("TagCount: %v %v", err, get.TagCount)
	}
	get.Body.Close()

	// Copy keeps the source's tags unless told to replace them.
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("tags"), Key: aws.String("kept"), CopySource: aws.String("tags/k")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("tags"), Key: aws.String("new"), CopySource: aws.String("tags/k"),
		TaggingDirective: types.TaggingDirectiveReplace, Tagging: aws.String("a=b")})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"kept": "tag3=tag3;", "new": "a=b;"} {
		got, _ := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String(key)})
		if tagString(got.TagSet) != want {
			t.Errorf("%s tags = %s, want %s", key, tagString(got.TagSet), want)
		}
	}
	if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("k")})
	if len(got.TagSet) != 0 {
		t.Errorf("after delete: %v", tagString(got.TagSet))
	}

	eleven := []string{}
	for i := 0; i < 11; i++ {
		eleven = append(eleven, string(rune('a'+i)), "v")
	}
	for _, tc := range []struct {
		name    string
		tagging *types.Tagging
		key     string
		code    string
		status  int
	}{
		{"duplicate", tagSet("Key1", "a", "Key1", "b"), "k", "InvalidTag", 400},
		{"comma key", tagSet("Key1,Key2", "a"), "k", "InvalidTag", 400},
		{"aws prefix", tagSet("aws:prefixed", "a"), "k", "InvalidTag", 400},
		{"eleven", tagSet(eleven...), "k", "BadRequest", 400},
		{"no key", tagSet("a", "b"), "missing", "NoSuchKey", 404},
	} {
		_, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String(tc.key), Tagging: tc.tagging})
		wantErr(t, err, tc.code, tc.status)
	}
	for _, h := range []string{"key1=val1&key1=val2", "key1=val1,key2=val2"} {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tags"), Key: aws.String("bad"), Tagging: aws.String(h)})
		wantErr(t, err, "InvalidArgument", 400)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("tags"), Key: aws.String("bad")})
	wantErr(t, err, "NotFound", 404)
}

func TestObjectTaggingVersioned(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "vtags")
	setVersioning(t, c, "vtags", "Enabled")
	v1 := putV(t, c, "vtags", "k", "one")
	v2 := putV(t, c, "vtags", "k", "two")
	out, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("vtags"), Key: aws.String("k"), VersionId: &v1, Tagging: tagSet("old", "1")})
	if err != nil || aws.ToString(out.VersionId) != v1 {
		t.Fatalf("%v %+v", err, out)
	}
	got, _ := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("vtags"), Key: aws.String("k")})
	if len(got.TagSet) != 0 || aws.ToString(got.VersionId) != v2 {
		t.Errorf("current: %+v", got)
	}
	got, _ = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("vtags"), Key: aws.String("k"), VersionId: &v1})
	if tagString(got.TagSet) != "old=1;" {
		t.Errorf("v1: %v", tagString(got.TagSet))
	}
	if b, _ := getBody(t, c, "vtags", "k", v1); b != "one" {
		t.Errorf("retagging changed the body: %q", b)
	}
	c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vtags"), Key: aws.String("k")})
	_, err = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("vtags"), Key: aws.String("k")})
	wantErr(t, err, "MethodNotAllowed", 405)
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("vtags"), Key: aws.String("k"), Tagging: tagSet("a", "b")})
	wantErr(t, err, "MethodNotAllowed", 405)
}

func TestBucketTagging(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "btags")
	_, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("btags")})
	wantErr(t, err, "NoSuchTagSet", 404)
	if _, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("btags"), Tagging: tagSet("tag1", "tag1", "tag2", "")}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("btags")})
	if err != nil || tagString(got.TagSet) != "tag1=tag1;tag2=;" {
		t.Fatalf("%v %s", err, tagString(got.TagSet))
	}
	_, err = c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("btags"), Tagging: tagSet("aws:x", "1")})
	wantErr(t, err, "InvalidTag", 400)
	_, err = c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("nope"), Tagging: tagSet("a", "1")})
	wantErr(t, err, "NoSuchBucket", 404)
	if _, err := c.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("btags")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("btags")})
	wantErr(t, err, "NoSuchTagSet", 404)
}

func TestACLs(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "acls")
	mustPut(t, c, "acls", "k", "x")
	got, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acls")})
	if err != nil || len(got.Grants) != 1 || got.Grants[0].Permission != "FULL_CONTROL" || aws.ToString(got.Owner.ID) == "" {
		t.Fatalf("owner grant: %v %+v", err, got)
	}
	oa, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("acls"), Key: aws.String("k")})
	if err != nil || len(oa.Grants) != 1 {
		t.Fatalf("object owner grant: %v %+v", err, oa)
	}
	// BucketOwnerEnforced (the default) refuses ACLs.
	_, err = c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("acls"), Key: aws.String("k"), ACL: types.ObjectCannedACLPublicRead})
	wantErr(t, err, "AccessControlListNotSupported", 400)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acls"), Key: aws.String("pub"), ACL: types.ObjectCannedACLPublicRead})
	wantErr(t, err, "AccessControlListNotSupported", 400)
	if _, err := c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("acls"), Key: aws.String("k"), ACL: types.ObjectCannedACLPrivate}); err != nil {
		t.Fatal(err)
	}
	// With ObjectWriter, ACLs are kept and answered.
	_, err = c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String("acls"),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipObjectWriter}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acls"), ACL: types.BucketCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acls")})
	if len(got.Grants) != 2 || aws.ToString(got.Grants[1].Grantee.URI) != "http://acs.amazonaws.com/groups/global/AllUsers" || got.Grants[1].Grantee.Type != types.TypeGroup {
		t.Errorf("public-read grants: %+v", got.Grants)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acls"), Key: aws.String("pub"), ACL: types.ObjectCannedACLPublicReadWrite})
	if err != nil {
		t.Fatal(err)
	}
	oa, _ = c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("acls"), Key: aws.String("pub")})
	if len(oa.Grants) != 3 {
		t.Errorf("public-read-write grants: %+v", oa.Grants)
	}
	_, err = c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acls"), ACL: "nonsense"})
	wantErr(t, err, "InvalidArgument", 400)
}

// TestBucketSettings covers the stored settings and their defaults and
// errors, as recorded (test_bucket_policy_*, *_ownership_controls_*,
// *_public_access_block, *_bucket_encryption*, acceleration).
func TestBucketSettings(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "settings")
	b := aws.String("settings")

	// Policy.
	_, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	wantErr(t, err, "NoSuchBucketPolicy", 404)
	// An empty policy is MalformedPolicy in AWS; here the codec refuses the
	// empty payload first (MalformedXML): not tested.
	for _, p := range []string{"randomstring", "{}"} {
		_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(p)})
		wantErr(t, err, "MalformedPolicy", 400)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::settings/*"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	gp, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	if err != nil || aws.ToString(gp.Policy) != policy {
		t.Fatalf("policy: %v %q", err, aws.ToString(gp.Policy))
	}
	ps, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
	if err != nil || !aws.ToBool(ps.PolicyStatus.IsPublic) {
		t.Errorf("policy status: %v %+v", err, ps)
	}
	if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	wantErr(t, err, "NoSuchBucketPolicy", 404)

	// Ownership controls.
	oc, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
	if err != nil || oc.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Fatalf("default ownership: %v %+v", err, oc)
	}
	_, err = c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b,
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: "RandomValue"}}}})
	wantErr(t, err, "MalformedXML", 400)
	c.DeleteBucketOwnershipControls(ctx, &s3.DeleteBucketOwnershipControlsInput{Bucket: b})
	_, err = c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
	wantErr(t, err, "OwnershipControlsNotFoundError", 404)
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("owned"), ObjectOwnership: "RandomValue"})
	wantErr(t, err, "InvalidArgument", 400)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("owned"), ObjectOwnership: types.ObjectOwnershipBucketOwnerPreferred}); err != nil {
		t.Fatal(err)
	}
	oc, _ = c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("owned")})
	if oc.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerPreferred {
		t.Errorf("ownership at creation: %+v", oc.OwnershipControls.Rules[0])
	}

	// Public access block.
	pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	if err != nil || !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicAcls) {
		t.Fatalf("default PAB: %v %+v", err, pab)
	}
	_, err = c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b, PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
		BlockPublicAcls: aws.Bool(false), IgnorePublicAcls: aws.Bool(false), BlockPublicPolicy: aws.Bool(false), RestrictPublicBuckets: aws.Bool(false)}})
	if err != nil {
		t.Fatal(err)
	}
	pab, _ = c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	if aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicAcls) {
		t.Errorf("PAB not stored")
	}
	c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: b})
	_, err = c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	wantErr(t, err, "NoSuchPublicAccessBlockConfiguration", 404)

	// Encryption.
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	if err != nil || enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 {
		t.Fatalf("default encryption: %v %+v", err, enc)
	}
	_, err = c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: "AES256", KMSMasterKeyID: aws.String("k")}}}}})
	wantErr(t, err, "InvalidArgument", 400)
	_, err = c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: "aws:kms", KMSMasterKeyID: aws.String("alias/x")}, BucketKeyEnabled: aws.Bool(true)}}}})
	if err != nil {
		t.Fatal(err)
	}
	enc, _ = c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	if r := enc.ServerSideEncryptionConfiguration.Rules[0]; r.ApplyServerSideEncryptionByDefault.SSEAlgorithm != "aws:kms" || !aws.ToBool(r.BucketKeyEnabled) {
		t.Errorf("kms encryption: %+v", r)
	}

	// Request payment, accelerate, website, logging.
	if _, err := c.PutBucketRequestPayment(ctx, &s3.PutBucketRequestPaymentInput{Bucket: b, RequestPaymentConfiguration: &types.RequestPaymentConfiguration{Payer: "Requester"}}); err != nil {
		t.Fatal(err)
	}
	rp, _ := c.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: b})
	if rp.Payer != "Requester" {
		t.Errorf("payer = %s", rp.Payer)
	}
	_, err = c.PutBucketAccelerateConfiguration(ctx, &s3.PutBucketAccelerateConfigurationInput{Bucket: b, AccelerateConfiguration: &types.AccelerateConfiguration{Status: "enabled"}})
	wantErr(t, err, "MalformedXML", 400)
	if _, err := c.PutBucketAccelerateConfiguration(ctx, &s3.PutBucketAccelerateConfigurationInput{Bucket: b, AccelerateConfiguration: &types.AccelerateConfiguration{Status: "Enabled"}}); err != nil {
		t.Fatal(err)
	}
	ac, _ := c.GetBucketAccelerateConfiguration(ctx, &s3.GetBucketAccelerateConfigurationInput{Bucket: b})
	if ac.Status != "Enabled" {
		t.Errorf("accelerate = %s", ac.Status)
	}
	_, err = c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
	wantErr(t, err, "NoSuchWebsiteConfiguration", 404)
	_, err = c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: b, WebsiteConfiguration: &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")}, ErrorDocument: &types.ErrorDocument{Key: aws.String("err.html")}}})
	if err != nil {
		t.Fatal(err)
	}
	ws, _ := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
	if aws.ToString(ws.IndexDocument.Suffix) != "index.html" || aws.ToString(ws.ErrorDocument.Key) != "err.html" {
		t.Errorf("website: %+v", ws)
	}
	_, err = c.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: b, BucketLoggingStatus: &types.BucketLoggingStatus{
		LoggingEnabled: &types.LoggingEnabled{TargetBucket: aws.String("nope"), TargetPrefix: aws.String("logs/")}}})
	wantErr(t, err, "InvalidTargetBucketForLogging", 400)
	_, err = c.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: b, BucketLoggingStatus: &types.BucketLoggingStatus{
		LoggingEnabled: &types.LoggingEnabled{TargetBucket: aws.String("owned"), TargetPrefix: aws.String("logs/")}}})
	if err != nil {
		t.Fatal(err)
	}
	lg, _ := c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: b})
	if lg.LoggingEnabled == nil || aws.ToString(lg.LoggingEnabled.TargetPrefix) != "logs/" {
		t.Errorf("logging: %+v", lg)
	}
}
