// Package eventpattern compiles and matches the JSON pattern language shared by
// SNS subscription filter policies and EventBridge event patterns.
//
// The reason this exists: both services (and later Lambda event-source
// filters) use the same language, derived from AWS's Ruler library, and they
// differ only in which operators they accept and which limits they enforce.
// One engine, selected by a [Dialect], keeps the semantics identical
// everywhere. quamina is not available and lacks numeric, suffix, cidr, $or
// and anything-but prefix/suffix (see LIBRARIES.md).
//
// Invariants:
//   - Compile never panics. Every rejected pattern yields an *Error whose
//     Reason is AWS's wording (without the service prefix such as
//     "Invalid parameter: FilterPolicy: " or "Event pattern is not valid.
//     Reason: ", which the calling service adds).
//   - A *Pattern is immutable after Compile and safe for concurrent Match.
//   - Match does not allocate for patterns whose keys and event strings need
//     no JSON unescaping, and uses no reflection: the event is scanned in
//     place, once per pattern field.
//   - A pattern is an AND across keys, an OR within one key's list, and an
//     AND of "$or" groups each of which is an OR of alternatives.
//
// See docs/eventpattern.md for the semantics and dialect differences.
package eventpattern

import "strconv"

// Dialect selects the operators and limits of one AWS service.
type Dialect int

const (
	// SNSAttributes is an SNS filter policy with FilterPolicyScope
	// MessageAttributes: top-level keys name message attributes.
	SNSAttributes Dialect = iota
	// SNSBody is an SNS filter policy with FilterPolicyScope MessageBody:
	// nested keys address the JSON message body.
	SNSBody
	// EventBridge is an EventBridge rule's event pattern.
	EventBridge
)

func (d Dialect) sns() bool { return d == SNSAttributes || d == SNSBody }

// SNS limits, as documented under "Filter policy constraints" and recorded in
// test_sns_filter_policy.snapshot.json (test_policy_complexity,
// test_sub_filter_policy_nested_property_constraints).
const (
	snsMaxKeys         = 5
	snsMaxCombinations = 150
	// maxDepth bounds recursion in Compile; deeper patterns are refused as
	// too complex rather than risking the stack on hostile input.
	maxDepth = 64
)

// Error is a rejected pattern. Reason is AWS's message; Column is the
// 1-based column Jackson reports in AWS's "at [Source: …; column: N]" suffix,
// best effort (0 when AWS reports none).
type Error struct {
	Reason string
	Column int
	// Unprefixed marks reasons AWS reports without the "FilterPolicy: "
	// prefix (the MessageAttributes-scope nesting error).
	Unprefixed bool
}

func (e *Error) Error() string {
	if e.Column == 0 {
		return e.Reason
	}
	return e.Reason + " (column " + strconv.Itoa(e.Column) + ")"
}

// Pattern is a compiled pattern. The zero value is not usable; use Compile.
type Pattern struct {
	root    node
	dialect Dialect
}

// node is an AND of fields and of $or groups.
type node struct {
	fields []field
	ors    [][]node // each group: one alternative must match
}

// field is one key path and the OR of its matchers.
type field struct {
	path        []string
	key         string // path joined with "."
	matchers    []matcher
	existsFalse bool // some matcher is {"exists": false}
}

type kind uint8

const (
	kString kind = iota
	kNumber
	kTrue
	kFalse
	kNull
	kOther // binary attribute, or anything not comparable
)

type op uint8

const (
	opExact op = iota
	opPrefix
	opSuffix
	opEqualsIgnoreCase
	opAnythingBut
	opNumeric
	opExists
	opCIDR
	opWildcard
)

type matcher struct {
	op         op
	kind       kind   // for opExact: the literal's kind
	s          string // string literal, prefix, suffix, wildcard
	num        float64
	ignoreCase bool // prefix/suffix with equals-ignore-case
	exists     bool
	// numeric range; lo/hi unused when the has* flag is false.
	lo, hi         float64
	hasLo, hasHi   bool
	loIncl, hiIncl bool
	// anything-but: the excluded values, or one nested string operator.
	notStrings []string
	notNumbers []float64
	notOp      op // opExact (value list), opPrefix, opSuffix, opEqualsIgnoreCase, opWildcard
	cidr       cidrRange
}
