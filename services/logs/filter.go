package logs

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/fogbank/fogbank/internal/api"
)

// Filter patterns (FilterLogEvents' filterPattern), in the forms the
// CloudWatch Logs "Filter pattern syntax" page describes:
//
//   - terms: `ERROR timeout` matches events containing every term;
//     `"two words"` is one term; `?ERROR ?WARN` matches any of the ?-terms;
//     `-DEBUG` excludes; terms are case-sensitive.
//   - regular expressions: `%ERROR [0-9]+%` (Go RE2 syntax, which covers the
//     subset AWS allows).
//   - JSON: `{ $.level = "error" && ($.ms > 100 || $.user NOT EXISTS) }` with
//     = != < > <= >=, string values with * wildcards, numbers, IS TRUE/FALSE/
//     NULL, NOT EXISTS, && || and parentheses; events that are not JSON do
//     not match.
//
// Space-delimited patterns (`[ip, user, ...]`) are not implemented: such a
// pattern is answered with InvalidParameterException naming the gap, never
// silently matched.

type matcher func(msg string) bool

func badPattern(reason string) *api.Error {
	return invalidParam("Invalid filter pattern: %s", reason)
}

func compilePattern(p string) (matcher, error) {
	p = strings.TrimSpace(p)
	switch {
	case p == "" || p == `""`:
		return func(string) bool { return true }, nil
	case p[0] == '{':
		return compileJSONPattern(p)
	case p[0] == '[':
		return nil, badPattern("space-delimited filter patterns ([...]) are not implemented by Fogbank")
	case len(p) >= 2 && p[0] == '%' && p[len(p)-1] == '%':
		re, err := regexp.Compile(p[1 : len(p)-1])
		if err != nil {
			return nil, badPattern(err.Error())
		}
		return re.MatchString, nil
	}
	return compileTerms(p)
}

func compileTerms(p string) (matcher, error) {
	var all, any, none []string
	for p = strings.TrimSpace(p); p != ""; p = strings.TrimSpace(p) {
		kind := byte(0)
		if p[0] == '?' || p[0] == '-' {
			kind, p = p[0], p[1:]
		}
		var term string
		if strings.HasPrefix(p, `"`) {
			end := strings.IndexByte(p[1:], '"')
			if end < 0 {
				return nil, badPattern("unterminated quoted term")
			}
			term, p = p[1:1+end], p[2+end:]
		} else {
			end := strings.IndexFunc(p, unicode.IsSpace)
			if end < 0 {
				end = len(p)
			}
			term, p = p[:end], p[end:]
		}
		switch kind {
		case '?':
			any = append(any, term)
		case '-':
			none = append(none, term)
		default:
			all = append(all, term)
		}
	}
	return func(msg string) bool {
		for _, t := range none {
			if strings.Contains(msg, t) {
				return false
			}
		}
		for _, t := range all {
			if !strings.Contains(msg, t) {
				return false
			}
		}
		if len(any) == 0 {
			return true
		}
		for _, t := range any {
			if strings.Contains(msg, t) {
				return true
			}
		}
		return false
	}, nil
}

// JSON patterns compile to a tree of jsonExpr.
type jsonExpr func(doc any) bool

type jsonParser struct {
	s   string
	err *api.Error
}

func compileJSONPattern(p string) (matcher, error) {
	jp := &jsonParser{s: strings.TrimSpace(p)}
	if !strings.HasSuffix(jp.s, "}") {
		return nil, badPattern("a JSON filter pattern must end with }")
	}
	jp.s = jp.s[1 : len(jp.s)-1]
	e := jp.or()
	jp.skip()
	if jp.err == nil && jp.s != "" {
		jp.fail("unexpected " + strconv.Quote(jp.s))
	}
	if jp.err != nil {
		return nil, jp.err
	}
	return func(msg string) bool {
		var doc any
		if json.Unmarshal([]byte(msg), &doc) != nil {
			return false
		}
		return e(doc)
	}, nil
}

func (p *jsonParser) fail(why string) {
	if p.err == nil {
		p.err = badPattern(why)
	}
}

func (p *jsonParser) skip() { p.s = strings.TrimLeftFunc(p.s, unicode.IsSpace) }

func (p *jsonParser) eat(tok string) bool {
	p.skip()
	if strings.HasPrefix(p.s, tok) {
		p.s = p.s[len(tok):]
		return true
	}
	return false
}

func (p *jsonParser) or() jsonExpr {
	l := p.and()
	for p.err == nil && p.eat("||") {
		a, b := l, p.and()
		l = func(d any) bool { return a(d) || b(d) }
	}
	return l
}

func (p *jsonParser) and() jsonExpr {
	l := p.term()
	for p.err == nil && p.eat("&&") {
		a, b := l, p.term()
		l = func(d any) bool { return a(d) && b(d) }
	}
	return l
}

func (p *jsonParser) term() jsonExpr {
	if p.eat("(") {
		e := p.or()
		if !p.eat(")") {
			p.fail("missing )")
		}
		return e
	}
	p.skip()
	if !strings.HasPrefix(p.s, "$") {
		p.fail("expected a $. selector")
		return nil
	}
	end := strings.IndexFunc(p.s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("=!<>()&|", r) })
	if end < 0 {
		end = len(p.s)
	}
	path := parseSelector(p.s[:end])
	p.s = p.s[end:]
	if path == nil {
		p.fail("bad selector")
		return nil
	}
	switch {
	case p.eatWord("IS"):
		switch {
		case p.eatWord("TRUE"):
			return func(d any) bool { v, ok := lookup(d, path); return ok && v == true }
		case p.eatWord("FALSE"):
			return func(d any) bool { v, ok := lookup(d, path); return ok && v == false }
		case p.eatWord("NULL"):
			return func(d any) bool { v, ok := lookup(d, path); return ok && v == nil }
		}
		p.fail("expected TRUE, FALSE or NULL after IS")
		return nil
	case p.eatWord("NOT"):
		if !p.eatWord("EXISTS") {
			p.fail("expected EXISTS after NOT")
		}
		return func(d any) bool { _, ok := lookup(d, path); return !ok }
	}
	var op string
	for _, o := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if p.eat(o) {
			op = o
			break
		}
	}
	if op == "" {
		p.fail("expected a comparison operator")
		return nil
	}
	p.skip()
	str, num, isNum := p.value()
	if p.err != nil {
		return nil
	}
	if !isNum && op != "=" && op != "!=" {
		p.fail("only = and != compare strings")
		return nil
	}
	var glob *regexp.Regexp
	if !isNum {
		glob = regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(str), `\*`, ".*") + "$")
	}
	return func(d any) bool {
		v, ok := lookup(d, path)
		if !ok {
			return false
		}
		var r bool
		if isNum {
			f, isF := v.(float64)
			if !isF {
				return op == "!="
			}
			switch op {
			case "=":
				r = f == num
			case "!=":
				r = f != num
			case "<":
				r = f < num
			case ">":
				r = f > num
			case "<=":
				r = f <= num
			case ">=":
				r = f >= num
			}
			return r
		}
		sv, isS := v.(string)
		if !isS {
			if v == nil || isBool(v) {
				sv = jsonLiteral(v)
			} else {
				return op == "!="
			}
		}
		return glob.MatchString(sv) == (op == "=")
	}
}

func isBool(v any) bool { _, ok := v.(bool); return ok }

func jsonLiteral(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (p *jsonParser) eatWord(w string) bool {
	p.skip()
	if len(p.s) >= len(w) && strings.EqualFold(p.s[:len(w)], w) && (len(p.s) == len(w) || !isWordRune(rune(p.s[len(w)]))) {
		p.s = p.s[len(w):]
		return true
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// value reads a quoted string, a number or a bare word.
func (p *jsonParser) value() (str string, num float64, isNum bool) {
	if strings.HasPrefix(p.s, `"`) {
		end := strings.IndexByte(p.s[1:], '"')
		if end < 0 {
			p.fail("unterminated string")
			return
		}
		str, p.s = p.s[1:1+end], p.s[2+end:]
		return str, 0, false
	}
	end := strings.IndexFunc(p.s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("()&|", r) })
	if end < 0 {
		end = len(p.s)
	}
	str, p.s = p.s[:end], p.s[end:]
	if str == "" {
		p.fail("missing value")
		return
	}
	if f, err := strconv.ParseFloat(str, 64); err == nil {
		return str, f, true
	}
	return str, 0, false
}

// selStep is one step of a selector: a member name or an array index.
type selStep struct {
	key   string
	index int // -1 for a member
}

func parseSelector(s string) []selStep {
	if s == "$" {
		return []selStep{}
	}
	if !strings.HasPrefix(s, "$.") && !strings.HasPrefix(s, "$[") {
		return nil
	}
	s = s[1:]
	steps := []selStep{}
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			if end == 0 {
				return nil
			}
			steps = append(steps, selStep{key: s[:end], index: -1})
			s = s[end:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil
			}
			n, err := strconv.Atoi(s[1:end])
			if err != nil || n < 0 {
				return nil
			}
			steps = append(steps, selStep{index: n})
			s = s[end+1:]
		default:
			return nil
		}
	}
	return steps
}

func lookup(d any, path []selStep) (any, bool) {
	for _, st := range path {
		if st.index >= 0 {
			a, ok := d.([]any)
			if !ok || st.index >= len(a) {
				return nil, false
			}
			d = a[st.index]
			continue
		}
		m, ok := d.(map[string]any)
		if !ok {
			return nil, false
		}
		if d, ok = m[st.key]; !ok {
			return nil, false
		}
	}
	return d, true
}
