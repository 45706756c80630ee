package eventpattern

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unsafe"
)

// value is one leaf of an event: a scalar with its kind. For strings, s is
// the unescaped content; for numbers, num is the parsed value.
type value struct {
	kind kind
	s    string
	num  float64
}

// Match reports whether the JSON document event matches. Invalid JSON never
// matches. In the SNSAttributes dialect use MatchAttributes instead; Match
// then treats the document's top-level members as the attributes.
func (p *Pattern) Match(event []byte) bool {
	if !json.Valid(event) {
		return false
	}
	return p.root.matchDoc(event)
}

func (n *node) matchDoc(event []byte) bool {
	for i := range n.fields {
		f := &n.fields[i]
		var st scanState
		st.f = f
		st.scan(event, skipWS(event, 0), 0)
		if !f.decide(st.found, st.matched) {
			return false
		}
	}
	for _, g := range n.ors {
		ok := false
		for i := range g {
			if g[i].matchDoc(event) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// decide combines a field's scan: a key matches when some leaf matched, or
// when it has no leaf and the list holds {"exists": false}.
func (f *field) decide(found, matched bool) bool {
	return matched || (!found && f.existsFalse)
}

type scanState struct {
	f              *field
	found, matched bool
}

// scan walks the value at data[i:] looking for leaves at the rest of the
// field's dotted key, st.f.key[pos:]; pos == len(key)+1 means the value
// itself is at the key. Event keys are matched against the dotted key
// segment-wise, so {"a.b":1}, {"a":{"b":1}} both sit at key "a.b", as AWS
// flattens them (test_filter_policy_on_message_body_dot_attribute). It
// returns the index just past the value. data is valid JSON.
func (st *scanState) scan(data []byte, i, pos int) int {
	full := st.f.key
	depth := pos
	switch data[i] {
	case '{':
		i = skipWS(data, i+1)
		if data[i] == '}' {
			return i + 1
		}
		for {
			kStart := i
			i = skipString(data, i)
			key := data[kStart+1 : i-1]
			i = skipWS(data, i)
			i = skipWS(data, i+1) // ':'
			if next := descend(full, pos, key); next >= 0 {
				i = st.scan(data, i, next)
			} else {
				i = skipValue(data, i)
			}
			i = skipWS(data, i)
			if data[i] == '}' {
				return i + 1
			}
			i = skipWS(data, i+1) // ','
		}
	case '[':
		// Arrays are transparent: each element is looked at with the same
		// remaining path, so a key matches if any element matches.
		i = skipWS(data, i+1)
		if data[i] == ']' {
			return i + 1
		}
		for {
			i = st.scan(data, i, depth)
			i = skipWS(data, i)
			if data[i] == ']' {
				return i + 1
			}
			i = skipWS(data, i+1)
		}
	default:
		end := skipValue(data, i)
		if depth == len(full)+1 {
			st.found = true
			if !st.matched {
				st.matched = st.f.matchValue(scalar(data[i:end]))
			}
		}
		return end
	}
}

// scalar decodes one JSON scalar token.
func scalar(tok []byte) value {
	switch tok[0] {
	case '"':
		return value{kind: kString, s: unquote(tok)}
	case 't':
		return value{kind: kTrue}
	case 'f':
		return value{kind: kFalse}
	case 'n':
		return value{kind: kNull}
	}
	f, err := strconv.ParseFloat(bstr(tok), 64)
	if err != nil || math.IsInf(f, 0) {
		return value{kind: kOther}
	}
	return value{kind: kNumber, num: f}
}

// bstr views b as a string without copying. The result must not outlive a
// call that keeps it; Match never retains it.
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// unquote returns the content of a JSON string token, allocating only when it
// contains escapes.
func unquote(tok []byte) string {
	inner := tok[1 : len(tok)-1]
	for _, c := range inner {
		if c == '\\' {
			var s string
			if json.Unmarshal(tok, &s) != nil {
				return ""
			}
			return s
		}
	}
	return bstr(inner)
}

// descend returns the position in full after the event key raw, or -1 if raw
// is not the next segment(s) of full at pos.
func descend(full string, pos int, raw []byte) int {
	if pos > len(full) {
		return -1
	}
	k := bstr(raw)
	for _, c := range raw {
		if c == '\\' {
			k = unquote(append(append([]byte{'"'}, raw...), '"'))
			break
		}
	}
	rest := full[pos:]
	if len(k) > len(rest) || rest[:len(k)] != k {
		return -1
	}
	if len(k) == len(rest) {
		return len(full) + 1
	}
	if rest[len(k)] == '.' {
		return pos + len(k) + 1
	}
	return -1
}

func skipWS(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index just past the value at data[i:].
func skipValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for ; i < len(data); i++ {
			switch data[i] {
			case '"':
				i = skipString(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for ; i < len(data); i++ {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}

// matchValue reports whether any matcher of f accepts v.
func (f *field) matchValue(v value) bool {
	for i := range f.matchers {
		if f.matchers[i].match(v) {
			return true
		}
	}
	return false
}

func (m *matcher) match(v value) bool {
	switch m.op {
	case opExact:
		if m.kind != v.kind {
			return false
		}
		switch v.kind {
		case kString:
			return v.s == m.s
		case kNumber:
			return v.num == m.num
		}
		return true
	case opPrefix:
		if v.kind != kString {
			return false
		}
		if m.ignoreCase {
			return len(v.s) >= len(m.s) && strings.EqualFold(v.s[:len(m.s)], m.s)
		}
		return strings.HasPrefix(v.s, m.s)
	case opSuffix:
		if v.kind != kString {
			return false
		}
		if m.ignoreCase {
			return len(v.s) >= len(m.s) && strings.EqualFold(v.s[len(v.s)-len(m.s):], m.s)
		}
		return strings.HasSuffix(v.s, m.s)
	case opEqualsIgnoreCase:
		return v.kind == kString && strings.EqualFold(v.s, m.s)
	case opWildcard:
		return v.kind == kString && wildcard(m.s, v.s)
	case opNumeric:
		if v.kind != kNumber {
			return false
		}
		if m.hasLo && (v.num < m.lo || (v.num == m.lo && !m.loIncl)) {
			return false
		}
		if m.hasHi && (v.num > m.hi || (v.num == m.hi && !m.hiIncl)) {
			return false
		}
		return true
	case opExists:
		return m.exists // a leaf is present
	case opCIDR:
		return v.kind == kString && m.cidr.contains(v.s)
	case opAnythingBut:
		return m.anythingBut(v)
	}
	return false
}

// anythingBut: the key must be present; a value of another type than the
// excluded ones matches (anything-but "x" accepts the number 5).
func (m *matcher) anythingBut(v value) bool {
	switch m.notOp {
	case opExact:
		switch v.kind {
		case kString:
			for _, s := range m.notStrings {
				if s == v.s {
					return false
				}
			}
		case kNumber:
			for _, n := range m.notNumbers {
				if n == v.num {
					return false
				}
			}
		}
		return true
	case opEqualsIgnoreCase:
		if v.kind != kString {
			return true
		}
		for _, s := range m.notStrings {
			if strings.EqualFold(s, v.s) {
				return false
			}
		}
		return true
	}
	if v.kind != kString {
		return true
	}
	s := m.notStrings[0]
	switch m.notOp {
	case opPrefix:
		return !strings.HasPrefix(v.s, s)
	case opSuffix:
		return !strings.HasSuffix(v.s, s)
	case opWildcard:
		return !wildcard(s, v.s)
	}
	return true
}

// wildcard matches s against pat where '*' matches any run of characters and
// "\*" / "\\" are literal. Greedy with single backtrack point: linear-ish and
// allocation-free.
func wildcard(pat, s string) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(pat) {
			c := pat[pi]
			if c == '*' {
				starP, starS = pi, si
				pi++
				continue
			}
			lit, w := c, 1
			if c == '\\' && pi+1 < len(pat) {
				lit, w = pat[pi+1], 2
			}
			if lit == s[si] {
				pi += w
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		pi = starP + 1
		starS++
		si = starS
	}
	for pi < len(pat) && pat[pi] == '*' {
		pi++
	}
	return pi == len(pat)
}
