package s3_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func setVersioning(t *testing.T, c *s3.Client, bucket string, status types.BucketVersioningStatus) {
	t.Helper()
	_, err := c.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{Bucket: &bucket,
		VersioningConfiguration: &types.VersioningConfiguration{Status: status}})
	if err != nil {
		t.Fatalf("PutBucketVersioning %s: %v", status, err)
	}
}

func putV(t *testing.T, c *s3.Client, bucket, key, body string) string {
	t.Helper()
	out, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: strings.NewReader(body)})
	if err != nil {
		t.Fatalf("PutObject %s/%s: %v", bucket, key, err)
	}
	return aws.ToString(out.VersionId)
}

func getBody(t *testing.T, c *s3.Client, bucket, key, version string) (string, error) {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: &bucket, Key: &key}
	if version != "" {
		in.VersionId = &version
	}
	out, err := c.GetObject(context.Background(), in)
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	b, _ := io.ReadAll(out.Body)
	if version != "" && version != "null" && aws.ToString(out.VersionId) != version {
		t.Errorf("GetObject VersionId = %q, want %q", aws.ToString(out.VersionId), version)
	}
	return string(b), nil
}

func TestBucketVersioningConfig(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "vcfg")
	got, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("vcfg")})
	if err != nil || got.Status != "" {
		t.Fatalf("before: %v %q", err, got.Status)
	}
	for _, tc := range []struct {
		status types.BucketVersioningStatus
		code   string
	}{
		{"Suspended", ""}, {"enabled", "MalformedXML"}, {"Enabled", ""}, {"Disabled", "MalformedXML"},
		{"", "IllegalVersioningConfigurationException"},
	} {
		_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("vcfg"),
			VersioningConfiguration: &types.VersioningConfiguration{Status: tc.status}})
		if tc.code == "" {
			if err != nil {
				t.Fatalf("%s: %v", tc.status, err)
			}
			got, _ := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("vcfg")})
			if got.Status != tc.status {
				t.Errorf("status = %q, want %q", got.Status, tc.status)
			}
			continue
		}
		wantErr(t, err, tc.code, 400)
	}
	_, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("nope")})
	wantErr(t, err, "NoSuchBucket", 404)
}

// TestVersionedObjects follows test_delete_object_versioned as recorded:
// delete markers, GET of a marker by id (405), deleting a marker brings the
// object back, deleting a version for good, NoSuchVersion, a malformed id.
func TestVersionedObjects(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "ver")
	setVersioning(t, c, "ver", "Enabled")
	v1 := putV(t, c, "ver", "k", "one")
	v2 := putV(t, c, "ver", "k", "two")
	if v1 == "" || v2 == "" || v1 == v2 || len(v1) != 32 {
		t.Fatalf("version ids %q %q", v1, v2)
	}
	if b, err := getBody(t, c, "ver", "k", ""); err != nil || b != "two" {
		t.Fatalf("current = %q %v", b, err)
	}
	if b, err := getBody(t, c, "ver", "k", v1); err != nil || b != "one" {
		t.Fatalf("v1 = %q %v", b, err)
	}
	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("k")})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) == "" {
		t.Fatalf("delete: %+v %v", del, err)
	}
	marker := aws.ToString(del.VersionId)
	_, err = getBody(t, c, "ver", "k", "")
	wantErr(t, err, "NoSuchKey", 404)
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response.Header.Get("x-amz-delete-marker") != "true" {
		t.Errorf("x-amz-delete-marker = %q", re.Response.Header.Get("x-amz-delete-marker"))
	}
	_, err = getBody(t, c, "ver", "k", marker)
	wantErr(t, err, "MethodNotAllowed", 405)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("ver"), Key: aws.String("k")})
	wantErr(t, err, "NotFound", 404)

	// Listings hide the key; the versions listing shows all three.
	l, _ := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("ver")})
	if len(l.Contents) != 0 {
		t.Errorf("ListObjectsV2 shows %d objects under a delete marker", len(l.Contents))
	}
	lv, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("ver")})
	if err != nil || len(lv.Versions) != 2 || len(lv.DeleteMarkers) != 1 {
		t.Fatalf("ListObjectVersions: %v %+v", err, lv)
	}
	if !aws.ToBool(lv.DeleteMarkers[0].IsLatest) || aws.ToBool(lv.Versions[0].IsLatest) ||
		aws.ToString(lv.Versions[0].VersionId) != v2 || aws.ToString(lv.Versions[1].VersionId) != v1 {
		t.Errorf("versions out of order: %+v", lv)
	}

	// Deleting the marker by id brings "two" back.
	del, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("k"), VersionId: &marker})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != marker {
		t.Fatalf("delete marker: %+v %v", del, err)
	}
	if b, err := getBody(t, c, "ver", "k", ""); err != nil || b != "two" {
		t.Fatalf("after marker delete = %q %v", b, err)
	}
	// Deleting v2 for good makes v1 current.
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("k"), VersionId: &v2}); err != nil {
		t.Fatal(err)
	}
	if b, err := getBody(t, c, "ver", "k", ""); err != nil || b != "one" {
		t.Fatalf("after v2 delete = %q %v", b, err)
	}
	_, err = getBody(t, c, "ver", "k", v2)
	wantErr(t, err, "NoSuchVersion", 404)
	_, err = getBody(t, c, "ver", "k", "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD")
	wantErr(t, err, "InvalidArgument", 400)
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("k"), VersionId: aws.String("bad")})
	wantErr(t, err, "InvalidArgument", 400)
	// A delete of a key that does not exist still creates a marker.
	del, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("ver"), Key: aws.String("missing")})
	if err != nil || !aws.ToBool(del.DeleteMarker) {
		t.Fatalf("delete missing: %+v %v", del, err)
	}
	// The bucket is not empty while versions or markers remain.
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("ver")})
	wantErr(t, err, "BucketNotEmpty", 409)
}

// TestUnversionedNullVersion: "null" reads the object of a bucket that was
// never versioned; a well-formed id is NoSuchVersion... only after
// versioning, a malformed one InvalidArgument (as recorded).
func TestUnversionedNullVersion(t *testing.T) {
	c := newClient(t)
	mustCreate(t, c, "plain")
	if v := putV(t, c, "plain", "k", "x"); v != "" {
		t.Errorf("unversioned put answered version %q", v)
	}
	if b, err := getBody(t, c, "plain", "k", "null"); err != nil || b != "x" {
		t.Fatalf("null version: %q %v", b, err)
	}
	_, err := getBody(t, c, "plain", "k", "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD")
	wantErr(t, err, "InvalidArgument", 400)
}

// TestSuspendedVersioning: in a suspended bucket writes and deletes take
// the "null" version, replacing the previous null one, and keep the
// versions written while enabled.
func TestSuspendedVersioning(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "susp")
	putV(t, c, "susp", "k", "pre") // the null version of a never-versioned bucket
	setVersioning(t, c, "susp", "Enabled")
	v1 := putV(t, c, "susp", "k", "enabled")
	setVersioning(t, c, "susp", "Suspended")
	if v := putV(t, c, "susp", "k", "s1"); v != "" {
		t.Errorf("suspended put answered version %q, want none (as recorded)", v)
	}
	putV(t, c, "susp", "k", "s2")
	lv, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("susp")})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range lv.Versions {
		ids = append(ids, aws.ToString(v.VersionId))
	}
	if strings.Join(ids, ",") != "null,"+v1 {
		t.Errorf("versions = %v, want [null %s]", ids, v1)
	}
	if b, _ := getBody(t, c, "susp", "k", "null"); b != "s2" {
		t.Errorf("null = %q", b)
	}
	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("susp"), Key: aws.String("k")})
	if err != nil || aws.ToString(del.VersionId) != "null" || !aws.ToBool(del.DeleteMarker) {
		t.Fatalf("suspended delete: %+v %v", del, err)
	}
	lv, _ = c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("susp")})
	if len(lv.Versions) != 1 || len(lv.DeleteMarkers) != 1 || aws.ToString(lv.DeleteMarkers[0].VersionId) != "null" {
		t.Errorf("after suspended delete: %+v", lv)
	}
}

func TestListObjectVersionsPaging(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "pages")
	setVersioning(t, c, "pages", "Enabled")
	var want []string
	for _, k := range []string{"a", "b/1", "b/2", "c"} {
		for i := 0; i < 3; i++ {
			want = append(want, k+"@"+putV(t, c, "pages", k, k))
		}
	}
	// Within a key the newest comes first.
	for i := 0; i < len(want); i += 3 {
		want[i], want[i+2] = want[i+2], want[i]
	}
	var got []string
	in := &s3.ListObjectVersionsInput{Bucket: aws.String("pages"), MaxKeys: aws.Int32(2)}
	for pages := 0; ; pages++ {
		out, err := c.ListObjectVersions(ctx, in)
		if err != nil || pages > 10 {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, v := range out.Versions {
			got = append(got, aws.ToString(v.Key)+"@"+aws.ToString(v.VersionId))
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		in.KeyMarker, in.VersionIdMarker = out.NextKeyMarker, out.NextVersionIdMarker
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("paged versions\n got %v\nwant %v", got, want)
	}
	// Delimiter and prefix roll b/ up; a key marker alone skips that key.
	out, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("pages"), Delimiter: aws.String("/"), KeyMarker: aws.String("a")})
	if err != nil || len(out.CommonPrefixes) != 1 || len(out.Versions) != 3 || aws.ToString(out.Versions[0].Key) != "c" {
		t.Errorf("delimiter listing: %v %+v", err, out)
	}
	_, err = c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("pages"), VersionIdMarker: aws.String("x")})
	wantErr(t, err, "InvalidArgument", 400)
}

func TestCopyFromVersion(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "cvv")
	setVersioning(t, c, "cvv", "Enabled")
	v1 := putV(t, c, "cvv", "k", "old")
	putV(t, c, "cvv", "k", "new")
	// Restoring an old version onto its own key is allowed.
	out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("cvv"), Key: aws.String("k"), CopySource: aws.String("cvv/k?versionId=" + v1)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.CopySourceVersionId) != v1 || aws.ToString(out.VersionId) == "" {
		t.Errorf("copy versions: %+v", out)
	}
	if b, _ := getBody(t, c, "cvv", "k", ""); b != "old" {
		t.Errorf("restored = %q", b)
	}
	del, _ := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("cvv"), Key: aws.String("k")})
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("cvv"), Key: aws.String("x"), CopySource: aws.String("cvv/k?versionId=" + aws.ToString(del.VersionId))})
	wantErr(t, err, "InvalidRequest", 400)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("cvv"), Key: aws.String("x"), CopySource: aws.String("cvv/k")})
	wantErr(t, err, "NoSuchKey", 404)
}

func TestDeleteObjectsVersioned(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "dvv")
	setVersioning(t, c, "dvv", "Enabled")
	v1 := putV(t, c, "dvv", "a", "1")
	putV(t, c, "dvv", "b", "2")
	out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("dvv"), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
		{Key: aws.String("a"), VersionId: &v1}, {Key: aws.String("b")},
	}}})
	if err != nil || len(out.Deleted) != 2 {
		t.Fatalf("%v %+v", err, out)
	}
	if aws.ToString(out.Deleted[0].VersionId) != v1 || aws.ToBool(out.Deleted[0].DeleteMarker) {
		t.Errorf("version delete: %+v", out.Deleted[0])
	}
	if !aws.ToBool(out.Deleted[1].DeleteMarker) || aws.ToString(out.Deleted[1].DeleteMarkerVersionId) == "" {
		t.Errorf("marker delete: %+v", out.Deleted[1])
	}
	_, err = getBody(t, c, "dvv", "a", "")
	wantErr(t, err, "NoSuchKey", 404)
}
