package fogbank_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/store"
)

func TestGetCallerIdentity(t *testing.T) {
	srv := fogbanktest.Start(t)
	ctx := context.Background()
	tests := []struct {
		name, key, account string
	}{
		{"any key acts in the default account", "test", "000000000000"},
		{"a 12-digit key is its account", "123456789012", "123456789012"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := sts.NewFromConfig(srv.AWSConfigFor(tc.key, "eu-west-1")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(out.Account) != tc.account || aws.ToString(out.Arn) != "arn:aws:iam::"+tc.account+":root" {
				t.Fatalf("account %q arn %q", aws.ToString(out.Account), aws.ToString(out.Arn))
			}
		})
	}
}

func TestAssumeRole(t *testing.T) {
	srv := fogbanktest.Start(t)
	ctx := context.Background()
	client := sts.NewFromConfig(srv.AWSConfig())
	srv.Advance(t, 48*time.Hour) // Expiration must come from Fogbank's clock
	before := srv.Clock().Now()
	out, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::111111111111:role/path/deployer"),
		RoleSessionName: aws.String("ci-run_1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if !strings.HasPrefix(aws.ToString(c.AccessKeyId), "ASIA") || len(aws.ToString(c.AccessKeyId)) != 20 ||
		len(aws.ToString(c.SecretAccessKey)) != 40 || aws.ToString(c.SessionToken) == "" {
		t.Fatalf("credentials %+v", c)
	}
	if exp := aws.ToTime(c.Expiration); exp.Before(before.Add(time.Hour-time.Second)) || exp.After(before.Add(time.Hour+time.Minute)) {
		t.Errorf("expiration %v, want about %v", exp, before.Add(time.Hour))
	}
	wantArn := "arn:aws:sts::111111111111:assumed-role/deployer/ci-run_1"
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != wantArn {
		t.Errorf("assumed role arn %q, want %q", got, wantArn)
	}
	if id := aws.ToString(out.AssumedRoleUser.AssumedRoleId); !strings.HasPrefix(id, "AROA") || !strings.HasSuffix(id, ":ci-run_1") {
		t.Errorf("assumed role id %q", id)
	}

	// The issued key answers as the role session, in the role's account.
	cfg := srv.AWSConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(who.Arn) != wantArn || aws.ToString(who.Account) != "111111111111" ||
		aws.ToString(who.UserId) != aws.ToString(out.AssumedRoleUser.AssumedRoleId) {
		t.Errorf("caller identity %q %q %q", aws.ToString(who.Arn), aws.ToString(who.Account), aws.ToString(who.UserId))
	}
	// Session credentials cannot get a session token.
	_, err = sts.NewFromConfig(cfg).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	requireAPIError(t, err, "AccessDenied", 403)

	// A reset forgets issued keys: the key is just a key again.
	srv.Reset(t)
	who, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(who.Arn) != "arn:aws:iam::000000000000:root" {
		t.Errorf("after reset, caller %q", aws.ToString(who.Arn))
	}
}

func TestAssumeRoleValidation(t *testing.T) {
	srv := fogbanktest.Start(t)
	client := sts.NewFromConfig(srv.AWSConfig())
	tests := []struct {
		name    string
		in      sts.AssumeRoleInput
		code    string
		message string
	}{
		// Messages as recorded from AWS (conformance/aws-recorded/sts).
		{"malformed arn", sts.AssumeRoleInput{RoleArn: aws.String("nothing-valid-in-here"), RoleSessionName: aws.String("s1")},
			"ValidationError", "nothing-valid-in-here is invalid"},
		{"no partition", sts.AssumeRoleInput{RoleArn: aws.String("arn::b:::something/test-role"), RoleSessionName: aws.String("s1")},
			"ValidationError", "arn::b:::something/test-role is invalid"},
		{"not enough colons", sts.AssumeRoleInput{RoleArn: aws.String("arn:a:::something/test-role"), RoleSessionName: aws.String("s1")},
			"ValidationError", "arn:a:::something/test-role is invalid"},
		{"no resource", sts.AssumeRoleInput{RoleArn: aws.String("arn:a:a::aaaaaaaaaa:"), RoleSessionName: aws.String("s1")},
			"ValidationError", "arn:a:a::aaaaaaaaaa: is invalid"},
		{"invalid session name", sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/r"), RoleSessionName: aws.String("Session1:2")},
			"ValidationError", `1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"duration too short", sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/r"), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(899)},
			"ValidationError", "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration too long", sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/r"), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(43201)},
			"ValidationError", "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"duplicate tag keys", sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/r"), RoleSessionName: aws.String("s1"),
			Tags: []ststypes.Tag{{Key: aws.String("Team"), Value: aws.String("a")}, {Key: aws.String("team"), Value: aws.String("b")}}},
			"InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := client.AssumeRole(context.Background(), &tc.in)
			ae := requireAPIError(t, err, tc.code, 400)
			if ae != nil && ae.ErrorMessage() != tc.message {
				t.Errorf("message %q\nwant    %q", ae.ErrorMessage(), tc.message)
			}
		})
	}
}

func TestGetSessionTokenAndFederation(t *testing.T) {
	srv := fogbanktest.Start(t)
	ctx := context.Background()
	client := sts.NewFromConfig(srv.AWSConfigFor("222222222222", "us-east-1"))
	st, err := client.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := srv.AWSConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*st.Credentials.AccessKeyId, *st.Credentials.SecretAccessKey, *st.Credentials.SessionToken)
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Arn) != "arn:aws:iam::222222222222:root" {
		t.Fatalf("session token identity %v %v", who, err)
	}
	fed, err := client.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(fed.FederatedUser.Arn); got != "arn:aws:sts::222222222222:federated-user/bob" {
		t.Errorf("federated user %q", got)
	}
	info, err := client.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: st.Credentials.AccessKeyId})
	if err != nil || aws.ToString(info.Account) != "222222222222" {
		t.Errorf("access key info %v %v", info, err)
	}
}

func TestUnimplementedOperation(t *testing.T) {
	srv := fogbanktest.Start(t)
	_, err := sts.NewFromConfig(srv.AWSConfig()).AssumeRoleWithSAML(context.Background(), &sts.AssumeRoleWithSAMLInput{
		RoleArn: aws.String("arn:aws:iam::000000000000:role/r"), PrincipalArn: aws.String("arn:aws:iam::000000000000:saml-provider/p"),
		SAMLAssertion: aws.String(strings.Repeat("x", 8)),
	})
	ae := requireAPIError(t, err, "NotImplemented", 501)
	if ae != nil && !strings.Contains(ae.ErrorMessage(), "AssumeRoleWithSAML") {
		t.Errorf("message %q does not name the operation", ae.ErrorMessage())
	}
}

// TestRawRequests covers what SDKs do not send: unknown services, garbage
// headers, oversize bodies, preflights.
func TestRawRequests(t *testing.T) {
	srv := fogbanktest.Start(t, fogbanktest.WithOptions(func(o *fogbank.Options) { o.MaxBodyBytes = 1024 }))
	sig := func(svc string) string {
		return "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/" + svc + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0f"
	}
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name     string
		method   string
		path     string
		header   map[string]string
		body     string
		status   int
		contains []string
	}{
		{name: "unknown service by scope", method: "POST", path: "/",
			header: map[string]string{"Authorization": sig("dynamodb"), "X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"},
			body:   "{}", status: 501, contains: []string{"NotImplemented", "dynamodb", "ListTables"}},
		{name: "unknown query service", method: "POST", path: "/",
			header: map[string]string{"Content-Type": form}, body: "Action=DescribeInstances&Version=2016-11-15",
			status: 501, contains: []string{"<Code>NotImplemented</Code>", "ec2 operation DescribeInstances"}},
		{name: "unknown action of sts", method: "POST", path: "/",
			header: map[string]string{"Authorization": sig("sts"), "Content-Type": form}, body: "Action=FlyToTheMoon&Version=2011-06-15",
			status: 400, contains: []string{"InvalidAction"}},
		{name: "garbage authorization", method: "POST", path: "/",
			header: map[string]string{"Authorization": "AWS4-HMAC-SHA256 garbage==,,Credential=/", "Content-Type": form}, body: "Action=GetCallerIdentity&Version=2011-06-15",
			status: 400, contains: []string{"IncompleteSignature"}},
		{name: "oversize body", method: "POST", path: "/",
			header: map[string]string{"Authorization": sig("sts"), "Content-Type": form}, body: "Action=GetCallerIdentity&Version=2011-06-15&Pad=" + strings.Repeat("x", 2048),
			status: 413, contains: []string{"RequestEntityTooLarge"}},
		{name: "preflight", method: "OPTIONS", path: "/",
			header: map[string]string{"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,x-amz-date"},
			status: 200},
		{name: "health", method: "GET", path: "/_fogbank/health", status: 200, contains: []string{`"sts":"running"`, `"version":`}},
		{name: "localstack health", method: "GET", path: "/_localstack/health", status: 200, contains: []string{`"sts":"running"`, `"sqs":"running"`, `"edition":"community"`}},
		{name: "clock", method: "GET", path: "/_fogbank/clock", status: 200, contains: []string{`"now":`, `"offset":"0s"`}},
		{name: "clock backwards", method: "POST", path: "/_fogbank/clock", body: `{"advance":"-5s"}`, status: 400, contains: []string{"never goes back"}},
		{name: "clock garbage", method: "POST", path: "/_fogbank/clock", body: `{"advance":"soon"}`, status: 400},
		{name: "reset", method: "POST", path: "/_fogbank/reset", status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL()+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.header {
				req.Header[http.CanonicalHeaderKey(k)] = []string{v}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			for _, s := range tc.contains {
				if !strings.Contains(string(body), s) {
					t.Errorf("body %s does not contain %s", body, s)
				}
			}
			if tc.method == "OPTIONS" {
				h := resp.Header
				if h.Get("Access-Control-Allow-Origin") != "http://localhost:3000" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") ||
					h.Get("Access-Control-Allow-Headers") != "authorization,x-amz-date" || !strings.Contains(h.Get("Access-Control-Expose-Headers"), "x-amzn-RequestId") {
					t.Errorf("preflight headers %v", h)
				}
			}
		})
	}
	// Still serving after all that.
	if _, err := sts.NewFromConfig(srv.AWSConfig()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("after raw requests: %v", err)
	}
}

func TestClockEndpointAdvances(t *testing.T) {
	srv := fogbanktest.Start(t)
	fired := make(chan struct{})
	srv.Clock().AfterFunc(time.Hour, func() { close(fired) })
	status, body, err := srv.AdvanceHTTP("90m")
	if err != nil || status != 200 || !strings.Contains(string(body), `"offset":"1h30m0s"`) {
		t.Fatalf("advance: %d %s %v", status, body, err)
	}
	select {
	case <-fired:
	default:
		t.Fatal("timer due within the advance had not fired when the endpoint answered")
	}
}

func TestDataDirLockAndRestart(t *testing.T) {
	dir := t.TempDir()
	opts := fogbank.Options{Listen: "127.0.0.1:0", DataDir: dir}
	a, err := fogbank.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fogbank.New(opts); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second server on %s: err = %v, want store.ErrLocked", dir, err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(a.URL()),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	out, err := sts.NewFromConfig(cfg).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::333333333333:role/keeper"), RoleSessionName: aws.String("s1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	// Issued credentials survive a restart on the same directory.
	b, err := fogbank.New(opts)
	if err != nil {
		t.Fatalf("reopening after shutdown: %v", err)
	}
	defer b.Close()
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg.BaseEndpoint = aws.String(b.URL())
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(who.Arn) != "arn:aws:sts::333333333333:assumed-role/keeper/s1" {
		t.Errorf("after restart, caller %q", aws.ToString(who.Arn))
	}
}

// requireAPIError checks that err is an AWS error with code and HTTP status.
func requireAPIError(t *testing.T, err error, code string, status int) smithy.APIError {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v is not an API error, want %s", err, code)
		return nil
	}
	if ae.ErrorCode() != code {
		t.Errorf("code %q (%s), want %q", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Errorf("HTTP status %d, want %d", re.HTTPStatusCode(), status)
	}
	return ae
}
