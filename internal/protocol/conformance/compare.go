package conformance

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Diff compares got with want, both in generic form, and returns one line per
// difference (empty when they are equal). As in botocore's suites, a missing
// key differs from an empty value. Numbers compare by value: integers exactly,
// other numbers within a relative 1e-9, which absorbs formatting but not the
// error of writing a float32 member with float64 digits.
func Diff(got, want any) []string {
	var d []string
	diff(got, want, "$", &d)
	return d
}

func diff(got, want any, path string, d *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*d = append(*d, fmt.Sprintf("%s: got %s, want an object", path, show(got)))
			return
		}
		for _, k := range sortedKeys(w) {
			gv, ok := g[k]
			if !ok {
				*d = append(*d, fmt.Sprintf("%s.%s: missing, want %s", path, k, show(w[k])))
				continue
			}
			diff(gv, w[k], path+"."+k, d)
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				*d = append(*d, fmt.Sprintf("%s.%s: unexpected %s", path, k, show(g[k])))
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*d = append(*d, fmt.Sprintf("%s: got %s, want a list", path, show(got)))
			return
		}
		if len(g) != len(w) {
			*d = append(*d, fmt.Sprintf("%s: got %d elements %s, want %d %s", path, len(g), show(g), len(w), show(w)))
			return
		}
		for i := range w {
			diff(g[i], w[i], fmt.Sprintf("%s[%d]", path, i), d)
		}
	case json.Number, float64, int, int64:
		if !numbersEqual(got, want) {
			*d = append(*d, fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want)))
		}
	default:
		if got != want {
			*d = append(*d, fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want)))
		}
	}
}

func numbersEqual(a, b any) bool {
	as, aok := numberText(a)
	bs, bok := numberText(b)
	if !aok || !bok {
		return false
	}
	if ai, err := strconv.ParseInt(as, 10, 64); err == nil {
		if bi, err := strconv.ParseInt(bs, 10, 64); err == nil {
			return ai == bi
		}
	}
	af, err1 := strconv.ParseFloat(as, 64)
	bf, err2 := strconv.ParseFloat(bs, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	if af == bf {
		return true
	}
	return math.Abs(af-bf) <= 1e-9*math.Max(math.Abs(af), math.Abs(bf))
}

func numberText(v any) (string, bool) {
	switch x := v.(type) {
	case json.Number:
		return x.String(), true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	return "", false
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// show renders a generic value for a failure message.
func show(v any) string {
	if v == nil {
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	const max = 300
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
