package sts

import (
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	stsapi "github.com/fogbank/fogbank/internal/api/sts"
)

func TestParseARN(t *testing.T) {
	tests := []struct {
		arn  string
		ok   bool
		want arnParts
	}{
		{"arn:aws:iam::123456789012:role/x", true, arnParts{"aws", "iam", "", "123456789012", "role/x"}},
		{"arn:aws:iam::123456789012:role/a:b", true, arnParts{"aws", "iam", "", "123456789012", "role/a:b"}},
		// Recorded as invalid by AWS.
		{"nothing-valid-in-here", false, arnParts{}},
		{"arn::b:::something/test-role", false, arnParts{}},
		{"arn:a::::something/test-role", false, arnParts{}},
		{"arn:a:::something/test-role", false, arnParts{}},
		{"arn:a:a::aaaaaaaaaa:", false, arnParts{}},
	}
	for _, tc := range tests {
		got, ok := parseARN(tc.arn)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseARN(%q) = %+v, %v", tc.arn, got, ok)
		}
	}
}

func TestCheckName(t *testing.T) {
	tests := []struct {
		v    string
		want string // substring of the error, "" for valid
	}{
		{"ok-name_1+=,.@", ""},
		{"a", "length greater than or equal to 2"},
		{strings.Repeat("a", 65), "length less than or equal to 64"},
		{"Session1:2", `regular expression pattern: [\w+=,.@-]*`},
		{"spa ce", "regular expression"},
	}
	for _, tc := range tests {
		err := checkName(tc.v, "roleSessionName", 2, 64)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("checkName(%q) = %v, want %q", tc.v, err, tc.want)
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		in   *int32
		want int32
		err  string
	}{
		{nil, 3600, ""},
		{api.Int32(900), 900, ""},
		{api.Int32(43200), 43200, ""},
		{api.Int32(899), 0, "greater than or equal to 900"},
		{api.Int32(43201), 0, "less than or equal to 43200"},
	}
	for _, tc := range tests {
		got, err := duration(tc.in, 900, 43200, 3600)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("duration(%v) = %d, %v", api.ToInt32(tc.in), got, err)
		}
	}
}

func TestCheckTags(t *testing.T) {
	tag := func(k string) *stsapi.Tag { return &stsapi.Tag{Key: api.String(k), Value: api.String("v")} }
	tests := []struct {
		tags       []*stsapi.Tag
		transitive []string
		want       string
	}{
		{[]*stsapi.Tag{tag("a"), tag("b")}, []string{"A"}, ""},
		{[]*stsapi.Tag{tag("Team"), tag("team")}, nil, "Duplicate tag keys found"},
		{[]*stsapi.Tag{tag("a")}, []string{"b"}, "transitive tag key must be included"},
	}
	for _, tc := range tests {
		err := checkTags(tc.tags, tc.transitive)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("checkTags = %v, want %q", err, tc.want)
		}
	}
}
