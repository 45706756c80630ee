// Package router is Fogbank's edge router: it finds which service, account
// and region a request is for, and which wire protocol it speaks, from the
// request's headers and URL alone (plus the form body of a query request).
//
// The order follows what AWS front ends and SDKs imply (DESIGN.md, "One
// request, end to end"): the SigV4 credential scope, then X-Amz-Target, then
// the query Action (and Version), then host and path rules, with S3 as the
// fallback because S3 is the one service whose requests carry nothing else.
//
// A Table is built once per server from the services it serves and is
// read-only afterwards, so Route needs no locks.
package router

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
)

// DefaultRegion is the region of requests whose credential scope names none.
const DefaultRegion = "us-east-1"

// KeyOwner says which account owns an access key Fogbank issued (STS
// AssumeRole, IAM CreateAccessKey). The router asks it for keys that are not
// themselves a 12-digit account number.
type KeyOwner interface {
	AccountForKey(accessKey string) (account string, ok bool)
}

// Route is where a request goes.
type Route struct {
	// Candidates are the served services the request may be for, best first.
	// More than one when services share a signing name (ses and sesv2,
	// apigateway and apigatewayv2); the first whose codec resolves the
	// operation wins. Empty when Fogbank does not serve the service.
	Candidates []*api.Service
	// Name is the service as the request named it (signing name, target
	// prefix, …), for the NotImplemented error when Candidates is empty.
	Name string
	// Operation is the operation the request names when that is visible
	// without a codec (X-Amz-Target suffix, or the query Action when it was
	// needed to find the service); may be empty.
	Operation string
	// Protocol is the wire protocol the request is in, when the request's
	// form alone says so ("json" for X-Amz-Target, "query" for a form with
	// an Action); empty for REST requests. See Protocol.
	Protocol  string
	AccessKey string
	Account   string
	Region    string
}

// Table indexes served services by every name a request may use for them.
type Table struct {
	defaultAccount string
	owner          KeyOwner
	bySigning      map[string][]*api.Service
	byTarget       map[string]*api.Service
	byVersion      map[string][]*api.Service // query APIVersion
	query          []*api.Service            // services speaking query, for an Action without Version
}

// aliases maps signing names and endpoint prefixes that differ from the name a
// user would look for to Fogbank's service name, so the NotImplemented error
// for a service not served yet names it the way the user knows it.
var aliases = map[string]string{
	"states":     "sfn",
	"monitoring": "cloudwatch",
	"email":      "ses",
}

// queryVersions names the query-protocol services by API version, so a
// request for one Fogbank does not serve is answered NotImplemented naming
// it (and not sent to the S3 fallback).
var queryVersions = map[string]string{
	"2016-11-15": "ec2",
	"2010-05-15": "cloudformation",
	"2010-08-01": "cloudwatch",
	"2015-02-02": "elasticache",
	"2014-10-31": "rds",
	"2010-12-01": "ses",
	"2010-05-08": "iam",
	"2010-03-31": "sns",
	"2012-11-05": "sqs",
	"2011-06-15": "sts",
	"2012-06-01": "elasticloadbalancing",
	"2015-12-01": "elasticloadbalancingv2",
	"2011-01-01": "autoscaling",
	"2012-12-01": "redshift",
	"2013-01-01": "cloudsearch",
	"2014-11-06": "docdb",
}

// NewTable indexes svcs. defaultAccount is the account of requests whose key
// names none; owner may be nil.
func NewTable(svcs []*api.Service, defaultAccount string, owner KeyOwner) *Table {
	t := &Table{
		defaultAccount: defaultAccount,
		owner:          owner,
		bySigning:      map[string][]*api.Service{},
		byTarget:       map[string]*api.Service{},
		byVersion:      map[string][]*api.Service{},
	}
	for _, s := range svcs {
		names := []string{s.Name, s.SigningName, s.EndpointPrefix}
		seen := map[string]bool{}
		for _, n := range names {
			if n == "" || seen[n] {
				continue
			}
			seen[n] = true
			t.bySigning[n] = append(t.bySigning[n], s)
		}
		if s.TargetPrefix != "" {
			t.byTarget[s.TargetPrefix] = s
		}
		for _, p := range s.Protocols {
			if p == "query" || p == "ec2" {
				t.byVersion[s.APIVersion] = append(t.byVersion[s.APIVersion], s)
				t.query = append(t.query, s)
				break
			}
		}
		for p, v := range s.Variants {
			if p == "query" && v.APIVersion != "" && v.APIVersion != s.APIVersion {
				t.byVersion[v.APIVersion] = append(t.byVersion[v.APIVersion], s)
			}
		}
	}
	return t
}

// Route finds where r goes. form returns the parsed form body of a
// form-encoded request (nil for others); it is called only when the headers
// and URL do not already name the service. The error, an *api.Error, is for
// an Authorization header or presigned credential that cannot be read; the
// Route returned with it is still filled in as far as the rest of the request
// allows, so the error can be written in the service's protocol.
func (t *Table) Route(r *http.Request, form func() url.Values) (Route, error) {
	var rt Route
	cred, credErr := ParseAuthorization(r.Header.Get("Authorization"))
	if credErr == nil && cred == (Credential{}) {
		var err error
		cred, _, err = ParsePresigned(r.URL.Query())
		if err != nil {
			credErr = err
		}
	}
	rt.AccessKey = cred.AccessKey
	rt.Region = cred.Region
	if rt.Region == "" {
		if rs := r.Header.Get("X-Amz-Region-Set"); rs != "" && rs != "*" {
			rt.Region, _, _ = strings.Cut(rs, ",")
		}
	}
	if rt.Region == "" {
		rt.Region = DefaultRegion
	}
	rt.Account = t.account(cred.AccessKey)

	target := r.Header.Get("X-Amz-Target")
	tprefix, top, _ := strings.Cut(target, ".")
	if target != "" {
		rt.Protocol = "json"
		rt.Operation = top
	} else if isJSONContent(r.Header.Get("Content-Type")) {
		rt.Protocol = "json"
	}

	// 1. The credential scope.
	if cred.Service != "" {
		rt.Name = cred.Service
		rt.Candidates = t.bySigning[cred.Service]
	}
	// 2. X-Amz-Target.
	if rt.Name == "" && target != "" {
		rt.Name = targetServiceName(tprefix)
		if s := t.byTarget[tprefix]; s != nil {
			rt.Name = s.Name
			rt.Candidates = []*api.Service{s}
		}
	}
	// 3. The query Action, in the URL or a form body. The form is parsed
	// here only when nothing before named the service: the query codec
	// parses it anyway, and doing it twice on the hot path is waste.
	if target == "" {
		if isFormContent(r.Header.Get("Content-Type")) || r.URL.Query().Has("Action") {
			rt.Protocol = "query"
		}
		if rt.Name == "" {
			if action, version := queryAction(r, form); action != "" {
				rt.Protocol = "query"
				rt.Operation = action
				rt.Name, rt.Candidates = t.byAction(action, version)
				if rt.Name == "" {
					rt.Name = queryVersions[version]
				}
				if rt.Name == "" {
					rt.Name = "unknown"
				}
			}
		}
	}
	// 4. Host and path rules, S3 last.
	if rt.Name == "" {
		if name, region := t.hostService(r.Host); name != "" {
			rt.Name = name
			rt.Candidates = t.bySigning[name]
			if cred.Region == "" && region != "" {
				rt.Region = region
			}
		}
	}
	if rt.Name == "" {
		rt.Name = hostPathService(r)
		rt.Candidates = t.bySigning[rt.Name]
	}
	if a, ok := aliases[rt.Name]; ok && len(rt.Candidates) == 0 {
		rt.Name = a
		rt.Candidates = t.bySigning[a]
	}
	rt.Candidates = preferProtocol(rt.Candidates, rt.Protocol, target)
	return rt, credErr
}

// account is the account an access key acts for: the key itself when it is
// 12 digits (the convention LocalStack users rely on), else the account that
// owns the key, else the default.
func (t *Table) account(ak string) string {
	if IsAccountID(ak) {
		return ak
	}
	if ak != "" && t.owner != nil {
		if a, ok := t.owner.AccountForKey(ak); ok {
			return a
		}
	}
	return t.defaultAccount
}

// byAction finds the query service for an Action, by Version when the request
// has one, else by the first query service with that operation.
func (t *Table) byAction(action, version string) (string, []*api.Service) {
	if version != "" {
		if ss := t.byVersion[version]; len(ss) > 0 {
			return ss[0].Name, ss
		}
	}
	for _, s := range t.query {
		if s.For("query").Operation(action) != nil {
			return s.Name, []*api.Service{s}
		}
	}
	return "", nil
}

// hostService reads AWS-style hostnames, "<endpoint prefix>.<region>.<domain>"
// (sqs.us-east-1.amazonaws.com, sqs.eu-west-1.localhost.localstack.cloud),
// for requests that carry no signature: the first label must be a served
// service's endpoint prefix and the second look like a region.
func (t *Table) hostService(host string) (name, region string) {
	prefix, rest, ok := strings.Cut(host, ".")
	if !ok || len(t.bySigning[prefix]) == 0 {
		return "", ""
	}
	region, _, _ = strings.Cut(rest, ".")
	if !looksLikeRegion(region) {
		return "", ""
	}
	return t.bySigning[prefix][0].Name, region
}

// looksLikeRegion reports whether s has a region's form: "us-east-1",
// "ap-southeast-2", "us-gov-west-1".
func looksLikeRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 {
		return false
	}
	last := parts[len(parts)-1]
	if last == "" || strings.Trim(last, "0123456789") != "" {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz") != "" {
			return false
		}
	}
	return true
}

// queryAction returns the Action and Version of a query request: from the URL,
// else from a form body.
func queryAction(r *http.Request, form func() url.Values) (action, version string) {
	q := r.URL.Query()
	if a := q.Get("Action"); a != "" {
		return a, q.Get("Version")
	}
	if form == nil || !isFormContent(r.Header.Get("Content-Type")) {
		return "", ""
	}
	f := form()
	return f.Get("Action"), f.Get("Version")
}

// hostPathService applies the host and path rules for requests that name no
// service otherwise.
func hostPathService(r *http.Request) string {
	host := r.Host
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(h, "]") {
		host = h
	}
	switch {
	case strings.Contains(host, ".execute-api."):
		return "execute-api"
	case strings.Contains(host, ".lambda-url."):
		return "lambda"
	}
	p := r.URL.Path
	if strings.HasPrefix(p, "/2015-03-31/") || strings.HasPrefix(p, "/2018-06-01/runtime/") ||
		strings.HasPrefix(p, "/2017-10-31/") || strings.HasPrefix(p, "/2018-10-31/layers") {
		return "lambda"
	}
	if isQueueURLPath(p) {
		return "sqs"
	}
	return "s3"
}

// LambdaURLHost reads a function URL's host,
// "<url-id>.lambda-url.<region>.<domain>[:port]" (AWS's domain is on.aws;
// any other serves locally), and returns the URL id.
func LambdaURLHost(host string) (id string, ok bool) {
	if h, _, found := strings.Cut(host, ":"); found && !strings.Contains(h, "]") {
		host = h
	}
	id, rest, _ := strings.Cut(host, ".")
	svc, rest, _ := strings.Cut(rest, ".")
	region, _, _ := strings.Cut(rest, ".")
	if id == "" || svc != "lambda-url" || !looksLikeRegion(region) {
		return "", false
	}
	return id, true
}

// isQueueURLPath reports whether p is /<12-digit account>/<queue name>.
func isQueueURLPath(p string) bool {
	acct, name, ok := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	return ok && IsAccountID(acct) && name != "" && !strings.Contains(name, "/")
}

// preferProtocol orders candidates so the one that speaks the request's
// protocol comes first: with an X-Amz-Target, the one whose prefix matches;
// for a request in no RPC protocol (no target, no Action), a REST service.
func preferProtocol(cs []*api.Service, proto, target string) []*api.Service {
	if len(cs) < 2 {
		return cs
	}
	out := make([]*api.Service, 0, len(cs))
	var rest []*api.Service
	for _, s := range cs {
		if (target != "" && s.TargetPrefix != "" && strings.HasPrefix(target, s.TargetPrefix+".")) ||
			(target == "" && proto != "" && s.Speaks(proto)) ||
			(proto == "" && (s.Speaks("rest-json") || s.Speaks("rest-xml"))) {
			out = append(out, s)
		} else {
			rest = append(rest, s)
		}
	}
	return append(out, rest...)
}

// Protocol picks the wire protocol of a request for svc: JSON when the
// request has an X-Amz-Target or a JSON content type and svc speaks json,
// query when it is a form (or URL) with an Action and svc speaks query, else
// svc's REST protocol, else svc's preferred one.
func Protocol(svc *api.Service, hint string) string {
	if hint != "" && svc.Speaks(hint) {
		return hint
	}
	for _, p := range []string{"rest-json", "rest-xml"} {
		if svc.Speaks(p) {
			return p
		}
	}
	if len(svc.Protocols) > 0 {
		return svc.Protocols[0]
	}
	return ""
}

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isJSONContent(ct string) bool {
	return strings.HasPrefix(ct, "application/x-amz-json")
}

func isFormContent(ct string) bool {
	return strings.HasPrefix(ct, "application/x-www-form-urlencoded")
}

// targetServiceName turns an X-Amz-Target prefix of a service Fogbank does
// not serve into the name users know it by, for the NotImplemented message:
// "DynamoDB_20120810" → "dynamodb".
func targetServiceName(prefix string) string {
	if i := strings.LastIndexByte(prefix, '_'); i > 0 && len(prefix)-i-1 == 8 && strings.Trim(prefix[i+1:], "0123456789") == "" {
		prefix = prefix[:i]
	}
	return strings.ToLower(prefix)
}
