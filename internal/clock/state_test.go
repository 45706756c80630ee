package clock

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseAdvance(t *testing.T) {
	tests := []struct {
		body    string
		want    time.Duration
		wantErr string // substring; "" means success
	}{
		{`{"advance": "90s"}`, 90 * time.Second, ""},
		{`{"advance":"1h30m"}`, 90 * time.Minute, ""},
		{` {"advance": "250ms"} ` + "\n", 250 * time.Millisecond, ""},
		{`{"advance": "0s"}`, 0, ""},
		{`{"advance": "-1s"}`, 0, "never goes back"},
		{`{"advance": "90"}`, 0, "missing unit"},
		{`{"advance": 90}`, 0, "cannot unmarshal"},
		{`{"advance": ""}`, 0, `missing "advance"`},
		{`{}`, 0, `missing "advance"`},
		{`{"advance": "1s", "set": "x"}`, 0, "unknown field"},
		{`{"advance": "1s"} {}`, 0, "trailing data"},
		{``, 0, "EOF"},
		{`[`, 0, "clock request"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			got, err := ParseAdvance([]byte(tt.body))
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Errorf("ParseAdvance = %v, %v; want %v, nil", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseAdvance = %v, %v; want an error containing %q", got, err, tt.wantErr)
			}
		})
	}
	if _, err := ParseAdvance([]byte(`{"advance":"-5m"}`)); !errors.Is(err, ErrBackwards) {
		t.Errorf("negative advance: %v, want ErrBackwards", err)
	}
}

func TestMarshalState(t *testing.T) {
	p := newTest(t)
	if err := p.Advance(90 * time.Second); err != nil {
		t.Fatal(err)
	}
	before := p.Now()
	b, err := p.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]string
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if len(raw) != 2 || raw["offset"] != "1m30s" {
		t.Errorf("state %s: want exactly now and offset 1m30s", b)
	}
	if !strings.HasSuffix(raw["now"], "Z") {
		t.Errorf("now %q is not RFC 3339 in UTC", raw["now"])
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Offset != 90*time.Second || s.Now.Before(before.Round(0).Truncate(time.Microsecond)) {
		t.Errorf("round trip: %+v (clock was at %v)", s, before)
	}
}

// FuzzParseAdvance: never a panic, and a success is never a negative duration.
func FuzzParseAdvance(f *testing.F) {
	for _, seed := range []string{`{"advance": "90s"}`, `{"advance":"-1h"}`, `{"advance": 5}`, `{}`, `{"advance":"1s"}x`, `null`, `{"advance":null}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := ParseAdvance(body)
		if err == nil && d < 0 {
			t.Fatalf("ParseAdvance(%q) = %v, nil", body, d)
		}
	})
}
