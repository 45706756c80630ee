package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/lambdaruntime"
	"github.com/fogbank/fogbank/internal/router"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/uuid"
)

// Function URLs served over plain HTTP, as AWS serves
// https://<url-id>.lambda-url.<region>.on.aws/: the request becomes the
// payload format 2.0 event, the function's answer becomes the HTTP response.
//
// Two forms reach the same handler. The path form,
// <server>/_fogbank/lambda-url/<url-id>/<path>, is what FunctionUrl reports,
// because *.localhost names do not resolve everywhere and a plain HTTP client
// must be able to use the URL as given. The host form, a request whose Host is
// <url-id>.lambda-url.<region>.<anything>, is turned into the path form by the
// server's dispatch (router.LambdaURLHost), so a client that sets the Host
// header (or a resolver that maps the name to 127.0.0.1) sees AWS's URLs.

// urlPathPrefix is the path form's prefix; the URL id follows.
const urlPathPrefix = "/_fogbank/lambda-url/"

// urlRef is what a URL id points at: a function and the URL's qualifier
// ("" or an alias).
type urlRef struct {
	key       fnKey
	qualifier string
}

// urlIDOf reads the URL id out of a stored FunctionUrl
// ("https://<id>.lambda-url.<region>.on.aws/").
func urlIDOf(u *lambdaapi.FunctionUrlConfig) string {
	s := strings.TrimPrefix(api.ToString(u.FunctionUrl), "https://")
	id, _, _ := strings.Cut(s, ".")
	return id
}

// indexURLs keeps Service.mu.urls in step when old is replaced by f (either
// may be nil). The caller holds mu.
func (s *Service) indexURLs(old, f *function) {
	if old != nil {
		for _, u := range old.URLs {
			delete(s.mu.urls, urlIDOf(u))
		}
	}
	if f != nil {
		for q, u := range f.URLs {
			s.mu.urls[urlIDOf(u)] = urlRef{key: f.key(), qualifier: q}
		}
	}
}

// servedURL is the FunctionUrl answered to clients: the path form on this
// server (see the comment above), or AWS's form when the server's address is
// unknown (a Service used outside a server).
func (s *Service) servedURL(stored *string) *string {
	base := strings.TrimSuffix(s.endpoint(), "/")
	if base == "" || stored == nil {
		return stored
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(*stored, "https://"), ".")
	return api.String(base + urlPathPrefix + id + "/")
}

// urlOut is a URL configuration as the API reports it.
func (s *Service) urlOut(u *lambdaapi.FunctionUrlConfig) *lambdaapi.FunctionUrlConfig {
	c := *u
	c.FunctionUrl = s.servedURL(u.FunctionUrl)
	return &c
}

// isURLRequest reports whether r is for a function URL, in either form.
func isURLRequest(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, urlPathPrefix) {
		return true
	}
	_, ok := router.LambdaURLHost(r.Host)
	return ok
}

// ServeCORS implements server.CORSOwner: function URL requests are claimed so
// that the server-wide CORS answer never replaces the URL's own CORS
// configuration, which serveURL applies.
func (s *Service) ServeCORS(_ http.ResponseWriter, r *http.Request) (owned, done bool) {
	return isURLRequest(r), false
}

// failed is AWS's answer when the function fails or answers what a URL
// cannot use: 502 with a bare "Internal Server Error".
func failed(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = io.WriteString(w, "Internal Server Error")
}

// urlMessage writes the small JSON error documents function URLs answer.
func urlMessage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"Message": msg})
	_, _ = w.Write(b)
}

// forbiddenMessage is AWS's recorded answer when a URL's auth refuses a
// request (no public permission, no signature, a deleted alias's URL).
const forbiddenMessage = "Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"

// forbidden answers 403 as AWS does: AccessDeniedException, with the
// troubleshooting message, or "Message": null for a URL id that does not
// exist at all.
func forbidden(w http.ResponseWriter, known bool) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Errortype", "AccessDeniedException")
	w.WriteHeader(http.StatusForbidden)
	if !known {
		_, _ = io.WriteString(w, `{"Message":null}`)
		return
	}
	b, _ := json.Marshal(map[string]string{"Message": forbiddenMessage})
	_, _ = w.Write(b)
}

// serveURL serves one request to a function URL.
func (s *Service) serveURL(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), urlPathPrefix)
	id, rawPath, _ := strings.Cut(rest, "/")
	rawPath = "/" + rawPath
	if s.env.Logger != nil {
		// One log line per request, as the API pipeline writes for API
		// calls (URL requests do not go through it).
		start := time.Now()
		sw := &server.StatusRecorder{ResponseWriter: w}
		w = sw
		defer func() {
			level := slog.LevelInfo
			if sw.Code() >= 500 {
				level = slog.LevelWarn
			}
			s.env.Logger.Log(r.Context(), level, "request", "operation", "InvokeFunctionUrl",
				"url_id", id, "method", r.Method, "path", rawPath, "status", sw.Code(),
				"duration", time.Since(start), "request_id", w.Header().Get("X-Amzn-Requestid"))
		}()
	}

	s.mu.RLock()
	ref, ok := s.mu.urls[id]
	f := s.mu.fns[ref.key]
	s.mu.RUnlock()
	if !ok || f == nil || f.URLs[ref.qualifier] == nil {
		forbidden(w, false)
		return
	}
	cfg := f.URLs[ref.qualifier]
	requestID := uuid.New()
	w.Header().Set("X-Amzn-Requestid", requestID)

	// CORS preflights are answered before authorization, as browsers never
	// sign them.
	if cfg.Cors != nil && r.Method == http.MethodOptions && r.Header.Get("Origin") != "" &&
		r.Header.Get("Access-Control-Request-Method") != "" {
		preflight(w, r, cfg.Cors)
		return
	}

	caller, allowed := s.authorizeURL(f, ref.qualifier, cfg, r)
	if !allowed {
		forbidden(w, true)
		return
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxSyncPayload+1))
	if err != nil {
		urlMessage(w, http.StatusBadRequest, "Bad Request")
		return
	}
	event := s.urlEvent(r, f, id, rawPath, requestID, caller, body)
	payload, err := json.Marshal(event)
	if err != nil || len(payload) > maxSyncPayload {
		urlMessage(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", maxSyncPayload))
		return
	}

	v, e := s.target(f, fnRef{account: f.Account, region: f.Region, name: f.Name, qualifier: ref.qualifier})
	if e != nil {
		failed(w)
		return
	}
	if s.engine == nil {
		urlMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	release, ae := s.conc.acquire(f)
	if ae != nil {
		urlMessage(w, http.StatusTooManyRequests, "Rate Exceeded.")
		return
	}
	defer release()
	corsHeaders(w.Header(), r, cfg.Cors)
	inv := invocation{f: f, v: v, payload: payload}

	if api.ToString(cfg.InvokeMode) == lambdaapi.InvokeModeRESPONSESTREAM {
		sw := &urlStream{w: w, cors: cfg.Cors != nil}
		res, err := s.runAcquired(r.Context(), inv, requestID, sw)
		if sw.started || (err == nil && res.FunctionError == "") {
			// A handler that did not stream: its answer is the body as
			// it is, not read as statusCode/headers as a buffered URL would.
			if !sw.started && sw.buf.Len() == 0 {
				_, _ = sw.Write(res.Payload)
			}
			sw.finish()
			return
		}
		writeURLResult(w, res, err, false)
		return
	}
	res, err := s.runAcquired(r.Context(), inv, requestID, nil)
	writeURLResult(w, res, err, cfg.Cors != nil)
}

// authorizeURL applies the URL's AuthType. AWS_IAM needs a SigV4-signed
// request (Authorization header or presigned query); signatures are not
// verified, as nowhere in Fogbank. NONE needs a resource-policy statement
// letting anyone (Principal "*") call lambda:InvokeFunctionUrl on the URL's
// function or alias, as AWS requires for public URLs. caller is the signer's key and account.
func (s *Service) authorizeURL(f *function, qualifier string, cfg *lambdaapi.FunctionUrlConfig, r *http.Request) (caller *router.Credential, ok bool) {
	if api.ToString(cfg.AuthType) == lambdaapi.FunctionUrlAuthTypeAWSIAM {
		cred, err := router.ParseAuthorization(r.Header.Get("Authorization"))
		if err == nil && cred.AccessKey == "" {
			cred, _, err = router.ParsePresigned(r.URL.Query())
		}
		if err != nil || cred.AccessKey == "" {
			return nil, false
		}
		return &cred, true
	}
	// The URL's own resource decides: an alias URL needs a statement on the
	// alias (the function's policy names the unqualified ARN only).
	p := f.Policies[qualifier]
	return nil, p != nil && p.allowsPublicURL()
}

// allowsPublicURL reports whether a statement lets an anonymous caller
// invoke the function URL: Allow, Principal "*", an action covering
// lambda:InvokeFunctionUrl, and no condition an anonymous request cannot
// meet (lambda:FunctionUrlAuthType, when present, must be NONE).
func (p *policy) allowsPublicURL() bool {
	for _, st := range p.Statements {
		if st.Effect != "Allow" {
			continue
		}
		switch st.Action {
		case "lambda:InvokeFunctionUrl", "lambda:*", "*":
		default:
			continue
		}
		var pr any
		if json.Unmarshal(st.Principal, &pr) != nil {
			continue
		}
		if m, ok := pr.(map[string]any); ok {
			pr = m["AWS"]
		}
		if pr != "*" {
			continue
		}
		met := true
		for op, conds := range st.Condition {
			for k, v := range conds {
				if op != "StringEquals" || k != "lambda:FunctionUrlAuthType" || v != lambdaapi.FunctionUrlAuthTypeNONE {
					met = false
				}
			}
		}
		if met {
			return true
		}
	}
	return false
}

// urlEvent is the payload format 2.0 event AWS sends for a function URL
// request. Field order follows AWS's.
type urlEvent struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	RequestContext        urlRequestContext `json:"requestContext"`
	Body                  *string           `json:"body,omitempty"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

type urlRequestContext struct {
	AccountID    string         `json:"accountId"`
	APIID        string         `json:"apiId"`
	Authorizer   *urlAuthorizer `json:"authorizer,omitempty"`
	DomainName   string         `json:"domainName"`
	DomainPrefix string         `json:"domainPrefix"`
	HTTP         urlHTTP        `json:"http"`
	RequestID    string         `json:"requestId"`
	RouteKey     string         `json:"routeKey"`
	Stage        string         `json:"stage"`
	Time         string         `json:"time"`
	TimeEpoch    int64          `json:"timeEpoch"`
}

type urlAuthorizer struct {
	IAM urlIAM `json:"iam"`
}

type urlIAM struct {
	AccessKey       string  `json:"accessKey"`
	AccountID       string  `json:"accountId"`
	CallerID        string  `json:"callerId"`
	CognitoIdentity *string `json:"cognitoIdentity"`
	PrincipalOrgID  *string `json:"principalOrgId"`
	UserArn         string  `json:"userArn"`
	UserID          string  `json:"userId"`
}

type urlHTTP struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// urlEvent builds the event for r. Headers are lower-cased and repeated
// ones comma-joined; the Cookie header becomes cookies; repeated query
// parameters are comma-joined; a body that is not text goes base64.
func (s *Service) urlEvent(r *http.Request, f *function, id, rawPath, requestID string, caller *router.Credential, body []byte) *urlEvent {
	now := s.now().UTC()
	host := r.Host
	domain := id + ".lambda-url." + f.Region + ".on.aws"
	if _, ok := router.LambdaURLHost(host); ok {
		domain = hostOnly(host)
	}
	sourceIP := hostOnly(r.RemoteAddr)
	ev := &urlEvent{
		Version: "2.0", RouteKey: "$default", RawPath: rawPath, RawQueryString: r.URL.RawQuery,
		Headers: map[string]string{},
		RequestContext: urlRequestContext{
			AccountID: "anonymous", APIID: id, DomainName: domain, DomainPrefix: id,
			HTTP: urlHTTP{
				Method: r.Method, Path: rawPath, Protocol: r.Proto, SourceIP: sourceIP, UserAgent: r.UserAgent(),
			},
			RequestID: requestID, RouteKey: "$default", Stage: "$default",
			Time: now.Format("02/Jan/2006:15:04:05 -0700"), TimeEpoch: now.UnixMilli(),
		},
	}
	if caller != nil {
		acct := f.Account
		if router.IsAccountID(caller.AccessKey) {
			acct = caller.AccessKey
		}
		ev.RequestContext.AccountID = acct
		ev.RequestContext.Authorizer = &urlAuthorizer{IAM: urlIAM{
			AccessKey: caller.AccessKey, AccountID: acct, CallerID: acct,
			UserArn: "arn:aws:iam::" + acct + ":root", UserID: acct,
		}}
	}
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						ev.Cookies = append(ev.Cookies, c)
					}
				}
			}
			continue
		}
		ev.Headers[lk] = strings.Join(vs, ",")
	}
	ev.Headers["host"] = host
	if _, ok := ev.Headers["x-forwarded-for"]; !ok {
		ev.Headers["x-forwarded-for"] = sourceIP
	}
	ev.Headers["x-forwarded-proto"] = "http"
	if _, port, err := net.SplitHostPort(host); err == nil {
		ev.Headers["x-forwarded-port"] = port
	}
	ev.Headers["x-amzn-trace-id"] = "Root=1-" + strconv.FormatInt(now.Unix(), 16) + "-" + strings.ReplaceAll(requestID, "-", "")[:24]
	if q := r.URL.Query(); len(q) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(q))
		for k, vs := range q {
			ev.QueryStringParameters[k] = strings.Join(vs, ",")
		}
	}
	if len(body) > 0 {
		var b string
		if isTextBody(r.Header.Get("Content-Type"), body) {
			b = string(body)
		} else {
			b = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
		ev.Body = &b
	}
	return ev
}

// isTextBody reports whether a request body goes to the function as text:
// a textual content type (text/*, JSON, XML, JavaScript, form) or none at
// all, and valid UTF-8 either way.
func isTextBody(ct string, body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	ct = strings.ToLower(ct)
	if ct == "" {
		return true
	}
	for _, t := range []string{"text/", "json", "xml", "javascript", "x-www-form-urlencoded", "yaml", "csv"} {
		if strings.Contains(ct, t) {
			return true
		}
	}
	return false
}

func hostOnly(hp string) string {
	if h, _, err := net.SplitHostPort(hp); err == nil {
		return h
	}
	return hp
}

// urlResponse is the structured answer a function may give a URL.
type urlResponse struct {
	StatusCode      *statusCode       `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Cookies         []string          `json:"cookies"`
	Body            *string           `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

// statusCode is a response's statusCode: a number, or a string holding one
// (AWS answers 418 for "418").
type statusCode int

func (c *statusCode) UnmarshalJSON(b []byte) error {
	var n json.Number
	if len(b) > 0 && b[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		n = json.Number(strings.TrimSpace(str))
	} else if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	v, err := strconv.Atoi(string(n))
	if err != nil {
		return fmt.Errorf("statusCode %s: %w", b, err)
	}
	*c = statusCode(v)
	return nil
}

// valid reports whether c is an HTTP status.
func (c *statusCode) valid() bool { return c != nil && *c >= 100 && *c <= 599 }

// writeURLResult turns an invoke's outcome into the HTTP response, as AWS
// interprets it: a function error (or a response it cannot read) is 502, a
// throttle 429; a JSON object with statusCode is the response's status,
// headers, cookies and body; any other value is a 200 application/json body
// (a JSON string is the body's text). With cors (the URL has a CORS
// configuration) the function's own Access-Control-* headers are dropped:
// the configuration's apply, as AWS documents.
func writeURLResult(w http.ResponseWriter, res lambdaruntime.Result, err error, cors bool) {
	if err != nil {
		var ae *api.Error
		if errors.As(err, &ae) && ae.Code == "TooManyRequestsException" {
			urlMessage(w, http.StatusTooManyRequests, "Rate Exceeded.")
			return
		}
		if errors.Is(err, context.Canceled) {
			return
		}
		failed(w)
		return
	}
	if res.FunctionError != "" {
		failed(w)
		return
	}
	status, hdr, body, ok := mapURLPayload(res.Payload)
	if !ok {
		failed(w)
		return
	}
	for k, vs := range hdr {
		if cors && isCORSHeader(k) {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// mapURLPayload reads a function's answer; ok is false when it claims a
// structured response (statusCode) that cannot be used.
func mapURLPayload(p []byte) (status int, hdr http.Header, body []byte, ok bool) {
	hdr = http.Header{}
	p = bytes.TrimSpace(p)
	if len(p) == 0 {
		p = []byte("null")
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(p, &probe) == nil && probe["statusCode"] != nil {
		var ur urlResponse
		if json.Unmarshal(p, &ur) != nil || !ur.StatusCode.valid() {
			return 0, nil, nil, false
		}
		for k, v := range ur.Headers {
			hdr.Set(k, v)
		}
		for _, c := range ur.Cookies {
			hdr.Add("Set-Cookie", c)
		}
		if hdr.Get("Content-Type") == "" {
			hdr.Set("Content-Type", "application/json")
		}
		if ur.Body != nil {
			body = []byte(*ur.Body)
			if ur.IsBase64Encoded {
				b, err := base64.StdEncoding.DecodeString(*ur.Body)
				if err != nil {
					return 0, nil, nil, false
				}
				body = b
			}
		}
		return int(*ur.StatusCode), hdr, body, true
	}
	hdr.Set("Content-Type", "application/json")
	var str string
	if p[0] == '"' && json.Unmarshal(p, &str) == nil {
		return http.StatusOK, hdr, []byte(str), true
	}
	// AWS sends the value in compact form (recorded: a Python dict's
	// {"hello": "world"} arrives as {"hello":"world"}).
	var compact bytes.Buffer
	if json.Compact(&compact, p) == nil {
		p = compact.Bytes()
	}
	return http.StatusOK, hdr, p, true
}

// preflight answers a CORS preflight from the URL's configuration: the
// allowed origin, methods, headers and max age when the origin is allowed;
// no CORS headers (so the browser refuses) when it is not.
func preflight(w http.ResponseWriter, r *http.Request, c *lambdaapi.Cors) {
	h := w.Header()
	origin := r.Header.Get("Origin")
	if allowOrigin(c, origin) != "" && methodAllowed(c, r.Header.Get("Access-Control-Request-Method")) {
		h.Set("Access-Control-Allow-Origin", allowOrigin(c, origin))
		h.Set("Access-Control-Allow-Methods", strings.Join(c.AllowMethods, ","))
		if len(c.AllowHeaders) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(c.AllowHeaders, ","))
		}
		if c.MaxAge != nil {
			h.Set("Access-Control-Max-Age", strconv.Itoa(int(*c.MaxAge)))
		}
		if api.ToBool(c.AllowCredentials) {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if len(c.ExposeHeaders) > 0 {
			h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
		}
		h.Add("Vary", "Origin")
	}
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// corsHeaders sets the CORS headers of an actual request's response when
// the URL has CORS configured and the request's origin is allowed.
func corsHeaders(h http.Header, r *http.Request, c *lambdaapi.Cors) {
	origin := r.Header.Get("Origin")
	if c == nil || origin == "" {
		return
	}
	ao := allowOrigin(c, origin)
	if ao == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", ao)
	if len(c.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
	}
	if api.ToBool(c.AllowCredentials) {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Add("Vary", "Origin")
}

// isCORSHeader reports whether a response header is one a URL's CORS
// configuration decides.
func isCORSHeader(k string) bool {
	return strings.HasPrefix(strings.ToLower(k), "access-control-")
}

// allowOrigin is the Access-Control-Allow-Origin value for origin, "" when
// the configuration does not allow it.
func allowOrigin(c *lambdaapi.Cors, origin string) string {
	for _, o := range c.AllowOrigins {
		if o == "*" {
			if api.ToBool(c.AllowCredentials) {
				return origin
			}
			return "*"
		}
		if strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return origin
		}
	}
	return ""
}

func methodAllowed(c *lambdaapi.Cors, m string) bool {
	for _, a := range c.AllowMethods {
		if a == "*" || strings.EqualFold(a, m) {
			return true
		}
	}
	return false
}

// urlStream writes a RESPONSE_STREAM function's output to the client as it
// arrives. A handler that used awslambda.HttpResponseStream.from starts its
// stream with a JSON prelude (statusCode, headers, cookies) and eight NUL
// bytes; the prelude becomes the response head. Anything else is the body of
// a 200 application/octet-stream response.
type urlStream struct {
	w       http.ResponseWriter
	cors    bool // the URL's CORS configuration overrides the function's headers
	buf     bytes.Buffer
	started bool
}

// preludeMax bounds how much is held back looking for a prelude.
const preludeMax = 64 << 10

var preludeEnd = make([]byte, 8)

func (u *urlStream) Write(p []byte) (int, error) {
	if u.started {
		if _, err := u.w.Write(p); err != nil {
			return 0, err
		}
		flush(u.w)
		return len(p), nil
	}
	u.buf.Write(p)
	b := u.buf.Bytes()
	if i := bytes.Index(b, preludeEnd); i >= 0 && b[0] == '{' {
		var ur urlResponse
		if json.Unmarshal(b[:i], &ur) == nil {
			rest := append([]byte(nil), b[i+len(preludeEnd):]...)
			u.head(&ur)
			if len(rest) > 0 {
				if _, err := u.w.Write(rest); err != nil {
					return 0, err
				}
			}
			flush(u.w)
			u.buf.Reset()
			return len(p), nil
		}
	}
	if !u.couldBePrelude() {
		if err := u.plain(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// couldBePrelude reports whether the held bytes may still turn out to be
// a prelude: they start an object and hold no complete value followed by
// anything but NUL.
func (u *urlStream) couldBePrelude() bool {
	b := u.buf.Bytes()
	if len(b) == 0 {
		return true
	}
	if b[0] != '{' || len(b) > preludeMax {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var raw json.RawMessage
	if dec.Decode(&raw) != nil {
		return true // incomplete (or invalid: decided at the end)
	}
	after := b[dec.InputOffset():]
	return len(after) == 0 || after[0] == 0
}

// head writes the response head from a prelude.
func (u *urlStream) head(ur *urlResponse) {
	h := u.w.Header()
	for k, v := range ur.Headers {
		if u.cors && isCORSHeader(k) {
			continue
		}
		h.Set(k, v)
	}
	for _, c := range ur.Cookies {
		h.Add("Set-Cookie", c)
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/octet-stream")
	}
	status := http.StatusOK
	if ur.StatusCode.valid() {
		status = int(*ur.StatusCode)
	}
	u.w.WriteHeader(status)
	u.started = true
}

// plain starts a response without prelude and writes what was held.
func (u *urlStream) plain() error {
	u.head(&urlResponse{})
	_, err := u.w.Write(u.buf.Bytes())
	u.buf.Reset()
	flush(u.w)
	return err
}

// finish ends the stream: what is still held is a body without prelude.
func (u *urlStream) finish() {
	if !u.started {
		_ = u.plain()
	}
}

// flush sends what w holds, through any wrapper (server.StatusRecorder)
// that unwraps to the connection.
func flush(w http.ResponseWriter) { _ = http.NewResponseController(w).Flush() }
