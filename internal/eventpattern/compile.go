package eventpattern

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// compiler holds the state of one Compile call; nothing outlives it but the
// Pattern it builds.
type compiler struct {
	dec *json.Decoder
	d   Dialect
}

// Compile parses pattern for dialect d. Errors are always *Error.
func Compile(pattern []byte, d Dialect) (*Pattern, error) {
	if !json.Valid(pattern) {
		return nil, &Error{Reason: "Filter policy is not valid JSON"}
	}
	c := &compiler{dec: json.NewDecoder(bytes.NewReader(pattern)), d: d}
	c.dec.UseNumber()
	tok, _ := c.dec.Token()
	if tok != json.Delim('{') {
		return nil, c.errAt("Filter is not an object", tok)
	}
	p := &Pattern{dialect: d}
	if err := c.object(&p.root, nil, 0); err != nil {
		return nil, err
	}
	if d == SNSAttributes && nested(&p.root) {
		return nil, &Error{Reason: "Filter policy scope MessageAttributes does not support nested filter policy", Unprefixed: true}
	}
	if d.sns() {
		if maxKeys(&p.root) > snsMaxKeys {
			return nil, &Error{Reason: "Filter policy can not have more than 5 keys"}
		}
		if combinations(&p.root) > snsMaxCombinations {
			return nil, &Error{Reason: "Filter policy is too complex"}
		}
	}
	return p, nil
}

// errAt builds an Error whose column follows Jackson's convention: a string
// token has been read up to just past its opening quote, any other token to
// its end.
func (c *compiler) errAt(reason string, tok json.Token) *Error {
	end := int(c.dec.InputOffset())
	if s, ok := tok.(string); ok {
		return &Error{Reason: reason, Column: end - len(s)}
	}
	return &Error{Reason: reason, Column: end + 1}
}

// errAfter builds an Error at the end of the last token read: where Jackson
// stands once it has read a whole string.
func (c *compiler) errAfter(reason string) *Error {
	return &Error{Reason: reason, Column: int(c.dec.InputOffset()) + 1}
}

func tokText(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return string(t)
	case string:
		return t
	case json.Number:
		return string(t)
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return "null"
	}
	return ""
}

// object reads the members of an object whose '{' was consumed, into n.
func (c *compiler) object(n *node, path []string, depth int) error {
	if depth > maxDepth {
		return &Error{Reason: "Filter policy is too complex"}
	}
	for {
		tok, err := c.dec.Token()
		if err != nil {
			return &Error{Reason: "Filter policy is not valid JSON"}
		}
		if tok == json.Delim('}') {
			return nil
		}
		key, _ := tok.(string)
		val, err := c.dec.Token()
		if err != nil {
			return &Error{Reason: "Filter policy is not valid JSON"}
		}
		if key == "$or" && val == json.Delim('[') {
			group, err := c.orGroup(path, depth)
			if err != nil {
				return err
			}
			n.ors = append(n.ors, group)
			continue
		}
		switch val {
		case json.Delim('['):
			f := field{path: append(append([]string(nil), path...), key)}
			f.key = strings.Join(f.path, ".")
			if err := c.list(&f); err != nil {
				return err
			}
			n.fields = append(n.fields, f)
		case json.Delim('{'):
			if err := c.object(n, append(append([]string(nil), path...), key), depth+1); err != nil {
				return err
			}
		default:
			return c.errAt(strconv.Quote(key)+" must be an object or an array", val)
		}
	}
}

// orGroup reads the alternatives of "$or" after its '['.
func (c *compiler) orGroup(path []string, depth int) ([]node, error) {
	var alts []node
	for {
		tok, err := c.dec.Token()
		if err != nil {
			return nil, &Error{Reason: "Filter policy is not valid JSON"}
		}
		if tok == json.Delim(']') {
			break
		}
		if tok != json.Delim('{') {
			return nil, c.errAt("Or relationship must be an array of objects", tok)
		}
		var alt node
		if err := c.object(&alt, path, depth+1); err != nil {
			return nil, err
		}
		alts = append(alts, alt)
	}
	if len(alts) < 2 {
		return nil, &Error{Reason: "Or relationship must contain at least 2 sub-patterns"}
	}
	return alts, nil
}

// list reads one key's match list after its '['.
func (c *compiler) list(f *field) error {
	for {
		tok, err := c.dec.Token()
		if err != nil {
			return &Error{Reason: "Filter policy is not valid JSON"}
		}
		var m matcher
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case ']':
				if len(f.matchers) == 0 {
					return c.errAt("Empty arrays are not allowed", tok)
				}
				return nil
			case '{':
				if m, err = c.operator(); err != nil {
					return err
				}
				if m.op == opExists && !m.exists {
					f.existsFalse = true
				}
			default:
				return c.errAt("Match value must be String, number, true, false, or null", tok)
			}
		case string:
			m = matcher{op: opExact, kind: kString, s: t}
		case json.Number:
			v, err := c.number(t, tok)
			if err != nil {
				return err
			}
			m = matcher{op: opExact, kind: kNumber, num: v}
		case bool:
			m = matcher{op: opExact, kind: kFalse}
			if t {
				m.kind = kTrue
			}
		case nil:
			m = matcher{op: opExact, kind: kNull}
		}
		f.matchers = append(f.matchers, m)
	}
}

// number parses a pattern number. EventBridge (Ruler) compares numbers only
// within ±5e9.
func (c *compiler) number(n json.Number, tok json.Token) (float64, error) {
	v, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, c.errAt("Value must be between -5.0E9 and 5.0E9, inclusive", tok)
	}
	return v, nil
}

// operator reads {"op": value} after its '{'.
func (c *compiler) operator() (matcher, error) {
	tok, err := c.dec.Token()
	if err != nil {
		return matcher{}, &Error{Reason: "Filter policy is not valid JSON"}
	}
	name, ok := tok.(string)
	if !ok { // "{}"
		return matcher{}, c.errAt("Empty objects are not allowed", tok)
	}
	var m matcher
	switch name {
	case "prefix", "suffix":
		m, err = c.stringOp(name, name == "prefix")
	case "equals-ignore-case":
		v, _ := c.dec.Token()
		s, ok := v.(string)
		if !ok {
			return m, c.errAt("equals-ignore-case match pattern must be a string", v)
		}
		m = matcher{op: opEqualsIgnoreCase, s: s}
	case "wildcard":
		if c.d.sns() {
			return m, c.errAt("Unrecognized match type wildcard", tok)
		}
		v, _ := c.dec.Token()
		s, ok := v.(string)
		if !ok {
			return m, c.errAt("wildcard match pattern must be a string", v)
		}
		if strings.Contains(s, "**") {
			return m, c.errAt("Consecutive wildcard characters at pos "+strconv.Itoa(strings.Index(s, "**")+1), v)
		}
		m = matcher{op: opWildcard, s: s}
	case "anything-but":
		m, err = c.anythingBut()
	case "numeric":
		m, err = c.numeric()
	case "exists":
		v, _ := c.dec.Token()
		b, ok := v.(bool)
		if !ok {
			return m, c.errAt("exists match pattern must be either true or false.", v)
		}
		m = matcher{op: opExists, exists: b}
	case "cidr":
		v, _ := c.dec.Token()
		s, ok := v.(string)
		if !ok {
			// AWS's wording, recorded as error-condition-bad-type.
			return m, c.errAt("prefix match pattern must be a string", v)
		}
		r, reason := parseCIDR(s)
		if reason != "" {
			return m, &Error{Reason: reason}
		}
		m = matcher{op: opCIDR, cidr: r}
	default:
		return m, c.errAt("Unrecognized match type "+name, c.skipOne())
	}
	if err != nil {
		return m, err
	}
	end, _ := c.dec.Token()
	if end != json.Delim('}') {
		if _, ok := end.(string); ok { // Jackson reads on to the second value
			end = c.skipOne()
		}
		return m, c.errAt("Only one key allowed in match expression", end)
	}
	return m, nil
}

// skipOne consumes one token (used to place the error column as AWS does).
func (c *compiler) skipOne() json.Token {
	t, _ := c.dec.Token()
	return t
}

// stringOp reads the value of prefix or suffix: a string, or (EventBridge)
// {"equals-ignore-case": string}.
func (c *compiler) stringOp(name string, prefix bool) (matcher, error) {
	o := opSuffix
	if prefix {
		o = opPrefix
	}
	v, _ := c.dec.Token()
	if s, ok := v.(string); ok {
		return matcher{op: o, s: s}, nil
	}
	if v == json.Delim('{') && !c.d.sns() {
		k, _ := c.dec.Token()
		s, _ := c.dec.Token()
		str, ok := s.(string)
		if k != "equals-ignore-case" || !ok {
			return matcher{}, c.errAt("Unsupported "+name+" pattern: "+tokText(k), k)
		}
		if e, _ := c.dec.Token(); e != json.Delim('}') {
			return matcher{}, c.errAt("Only one key allowed in match expression", e)
		}
		return matcher{op: o, s: strings.ToLower(str), ignoreCase: true}, nil
	}
	return matcher{}, c.errAt(name+" match pattern must be a string", v)
}

func (c *compiler) anythingBut() (matcher, error) {
	m := matcher{op: opAnythingBut, notOp: opExact}
	v, _ := c.dec.Token()
	switch t := v.(type) {
	case string:
		m.notStrings = []string{t}
	case json.Number:
		f, err := c.number(t, v)
		if err != nil {
			return m, err
		}
		m.notNumbers = []float64{f}
	case json.Delim:
		switch t {
		case '[':
			for {
				e, _ := c.dec.Token()
				switch et := e.(type) {
				case string:
					m.notStrings = append(m.notStrings, et)
					continue
				case json.Number:
					f, err := c.number(et, e)
					if err != nil {
						return m, err
					}
					m.notNumbers = append(m.notNumbers, f)
					continue
				}
				if e == json.Delim(']') && len(m.notStrings)+len(m.notNumbers) > 0 {
					return m, nil
				}
				return m, c.errAt("Inside anything but list, start|null|boolean is not supported.", e)
			}
		case '{':
			k, _ := c.dec.Token()
			name, _ := k.(string)
			switch {
			case name == "prefix", name == "suffix" && !c.d.sns(), name == "wildcard" && !c.d.sns():
				s, _ := c.dec.Token()
				str, ok := s.(string)
				if !ok {
					return m, c.errAt(name+" match pattern must be a string", s)
				}
				m.notOp = map[string]op{"prefix": opPrefix, "suffix": opSuffix, "wildcard": opWildcard}[name]
				m.notStrings = []string{str}
			case name == "equals-ignore-case":
				s, _ := c.dec.Token()
				m.notOp = opEqualsIgnoreCase
				switch st := s.(type) {
				case string:
					m.notStrings = []string{strings.ToLower(st)}
				case json.Delim:
					for st == '[' {
						e, _ := c.dec.Token()
						if e == json.Delim(']') && len(m.notStrings) > 0 {
							break
						}
						es, ok := e.(string)
						if !ok {
							return m, c.errAt("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.", e)
						}
						m.notStrings = append(m.notStrings, strings.ToLower(es))
					}
					if st != '[' {
						return m, c.errAt("equals-ignore-case match pattern must be a string", s)
					}
				default:
					return m, c.errAt("equals-ignore-case match pattern must be a string", s)
				}
			default:
				return m, c.errAt("Unsupported anything-but pattern: "+tokText(k), c.skipOne())
			}
			if e, _ := c.dec.Token(); e != json.Delim('}') {
				return m, c.errAt("Only one key allowed in match expression", e)
			}
		default:
			return m, c.errAt("Value of anything-but must be an array or single string/number value.", v)
		}
	default:
		return m, c.errAt("Value of anything-but must be an array or single string/number value.", v)
	}
	return m, nil
}

// numeric reads ["op", n] or [">"|">=", n, "<"|"<=", n] after "numeric".
// The messages and their order are the recorded ones
// (test_validate_policy_numeric_operator).
func (c *compiler) numeric() (matcher, error) {
	m := matcher{op: opNumeric}
	v, _ := c.dec.Token()
	if v != json.Delim('[') {
		return m, c.errAt("Value of numeric must be an array.", v)
	}
	t, _ := c.dec.Token()
	o, ok := t.(string)
	if !ok {
		return m, c.errAt("Invalid member in numeric match: "+tokText(t), t)
	}
	val := func(o string) (float64, error) {
		n, _ := c.dec.Token()
		num, ok := n.(json.Number)
		if !ok {
			if o == "=" {
				o = "equals" // AWS's wording (error-numeric-type)
			}
			return 0, c.errAt("Value of "+o+" must be numeric", n)
		}
		f, err := c.number(num, n)
		if err == nil && !c.d.sns() && (f < -5e9 || f > 5e9) {
			err = c.errAt("Value must be between -5.0E9 and 5.0E9, inclusive", n)
		}
		return f, err
	}
	switch o {
	case "=", "<", "<=":
		f, err := val(o)
		if err != nil {
			return m, err
		}
		switch o {
		case "=":
			m.lo, m.hi, m.hasLo, m.hasHi, m.loIncl, m.hiIncl = f, f, true, true, true, true
		default:
			m.hi, m.hasHi, m.hiIncl = f, true, o == "<="
		}
		if e, _ := c.dec.Token(); e != json.Delim(']') {
			return m, c.errAt("Too many elements in numeric expression", e)
		}
		return m, nil
	case ">", ">=":
		f, err := val(o)
		if err != nil {
			return m, err
		}
		m.lo, m.hasLo, m.loIncl = f, true, o == ">="
	default:
		return m, c.errAt("Unrecognized numeric range operator: "+o, c.skipOne())
	}
	t, _ = c.dec.Token()
	if t == json.Delim(']') {
		return m, nil
	}
	o2, ok := t.(string)
	if !ok {
		return m, c.errAt("Bad value in numeric range: "+tokText(t), t)
	}
	if o2 != "<" && o2 != "<=" {
		return m, c.errAfter("Bad numeric range operator: " + o2)
	}
	f, err := val(o2)
	if err != nil {
		return m, err
	}
	if f <= m.lo {
		return m, c.errAt("Bottom must be less than top", c.skipOne())
	}
	m.hi, m.hasHi, m.hiIncl = f, true, o2 == "<="
	if e, _ := c.dec.Token(); e != json.Delim(']') {
		return m, c.errAt("Too many terms in numeric range expression", e)
	}
	return m, nil
}

// maxKeys is the most keys any one combination of $or branches uses.
// Only top-level keys count ("For a nested policy, only parent keys are
// counted").
func maxKeys(n *node) int {
	k := 0
	for i, f := range n.fields {
		seen := false
		for _, g := range n.fields[:i] {
			seen = seen || g.path[0] == f.path[0]
		}
		if !seen {
			k++
		}
	}
	for _, g := range n.ors {
		best := 0
		for i := range g {
			best = max(best, maxKeys(&g[i]))
		}
		k += best
	}
	return k
}

// combinations is SNS's complexity measure: the product of the value counts
// of the keys, where an $or group contributes the sum of its branches. It
// saturates instead of overflowing.
func combinations(n *node) int {
	total := 1
	mul := func(v int) {
		if v > 0 && total > math.MaxInt32/v {
			total = math.MaxInt32
			return
		}
		total *= v
	}
	for _, f := range n.fields {
		// AWS counts a nested key's depth as a factor: "3 x 4 x 2 x 3 x 1 x 3
		// = 216" in the SNS constraints page.
		mul(len(f.path) * len(f.matchers))
	}
	for _, g := range n.ors {
		sum := 0
		for i := range g {
			sum = min(sum+combinations(&g[i]), math.MaxInt32)
		}
		mul(sum)
	}
	return total
}

// nested reports whether any key path has more than one element.
func nested(n *node) bool {
	for _, f := range n.fields {
		if len(f.path) > 1 {
			return true
		}
	}
	for _, g := range n.ors {
		for i := range g {
			if nested(&g[i]) {
				return true
			}
		}
	}
	return false
}
