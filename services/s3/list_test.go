package s3_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// listKeys is the bucket the listing cases run against.
var listKeys = []string{"a/1", "a/2", "a/b/3", "b/1", "c", "d e+f"}

// page renders a listing as "keys|prefixes|truncated".
func page(contents []string, prefixes []string, truncated bool) string {
	t := "done"
	if truncated {
		t = "more"
	}
	return strings.Join(contents, ",") + "|" + strings.Join(prefixes, ",") + "|" + t
}

func TestListObjectsV2(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "lst")
	for _, k := range listKeys {
		mustPut(t, c, "lst", k, k)
	}
	for _, tc := range []struct {
		name                          string
		prefix, delimiter, startAfter string
		maxKeys                       int32
		want                          []string // one entry per page
	}{
		{name: "all", want: []string{"a/1,a/2,a/b/3,b/1,c,d e+f||done"}},
		{name: "prefix", prefix: "a/", want: []string{"a/1,a/2,a/b/3||done"}},
		{name: "delimiter", delimiter: "/", want: []string{"c,d e+f|a/,b/|done"}},
		{name: "prefix+delimiter", prefix: "a/", delimiter: "/", want: []string{"a/1,a/2|a/b/|done"}},
		{name: "start-after", startAfter: "a/b/3", want: []string{"b/1,c,d e+f||done"}},
		{name: "pages", maxKeys: 2, want: []string{"a/1,a/2||more", "a/b/3,b/1||more", "c,d e+f||done"}},
		{name: "pages+delimiter", delimiter: "/", maxKeys: 1, want: []string{"|a/|more", "|b/|more", "c||more", "d e+f||done"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &s3.ListObjectsV2Input{Bucket: aws.String("lst")}
			if tc.prefix != "" {
				in.Prefix = &tc.prefix
			}
			if tc.delimiter != "" {
				in.Delimiter = &tc.delimiter
			}
			if tc.startAfter != "" {
				in.StartAfter = &tc.startAfter
			}
			if tc.maxKeys != 0 {
				in.MaxKeys = &tc.maxKeys
			}
			var got []string
			for i := 0; i < 10; i++ {
				out, err := c.ListObjectsV2(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				var keys, prefixes []string
				for _, o := range out.Contents {
					keys = append(keys, *o.Key)
				}
				for _, p := range out.CommonPrefixes {
					prefixes = append(prefixes, *p.Prefix)
				}
				if int(*out.KeyCount) != len(keys)+len(prefixes) {
					t.Errorf("KeyCount = %d, want %d", *out.KeyCount, len(keys)+len(prefixes))
				}
				got = append(got, page(keys, prefixes, *out.IsTruncated))
				if !*out.IsTruncated {
					break
				}
				in.ContinuationToken = out.NextContinuationToken
			}
			if strings.Join(got, " ; ") != strings.Join(tc.want, " ; ") {
				t.Errorf("pages:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
	_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("nope")})
	wantErr(t, err, "NoSuchBucket", 404)
}

func TestListObjectsV1(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "lst")
	for _, k := range listKeys {
		mustPut(t, c, "lst", k, k)
	}
	var got []string
	in := &s3.ListObjectsInput{Bucket: aws.String("lst"), MaxKeys: aws.Int32(4)}
	for i := 0; i < 5; i++ {
		out, err := c.ListObjects(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out.Contents {
			got = append(got, *o.Key)
			in.Marker = o.Key
		}
		if !*out.IsTruncated {
			break
		}
	}
	if strings.Join(got, ",") != strings.Join(listKeys, ",") {
		t.Errorf("ListObjects by marker = %v", got)
	}
}

// TestListWalk covers the ordered-index walk: common prefixes whose keys
// are all delete markers are hidden, a start-after inside a common prefix
// skips it, and pages through prefixes and keys are complete.
func TestListWalk(t *testing.T) {
	ctx := context.Background()
	c := newClient(t)
	mustCreate(t, c, "walk")
	setVersioning(t, c, "walk", "Enabled")
	for _, k := range []string{"a/1", "a/2", "b/1", "c", "d/x/1", "e"} {
		mustPut(t, c, "walk", k, k)
	}
	c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("walk"), Key: aws.String("b/1")})
	c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("walk"), Key: aws.String("e")})
	list := func(in *s3.ListObjectsV2Input) string {
		in.Bucket = aws.String("walk")
		var got []string
		for {
			out, err := c.ListObjectsV2(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range out.CommonPrefixes {
				got = append(got, aws.ToString(p.Prefix))
			}
			for _, o := range out.Contents {
				got = append(got, aws.ToString(o.Key))
			}
			if !aws.ToBool(out.IsTruncated) {
				return strings.Join(got, " ")
			}
			in.ContinuationToken = out.NextContinuationToken
		}
	}
	for _, tc := range []struct {
		in   s3.ListObjectsV2Input
		want string
	}{
		{s3.ListObjectsV2Input{}, "a/1 a/2 c d/x/1"},
		{s3.ListObjectsV2Input{Delimiter: aws.String("/")}, "a/ d/ c"},
		{s3.ListObjectsV2Input{Delimiter: aws.String("/"), MaxKeys: aws.Int32(1)}, "a/ c d/"},
		{s3.ListObjectsV2Input{Delimiter: aws.String("/"), StartAfter: aws.String("a/1")}, "d/ c"},
		{s3.ListObjectsV2Input{Prefix: aws.String("d/"), Delimiter: aws.String("/")}, "d/x/"},
		{s3.ListObjectsV2Input{Prefix: aws.String("a/"), MaxKeys: aws.Int32(1)}, "a/1 a/2"},
	} {
		in := tc.in
		if got := list(&in); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestListBucketsFilters(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	c := client(srv, "us-east-1")
	west := client(srv, "us-west-2")
	mustCreate(t, c, "app-one")
	mustCreate(t, c, "app-two")
	mustCreate(t, c, "other")
	if _, err := west.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("app-west"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "us-west-2"}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   s3.ListBucketsInput
		want string
	}{
		{s3.ListBucketsInput{}, "app-one app-two app-west other"},
		{s3.ListBucketsInput{Prefix: aws.String("app-")}, "app-one app-two app-west"},
		{s3.ListBucketsInput{Prefix: aws.String("app-"), BucketRegion: aws.String("us-west-2")}, "app-west"},
	} {
		in := tc.in
		out, err := c.ListBuckets(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range out.Buckets {
			got = append(got, aws.ToString(b.Name))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%+v: %v", tc.in, got)
		}
	}
	// Pages of two, through the SDK's paginator.
	var got []string
	p := s3.NewListBucketsPaginator(c, &s3.ListBucketsInput{MaxBuckets: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, b := range out.Buckets {
			got = append(got, aws.ToString(b.Name)+"@"+aws.ToString(b.BucketRegion))
		}
	}
	if pages != 2 || strings.Join(got, " ") != "app-one@us-east-1 app-two@us-east-1 app-west@us-west-2 other@us-east-1" {
		t.Errorf("%d pages: %v", pages, got)
	}
	_, err := c.ListBuckets(ctx, &s3.ListBucketsInput{ContinuationToken: aws.String("!!")})
	wantErr(t, err, "InvalidArgument", 400)
}
