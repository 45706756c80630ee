package logs_test

// The CloudWatch Logs entries recorded from real AWS in LocalStack's parity
// tests (shared/conformance/aws-recorded/logs), replayed through
// aws-sdk-go-v2 against an in-process Fogbank. Each case names its snapshot
// entry and runs the scenario the LocalStack test ran (reconstructed from
// the recorded keys); the outputs, turned into boto3's view (wire member
// names, no nulls), must equal the recording. Placeholders such as
// <log-group-name:1> or "timestamp" match any value, and the recorded account
// 111111111111 matches any account.
//
// Entries without a case, or whose case does not pass, are listed with a
// reason in testdata/recorded-skips.json; none is dropped. Run with
// -recorded.all to also run the skipped cases.

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/fogbank/fogbank/internal/sharedfiles"
)

var recordedAll = flag.Bool("recorded.all", false, "also run the recorded Logs cases listed in testdata/recorded-skips.json")

// rec is one scenario's recorder: got collects each recorded key's value.
type rec struct {
	*env
	got map[string]any
}

// out records an SDK output (or error) under key, as boto3 would see it.
func (r *rec) out(key string, v any, err error) {
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			r.got[key] = map[string]any{"Error": map[string]any{"Code": ae.ErrorCode(), "Message": ae.ErrorMessage()}}
			return
		}
		r.t.Fatalf("%s: %v", key, err)
	}
	b, _ := json.Marshal(v)
	var m any
	_ = json.Unmarshal(b, &m)
	r.got[key] = wireView(m)
}

// wireView lower-cases the first letter of SDK field names, drops nulls and
// the SDK's ResultMetadata.
func wireView(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e == nil || k == "ResultMetadata" {
				continue
			}
			if k != "" && unicode.IsUpper(rune(k[0])) {
				k = strings.ToLower(k[:1]) + k[1:]
			}
			out[k] = wireView(e)
		}
		return out
	case []any:
		for i := range x {
			x[i] = wireView(x[i])
		}
	}
	return v
}

func (r *rec) create(name string, tags map[string]string) {
	r.must(r.c.CreateLogGroup(r.ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String(name), Tags: tags}))
}

func (r *rec) arn(name string) string {
	out, err := r.c.DescribeLogGroups(r.ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name)})
	if err != nil || len(out.LogGroups) == 0 {
		r.t.Fatalf("arn of %s: %v", name, err)
	}
	return *out.LogGroups[0].LogGroupArn
}

var recordedCases = map[string]func(r *rec){
	"test_logs_groups.py::TestLogsGroups::test_create_log_group_with_kms_key": func(r *rec) {
		r.must(r.c.CreateLogGroup(r.ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("kms-group"), KmsKeyId: aws.String("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab")}))
		o, err := r.c.DescribeLogGroups(r.ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("kms-group")})
		r.out("describe-log-groups-with-kms", o, err)
	},
	"test_logs_groups.py::TestLogsGroups::test_create_log_group_duplicate_error": func(r *rec) {
		r.create("dup", nil)
		_, err := r.c.CreateLogGroup(r.ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("dup")})
		r.out("error-duplicate-log-group", nil, err)
	},
	"test_logs_groups.py::TestLogsGroups::test_create_log_group_invalid_name_length": func(r *rec) {
		_, err := r.c.CreateLogGroup(r.ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String(strings.Repeat("a", 513))})
		r.out("error-invalid-name-length", nil, err)
	},
	"test_logs_groups.py::TestLogsGroups::test_describe_log_groups_with_prefix": func(r *rec) {
		for i := range 3 {
			r.create(fmt.Sprintf("prefix-test-%d", i), nil)
		}
		r.create("other", nil)
		o, err := r.c.DescribeLogGroups(r.ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("prefix-test-")})
		r.out("describe-log-groups-prefix", o, err)
	},
	"test_logs_groups.py::TestLogsGroups::test_describe_log_groups_prefix_and_pattern_error": func(r *rec) {
		_, err := r.c.DescribeLogGroups(r.ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("a"), LogGroupNamePattern: aws.String("b")})
		r.out("error-prefix-and-pattern", nil, err)
	},
	"test_logs_groups.py::TestLogsGroupsTags::test_create_log_group_with_tags": func(r *rec) {
		r.create("tagged", map[string]string{"env": "testing"})
		o, err := r.c.ListTagsLogGroup(r.ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("tagged")})
		r.out("list-tags-after-create", o, err)
	},
	"test_logs_groups.py::TestLogsGroupsTags::test_tag_log_group": func(r *rec) {
		r.create("g", nil)
		r.must(r.c.TagLogGroup(r.ctx, &cwl.TagLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"tag_key_1": "tag_value_1"}}))
		o, err := r.c.ListTagsLogGroup(r.ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("g")})
		r.out("list-tags-after-tag", o, err)
	},
	"test_logs_groups.py::TestLogsGroupsTags::test_untag_log_group": func(r *rec) {
		r.create("g", map[string]string{"tag_key_1": "tag_value_1", "tag_key_2": "tag_value_2"})
		r.must(r.c.UntagLogGroup(r.ctx, &cwl.UntagLogGroupInput{LogGroupName: aws.String("g"), Tags: []string{"tag_key_1"}}))
		o, err := r.c.ListTagsLogGroup(r.ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("g")})
		r.out("list-tags-after-untag", o, err)
	},
	"test_logs_groups.py::TestLogsGroupsTags::test_tag_resource_api": func(r *rec) {
		r.create("g", map[string]string{"env": "testing1"})
		arn := r.arn("g")
		both := func(suffix string) {
			o, err := r.c.ListTagsLogGroup(r.ctx, &cwl.ListTagsLogGroupInput{LogGroupName: aws.String("g")})
			r.out("list-tags-log-group-"+suffix, o, err)
			o2, err := r.c.ListTagsForResource(r.ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			r.out("list-tags-for-resource-"+suffix, o2, err)
		}
		o, err := r.c.ListTagsForResource(r.ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		r.out("list-tags-after-create", o, err)
		r.must(r.c.TagResource(r.ctx, &cwl.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"test1": "val1", "test2": "val2"}}))
		both("after-tag-resource")
		r.must(r.c.TagLogGroup(r.ctx, &cwl.TagLogGroupInput{LogGroupName: aws.String("g"), Tags: map[string]string{"test3": "val3"}}))
		both("after-tag-log-group")
		r.must(r.c.UntagResource(r.ctx, &cwl.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"env", "test1", "test3"}}))
		both("after-untag")
	},
	"test_logs_streams.py::TestLogsStreams::test_create_and_delete_log_stream": func(r *rec) {
		r.group("g", "s")
		o, err := r.c.DescribeLogStreams(r.ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
		r.out("describe-log-streams-after-create", o, err)
		r.must(r.c.DeleteLogStream(r.ctx, &cwl.DeleteLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")}))
	},
	"test_logs_streams.py::TestLogsStreams::test_create_log_stream_duplicate_error": func(r *rec) {
		r.group("g", "s")
		_, err := r.c.CreateLogStream(r.ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
		r.out("error-duplicate-log-stream", nil, err)
	},
	"test_logs_streams.py::TestLogsStreams::test_describe_log_streams_with_log_group_identifier": func(r *rec) {
		r.group("g", "s")
		o, err := r.c.DescribeLogStreams(r.ctx, &cwl.DescribeLogStreamsInput{LogGroupIdentifier: aws.String("g")})
		r.out("describe-streams-identifier-name", o, err)
		o, err = r.c.DescribeLogStreams(r.ctx, &cwl.DescribeLogStreamsInput{LogGroupIdentifier: aws.String(r.arn("g"))})
		r.out("describe-streams-identifier-arn", o, err)
		_, err = r.c.DescribeLogStreams(r.ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogGroupIdentifier: aws.String("g")})
		r.out("error-both-name-and-identifier", nil, err)
	},
	"test_logs_streams.py::TestLogsStreams::test_describe_log_streams_with_prefix": func(r *rec) {
		r.group("g", "prefix-1", "prefix-2", "prefix-3", "other")
		o, err := r.c.DescribeLogStreams(r.ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogStreamNamePrefix: aws.String("prefix-")})
		r.out("describe-streams-with-prefix", o, err)
	},
	"test_logs_streams.py::TestLogsStreams::test_log_stream_arn_format": func(r *rec) {
		r.group("g", "s")
		o, err := r.c.DescribeLogStreams(r.ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
		r.out("describe-log-streams-with-arn", o, err)
	},
	"test_logs_events.py::TestLogsEvents::test_put_log_events_to_invalid_stream": func(r *rec) {
		r.group("g")
		_, err := r.c.PutLogEvents(r.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("nope"),
			LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("m")}}})
		r.out("error-invalid-stream", nil, err)
	},
	"test_logs_events.py::TestLogsEvents::test_put_log_events_wrong_order": func(r *rec) {
		r.group("g", "s")
		now := time.Now().UnixMilli()
		_, err := r.c.PutLogEvents(r.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
			LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(now), Message: aws.String("b")}, {Timestamp: aws.Int64(now - 1000), Message: aws.String("a")}}})
		r.out("error-wrong-order", nil, err)
	},
	"test_logs_events.py::TestLogsEvents::test_put_log_events_too_old": func(r *rec) {
		r.group("g", "s")
		old := time.Now().Add(-15 * 24 * time.Hour).UnixMilli()
		o, err := r.c.PutLogEvents(r.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
			LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(old), Message: aws.String("old")}}})
		r.out("response-too-old", o, err)
	},
	"test_logs_events.py::TestLogsEvents::test_put_log_events_too_new": func(r *rec) {
		r.group("g", "s")
		future := time.Now().Add(3 * time.Hour).UnixMilli()
		o, err := r.c.PutLogEvents(r.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
			LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(future), Message: aws.String("new")}}})
		r.out("response-too-new", o, err)
	},
	"test_logs_events.py::TestLogsEvents::test_get_log_events_invalid_token": func(r *rec) {
		r.group("g", "s")
		_, err := r.c.GetLogEvents(r.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: aws.String("invalid-token")})
		r.out("error-invalid-token", nil, err)
	},
	"test_logs_events.py::TestLogsEvents::test_get_log_events_limit_validation": func(r *rec) {
		r.group("g", "s")
		_, err := r.c.GetLogEvents(r.ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int32(10001)})
		r.out("error-limit-exceeded", nil, err)
	},
	"test_logs_events.py::TestLogsEventsErrors::test_resource_does_not_exist": func(r *rec) {
		ev := []types.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("m")}}
		_, err := r.c.PutLogEvents(r.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("nope"), LogStreamName: aws.String("s"), LogEvents: ev})
		r.out("error-log-group-does-not-exist", nil, err)
		r.group("g")
		_, err = r.c.PutLogEvents(r.ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: ev})
		r.out("error-log-stream-does-not-exist", nil, err)
	},
	"test_logs_filter_events.py::TestFilterLogEvents::test_filter_log_events_limit_validation": func(r *rec) {
		r.group("g", "s")
		_, err := r.c.FilterLogEvents(r.ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(10001)})
		r.out("error-limit-exceeded", nil, err)
	},
	"test_logs_filter_events.py::TestFilterLogEvents::test_filter_log_events_unknown_token": func(r *rec) {
		r.group("g", "s")
		_, err := r.c.FilterLogEvents(r.ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), NextToken: aws.String("unknown")})
		r.out("invalid-token", nil, err)
	},
}

func TestRecorded(t *testing.T) {
	want := sharedfiles.Recorded(t, "logs")
	skips := sharedfiles.Skips(t, filepath.Join("testdata", "recorded-skips.json"))
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		run, hasCase := recordedCases[id]
		reason, skipped := skips[id]
		switch {
		case !hasCase && !skipped:
			t.Errorf("%s: no case and no skip reason", id)
			continue
		case hasCase && skipped && !*recordedAll:
			continue
		case !hasCase:
			continue
		}
		t.Run(id, func(t *testing.T) {
			r := &rec{env: newEnv(t), got: map[string]any{}}
			run(r)
			for key, w := range want[id] {
				if diff := match(w, r.got[key], key); diff != "" {
					if skipped {
						t.Skipf("still failing (%s): %s", reason, diff)
					}
					t.Errorf("%s", diff)
				}
			}
			if skipped {
				t.Logf("passes now; remove it from the skip file (%s)", reason)
			}
		})
	}
	for id := range skips {
		if _, ok := want[id]; !ok {
			t.Errorf("skip file names %s, which is not recorded", id)
		}
	}
}

var placeholderRE = regexp.MustCompile(`<[^>]+>`)

// match compares a recorded value with ours and describes the first
// difference ("" when they match).
func match(want, got any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: want an object, got %v", path, got)
		}
		for k, wv := range w {
			if k == "ResponseMetadata" {
				continue
			}
			if _, ok := g[k]; !ok {
				return fmt.Sprintf("%s.%s: missing (want %v)", path, k, wv)
			}
			if d := match(wv, g[k], path+"."+k); d != "" {
				return d
			}
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				return fmt.Sprintf("%s.%s: not recorded (got %v)", path, k, g[k])
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %d elements, got %v", path, len(w), got)
		}
		for i := range w {
			if d := match(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case string:
		if _, isNum := got.(float64); isNum {
			return "" // the recorder replaced a number with a label
		}
		g, ok := got.(string)
		if !ok {
			return fmt.Sprintf("%s: want %q, got %v", path, w, got)
		}
		pat := regexp.QuoteMeta(strings.ReplaceAll(w, "111111111111", "\x00"))
		pat = strings.ReplaceAll(pat, "\x00", `\d{12}`)
		pat = placeholderRE.ReplaceAllStringFunc(pat, func(string) string { return `.+?` })
		if w == "timestamp" || regexp.MustCompile("^"+pat+"$").MatchString(g) {
			return ""
		}
		return fmt.Sprintf("%s: want %q, got %q", path, w, g)
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) {
			return fmt.Sprintf("%s: want %v, got %v", path, want, got)
		}
		return ""
	}
}
