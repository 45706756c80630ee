package conformance

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fakeOptions(extra ...Option) []Option {
	return append([]Option{WithDir("testdata/fake"), WithSchemas(fakeSchemas()),
		Skip(map[string]string{"input/fake.json:FakeSkipped": "asks for an operation the suite lacks"})}, extra...)
}

// TestRunInputFake runs the input runner over the hand-made suite: one case
// passes with values of every kind, one fails on purpose (tolerated by
// MinPassRate) and one is skipped by us. The case botocore's ignore list
// names runs too (and fails): that list speaks for botocore as a client, and
// input cases are judged by what a server decodes.
func TestRunInputFake(t *testing.T) {
	res := RunInput(t, "fake.json", fakeCodec{}, fakeOptions(MinPassRate(0.5))...)
	if res.Passed != 2 || res.Failed != 2 || res.Skipped != 1 {
		t.Errorf("result = %s, want 2 passed, 2 failed, 1 skipped", res)
	}
	if f := res.Failures["FakeWrong"]; !strings.Contains(f, "$.Name") {
		t.Errorf("FakeWrong failure = %q, want it to name $.Name", f)
	}
	if got, want := res.PassRate(), 2.0/4; got != want {
		t.Errorf("PassRate = %v, want %v", got, want)
	}
}

// TestRunOutputFake runs the output runner, botocore included, over the
// hand-made suite: a result with a millisecond timestamp and NaN, a modelled
// error with a member, an unmodelled error, and a case the codec gets wrong.
func TestRunOutputFake(t *testing.T) {
	requireBotocore(t)
	res := RunOutput(t, "fake.json", fakeCodec{}, fakeOptions(MinPassRate(0.7))...)
	if res.Passed != 3 || res.Failed != 1 || res.Skipped != 0 {
		t.Errorf("result = %s, want 3 passed, 1 failed", res)
	}
	if f := res.Failures["FakeBadOutput"]; !strings.Contains(f, "mangled") {
		t.Errorf("FakeBadOutput failure = %q, want it to show the parsed value", f)
	}
}

func requireBotocore(t *testing.T) {
	t.Helper()
	_, err := parseWithBotocore(t.Context(), "", nil)
	if errors.Is(err, errNoBotocore) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestBotocoreBridge parses a tiny JSON response with botocore directly.
func TestBotocoreBridge(t *testing.T) {
	requireBotocore(t)
	s := &suite{
		Metadata: map[string]any{"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "T"},
		Shapes: []byte(`{"Out":{"type":"structure","members":{"Name":{"shape":"String"},"At":{"shape":"Time"},"B":{"shape":"Blob"}}},
			"String":{"type":"string"},"Time":{"type":"timestamp"},"Blob":{"type":"blob"}}`),
	}
	given := []byte(`{"name":"Op","http":{"method":"POST","requestUri":"/"},"output":{"shape":"Out"}}`)
	h := http.Header{"Content-Type": {"application/x-amz-json-1.1"}}
	cases := []bridgeCase{
		newBridgeCase("ok", s, given, 200, h, []byte(`{"Name":"x","At":1.5,"B":"aGk="}`), false),
		newBridgeCase("err", s, given, 400, h, []byte(`{"__type":"com.test#Boom","message":"no"}`), true),
		newBridgeCase("garbage", s, given, 200, h, []byte(`{not json`), false),
	}
	res, err := parseWithBotocore(t.Context(), "", cases)
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(res[0].Parsed, mustGeneric(t, `{"Name":"x","At":1.5,"B":"hi"}`)); d != nil {
		t.Errorf("ok: %v (error %q)", d, res[0].Error)
	}
	if d := Diff(res[1].Parsed, mustGeneric(t, `{"Error":{"Code":"Boom","Message":"no"}}`)); d != nil {
		t.Errorf("err: %v (error %q)", d, res[1].Error)
	}
	if res[2].Error == "" && res[2].Parsed != nil {
		t.Logf("garbage parsed as %v", res[2].Parsed)
	}
}

func TestSkipList(t *testing.T) {
	sl, err := loadSkipList("testdata/fake", "input", "fake.json", map[string]string{
		"Anywhere":                  "everywhere",
		"output/fake.json:OnlyHere": "output only",
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ suite, id, want string }{
		{"s", "Anywhere", "everywhere"},
		{"s", "OnlyHere", ""},
		// botocore's ignore list does not apply to input cases.
		{"s", "FakeIgnored", ""},
		{"A suite nobody has", "X", ""},
		{"s", "Runs", ""},
	}
	for _, tt := range tests {
		if got := sl.reason("input", "fake.json", tt.suite, tt.id); got != tt.want {
			t.Errorf("reason(%s, %s) = %q, want %q", tt.suite, tt.id, got, tt.want)
		}
	}
	out, err := loadSkipList("testdata/fake", "output", "fake.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ suite, id, want string }{
		{"s", "FakeIgnored", "in botocore's protocol-tests-ignore-list.json"},
		{"A suite nobody has", "X", "botocore ignores suite A suite nobody has"},
		{"s", "Runs", ""},
	} {
		if got := out.reason("output", "fake.json", tt.suite, tt.id); got != tt.want {
			t.Errorf("output reason(%s, %s) = %q, want %q", tt.suite, tt.id, got, tt.want)
		}
	}
}

// TestRunOutputSkipsWithoutPython checks that a missing interpreter skips
// the output run, with the reason, rather than failing it.
// A stand-in interpreter that exits 3 plays python3 without botocore.
func TestRunOutputSkipsWithoutPython(t *testing.T) {
	noBotocore := filepath.Join(t.TempDir(), "python3")
	if err := os.WriteFile(noBotocore, []byte("#!/bin/sh\necho 'No module named botocore' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, python := range []string{"/nonexistent/python3", noBotocore} {
		var skipped bool
		t.Run("run", func(t *testing.T) {
			defer func() { skipped = t.Skipped() }()
			RunOutput(t, "fake.json", fakeCodec{}, fakeOptions(WithPython(python))...)
		})
		if !skipped {
			t.Errorf("RunOutput with %s did not skip", python)
		}
	}
}
