package lambda

import (
	"context"
	"regexp"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
)

// fnNameRE is the model's FunctionName pattern (with '.' in names, as the
// newer operations allow), anchored; the validator has already checked the
// operation's own pattern, so this only splits. Groups: 3 region+":",
// 9 account+":", 11 name, 13 qualifier.
var fnNameRE = regexp.MustCompile(`^(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$`)

// fnRef names a function, and optionally a version or alias, in a scope.
type fnRef struct {
	account, region, name string
	// qualifier is "" (unqualified), "$LATEST", a version number or an alias.
	qualifier string
}

func (r fnRef) key() fnKey { return fnKey{r.account, r.region, r.name} }

// arn is the unqualified function ARN.
func (r fnRef) arn() string { return fnARN(r.account, r.region, r.name) }

// qarn is the ARN with the qualifier, if any.
func (r fnRef) qarn() string {
	if r.qualifier == "" {
		return r.arn()
	}
	return r.arn() + ":" + r.qualifier
}

// latestARN is the qualified ARN, $LATEST when unqualified.
func (r fnRef) latestARN() string {
	if r.qualifier == "" {
		return r.arn() + ":$LATEST"
	}
	return r.qarn()
}

func fnARN(account, region, name string) string {
	return "arn:aws:lambda:" + region + ":" + account + ":function:" + name
}

// ref reads a FunctionName (name, name:qualifier, partial or full ARN) and
// an optional Qualifier parameter in the caller's scope, with AWS's errors:
// an ARN of another region is not reachable, another account is denied, a
// qualifier in the name must agree with the parameter.
func ref(ctx context.Context, name *string, qualifier *string) (fnRef, error) {
	c := call(ctx)
	n := api.ToString(name)
	m := fnNameRE.FindStringSubmatch(n)
	if m == nil {
		return fnRef{}, validation("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", n)
	}
	r := fnRef{account: c.Account, region: c.Region, name: m[11], qualifier: m[13]}
	if reg := strings.TrimSuffix(m[3], ":"); reg != "" && reg != c.Region {
		return fnRef{}, notFound("Functions from '%s' are not reachable in this region ('%s')", reg, c.Region)
	}
	if acct := strings.TrimSuffix(m[9], ":"); acct != "" && acct != c.Account {
		return fnRef{}, &api.Error{Code: "AccessDeniedException", Status: 403, Sender: true}
	}
	if q := api.ToString(qualifier); q != "" {
		if r.qualifier != "" && r.qualifier != q {
			return fnRef{}, qualifierMismatch()
		}
		r.qualifier = q
	}
	return r, nil
}

// call returns the request's Call; in-process callers set one too, but a
// missing one is not a panic.
func call(ctx context.Context) *api.Call {
	if c := api.CallFrom(ctx); c != nil {
		return c
	}
	return &api.Call{Account: "000000000000", Region: "us-east-1", Protocol: "rest-json"}
}

// isVersionNumber reports whether q names a published version.
func isVersionNumber(q string) bool {
	if q == "" {
		return false
	}
	for _, c := range q {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
