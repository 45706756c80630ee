package benchkit

import (
	"slices"
	"testing"
	"time"
)

func TestMedianPercentile(t *testing.T) {
	for _, tc := range []struct {
		name     string
		xs       []float64
		p50, p99 float64
		spread   string
	}{
		{"one", []float64{3}, 3, 3, "3.00 (3.00–3.00)"},
		{"odd", []float64{5, 1, 3}, 3, 5, "3.00 (1.00–5.00)"},
		{"even takes the upper middle", []float64{4, 1, 3, 2}, 3, 4, "3.00 (1.00–4.00)"},
		{"empty", nil, 0, 0, "—"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.xs)
			if got := Median(tc.xs); got != tc.p50 {
				t.Errorf("Median = %v, want %v", got, tc.p50)
			}
			if got := Percentile(tc.xs, 99); got != tc.p99 {
				t.Errorf("Percentile 99 = %v, want %v", got, tc.p99)
			}
			if got := Spread(tc.xs); got != tc.spread {
				t.Errorf("Spread = %q, want %q", got, tc.spread)
			}
			if !slices.Equal(in, tc.xs) {
				t.Errorf("input reordered: %v", tc.xs)
			}
		})
	}
	var lat []time.Duration
	for i := range 100 {
		lat = append(lat, time.Duration(100-i)*time.Millisecond)
	}
	if got := Percentile(lat, 99); got != 100*time.Millisecond {
		t.Errorf("p99 of 1..100 ms = %v", got)
	}
	if got := Median(lat); got != 51*time.Millisecond {
		t.Errorf("median of 1..100 ms = %v", got)
	}
}

func TestMedianBy(t *testing.T) {
	type run struct {
		rate float64
		tag  string
	}
	rs := []run{{30, "c"}, {10, "a"}, {20, "b"}}
	if got := MedianBy(rs, func(r run) float64 { return r.rate }); got.tag != "b" {
		t.Errorf("MedianBy = %+v, want the 20 run", got)
	}
	if rs[0].tag != "c" {
		t.Error("input reordered")
	}
	if got := MedianBy([]run(nil), func(r run) float64 { return r.rate }); got != (run{}) {
		t.Errorf("empty: %+v", got)
	}
}

func TestFormatting(t *testing.T) {
	for _, tc := range []struct {
		a, b float64
		cell string
		r    float64
	}{
		{9, 10, "0.90", 0.9},
		{5, 0, "—", 0},
		{5, -1, "—", -5},
	} {
		if got := RatioCell(tc.a, tc.b); got != tc.cell {
			t.Errorf("RatioCell(%v, %v) = %q, want %q", tc.a, tc.b, got, tc.cell)
		}
		if got := Ratio(tc.a, tc.b); got != tc.r {
			t.Errorf("Ratio(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.r)
		}
	}
	long := string(make([]byte, 200))
	if got := FirstLine("one\ntwo"); got != "one" {
		t.Errorf("FirstLine = %q", got)
	}
	if got := FirstLine(long); len(got) != 160+len("…") {
		t.Errorf("FirstLine of 200 bytes is %d bytes", len(got))
	}
	for _, tc := range []struct {
		in   string
		want []int
		ok   bool
	}{
		{"1,16, 64", []int{1, 16, 64}, true},
		{"1,0", nil, false},
		{"x", nil, false},
	} {
		got, err := Counts(tc.in)
		if (err == nil) != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("Counts(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func TestAWSConfig(t *testing.T) {
	cfg := AWSConfig("http://127.0.0.1:1", 16)
	if cfg.BaseEndpoint == nil || *cfg.BaseEndpoint != "http://127.0.0.1:1" || cfg.Region != "us-east-1" {
		t.Errorf("endpoint %v, region %q", cfg.BaseEndpoint, cfg.Region)
	}
	if cfg.Retryer().MaxAttempts() != 3 {
		t.Errorf("retryer: %d attempts, want the standard 3", cfg.Retryer().MaxAttempts())
	}
}
