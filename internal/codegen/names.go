package codegen

import (
	"strconv"
	"strings"
	"unicode"
)

// exportName turns a model name (a shape, member, operation or enum value)
// into an exported Go identifier: characters that cannot appear in an
// identifier split words, each word's first letter is upper-cased, and a
// leading digit gets an "X" in front. Letters after the first keep their case
// so "QueueUrl" stays "QueueUrl" and "SSEKMSKeyId" stays "SSEKMSKeyId".
//
// Because the result never contains "_", a name with an "_" suffix (see namer)
// can never be the export name of anything in a model.
func exportName(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) || r > unicode.MaxASCII {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out == "" {
		return "X"
	}
	if unicode.IsDigit(rune(out[0])) {
		out = "X" + out
	}
	return out
}

// unexport lower-cases the first letter of an exported identifier, for
// package-private helpers derived from it.
func unexport(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// namer hands out identifiers that are unique within one scope (a Go package,
// or the fields of one struct). The first claim of a name gets it as is; later
// claims get "_", "_2", "_3"… appended. Callers claim in a fixed order (fixed
// API names, then types in sorted order, then helpers), so the result is
// deterministic and the names that matter most stay clean.
type namer struct {
	used map[string]bool
}

func newNamer(reserved ...string) *namer {
	n := &namer{used: map[string]bool{}}
	for _, r := range reserved {
		n.used[r] = true
	}
	return n
}

// claim returns want, or the first free variant of it, and marks it used.
// Comparison folds case when fold is set: struct fields differing only in case
// are legal Go but would confuse readers and case-insensitive codecs, so
// fields are claimed with fold.
func (n *namer) claim(want string, fold bool) string {
	key := func(s string) string {
		if fold {
			return strings.ToLower(s)
		}
		return s
	}
	name := want
	for i := 1; n.used[key(name)]; i++ {
		if i == 1 {
			name = want + "_"
		} else {
			name = want + "_" + strconv.Itoa(i)
		}
	}
	n.used[key(name)] = true
	return name
}
