package s3_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// recordedErrorCases are recorded entries whose point is an error document:
// its code, message and the members AWS adds (BucketName, Condition,
// LocationConstraint, ArgumentName/Value, …), which recordedRun.rec reads
// from the body the SDK received.
func recordedErrorCases() []recordedCase {
	const t3 = "test_s3.py::TestS3::"
	const mp = "test_s3_api.py::TestS3Multipart::"
	const wp = "test_s3_api.py::TestS3ObjectWritePrecondition::"
	inRegion := func(region string) func(*s3.Options) { return func(o *s3.Options) { o.Region = region } }
	create := func(r *recordedRun, key, region, name, constraint string) {
		in := &s3.CreateBucketInput{Bucket: &name}
		if constraint != "" {
			in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(constraint)}
		}
		out, err := r.c.CreateBucket(r.ctx, in, inRegion(region))
		r.rec(key, out, err)
	}
	cases := []recordedCase{
		{t3 + "test_s3_uppercase_bucket_name", func(r *recordedRun) {
			create(r, "uppercase-bucket", "us-east-1", "TestUpperCase-Bucket", "")
		}},
		{t3 + "test_create_bucket_with_existing_name", func(r *recordedRun) {
			create(r, "create-first", "us-west-1", "rec-existing", "us-west-1")
			delete(r.got, "create-first")
			create(r, "create-bucket-us-west-1", "us-west-1", "rec-existing", "us-west-1")
			create(r, "create-bucket-us-east-2", "us-east-2", "rec-existing", "us-east-2")
		}},
		{t3 + "test_create_bucket_with_eu_location_constraint_raises", func(r *recordedRun) {
			create(r, "eu-location-constraint-error", "us-east-2", "rec-eu", "EU")
		}},
		{t3 + "test_s3_copy_object_wrong_format", func(r *recordedRun) {
			b := r.bucket()
			out, err := r.c.CopyObject(r.ctx, &s3.CopyObjectInput{Bucket: &b, Key: aws.String("k"), CopySource: aws.String("x-amz-copy-source")})
			r.rec("copy-object-wrong-copy-source", out, err)
		}},
		{t3 + "test_delete_bucket_policy", func(r *recordedRun) {
			b := r.bucket()
			policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + b + `/*"}]}`
			if _, err := r.c.PutBucketPolicy(r.ctx, &s3.PutBucketPolicyInput{Bucket: &b, Policy: &policy}); err != nil {
				r.t.Fatal(err)
			}
			d, err := r.c.DeleteBucketPolicy(r.ctx, &s3.DeleteBucketPolicyInput{Bucket: &b})
			r.rec("delete-bucket-policy", d, err)
			g, err := r.c.GetBucketPolicy(r.ctx, &s3.GetBucketPolicyInput{Bucket: &b})
			r.rec("get-bucket-policy-no-such-bucket-policy", g, err)
		}},
		{t3 + "test_bucket_does_not_exist", func(r *recordedRun) {
			out, err := r.c.ListObjects(r.ctx, &s3.ListObjectsInput{Bucket: aws.String("rec-does-not-exist")})
			r.rec("list_object", out, err)
			// The same request addressed to rec-does-not-exist.s3.localhost
			// (dialled to the server, as *.localhost does not resolve here).
			u, _ := url.Parse(r.srv.URL())
			_, port, _ := net.SplitHostPort(u.Host)
			base := r.bodies.base
			r.bodies.base = &http.Client{Transport: &http.Transport{
				DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
					return (&net.Dialer{}).DialContext(ctx, network, u.Host)
				},
			}}
			out, err = r.c.ListObjects(r.ctx, &s3.ListObjectsInput{Bucket: aws.String("rec-does-not-exist")}, func(o *s3.Options) {
				o.BaseEndpoint, o.UsePathStyle = aws.String("http://s3.localhost:"+port), false
			})
			r.bodies.base = base
			r.rec("list_object_vhost", out, err)
		}},
		{wp + "test_copy_object_if_none_match_in_place", func(r *recordedRun) {
			b := r.bucket()
			k := "test-precondition"
			if _, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: &k, Body: strings.NewReader("data")}); err != nil {
				r.t.Fatal(err)
			}
			out, err := r.c.CopyObject(r.ctx, &s3.CopyObjectInput{Bucket: &b, Key: &k, CopySource: aws.String(b + "/" + k),
				MetadataDirective: types.MetadataDirectiveReplace, IfNoneMatch: aws.String("*")})
			r.rec("copy-obj-if-none-match-fail", out, err)
		}},
		{t3 + "test_multipart_complete_multipart_too_small", func(r *recordedRun) {
			b, k := r.bucket(), aws.String("test-key")
			m, err := r.c.CreateMultipartUpload(r.ctx, &s3.CreateMultipartUploadInput{Bucket: &b, Key: k})
			if err != nil {
				r.t.Fatal(err)
			}
			var parts []types.CompletedPart
			for i := int32(1); i <= 2; i++ {
				p, err := r.c.UploadPart(r.ctx, &s3.UploadPartInput{Bucket: &b, Key: k, UploadId: m.UploadId, PartNumber: aws.Int32(i), Body: strings.NewReader("data")})
				r.rec(fmt.Sprintf("upload-part%d", i), p, err)
				if err == nil {
					parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(i), ETag: p.ETag})
				}
			}
			c, err := r.c.CompleteMultipartUpload(r.ctx, &s3.CompleteMultipartUploadInput{Bucket: &b, Key: k, UploadId: m.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{}})
			r.rec("complete-exc-no-parts", c, err)
			c, err = r.c.CompleteMultipartUpload(r.ctx, &s3.CompleteMultipartUploadInput{Bucket: &b, Key: k, UploadId: m.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
			r.rec("complete-exc-too-small", c, err)
		}},
		{t3 + "test_multipart_complete_multipart_wrong_part", func(r *recordedRun) {
			b, k := r.bucket(), aws.String("test-key")
			m, err := r.c.CreateMultipartUpload(r.ctx, &s3.CreateMultipartUploadInput{Bucket: &b, Key: k})
			if err != nil {
				r.t.Fatal(err)
			}
			p, err := r.c.UploadPart(r.ctx, &s3.UploadPartInput{Bucket: &b, Key: k, UploadId: m.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("data")})
			if err != nil {
				r.t.Fatal(err)
			}
			complete := func(key string, part types.CompletedPart) {
				c, err := r.c.CompleteMultipartUpload(r.ctx, &s3.CompleteMultipartUploadInput{Bucket: &b, Key: k, UploadId: m.UploadId,
					MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part}}})
				r.rec(key, c, err)
			}
			complete("complete-exc-wrong-part-number", types.CompletedPart{PartNumber: aws.Int32(2), ETag: p.ETag})
			complete("complete-exc-wrong-etag", types.CompletedPart{PartNumber: aws.Int32(1), ETag: aws.String(`"d41d8cd98f00b204e9800998ecf8427e"`)})
		}},
		{wp + "test_multipart_if_none_match_with_put", func(r *recordedRun) {
			b, k := r.bucket(), aws.String("test-precondition")
			m, err := r.c.CreateMultipartUpload(r.ctx, &s3.CreateMultipartUploadInput{Bucket: &b, Key: k})
			r.rec("create-multipart", m, err)
			if err != nil {
				return
			}
			p, err := r.c.UploadPart(r.ctx, &s3.UploadPartInput{Bucket: &b, Key: k, UploadId: m.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("data")})
			if err != nil {
				r.t.Fatal(err)
			}
			put, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: k, Body: strings.NewReader("")})
			r.rec("put-obj", put, err)
			c, err := r.c.CompleteMultipartUpload(r.ctx, &s3.CompleteMultipartUploadInput{Bucket: &b, Key: k, UploadId: m.UploadId, IfNoneMatch: aws.String("*"),
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: p.ETag}}}})
			r.rec("complete-multipart-if-none-match-put-during", c, err)
		}},
		{"test_s3_api.py::TestS3BucketObjectTagging::test_put_bucket_tagging_none_value", func(r *recordedRun) {
			b := r.bucket()
			p, err := r.c.PutBucketTagging(r.ctx, &s3.PutBucketTaggingInput{Bucket: &b, Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("tag1"), Value: aws.String("tag1")}}}})
			r.rec("put-bucket-tags-origin", p, err)
			p, err = r.c.PutBucketTagging(r.ctx, &s3.PutBucketTaggingInput{Bucket: &b, Tagging: &types.Tagging{TagSet: []types.Tag{}}})
			r.rec("put-none-tag-set", p, err)
			g, err := r.c.GetBucketTagging(r.ctx, &s3.GetBucketTaggingInput{Bucket: &b})
			r.rec("no-such-tag-set", g, err)
		}},
		{"test_s3_api.py::TestS3BucketNotificationConfiguration::test_bucket_notification_with_missing_values_in_rule", func(r *recordedRun) {
			b := r.bucket()
			for key, rule := range map[string]types.FilterRule{
				"invalid-rule-no-values": {},
				"invalid-rule-no-value":  {Name: types.FilterRuleNamePrefix},
				"invalid-rule-no-name":   {Value: aws.String("test")},
			} {
				_, err := r.c.PutBucketNotificationConfiguration(r.ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: &b,
					NotificationConfiguration: &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{
						QueueArn: aws.String("arn:aws:sqs:us-east-1:000000000000:my-queue"), Events: []types.Event{types.EventS3ObjectCreated},
						Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{rule}}},
					}}}})
				r.rec(key, nil, err)
			}
		}},
		{t3 + "test_s3_get_object_headers", func(r *recordedRun) {
			b, k := r.bucket(), aws.String("test-object")
			put, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: k, Body: strings.NewReader("test-data")})
			if err != nil {
				r.t.Fatal(err)
			}
			etag := aws.ToString(put.ETag)
			// The LocalStack test records the status of a success and
			// e.response["Error"] of a failure, which for a bodiless 304
			// boto3 makes of the status line.
			get := func(key string, in s3.GetObjectInput) {
				in.Bucket, in.Key = &b, k
				out, err := r.c.GetObject(r.ctx, &in)
				r.rec(key, out, err)
				got := r.got[key].(map[string]any)
				switch e, _ := got["Error"].(map[string]any); {
				case e == nil:
					r.got[key] = got["ResponseMetadata"].(map[string]any)["HTTPStatusCode"]
				case got["ResponseMetadata"].(map[string]any)["HTTPStatusCode"] == float64(304):
					r.got[key] = map[string]any{"Code": "304", "Message": "Not Modified"}
				default:
					r.got[key] = e
				}
			}
			get("if_none_match_err_1", s3.GetObjectInput{IfNoneMatch: &etag})
			get("if_none_match_err_2", s3.GetObjectInput{IfNoneMatch: aws.String(strings.Trim(etag, `"`))})
			get("if_none_match_1", s3.GetObjectInput{IfNoneMatch: aws.String(`"something-else"`)})
			get("if_match_1", s3.GetObjectInput{IfMatch: &etag})
			get("if_match_2", s3.GetObjectInput{IfMatch: aws.String(strings.Trim(etag, `"`))})
			get("if_match_err_1", s3.GetObjectInput{IfMatch: aws.String(`"something-else"`)})
		}},
		{t3 + "test_multipart_key_validation", func(r *recordedRun) {
			b := r.bucket()
			m, err := r.c.CreateMultipartUpload(r.ctx, &s3.CreateMultipartUploadInput{Bucket: &b, Key: aws.String("test-key")})
			if err != nil {
				r.t.Fatal(err)
			}
			wrong := aws.String("wrong-key")
			up, err := r.c.UploadPart(r.ctx, &s3.UploadPartInput{Bucket: &b, Key: wrong, UploadId: m.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("data")})
			r.rec("upload-part-wrong-key-name", up, err)
			c, err := r.c.CompleteMultipartUpload(r.ctx, &s3.CompleteMultipartUploadInput{Bucket: &b, Key: wrong, UploadId: m.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: aws.String(`"8d777f385d3dfec8815d20f7496026dc"`)}}}})
			r.rec("complete-multipart-wrong-key-name", c, err)
			l, err := r.c.ListParts(r.ctx, &s3.ListPartsInput{Bucket: &b, Key: wrong, UploadId: m.UploadId})
			r.rec("list-parts-wrong-key-name", l, err)
			a, err := r.c.AbortMultipartUpload(r.ctx, &s3.AbortMultipartUploadInput{Bucket: &b, Key: wrong, UploadId: m.UploadId})
			r.rec("abort-multipart-wrong-key-name", a, err)
		}},
		{wp + "test_copy_object_precondition_write_validation", func(r *recordedRun) {
			b, k := r.bucket(), aws.String("test-precondition")
			put, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: k, Body: strings.NewReader("test")})
			if err != nil {
				r.t.Fatal(err)
			}
			cp := func(key string, ifMatch, ifNone *string) {
				out, err := r.c.CopyObject(r.ctx, &s3.CopyObjectInput{Bucket: &b, Key: aws.String("copy-dest"), CopySource: aws.String(b + "/" + *k),
					IfMatch: ifMatch, IfNoneMatch: ifNone})
				r.rec(key, out, err)
			}
			cp("copy-obj-none-match-etag", nil, put.ETag)
			cp("copy-obj-if-match-star", aws.String("*"), nil)
			cp("copy-obj-both", put.ETag, aws.String("*"))
		}},
		{t3 + "test_s3_copy_object_src_not_exists", func(r *recordedRun) {
			b, src := r.bucket(), aws.String("random-src-key")
			cp := func(key, source string) *s3.CopyObjectOutput {
				out, err := r.c.CopyObject(r.ctx, &s3.CopyObjectInput{Bucket: &b, Key: aws.String("dest-key"), CopySource: &source})
				r.rec(key, out, err)
				return out
			}
			cp("copy-object-src-bucket-not-exists", "rec-no-such-src-bucket/"+*src)
			cp("copy-object-src-object-not-exists", b+"/"+*src)
			setVersioning(r.t, r.c, b, "Enabled")
			put, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: src, Body: strings.NewReader("")})
			r.rec("put-obj-versioned", put, err)
			del, err := r.c.DeleteObject(r.ctx, &s3.DeleteObjectInput{Bucket: &b, Key: src})
			r.rec("del-obj-versioned", del, err)
			if put == nil || del == nil {
				return
			}
			cp("copy-object-src-delete-marker-current-version", b+"/"+*src)
			cp("copy-object-src-target-delete-marker", b+"/"+*src+"?versionId="+aws.ToString(del.VersionId))
			cp("copy-object-src-target-object-version", b+"/"+*src+"?versionId="+aws.ToString(put.VersionId))
		}},
		{"test_s3_notifications_sqs.py::TestS3NotificationsToSQS::test_multiple_invalid_sqs_arns", func(r *recordedRun) {
			b := r.bucket()
			put := func(key string, arns ...string) {
				var qs []types.QueueConfiguration
				for _, a := range arns {
					qs = append(qs, types.QueueConfiguration{QueueArn: aws.String(a), Events: []types.Event{types.EventS3ObjectCreated}})
				}
				out, err := r.c.PutBucketNotificationConfiguration(r.ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: &b,
					NotificationConfiguration: &types.NotificationConfiguration{QueueConfigurations: qs}})
				r.rec(key, out, err)
			}
			missing, missing2 := "arn:aws:sqs:us-east-1:000000000000:my-queue", "arn:aws:sqs:us-east-1:000000000000:my-queue-2"
			put("two-queue-arns-invalid", "invalid_arn", "invalid_arn_2")
			put("one-queue-invalid-one-not-existent", missing, "invalid_arn_2")
			put("multiple-queues-do-not-exist", missing, missing2)
		}},
		{"test_s3_notifications_lambda.py::TestS3NotificationsToLambda::test_invalid_lambda_arn", func(r *recordedRun) {
			b := r.bucket()
			put := func(key, arn string, skip bool) {
				out, err := r.c.PutBucketNotificationConfiguration(r.ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: &b,
					SkipDestinationValidation: aws.Bool(skip),
					NotificationConfiguration: &types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{{
						Id: aws.String("id123"), LambdaFunctionArn: aws.String(arn), Events: []types.Event{types.EventS3ObjectCreated}}}}})
				r.rec(key, out, err)
			}
			fn := "arn:aws:lambda:us-east-1:000000000000:function:my-lambda"
			put("invalid_not_skip", "invalid-queue", false)
			put("invalid_skip", "invalid-queue", true)
			put("lambda-does-not-exist", fn, false) // no Lambda runs beside S3 here
			put("skip-put", fn, true)
			g, err := r.c.GetBucketNotificationConfiguration(r.ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: &b})
			r.rec("skip_destination_validation", g, err)
		}},
	}
	// Conditional completes of a multipart upload whose key changes while
	// the upload is in progress.
	type mpu struct {
		r    *recordedRun
		b, k string
	}
	putTest := func(m mpu, key string) *s3.PutObjectOutput {
		out, err := m.r.c.PutObject(m.r.ctx, &s3.PutObjectInput{Bucket: &m.b, Key: &m.k, Body: strings.NewReader("test")})
		m.r.rec(key, out, err)
		if err != nil {
			m.r.t.Fatal(err)
		}
		return out
	}
	start := func(m mpu, key string) (*string, string) {
		c, err := m.r.c.CreateMultipartUpload(m.r.ctx, &s3.CreateMultipartUploadInput{Bucket: &m.b, Key: &m.k})
		m.r.rec(key, c, err)
		if err != nil {
			m.r.t.Fatal(err)
		}
		p, err := m.r.c.UploadPart(m.r.ctx, &s3.UploadPartInput{Bucket: &m.b, Key: &m.k, UploadId: c.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("test")})
		if err != nil {
			m.r.t.Fatal(err)
		}
		return c.UploadId, aws.ToString(p.ETag)
	}
	completeIf := func(m mpu, key string, id *string, part string, ifMatch *string) *s3.CompleteMultipartUploadOutput {
		out, err := m.r.c.CompleteMultipartUpload(m.r.ctx, &s3.CompleteMultipartUploadInput{Bucket: &m.b, Key: &m.k, UploadId: id, IfMatch: ifMatch,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: &part}}}})
		m.r.rec(key, out, err)
		return out
	}
	cases = append(cases,
		recordedCase{wp + "test_multipart_if_match_etag", func(r *recordedRun) {
			m := mpu{r, r.bucket(), "test-precondition"}
			put := putTest(m, "put-obj")
			id, part := start(m, "create-multipart")
			done := completeIf(m, "complete-multipart-if-match", id, part, put.ETag)
			id, part = start(m, "create-multipart-overwrite")
			completeIf(m, "complete-multipart-if-match-true-etag", id, part, put.ETag)
			if done != nil {
				completeIf(m, "complete-multipart-if-match-overwrite-multipart", id, part, done.ETag)
			}
		}},
		recordedCase{wp + "test_multipart_if_match_with_delete", func(r *recordedRun) {
			m := mpu{r, r.bucket(), "test-precondition"}
			put := putTest(m, "put-obj")
			id, part := start(m, "create-multipart")
			d, err := r.c.DeleteObject(r.ctx, &s3.DeleteObjectInput{Bucket: &m.b, Key: &m.k})
			r.rec("del-obj", d, err)
			completeIf(m, "complete-multipart-after-del", id, part, put.ETag)
			putTest(m, "put-obj-2")
			completeIf(m, "complete-multipart-if-match-after-put", id, part, put.ETag)
		}},
		recordedCase{wp + "test_multipart_if_match_with_put_identical", func(r *recordedRun) {
			m := mpu{r, r.bucket(), "test-precondition"}
			put := putTest(m, "put-obj")
			id, part := start(m, "create-multipart")
			putTest(m, "put-obj-during")
			completeIf(m, "complete-multipart-if-match-put-during", id, part, put.ETag)
			id, part = start(m, "create-multipart-again")
			completeIf(m, "complete-multipart-if-match-put-before-restart", id, part, put.ETag)
		}},
	)
	// x-amz-copy-source-If-(Un)Modified-Since from a versioned source.
	const cs = "test_s3_preconditions.py::TestS3CopySourcePreconditions::"
	for _, modified := range []bool{true, false} {
		test, okKey, failKey := "test_s3_copy_object_if_source_unmodified_since_versioned", "copy-if-unmodified-since", "copy-past-if-unmodified-since"
		if modified {
			test, okKey, failKey = "test_s3_copy_object_if_source_modified_since_versioned", "copy-if-modified-since", "copy-if-modified-since-last-modified"
		}
		cases = append(cases, recordedCase{cs + test, func(r *recordedRun) {
			b, k := r.bucket(), aws.String("source-key")
			setVersioning(r.t, r.c, b, "Enabled")
			if _, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: k, Body: strings.NewReader("data")}); err != nil {
				r.t.Fatal(err)
			}
			h, err := r.c.HeadObject(r.ctx, &s3.HeadObjectInput{Bucket: &b, Key: k})
			r.rec("head-object", h, err)
			if err != nil {
				return
			}
			lm := aws.ToTime(h.LastModified)
			cp := func(key string, set func(in *s3.CopyObjectInput)) {
				in := &s3.CopyObjectInput{Bucket: &b, Key: aws.String("dest-key"), CopySource: aws.String(b + "/" + *k)}
				set(in)
				out, err := r.c.CopyObject(r.ctx, in)
				r.rec(key, out, err)
			}
			if modified {
				cp(okKey, func(in *s3.CopyObjectInput) { in.CopySourceIfModifiedSince = aws.Time(lm.Add(-time.Hour)) })
				cp(failKey, func(in *s3.CopyObjectInput) { in.CopySourceIfModifiedSince = &lm })
			} else {
				cp(okKey, func(in *s3.CopyObjectInput) { in.CopySourceIfUnmodifiedSince = &lm })
				cp(failKey, func(in *s3.CopyObjectInput) { in.CopySourceIfUnmodifiedSince = aws.Time(lm.Add(-time.Hour)) })
			}
		}})
	}
	// GET and HEAD preconditions (a HEAD's errors have no document: boto3
	// shows their status line).
	for _, op := range []string{"get_object", "head_object"} {
		cases = append(cases, recordedCase{t3 + "test_s3_get_object_preconditions[" + op + "]", func(r *recordedRun) {
			b, k := r.bucket(), aws.String("test-object")
			put, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: k, Body: strings.NewReader("data")})
			if err != nil {
				r.t.Fatal(err)
			}
			h, err := r.c.HeadObject(r.ctx, &s3.HeadObjectInput{Bucket: &b, Key: k})
			if err != nil {
				r.t.Fatal(err)
			}
			lm := aws.ToTime(h.LastModified)
			get := func(key string, in s3.GetObjectInput) {
				if op == "get_object" {
					in.Bucket, in.Key = &b, k
					out, err := r.c.GetObject(r.ctx, &in)
					r.rec(key, out, err)
					return
				}
				out, err := r.c.HeadObject(r.ctx, &s3.HeadObjectInput{Bucket: &b, Key: k, IfMatch: in.IfMatch, IfNoneMatch: in.IfNoneMatch,
					IfModifiedSince: in.IfModifiedSince, IfUnmodifiedSince: in.IfUnmodifiedSince})
				r.rec(key, out, err)
			}
			get("precondition-if-match", s3.GetObjectInput{IfMatch: aws.String(`"abcdef"`)})
			get("precondition-if-unmodified-since", s3.GetObjectInput{IfUnmodifiedSince: aws.Time(lm.Add(-24 * time.Hour))})
			get("precondition-if-none-match", s3.GetObjectInput{IfNoneMatch: put.ETag})
			get("copy-precondition-if-modified-since", s3.GetObjectInput{IfModifiedSince: &lm})
			get("obj-ignore-future-modified-since", s3.GetObjectInput{IfModifiedSince: aws.Time(time.Now().Add(24 * time.Hour))})
			get("etag-missing-quotes", s3.GetObjectInput{IfNoneMatch: aws.String(strings.Trim(aws.ToString(put.ETag), `"`))})
			get("precondition-if-unmodified-since-is-object", s3.GetObjectInput{IfUnmodifiedSince: &lm})
			get("precondition-if-modified-since-is-object", s3.GetObjectInput{IfModifiedSince: &lm})
			get("obj-success", s3.GetObjectInput{})
		}})
	}
	const tg = "test_s3_api.py::TestS3BucketObjectTagging::"
	cases = append(cases,
		recordedCase{t3 + "test_bucket_availability", func(r *recordedRun) {
			b := aws.String("rec-not-a-bucket")
			l, err := r.c.GetBucketLifecycleConfiguration(r.ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
			r.rec("bucket-lifecycle", l, err)
			g, err := r.c.GetBucketReplication(r.ctx, &s3.GetBucketReplicationInput{Bucket: b})
			r.rec("bucket-replication", g, err)
		}},
		recordedCase{tg + "test_put_object_tagging_none_value", func(r *recordedRun) {
			b, k := r.bucket(), aws.String("test-key")
			if _, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: k, Body: strings.NewReader("data")}); err != nil {
				r.t.Fatal(err)
			}
			p, err := r.c.PutObjectTagging(r.ctx, &s3.PutObjectTaggingInput{Bucket: &b, Key: k, Tagging: &types.Tagging{TagSet: []types.Tag{}}})
			r.rec("put-none-tag-set", p, err)
			g, err := r.c.GetObjectTagging(r.ctx, &s3.GetObjectTaggingInput{Bucket: &b, Key: k})
			r.rec("get-object-tags-none", g, err)
		}},
		recordedCase{tg + "test_object_tags_delete_or_overwrite_object", func(r *recordedRun) {
			b, k := r.bucket(), aws.String("test-key")
			tags := func(key string) {
				g, err := r.c.GetObjectTagging(r.ctx, &s3.GetObjectTaggingInput{Bucket: &b, Key: k})
				r.rec(key, g, err)
			}
			put := func(tagging *string) {
				if _, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: k, Body: strings.NewReader("data"), Tagging: tagging}); err != nil {
					r.t.Fatal(err)
				}
			}
			put(aws.String("tag1=val1"))
			tags("get-object-after-creation")
			put(nil) // an overwrite without tags leaves none
			tags("get-object-after-overwrite")
			if _, err := r.c.DeleteObject(r.ctx, &s3.DeleteObjectInput{Bucket: &b, Key: k}); err != nil {
				r.t.Fatal(err)
			}
			put(nil)
			tags("get-object-after-recreation")
		}},
	)
	// x-amz-expected-bucket-owner on the bucket policy operations.
	own, other := aws.String("000000000000"), aws.String("000000000002")
	policyOf := func(b string) *string {
		return aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + b + `/*"}]}`)
	}
	getPolicy := func(r *recordedRun, key, b string, owner *string) {
		g, err := r.c.GetBucketPolicy(r.ctx, &s3.GetBucketPolicyInput{Bucket: &b, ExpectedBucketOwner: owner})
		if err != nil {
			r.rec(key, g, err)
			return
		}
		var doc any // boto3's snapshot shows the policy parsed
		_ = jsonUnmarshal(aws.ToString(g.Policy), &doc)
		r.got[key] = map[string]any{"Policy": doc, "ResponseMetadata": map[string]any{"HTTPStatusCode": float64(200)}}
	}
	cases = append(cases,
		recordedCase{t3 + "test_get_bucket_policy", func(r *recordedRun) {
			b := r.bucket()
			getPolicy(r, "get-bucket-policy-no-such-bucket-policy", b, nil)
			if _, err := r.c.PutBucketPolicy(r.ctx, &s3.PutBucketPolicyInput{Bucket: &b, Policy: policyOf(b)}); err != nil {
				r.t.Fatal(err)
			}
			getPolicy(r, "get-bucket-policy", b, nil)
			getPolicy(r, "get-bucket-policy-with-expected-bucket-owner", b, own)
			getPolicy(r, "get-bucket-policy-with-expected-bucket-owner-error", b, other)
		}},
		recordedCase{t3 + "test_put_bucket_policy_expected_bucket_owner", func(r *recordedRun) {
			b := r.bucket()
			p, err := r.c.PutBucketPolicy(r.ctx, &s3.PutBucketPolicyInput{Bucket: &b, Policy: policyOf(b), ExpectedBucketOwner: other})
			r.rec("put-bucket-policy-with-expected-bucket-owner-error", p, err)
			p, err = r.c.PutBucketPolicy(r.ctx, &s3.PutBucketPolicyInput{Bucket: &b, Policy: policyOf(b), ExpectedBucketOwner: own})
			r.rec("put-bucket-policy-with-expected-bucket-owner", p, err)
		}},
		recordedCase{t3 + "test_delete_bucket_policy_expected_bucket_owner", func(r *recordedRun) {
			b := r.bucket()
			if _, err := r.c.PutBucketPolicy(r.ctx, &s3.PutBucketPolicyInput{Bucket: &b, Policy: policyOf(b)}); err != nil {
				r.t.Fatal(err)
			}
			d, err := r.c.DeleteBucketPolicy(r.ctx, &s3.DeleteBucketPolicyInput{Bucket: &b, ExpectedBucketOwner: other})
			r.rec("delete-bucket-policy-with-expected-bucket-owner-error", d, err)
			d, err = r.c.DeleteBucketPolicy(r.ctx, &s3.DeleteBucketPolicyInput{Bucket: &b, ExpectedBucketOwner: aws.String("invalid")})
			r.rec("delete-bucket-policy-invalid-bucket-owner", d, err)
			d, err = r.c.DeleteBucketPolicy(r.ctx, &s3.DeleteBucketPolicyInput{Bucket: &b, ExpectedBucketOwner: own})
			r.rec("delete-bucket-policy-with-expected-bucket-owner", d, err)
		}},
	)
	for _, id := range []string{"0000", "0000000000020", "abcd", "aa000000000$"} {
		cases = append(cases,
			recordedCase{t3 + "test_get_bucket_policy_invalid_account_id[" + id + "]", func(r *recordedRun) {
				b := r.bucket()
				getPolicy(r, "get-bucket-policy-invalid-bucket-owner", b, aws.String(id))
			}},
			recordedCase{t3 + "test_put_bucket_policy_invalid_account_id[" + id + "]", func(r *recordedRun) {
				b := r.bucket()
				p, err := r.c.PutBucketPolicy(r.ctx, &s3.PutBucketPolicyInput{Bucket: &b, Policy: policyOf(b), ExpectedBucketOwner: aws.String(id)})
				r.rec("put-bucket-policy-invalid-bucket-owner", p, err)
			}})
	}
	// Conditional deletes of a general purpose bucket's object.
	const dp = "test_s3_api.py::TestS3DeletePrecondition::"
	for _, d := range []struct {
		test, key string
		set       func(in *s3.DeleteObjectInput)
	}{
		{"test_delete_object_if_match_non_express", "delete-obj-if-match",
			func(in *s3.DeleteObjectInput) { in.IfMatch = aws.String(`"abcdef"`) }},
		{"test_delete_object_if_match_modified_non_express", "delete-obj-if-match-last-modified",
			func(in *s3.DeleteObjectInput) { in.IfMatchLastModifiedTime = aws.Time(time.Now()) }},
		{"test_delete_object_if_match_size_non_express", "delete-obj-if-match-size",
			func(in *s3.DeleteObjectInput) { in.IfMatchSize = aws.Int64(10) }},
		{"test_delete_object_if_match_all_non_express", "delete-obj-if-match-all",
			func(in *s3.DeleteObjectInput) {
				in.IfMatch, in.IfMatchLastModifiedTime, in.IfMatchSize = aws.String(`"abcdef"`), aws.Time(time.Now()), aws.Int64(10)
			}},
	} {
		cases = append(cases, recordedCase{dp + d.test, func(r *recordedRun) {
			b, k := r.bucket(), aws.String("test-delete-precondition")
			if _, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: k, Body: strings.NewReader("test-data")}); err != nil {
				r.t.Fatal(err)
			}
			in := &s3.DeleteObjectInput{Bucket: &b, Key: k}
			d.set(in)
			out, err := r.c.DeleteObject(r.ctx, in)
			r.rec(d.key, out, err)
		}})
	}
	for _, lc := range []struct{ region, constraint, key string }{
		{"us-east-1", "foo", "us-east-1-location-constraint-foo-error"},
		{"us-east-1", "us-east-1", "us-east-1-location-constraint-us-east-1-error"},
		{"eu-west-1", "bar", "eu-west-1-location-constraint-bar-error"},
	} {
		cases = append(cases, recordedCase{t3 + "test_create_bucket_with_invalid_location_constraint[" + lc.region + "-" + lc.constraint + "]", func(r *recordedRun) {
			create(r, lc.key, lc.region, "rec-location", lc.constraint)
		}})
	}
	for _, region := range []string{"us-east-1", "us-west-1"} {
		cases = append(cases, recordedCase{t3 + "test_bucket_constraint_aws_global[" + region + "]", func(r *recordedRun) {
			create(r, "aws-global-constraint", region, "rec-global", "aws-global")
		}})
	}
	// UploadPartCopy whose x-amz-copy-source-If-* condition fails: 412
	// naming the header.
	past := time.Now().Add(-time.Hour)
	for _, pc := range []struct {
		test, key string
		set       func(in *s3.UploadPartCopyInput, etag string, lastModified time.Time)
	}{
		{"test_upload_part_copy_with_copy_source_if_match_failed", "upload-part-copy-source-if-match",
			func(in *s3.UploadPartCopyInput, _ string, _ time.Time) {
				in.CopySourceIfMatch = aws.String(`"00000000000000000000000000000000"`)
			}},
		{"test_upload_part_copy_with_copy_source_if_none_match_failed", "upload-part-copy-source-if-none-match",
			func(in *s3.UploadPartCopyInput, etag string, _ time.Time) { in.CopySourceIfNoneMatch = &etag }},
		{"test_upload_part_copy_with_if_modified_since_failed", "upload-part-copy-source-modified-since-match",
			func(in *s3.UploadPartCopyInput, _ string, lm time.Time) { in.CopySourceIfModifiedSince = &lm }},
		{"test_upload_part_copy_with_copy_source_if_unmodified_since_match_failed", "upload-part-copy-source-unmodified-since-match",
			func(in *s3.UploadPartCopyInput, _ string, _ time.Time) { in.CopySourceIfUnmodifiedSince = &past }},
		{"test_upload_part_copy_with_copy_source_if_none_match_and_if_unmodified_since_match_failed", "upload-part-copy-source-unmodified-since-and-if-none-match",
			func(in *s3.UploadPartCopyInput, etag string, _ time.Time) {
				in.CopySourceIfNoneMatch, in.CopySourceIfUnmodifiedSince = &etag, &past
			}},
	} {
		cases = append(cases, recordedCase{mp + pc.test, func(r *recordedRun) {
			b := r.bucket()
			src, dst := "source-key", "dest-key"
			p, err := r.c.PutObject(r.ctx, &s3.PutObjectInput{Bucket: &b, Key: &src, Body: strings.NewReader("source data")})
			if err != nil {
				r.t.Fatal(err)
			}
			m, err := r.c.CreateMultipartUpload(r.ctx, &s3.CreateMultipartUploadInput{Bucket: &b, Key: &dst})
			if err != nil {
				r.t.Fatal(err)
			}
			in := &s3.UploadPartCopyInput{Bucket: &b, Key: &dst, UploadId: m.UploadId, PartNumber: aws.Int32(1), CopySource: aws.String(b + "/" + src)}
			h, err := r.c.HeadObject(r.ctx, &s3.HeadObjectInput{Bucket: &b, Key: &src})
			if err != nil {
				r.t.Fatal(err)
			}
			pc.set(in, aws.ToString(p.ETag), aws.ToTime(h.LastModified))
			out, err := r.c.UploadPartCopy(r.ctx, in)
			r.rec(pc.key, out, err)
		}})
	}
	return cases
}
