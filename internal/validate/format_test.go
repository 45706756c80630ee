package validate

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func TestJavaFloat(t *testing.T) {
	tests := []struct {
		x    float64
		bits int
		want string
	}{
		{2, 64, "2.0"}, {-1, 64, "-1.0"}, {0.5, 64, "0.5"}, {0, 64, "0.0"}, {math.Copysign(0, -1), 64, "-0.0"},
		{1e7, 64, "1.0E7"}, {9999999, 64, "9999999.0"}, {1.5e-4, 64, "1.5E-4"}, {0.001, 64, "0.001"},
		{123456789.125, 64, "1.23456789125E8"}, {1e-10, 64, "1.0E-10"}, {0.1, 32, "0.1"},
		{math.NaN(), 64, "NaN"}, {math.Inf(1), 64, "Infinity"}, {math.Inf(-1), 64, "-Infinity"},
	}
	for _, tt := range tests {
		if got := javaFloat(tt.x, tt.bits); got != tt.want {
			t.Errorf("javaFloat(%v, %d) = %q, want %q", tt.x, tt.bits, got, tt.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	f32 := float32(0.1)
	tests := []struct {
		v    any
		want string
	}{
		{"plain", "plain"},
		{(*string)(nil), "null"},
		{&f32, "0.1"},
		{true, "true"},
		{[]string{"a", "b"}, "[a, b]"},
		{[]string(nil), "null"},
		{map[string]float64{"b": 1, "a": 0.5}, "{a=0.5, b=1.0}"},
		{[]byte("xyz"), "java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]"},
		{time.Date(2026, 11, 30, 1, 2, 3, 0, time.UTC), "Mon Nov 30 01:02:03 UTC 2026"},
		{struct {
			Name *string
			N    int
		}{nil, 3}, "(name=null, n=3)"},
	}
	for _, tt := range tests {
		if got := formatValue(nil, reflect.ValueOf(tt.v)); got != tt.want {
			t.Errorf("formatValue(%#v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"QueueUrl": "queueUrl", "SSEKMSKeyId": "sSEKMSKeyId", "x": "x", "": ""} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"CreateRestApiRequest": "createRestApiInput", "UpdateStageInput": "updateStageInput", "Thing": "thingInput"} {
		if got := inputName(in); got != want {
			t.Errorf("inputName(%q) = %q, want %q", in, got, want)
		}
	}
}
