package eventpattern

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

var dialects = map[string]Dialect{"SNSAttributes": SNSAttributes, "SNSBody": SNSBody, "EventBridge": EventBridge}

func readCases[T any](t testing.TB, name string) []T {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var cs []T
	if err := json.Unmarshal(b, &cs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cs
}

// compileCase is one entry of testdata/sns_errors_recorded.json. Snapshot is
// the test and key in aws-recorded/sns/test_sns_filter_policy.snapshot.json;
// an empty Reason means AWS accepted the pattern.
type compileCase struct {
	Snapshot   string
	Dialect    string
	Pattern    string
	Reason     string
	Column     int
	Unprefixed bool
	Note       string
}

func TestCompileSNSRecorded(t *testing.T) {
	for _, tc := range readCases[compileCase](t, "sns_errors_recorded.json") {
		t.Run(tc.Snapshot, func(t *testing.T) {
			_, err := Compile([]byte(tc.Pattern), dialects[tc.Dialect])
			if tc.Reason == "" {
				if err != nil {
					t.Fatalf("Compile(%s) = %v, want accepted", tc.Pattern, err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Compile(%s) = %v, want *Error %q", tc.Pattern, err, tc.Reason)
			}
			if e.Reason != tc.Reason || e.Unprefixed != tc.Unprefixed {
				t.Fatalf("Compile(%s) reason %q (unprefixed %v), want %q (%v)", tc.Pattern, e.Reason, e.Unprefixed, tc.Reason, tc.Unprefixed)
			}
			if tc.Column != 0 && e.Column != tc.Column {
				t.Fatalf("Compile(%s) column %d, AWS %d", tc.Pattern, e.Column, tc.Column)
			}
		})
	}
}

// TestCompileEventBridge covers EventBridge validation. No
// InvalidEventPatternException is recorded in aws-recorded/events, so the
// reasons are Ruler's (the library behind both services) and the dialect
// differences documented by AWS.
func TestCompileEventBridge(t *testing.T) {
	for _, tc := range []struct{ pattern, reason string }{
		{`{"a":[{"wildcard":"x*y"}]}`, ""},
		{`{"a":[{"anything-but":{"suffix":"x"}}]}`, ""},
		{`{"a":[{"anything-but":{"wildcard":"x*"}}]}`, ""},
		{`{"a":[{"prefix":{"equals-ignore-case":"x"}}]}`, ""},
		{`{"a":[{"anything-but":{"equals-ignore-case":["x","Y"]}}]}`, ""},
		{`{"a":["x"],"b":["x"],"c":["x"],"d":["x"],"e":["x"],"f":["x"]}`, ""}, // no 5-key limit
		{`{"a":{"b":{"c":["x"]}}}`, ""},
		{`{"a":[{"wildcard":"x**y"}]}`, "Consecutive wildcard characters at pos 2"},
		{`{"a":[{"numeric":[">",6e9]}]}`, "Value must be between -5.0E9 and 5.0E9, inclusive"},
		{`{"a":[{"anything-but":{"exists":true}}]}`, "Unsupported anything-but pattern: exists"},
		{`{"a":[{"anything-but":[true]}]}`, "Inside anything but list, start|null|boolean is not supported."},
		{`{"a":[{"anything-but":null}]}`, "Value of anything-but must be an array or single string/number value."},
		{`{"a":[{"prefix":{"nope":"x"}}]}`, "Unsupported prefix pattern: nope"},
		{`{"a":[{"equals-ignore-case":5}]}`, "equals-ignore-case match pattern must be a string"},
		{`{"a":[{"cidr":"10.0.0.0/33"}]}`, "Malformed CIDR, mask bits must be between 0 and 32"},
		{`{"$or":[{"a":["x"]}]}`, "Or relationship must contain at least 2 sub-patterns"},
		{`{"a":[{}]}`, "Empty objects are not allowed"},
		{`[]`, "Filter is not an object"},
		{`{`, "Filter policy is not valid JSON"},
	} {
		_, err := Compile([]byte(tc.pattern), EventBridge)
		switch {
		case tc.reason == "" && err != nil:
			t.Errorf("Compile(%s) = %v, want accepted", tc.pattern, err)
		case tc.reason != "" && (err == nil || err.(*Error).Reason != tc.reason):
			t.Errorf("Compile(%s) = %v, want %q", tc.pattern, err, tc.reason)
		}
	}
	// The same operators are refused by SNS.
	for _, p := range []string{`{"a":[{"wildcard":"x*"}]}`, `{"a":[{"anything-but":{"suffix":"x"}}]}`} {
		if _, err := Compile([]byte(p), SNSBody); err == nil {
			t.Errorf("SNS accepted %s", p)
		}
	}
}

type matchCase struct {
	Name       string
	Dialect    string
	Pattern    string
	Event      *string
	Attributes []Attribute
	Match      bool
	Source     string
}

func TestMatch(t *testing.T) {
	for _, tc := range readCases[matchCase](t, "match.json") {
		t.Run(tc.Dialect+"/"+tc.Name, func(t *testing.T) {
			p, err := Compile([]byte(tc.Pattern), dialects[tc.Dialect])
			if err != nil {
				t.Fatalf("Compile(%s): %v", tc.Pattern, err)
			}
			var got bool
			if tc.Event != nil {
				got = p.Match([]byte(*tc.Event))
			} else {
				got = p.MatchAttributes(tc.Attributes)
			}
			if got != tc.Match {
				t.Fatalf("pattern %s event %v %v: got %v, want %v (%s)", tc.Pattern, str(tc.Event), tc.Attributes, got, tc.Match, tc.Source)
			}
		})
	}
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestConcurrentMatch: a compiled Pattern is shared by every publish.
func TestConcurrentMatch(t *testing.T) {
	p, err := Compile([]byte(`{"a":[{"prefix":"x"}],"$or":[{"b":[1]},{"c":[{"exists":false}]}]}`), SNSBody)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	for range 4 {
		go func() {
			for range 1000 {
				if !p.Match([]byte(`{"a":"xy","b":[2,1]}`)) {
					t.Error("no match")
				}
			}
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
}

func TestWildcard(t *testing.T) {
	for _, tc := range []struct {
		pat, s string
		want   bool
	}{
		{"*", "", true}, {"a*", "abc", true}, {"*c", "abc", true}, {"a*c", "abbbc", true},
		{"a*b*c", "axbyc", true}, {"a*b*c", "axbyd", false}, {`a\*`, "a*", true}, {`a\*`, "ab", false},
		{"abc", "abc", true}, {"abc", "abcd", false}, {"*.png", "x.png.jpg", false},
	} {
		if got := wildcard(tc.pat, tc.s); got != tc.want {
			t.Errorf("wildcard(%q, %q) = %v", tc.pat, tc.s, got)
		}
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	p, err := Compile([]byte(`{"source":["aws.ec2"],"detail":{"state":[{"anything-but":"pending"}],"n":[{"numeric":[">",1]}],"ip":[{"cidr":"10.0.0.0/8"}]}}`), EventBridge)
	if err != nil {
		t.Fatal(err)
	}
	ev := []byte(`{"source":"aws.ec2","detail":{"state":"running","n":[1,2,3],"ip":"10.1.2.3","other":{"x":[1,{"y":2}]}}}`)
	if !p.Match(ev) {
		t.Fatal("no match")
	}
	if n := testing.AllocsPerRun(100, func() { p.Match(ev) }); n != 0 {
		t.Fatalf("Match allocates %v times", n)
	}
	a, _ := Compile([]byte(`{"k":["b"],"n":[{"numeric":["<",5]}]}`), SNSAttributes)
	attrs := []Attribute{{"k", "String.Array", `["a","b"]`}, {"n", "Number", "4"}}
	if !a.MatchAttributes(attrs) {
		t.Fatal("no attribute match")
	}
	if n := testing.AllocsPerRun(100, func() { a.MatchAttributes(attrs) }); n != 0 {
		t.Fatalf("MatchAttributes allocates %v times", n)
	}
}

func FuzzCompile(f *testing.F) {
	for _, tc := range readCases[compileCase](f, "sns_errors_recorded.json") {
		f.Add([]byte(tc.Pattern), []byte(`{"key":"value"}`))
	}
	for _, tc := range readCases[matchCase](f, "match.json") {
		f.Add([]byte(tc.Pattern), []byte(str(tc.Event)))
	}
	f.Fuzz(func(t *testing.T, pattern, event []byte) {
		for _, d := range []Dialect{SNSAttributes, SNSBody, EventBridge} {
			p, err := Compile(pattern, d)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Reason == "" || strings.HasPrefix(e.Reason, "json:") {
					t.Fatalf("Compile(%q) error %v is not an AWS reason", pattern, err)
				}
				continue
			}
			p.Match(event)
			p.MatchAttributes([]Attribute{{"key", "String.Array", string(event)}, {"key", "Number", string(event)}})
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	ev := []byte(`{"version":"0","id":"1","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"111122223333","time":"2017-12-22T18:43:48Z","region":"us-west-1","resources":["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],"detail":{"instance-id":"i-1234567890abcdef0","state":"terminated","c-count":5,"source-ip":"10.0.0.123"}}`)
	for _, bc := range []struct{ name, pattern string }{
		{"exact", `{"source":["aws.ec2"]}`},
		{"nested", `{"source":["aws.ec2"],"detail":{"state":["running","terminated"]}}`},
		{"operators", `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"source-ip":[{"cidr":"10.0.0.0/24"}],"state":[{"anything-but":{"prefix":"init"}}]}}`},
		{"or", `{"$or":[{"source":["aws.s3"]},{"detail":{"state":[{"wildcard":"term*"}]}}]}`},
	} {
		p, err := Compile([]byte(bc.pattern), EventBridge)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(ev)))
			for b.Loop() {
				if !p.Match(ev) {
					b.Fatal("no match")
				}
			}
		})
	}
	p, _ := Compile([]byte(`{"store":["example_corp"],"price_usd":[{"numeric":[">=",100]}],"interests":["rugby"]}`), SNSAttributes)
	attrs := []Attribute{{"store", "String", "example_corp"}, {"price_usd", "Number", "210.75"}, {"interests", "String.Array", `["soccer","rugby"]`}}
	b.Run("sns-attributes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !p.MatchAttributes(attrs) {
				b.Fatal("no match")
			}
		}
	})
}

func BenchmarkCompile(b *testing.B) {
	pat := []byte(`{"source":["aws.ec2"],"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"state":[{"anything-but":["a","b"]}]}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(pat, EventBridge); err != nil {
			b.Fatal(err)
		}
	}
}
