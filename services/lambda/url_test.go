package lambda_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// A plain HTTP client is what calls a function URL; these tests use
// net/http the way curl or a browser would.

// urlEvent is the part of the payload format 2.0 event the tests check.
type urlEvent struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters"`
	Body                  *string           `json:"body"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
	RequestContext        struct {
		AccountID    string `json:"accountId"`
		APIID        string `json:"apiId"`
		DomainName   string `json:"domainName"`
		DomainPrefix string `json:"domainPrefix"`
		RequestID    string `json:"requestId"`
		Time         string `json:"time"`
		TimeEpoch    int64  `json:"timeEpoch"`
		HTTP         struct {
			Method, Path, Protocol, SourceIP, UserAgent string
		} `json:"http"`
		Authorizer *struct {
			IAM struct {
				AccessKey string `json:"accessKey"`
				AccountID string `json:"accountId"`
			} `json:"iam"`
		} `json:"authorizer"`
	} `json:"requestContext"`
}

type urlEcho struct {
	Event     urlEvent `json:"event"`
	Version   string   `json:"version"`
	RequestID string   `json:"requestId"`
}

// fetch sends one request and returns the response with its body read.
func fetch(t *testing.T, method, url string, body []byte, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Add(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func decodeEcho(t *testing.T, b []byte) urlEcho {
	t.Helper()
	var e urlEcho
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("echo %s: %v", b, err)
	}
	return e
}

// forbiddenBody is AWS's recorded 403 for a URL whose auth refuses the
// request (test_lambda_permission_url_invocation).
const forbiddenBody = `{"Message":"Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"}`

func wantForbidden(t *testing.T, resp *http.Response, b []byte, body string) {
	t.Helper()
	if resp.StatusCode != 403 || string(b) != body || resp.Header.Get("Content-Type") != "application/json" ||
		resp.Header.Get("X-Amzn-Errortype") != "AccessDeniedException" {
		t.Errorf("want 403 %s, got %d %v %s", body, resp.StatusCode, resp.Header, b)
	}
}

func TestFunctionURL(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	create(t, srv, c, "web", func(in *lambda.CreateFunctionInput) {
		in.Runtime = types.RuntimePython311
		in.Handler = aws.String("url.handler")
		in.Code = &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"url.py": testdata(t, "py/url.py")})}
	})
	cfg, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{
		FunctionName: aws.String("web"), AuthType: types.FunctionUrlAuthTypeNone,
		Cors: &types.Cors{
			AllowOrigins: []string{"https://app.example"}, AllowMethods: []string{"GET", "POST"},
			AllowHeaders: []string{"x-custom"}, ExposeHeaders: []string{"x-seen"}, MaxAge: aws.Int32(300),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	u := aws.ToString(cfg.FunctionUrl)
	prefix := srv.URL() + "/_fogbank/lambda-url/"
	if !strings.HasPrefix(u, prefix) || !strings.HasSuffix(u, "/") {
		t.Fatalf("FunctionUrl %q, want %s<id>/", u, prefix)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(u, prefix), "/")
	if len(id) != 32 {
		t.Errorf("url id %q", id)
	}
	got, err := c.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String("web")})
	if err != nil || aws.ToString(got.FunctionUrl) != u {
		t.Fatalf("GetFunctionUrlConfig: %v %v", got, err)
	}

	t.Run("no public permission is 403", func(t *testing.T) {
		resp, b := fetch(t, "GET", u+"echo", nil, nil)
		wantForbidden(t, resp, b, forbiddenBody)
	})
	if _, err := c.AddPermission(ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("web"), StatementId: aws.String("public"), Action: aws.String("lambda:InvokeFunctionUrl"),
		Principal: aws.String("*"), FunctionUrlAuthType: types.FunctionUrlAuthTypeNone,
	}); err != nil {
		t.Fatal(err)
	}

	t.Run("event and response", func(t *testing.T) {
		req, _ := http.NewRequest("GET", u+"echo/a%20b?a=1&a=2&b=x%20y", nil)
		req.Header.Add("X-Multi", "1")
		req.Header.Add("X-Multi", "2")
		req.Header.Set("Cookie", "c1=v1; c2=v2")
		req.Header.Set("User-Agent", "urltest/1.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("X-Seen") != "1" || resp.Header.Get("Content-Type") != "application/json" ||
			strings.Join(resp.Header.Values("Set-Cookie"), "|") != "a=1; Path=/|b=2" || resp.Header.Get("X-Amzn-Requestid") == "" {
			t.Errorf("response %d %v", resp.StatusCode, resp.Header)
		}
		e := decodeEcho(t, b)
		ev := e.Event
		rc := ev.RequestContext
		if ev.Version != "2.0" || ev.RouteKey != "$default" || ev.RawPath != "/echo/a%20b" || ev.RawQueryString != "a=1&a=2&b=x%20y" ||
			strings.Join(ev.Cookies, "|") != "c1=v1|c2=v2" || ev.Headers["x-multi"] != "1,2" || ev.Headers["user-agent"] != "urltest/1.0" ||
			ev.Headers["cookie"] != "" || ev.Headers["host"] == "" ||
			ev.QueryStringParameters["a"] != "1,2" || ev.QueryStringParameters["b"] != "x y" || ev.Body != nil || ev.IsBase64Encoded {
			t.Errorf("event %+v", ev)
		}
		if rc.AccountID != "anonymous" || rc.APIID != id || rc.DomainPrefix != id || rc.DomainName != id+".lambda-url.us-east-1.on.aws" ||
			rc.HTTP.Method != "GET" || rc.HTTP.Path != "/echo/a%20b" || rc.HTTP.Protocol != "HTTP/1.1" || rc.HTTP.SourceIP != "127.0.0.1" ||
			rc.HTTP.UserAgent != "urltest/1.0" || rc.RequestID != e.RequestID || rc.RequestID != resp.Header.Get("X-Amzn-Requestid") ||
			rc.TimeEpoch == 0 || rc.Time == "" || rc.Authorizer != nil {
			t.Errorf("requestContext %+v (function saw request id %s)", rc, e.RequestID)
		}
		if e.Version != "$LATEST" {
			t.Errorf("version %s", e.Version)
		}
	})
	t.Run("bodies", func(t *testing.T) {
		_, b := fetch(t, "POST", u+"echo", []byte(`{"k":"v"}`), map[string]string{"Content-Type": "application/json"})
		ev := decodeEcho(t, b).Event
		if ev.RequestContext.HTTP.Method != "POST" || ev.Body == nil || *ev.Body != `{"k":"v"}` || ev.IsBase64Encoded {
			t.Errorf("text body: %+v", ev)
		}
		_, b = fetch(t, "PUT", u+"echo", []byte{0, 1, 2, 0xff}, map[string]string{"Content-Type": "application/octet-stream"})
		ev = decodeEcho(t, b).Event
		if ev.Body == nil || *ev.Body != "AAEC/w==" || !ev.IsBase64Encoded {
			t.Errorf("binary body: %+v", ev)
		}
		// test_lambda_url_form_payload: a multipart form arrives base64.
		form := "\r\n--4efd\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nnot a file\r\n--4efd--\r\n"
		_, b = fetch(t, "POST", u+"echo", []byte(form), map[string]string{"Content-Type": "multipart/form-data; boundary=4efd"})
		ev = decodeEcho(t, b).Event
		if ev.Body == nil || *ev.Body != base64.StdEncoding.EncodeToString([]byte(form)) || !ev.IsBase64Encoded {
			t.Errorf("form body: %+v", ev)
		}
	})
	t.Run("response mapping", func(t *testing.T) {
		binary := make([]byte, 256)
		for i := range binary {
			binary[i] = byte(i)
		}
		for _, tc := range []struct {
			path   string
			status int
			ctype  string
			body   string
		}{
			{"plain", 200, "application/json", `{"hello":"world"}`},
			{"string", 200, "application/json", "hi there"},
			{"created", 201, "text/plain", "made"},
			{"binary", 200, "application/octet-stream", string(binary)},
			{"error", 502, "application/json", "Internal Server Error"},
			{"bad", 502, "application/json", "Internal Server Error"},
			{"nowhere", 404, "application/json", "no route /nowhere"},
		} {
			resp, b := fetch(t, "GET", u+tc.path, nil, nil)
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.ctype || string(b) != tc.body {
				t.Errorf("%s: %d %q %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
			}
		}
	})
	t.Run("recorded return values", func(t *testing.T) {
		// test_lambda_url_invocation and test_lambda_url_headers_and_status,
		// as recorded from AWS: the function returns the request's body.
		for _, tc := range []struct {
			name, returns string
			status        int
			body          string
		}{
			{"dict", `{"hello": "world"}`, 200, `{"hello":"world"}`},
			{"http-response", `{"statusCode": 200, "body": "body123"}`, 200, "body123"},
			{"http-response-json", `{"statusCode": 200, "body": "{\"hello\": \"world\"}"}`, 200, `{"hello": "world"}`},
			{"list-mixed", `["hello", 3, true]`, 200, `["hello",3,true]`},
			{"string", `"hello"`, 200, "hello"},
			{"integer", `3`, 200, "3"},
			{"float", `3.1`, 200, "3.1"},
			{"boolean", `true`, 200, "true"},
			{"string status", `{"statusCode": "418", "body": "i'm a teapot", "isBase64Encoded": false}`, 418, "i'm a teapot"},
		} {
			resp, b := fetch(t, "POST", u+"return", []byte(tc.returns), map[string]string{"Content-Type": "application/json"})
			if resp.StatusCode != tc.status || string(b) != tc.body || resp.Header.Get("Content-Type") != "application/json" ||
				resp.Header.Get("Content-Length") != strconv.Itoa(len(tc.body)) {
				t.Errorf("%s: %d %v %q", tc.name, resp.StatusCode, resp.Header, b)
			}
		}
	})
	t.Run("host form", func(t *testing.T) {
		host := id + ".lambda-url.us-east-1.localhost:4566"
		resp, b := fetch(t, "GET", srv.URL()+"/echo?x=1", nil, map[string]string{"Host": host})
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		ev := decodeEcho(t, b).Event
		if ev.RawPath != "/echo" || ev.RawQueryString != "x=1" || ev.RequestContext.DomainName != id+".lambda-url.us-east-1.localhost" ||
			ev.Headers["host"] != host || ev.Headers["x-forwarded-port"] != "4566" {
			t.Errorf("event %+v", ev)
		}
		// Recorded: test_lambda_url_non_existing_url.
		resp, b = fetch(t, "GET", srv.URL()+"/", nil, map[string]string{"Host": "0123456789abcdefghijklmnopqrstuv.lambda-url.us-east-1.on.aws"})
		wantForbidden(t, resp, b, `{"Message":null}`)
	})
	t.Run("cors", func(t *testing.T) {
		resp, _ := fetch(t, "OPTIONS", u+"echo", nil, map[string]string{
			"Origin": "https://app.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-custom",
		})
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("Access-Control-Allow-Origin") != "https://app.example" || h.Get("Access-Control-Allow-Methods") != "GET,POST" ||
			h.Get("Access-Control-Allow-Headers") != "x-custom" || h.Get("Access-Control-Max-Age") != "300" {
			t.Errorf("preflight %d %v", resp.StatusCode, h)
		}
		resp, _ = fetch(t, "OPTIONS", u+"echo", nil, map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
		if resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("disallowed origin got %v", resp.Header)
		}
		resp, _ = fetch(t, "GET", u+"echo", nil, map[string]string{"Origin": "https://app.example"})
		// The function answers its own Access-Control-Allow-Origin; the
		// URL's configuration replaces it.
		if resp.StatusCode != 200 || strings.Join(resp.Header.Values("Access-Control-Allow-Origin"), "|") != "https://app.example" ||
			resp.Header.Get("Access-Control-Expose-Headers") != "x-seen" {
			t.Errorf("actual request %d %v", resp.StatusCode, resp.Header)
		}
	})
	t.Run("throttled", func(t *testing.T) {
		if _, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("web"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
			t.Fatal(err)
		}
		resp, b := fetch(t, "GET", u+"echo", nil, nil)
		if resp.StatusCode != 429 {
			t.Errorf("%d %s", resp.StatusCode, b)
		}
		if _, err := c.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("web")}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("aws_iam", func(t *testing.T) {
		if _, err := c.UpdateFunctionUrlConfig(ctx, &lambda.UpdateFunctionUrlConfigInput{FunctionName: aws.String("web"), AuthType: types.FunctionUrlAuthTypeAwsIam}); err != nil {
			t.Fatal(err)
		}
		resp, b := fetch(t, "GET", u+"echo", nil, nil)
		wantForbidden(t, resp, b, forbiddenBody)
		req, _ := http.NewRequest("GET", u+"echo", nil)
		creds, err := srv.AWSConfig().Credentials.Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(nil)
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "lambda", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("signed: %d %s", resp.StatusCode, b)
		}
		rc := decodeEcho(t, b).Event.RequestContext
		if rc.Authorizer == nil || rc.Authorizer.IAM.AccessKey != creds.AccessKeyID || rc.AccountID == "anonymous" {
			t.Errorf("requestContext %+v", rc)
		}
		if _, err := c.UpdateFunctionUrlConfig(ctx, &lambda.UpdateFunctionUrlConfigInput{FunctionName: aws.String("web"), AuthType: types.FunctionUrlAuthTypeNone}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("stream mode with a buffered handler", func(t *testing.T) {
		// In RESPONSE_STREAM mode a handler that does not stream has its
		// answer sent as the body, not read as statusCode/headers.
		if _, err := c.UpdateFunctionUrlConfig(ctx, &lambda.UpdateFunctionUrlConfigInput{FunctionName: aws.String("web"), InvokeMode: types.InvokeModeResponseStream}); err != nil {
			t.Fatal(err)
		}
		resp, b := fetch(t, "GET", u+"created", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"statusCode": 201`) {
			t.Errorf("%d %s", resp.StatusCode, b)
		}
		if resp, b := fetch(t, "GET", u+"error", nil, nil); resp.StatusCode != 502 {
			t.Errorf("error: %d %s", resp.StatusCode, b)
		}
		if _, err := c.UpdateFunctionUrlConfig(ctx, &lambda.UpdateFunctionUrlConfigInput{FunctionName: aws.String("web"), InvokeMode: types.InvokeModeBuffered}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("oversized request", func(t *testing.T) {
		resp, b := fetch(t, "POST", u+"echo", bytes.Repeat([]byte("x"), 6<<20+1), map[string]string{"Content-Type": "text/plain"})
		if resp.StatusCode != 413 {
			t.Errorf("%d %s", resp.StatusCode, b)
		}
	})
	t.Run("alias url", func(t *testing.T) {
		if _, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("web")}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("web"), Name: aws.String("live"), FunctionVersion: aws.String("1")}); err != nil {
			t.Fatal(err)
		}
		ac, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("web"), Qualifier: aws.String("live"), AuthType: types.FunctionUrlAuthTypeNone})
		if err != nil {
			t.Fatal(err)
		}
		au := aws.ToString(ac.FunctionUrl)
		if au == u || aws.ToString(ac.FunctionArn) != arn("web")+":live" {
			t.Errorf("alias url config %+v", ac)
		}
		resp, b := fetch(t, "GET", au+"echo", nil, nil)
		wantForbidden(t, resp, b, forbiddenBody)
		if _, err := c.AddPermission(ctx, &lambda.AddPermissionInput{
			FunctionName: aws.String("web"), Qualifier: aws.String("live"), StatementId: aws.String("public"),
			Action: aws.String("lambda:InvokeFunctionUrl"), Principal: aws.String("*"), FunctionUrlAuthType: types.FunctionUrlAuthTypeNone,
		}); err != nil {
			t.Fatal(err)
		}
		resp, b = fetch(t, "GET", au+"echo", nil, nil)
		if resp.StatusCode != 200 || decodeEcho(t, b).Version != "1" {
			t.Errorf("alias: %d %s", resp.StatusCode, b)
		}
		list, err := c.ListFunctionUrlConfigs(ctx, &lambda.ListFunctionUrlConfigsInput{FunctionName: aws.String("web")})
		if err != nil || len(list.FunctionUrlConfigs) != 2 || !strings.HasPrefix(aws.ToString(list.FunctionUrlConfigs[0].FunctionUrl), prefix) {
			t.Errorf("ListFunctionUrlConfigs: %+v %v", list, err)
		}
	})
	t.Run("deleted url", func(t *testing.T) {
		if _, err := c.DeleteFunctionUrlConfig(ctx, &lambda.DeleteFunctionUrlConfigInput{FunctionName: aws.String("web")}); err != nil {
			t.Fatal(err)
		}
		resp, b := fetch(t, "GET", u+"echo", nil, nil)
		wantForbidden(t, resp, b, `{"Message":null}`)
	})
}

// TestFunctionURLStreaming checks that a RESPONSE_STREAM URL sends the
// first chunk while the function still runs: the function waits for a file
// the test creates only after reading that chunk.
func TestFunctionURLStreaming(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	create(t, srv, c, "streamer", func(in *lambda.CreateFunctionInput) {
		in.Runtime = types.RuntimeNodejs20x
		in.Handler = aws.String("urlstream.handler")
		in.Timeout = aws.Int32(30)
		in.Code = &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"urlstream.js": testdata(t, "node/urlstream.js")})}
	})
	cfg, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{
		FunctionName: aws.String("streamer"), AuthType: types.FunctionUrlAuthTypeNone, InvokeMode: types.InvokeModeResponseStream,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddPermission(ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("streamer"), StatementId: aws.String("public"), Action: aws.String("lambda:InvokeFunctionUrl"),
		Principal: aws.String("*"), FunctionUrlAuthType: types.FunctionUrlAuthTypeNone,
	}); err != nil {
		t.Fatal(err)
	}
	u := aws.ToString(cfg.FunctionUrl)
	for _, tc := range []struct {
		path, first, rest, ctype string
		status                   int
	}{
		{"prelude", "one,", "two,three", "text/plain", 201},
		{"raw", "raw,", "done", "application/octet-stream", 200},
	} {
		t.Run(tc.path, func(t *testing.T) {
			gate := filepath.Join(t.TempDir(), "gate")
			resp, err := http.Get(u + tc.path + "?gate=" + gate)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.ctype {
				t.Errorf("head %d %v", resp.StatusCode, resp.Header)
			}
			if tc.status == 201 && (resp.Header.Get("X-Streamed") != "yes" || resp.Header.Get("Set-Cookie") != "s=1") {
				t.Errorf("prelude headers %v", resp.Header)
			}
			br := bufio.NewReader(resp.Body)
			first := make([]byte, len(tc.first))
			if _, err := io.ReadFull(br, first); err != nil || string(first) != tc.first {
				t.Fatalf("first chunk %q %v", first, err)
			}
			if err := os.WriteFile(gate, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			rest, err := io.ReadAll(br)
			if err != nil || string(rest) != tc.rest {
				t.Errorf("rest %q %v", rest, err)
			}
		})
	}
}
