package router

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
)

// testServices are hand-built descriptions with just what routing reads.
func testServices() []*api.Service {
	op := func(name string) *api.Operation { return &api.Operation{Name: name} }
	sqs := &api.Service{Name: "sqs", SigningName: "sqs", EndpointPrefix: "sqs", APIVersion: "2012-11-05",
		Protocols: []string{"json", "query"}, TargetPrefix: "AmazonSQS", Operations: []*api.Operation{op("SendMessage")}}
	sts := &api.Service{Name: "sts", SigningName: "sts", EndpointPrefix: "sts", APIVersion: "2011-06-15",
		Protocols: []string{"query"}, Operations: []*api.Operation{op("GetCallerIdentity")}}
	sfn := &api.Service{Name: "sfn", SigningName: "states", EndpointPrefix: "states", TargetPrefix: "AWSStepFunctions",
		Protocols: []string{"json"}}
	lambda := &api.Service{Name: "lambda", SigningName: "lambda", EndpointPrefix: "lambda", Protocols: []string{"rest-json"}}
	s3 := &api.Service{Name: "s3", SigningName: "s3", EndpointPrefix: "s3", Protocols: []string{"rest-xml"}}
	ses := &api.Service{Name: "ses", SigningName: "ses", EndpointPrefix: "email", APIVersion: "2010-12-01", Protocols: []string{"query"}}
	sesv2 := &api.Service{Name: "sesv2", SigningName: "ses", EndpointPrefix: "email", Protocols: []string{"rest-json"}}
	for _, s := range []*api.Service{sqs, sts} {
		s.Index()
	}
	return []*api.Service{sqs, sts, sfn, lambda, s3, ses, sesv2}
}

type owner map[string]string

func (o owner) AccountForKey(ak string) (string, bool) { a, ok := o[ak]; return a, ok }

func auth(ak, region, svc string) string {
	return "AWS4-HMAC-SHA256 Credential=" + ak + "/20261130/" + region + "/" + svc +
		"/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef0123"
}

func TestRoute(t *testing.T) {
	tab := NewTable(testServices(), "000000000000", owner{"ASIAISSUED": "222222222222"})
	tests := []struct {
		name    string
		method  string
		url     string
		header  map[string]string
		body    string
		service string // first candidate, "" for none
		named   string
		op      string
		proto   string
		account string
		region  string
		wantErr string
	}{
		{name: "scope names sqs, json", method: "POST", url: "/",
			header:  map[string]string{"Authorization": auth("test", "eu-west-1", "sqs"), "X-Amz-Target": "AmazonSQS.SendMessage", "Content-Type": "application/x-amz-json-1.0"},
			service: "sqs", named: "sqs", op: "SendMessage", proto: "json", account: "000000000000", region: "eu-west-1"},
		{name: "scope names sqs, query body", method: "POST", url: "/",
			header:  map[string]string{"Authorization": auth("123456789012", "us-west-2", "sqs"), "Content-Type": "application/x-www-form-urlencoded"},
			body:    "Action=SendMessage&Version=2012-11-05",
			service: "sqs", named: "sqs", proto: "query", account: "123456789012", region: "us-west-2"},
		{name: "signing name states is sfn", method: "POST", url: "/",
			header:  map[string]string{"Authorization": auth("test", "us-east-1", "states"), "X-Amz-Target": "AWSStepFunctions.StartExecution"},
			service: "sfn", named: "states", op: "StartExecution", proto: "json", account: "000000000000", region: "us-east-1"},
		{name: "target without signature", method: "POST", url: "/",
			header:  map[string]string{"X-Amz-Target": "AmazonSQS.SendMessage"},
			service: "sqs", named: "sqs", op: "SendMessage", proto: "json", account: "000000000000", region: "us-east-1"},
		{name: "action and version in form, unsigned", method: "POST", url: "/",
			header:  map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
			body:    "Action=GetCallerIdentity&Version=2011-06-15",
			service: "sts", named: "sts", op: "GetCallerIdentity", proto: "query", account: "000000000000", region: "us-east-1"},
		{name: "action in URL without version", method: "GET", url: "/?Action=GetCallerIdentity",
			service: "sts", named: "sts", op: "GetCallerIdentity", proto: "query", account: "000000000000", region: "us-east-1"},
		{name: "unknown query service by version", method: "POST", url: "/",
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			body:   "Action=DescribeInstances&Version=2016-11-15",
			named:  "ec2", op: "DescribeInstances", proto: "query", account: "000000000000", region: "us-east-1"},
		{name: "service and region from the host", method: "POST", url: "http://sqs.eu-west-2.localhost.localstack.cloud:4566/000000000000/q",
			service: "sqs", named: "sqs", account: "000000000000", region: "eu-west-2"},
		{name: "host that is no service", method: "GET", url: "http://mybucket.s3.localhost:4566/key",
			service: "s3", named: "s3", account: "000000000000", region: "us-east-1"},
		{name: "queue URL path", method: "POST", url: "/123456789012/my-queue",
			service: "sqs", named: "sqs", account: "000000000000", region: "us-east-1"},
		{name: "lambda path", method: "GET", url: "/2015-03-31/functions/",
			service: "lambda", named: "lambda", account: "000000000000", region: "us-east-1"},
		{name: "s3 fallback", method: "PUT", url: "/bucket/key",
			service: "s3", named: "s3", account: "000000000000", region: "us-east-1"},
		{name: "execute-api host, not served", method: "GET", url: "http://abc123.execute-api.localhost:4566/prod/x",
			named: "execute-api", account: "000000000000", region: "us-east-1"},
		{name: "unknown signing name", method: "POST", url: "/",
			header: map[string]string{"Authorization": auth("test", "us-east-1", "dynamodb"), "X-Amz-Target": "DynamoDB_20120810.PutItem"},
			named:  "dynamodb", op: "PutItem", proto: "json", account: "000000000000", region: "us-east-1"},
		{name: "unknown target prefix, unsigned", method: "POST", url: "/",
			header: map[string]string{"X-Amz-Target": "DynamoDB_20120810.PutItem"},
			named:  "dynamodb", op: "PutItem", proto: "json", account: "000000000000", region: "us-east-1"},
		{name: "issued key's owner", method: "POST", url: "/",
			header:  map[string]string{"Authorization": auth("ASIAISSUED", "us-east-1", "sts"), "Content-Type": "application/x-www-form-urlencoded"},
			body:    "Action=GetCallerIdentity&Version=2011-06-15",
			service: "sts", named: "sts", proto: "query", account: "222222222222", region: "us-east-1"},
		{name: "shared signing name, query goes to ses", method: "POST", url: "/",
			header:  map[string]string{"Authorization": auth("test", "us-east-1", "ses"), "Content-Type": "application/x-www-form-urlencoded"},
			body:    "Action=SendEmail&Version=2010-12-01",
			service: "ses", named: "ses", proto: "query", account: "000000000000", region: "us-east-1"},
		{name: "shared signing name, rest goes to sesv2", method: "POST", url: "/v2/email/outbound-emails",
			header:  map[string]string{"Authorization": auth("test", "us-east-1", "ses"), "Content-Type": "application/json"},
			service: "sesv2", named: "ses", account: "000000000000", region: "us-east-1"},
		{name: "presigned url", method: "GET", url: "/bucket/key?X-Amz-Credential=" + url.QueryEscape("111111111111/20261130/ap-south-1/s3/aws4_request") + "&X-Amz-Signature=00",
			service: "s3", named: "s3", account: "111111111111", region: "ap-south-1"},
		{name: "garbage authorization still routes", method: "POST", url: "/",
			header:  map[string]string{"Authorization": "Bearer nonsense", "X-Amz-Target": "AmazonSQS.SendMessage"},
			service: "sqs", named: "sqs", op: "SendMessage", proto: "json", account: "000000000000", region: "us-east-1",
			wantErr: "IncompleteSignature"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.url, strings.NewReader(tc.body))
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			form := func() url.Values { v, _ := url.ParseQuery(tc.body); return v }
			rt, err := tab.Route(r, form)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("Route: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Route error = %v, want %s", err, tc.wantErr)
			}
			got := ""
			if len(rt.Candidates) > 0 {
				got = rt.Candidates[0].Name
			}
			if got != tc.service || rt.Name != tc.named || rt.Operation != tc.op || rt.Protocol != tc.proto ||
				rt.Account != tc.account || rt.Region != tc.region {
				t.Errorf("got service=%q name=%q op=%q proto=%q account=%q region=%q\nwant service=%q name=%q op=%q proto=%q account=%q region=%q",
					got, rt.Name, rt.Operation, rt.Protocol, rt.Account, rt.Region,
					tc.service, tc.named, tc.op, tc.proto, tc.account, tc.region)
			}
		})
	}
}

func TestProtocol(t *testing.T) {
	svcs := testServices()
	tests := []struct {
		svc  *api.Service
		hint string
		want string
	}{
		{svcs[0], "json", "json"},
		{svcs[0], "query", "query"},
		{svcs[0], "", "json"},
		{svcs[1], "json", "query"},
		{svcs[3], "", "rest-json"},
		{svcs[4], "query", "rest-xml"},
	}
	for _, tc := range tests {
		if got := Protocol(tc.svc, tc.hint); got != tc.want {
			t.Errorf("Protocol(%s, %q) = %q, want %q", tc.svc.Name, tc.hint, got, tc.want)
		}
	}
}

func TestFormNotReadWhenScopeSuffices(t *testing.T) {
	tab := NewTable(testServices(), "000000000000", nil)
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("Authorization", auth("test", "us-east-1", "sts"))
	called := false
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, err := tab.Route(r, func() url.Values { called = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if called {
		t.Error("form parsed although the credential scope named the service")
	}
}

func TestIsAccountID(t *testing.T) {
	for s, want := range map[string]bool{"000000000000": true, "123456789012": true, "12345678901": false, "12345678901a": false, "": false, "test": false} {
		if got := IsAccountID(s); got != want {
			t.Errorf("IsAccountID(%q) = %v", s, got)
		}
	}
}

func TestLambdaURLHost(t *testing.T) {
	for _, tc := range []struct {
		host, id string
		ok       bool
	}{
		{"abc123.lambda-url.us-east-1.on.aws", "abc123", true},
		{"abc123.lambda-url.eu-west-2.localhost:4566", "abc123", true},
		{"abc123.lambda-url.localhost:4566", "", false},
		{"lambda.us-east-1.amazonaws.com", "", false},
		{".lambda-url.us-east-1.on.aws", "", false},
		{"127.0.0.1:4566", "", false},
	} {
		id, ok := LambdaURLHost(tc.host)
		if id != tc.id || ok != tc.ok {
			t.Errorf("%s: got %q %v", tc.host, id, ok)
		}
	}
}
