package s3_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestLifecycleConfigValidation(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "lcv")
	b := aws.String("lcv")
	_, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	wantErr(t, err, "NoSuchLifecycleConfiguration", 404)
	notMidnight := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		rule types.LifecycleRule
		code string
	}{
		{"no action", types.LifecycleRule{ID: aws.String("a"), Status: "Enabled", Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")}}, "InvalidRequest"},
		{"zero days", types.LifecycleRule{ID: aws.String("a"), Status: "Enabled", Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")},
			Expiration: &types.LifecycleExpiration{Days: aws.Int32(0)}}, "InvalidArgument"},
		{"date not midnight", types.LifecycleRule{ID: aws.String("a"), Status: "Enabled", Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")},
			Expiration: &types.LifecycleExpiration{Date: &notMidnight}}, "InvalidArgument"},
		{"bad status", types.LifecycleRule{ID: aws.String("a"), Status: "enabled", Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")},
			Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}}, "MalformedXML"},
		{"abort with tags", types.LifecycleRule{ID: aws.String("a"), Status: "Enabled", Filter: &types.LifecycleRuleFilter{Tag: &types.Tag{Key: aws.String("k"), Value: aws.String("v")}},
			AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(1)}}, "InvalidRequest"},
	} {
		_, err := c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b,
			LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{tc.rule}}})
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		wantErr(t, err, tc.code, 400)
	}
	dup := types.LifecycleRule{ID: aws.String("same"), Status: "Enabled", Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}}
	_, err = c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b,
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{dup, dup}}})
	wantErr(t, err, "InvalidArgument", 400)
	_, err = c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	wantErr(t, err, "NoSuchLifecycleConfiguration", 404)
}

// TestLifecycleExpiration: rules really apply when the service clock passes
// the next midnight after creation + Days.
func TestLifecycleExpiration(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	c := client(srv, "us-east-1")
	mustCreate(t, c, "lcx")
	mustCreate(t, c, "lcver")
	setVersioning(t, c, "lcver", "Enabled")
	b := aws.String("lcx")
	mustPut(t, c, "lcx", "tmp/a", "a")
	mustPut(t, c, "lcx", "keep/b", "b")
	mpu, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("tmp/upload")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b,
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{
			{ID: aws.String("tmp-rule"), Status: "Enabled", Filter: &types.LifecycleRuleFilter{Prefix: aws.String("tmp/")},
				Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}, AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(1)}},
		}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	if err != nil || len(got.Rules) != 1 || aws.ToString(got.Rules[0].ID) != "tmp-rule" {
		t.Fatalf("GetBucketLifecycleConfiguration: %v %+v", err, got)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("tmp/a")})
	if err != nil || !strings.Contains(aws.ToString(head.Expiration), `rule-id="tmp-rule"`) || !strings.Contains(aws.ToString(head.Expiration), "00:00:00 GMT") {
		t.Fatalf("x-amz-expiration: %v %q", err, aws.ToString(head.Expiration))
	}
	head, _ = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("keep/b")})
	if head.Expiration != nil {
		t.Errorf("keep/b has x-amz-expiration %q", aws.ToString(head.Expiration))
	}

	// Versioned: noncurrent versions go after NoncurrentDays; the current
	// one gets a delete marker.
	v1 := putV(t, c, "lcver", "k", "one")
	putV(t, c, "lcver", "k", "two")
	_, err = c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("lcver"),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{
			{ID: aws.String("old"), Status: "Enabled", Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")},
				NoncurrentVersionExpiration: &types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(1)}},
		}}})
	if err != nil {
		t.Fatal(err)
	}

	// Not yet: less than a day.
	srv.Advance(t, time.Hour)
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("tmp/a")}); err != nil {
		t.Fatalf("expired early: %v", err)
	}
	srv.Advance(t, 49*time.Hour)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("tmp/a")})
	wantErr(t, err, "NotFound", 404)
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("keep/b")}); err != nil {
		t.Errorf("keep/b expired: %v", err)
	}
	ups, _ := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: b})
	if len(ups.Uploads) != 0 {
		t.Errorf("upload %s not aborted", aws.ToString(mpu.UploadId))
	}
	lv, _ := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("lcver")})
	if len(lv.Versions) != 1 || aws.ToString(lv.Versions[0].VersionId) == v1 {
		t.Errorf("noncurrent version kept: %+v", lv.Versions)
	}

	if _, err := c.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	wantErr(t, err, "NoSuchLifecycleConfiguration", 404)
}
