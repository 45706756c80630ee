package main

import (
	"io"
	"strings"
	"testing"
)

func TestParseServeFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    serveConfig
		wantErr string
	}{
		{name: "defaults", env: map[string]string{"XDG_DATA_HOME": "/x"},
			want: serveConfig{listen: "127.0.0.1:4566", account: "000000000000", logLevel: "info", logFormat: "text", corsOrigins: "*"}},
		{name: "env", env: map[string]string{"FOGBANK_LISTEN": "0.0.0.0:4567", "FOGBANK_DATA_DIR": "/d", "FOGBANK_ACCOUNT": "123456789012"},
			want: serveConfig{listen: "0.0.0.0:4567", dataDir: "/d", account: "123456789012", logLevel: "info", logFormat: "text", corsOrigins: "*"}},
		{name: "flags win over env", args: []string{"--listen", "127.0.0.1:1", "--memory", "--log-format=json", "--log-level=debug", "--cors-origins="},
			env:  map[string]string{"FOGBANK_LISTEN": "0.0.0.0:4567"},
			want: serveConfig{listen: "127.0.0.1:1", memory: true, account: "000000000000", logLevel: "debug", logFormat: "json"}},
		{name: "bad account", args: []string{"--account", "abc"}, wantErr: "12-digit"},
		{name: "bad format", args: []string{"--log-format", "xml"}, wantErr: "text or json"},
		{name: "bad level", args: []string{"--log-level", "loud"}, wantErr: "log-level"},
		{name: "stray argument", args: []string{"now"}, wantErr: "unexpected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseServeFlags(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.want.dataDir == "" {
				tc.want.dataDir = got.dataDir // the default depends on $HOME
			}
			if got != tc.want {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestCORSOriginsOption(t *testing.T) {
	for in, want := range map[string]int{"*": 1, "": 0, "http://a, http://b": 2} {
		o := serveConfig{corsOrigins: in, logLevel: "info", logFormat: "text"}.options(io.Discard)
		if o.CORSOrigins == nil || len(o.CORSOrigins) != want {
			t.Errorf("--cors-origins=%q → %q", in, o.CORSOrigins)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	var out strings.Builder
	if code := run([]string{"version"}, &out, io.Discard); code != 0 || !strings.HasPrefix(out.String(), "fogbank ") {
		t.Fatalf("code %d output %q", code, out.String())
	}
	if code := run([]string{"bogus"}, io.Discard, io.Discard); code != 2 {
		t.Fatalf("unknown command exit %d", code)
	}
}
