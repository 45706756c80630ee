package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// Client is one real AWS client, driven as a subprocess.
type Client struct {
	Name string
	// HTTPStatus is whether the client reports the HTTP status of an error
	// (the SDKs do, the CLIs do not).
	HTTPStatus bool
	// check returns why the client cannot call service on this machine, or nil.
	check func(service string) error
	// run performs one call. It returns a Result for any answer the server
	// gave (success or an AWS error), and an error only when the client did
	// not get one (crash, connection refused, unparsable output).
	run func(ctx context.Context, c call) (Result, error)
}

// Creds are the credentials and region a call is made with.
type Creds struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Region                                     string
}

// testCreds are what the README tells users to set.
var testCreds = Creds{AccessKeyID: "test", SecretAccessKey: "test", Region: "us-east-1"}

// Result is what a client reported.
type Result struct {
	// Output is the operation's output as JSON decoded into maps, when the
	// call succeeded.
	Output map[string]any
	// Err is the AWS error the client surfaced, when it failed.
	Err *APIError
}

// APIError is an AWS error as a client surfaced it.
type APIError struct {
	Code    string
	Message string
	// Status is the HTTP status, where the client exposes it (not the CLIs).
	Status int
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.Status, e.Message)
}

type call struct {
	endpoint, service, op string
	params                []byte
	env                   []string
}

// clients lists every client the scenarios run with.
var clients = []*Client{
	{Name: "aws-cli-v2", check: checkCLIv2, run: runCLI(awsCLIv2)},
	{Name: "aws-cli-v1", check: checkCLIv1, run: runCLI("python3", "-m", "awscli")},
	{Name: "boto3", HTTPStatus: true, check: checkBoto3, run: runBoto3},
	{Name: "js-sdk-v3", HTTPStatus: true, check: checkJS, run: runJS},
}

// cliV2 returns a runner of AWS CLI v2 commands against s, in dir ("" for
// the test's own working directory): it fails the test when a command fails
// and returns what the command printed.
func cliV2(t *testing.T, s *Server, dir string) func(args ...string) string {
	env := clientEnv(s.URL, testCreds)
	return func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		stdout, stderr, err := run(ctx, env, dir, awsCLIv2, append([]string{"--endpoint-url", s.URL}, args...)...)
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr)
		}
		return string(stdout)
	}
}

// awsCLIv2 is Debian's AWS CLI v2 (apt-get install awscli). It is called by
// path because the aws on PATH may be a pyenv CLI v1.
const awsCLIv2 = "/usr/bin/aws"

// forEachClient runs fn as a parallel subtest for each client that speaks
// service. Each subtest skips (or, in CI, fails) if its client is missing.
func forEachClient(t *testing.T, service string, fn func(t *testing.T, c *Client)) {
	t.Helper()
	for _, c := range clients {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			require(t, c.Name, c.check(service))
			fn(t, c)
		})
	}
}

// anyClient returns a client that can call service here, for checks that are
// about the server rather than the clients. SDKs come first: they start
// faster than the CLIs.
func anyClient(t *testing.T, service string) *Client {
	t.Helper()
	var errs []string
	for _, c := range slices.Backward(clients) {
		err := c.check(service)
		if err == nil {
			return c
		}
		errs = append(errs, c.Name+": "+err.Error())
	}
	require(t, "an AWS client", errors.New(strings.Join(errs, "; ")))
	return nil
}

// Call performs service.op with params (marshalled to JSON; nil for none)
// against s, with testCreds.
func (c *Client) Call(t *testing.T, s *Server, service, op string, params any) Result {
	t.Helper()
	return c.CallAs(t, s, testCreds, service, op, params)
}

// CallAs is Call with other credentials.
func (c *Client) CallAs(t *testing.T, s *Server, cr Creds, service, op string, params any) Result {
	t.Helper()
	p := []byte("{}")
	if params != nil {
		var err error
		if p, err = json.Marshal(params); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	r, err := c.run(ctx, call{endpoint: s.URL, service: service, op: op, params: p, env: clientEnv(s.URL, cr)})
	if err != nil {
		t.Fatalf("%s %s.%s: %v", c.Name, service, op, err)
	}
	return r
}

// OK fails t unless the call succeeded, and returns its output.
func (r Result) OK(t *testing.T) map[string]any {
	t.Helper()
	if r.Err != nil {
		t.Fatalf("call failed: %v", r.Err)
	}
	return r.Output
}

// Fails fails t unless the call failed with code, and returns the error.
func (r Result) Fails(t *testing.T, code string) *APIError {
	t.Helper()
	if r.Err == nil {
		t.Fatalf("call succeeded with %v, want error %s", r.Output, code)
	}
	if r.Err.Code != code {
		t.Fatalf("error %v, want code %s", r.Err, code)
	}
	return r.Err
}

// str returns the string at a dotted path in m ("AssumedRoleUser.Arn"), or
// "" if there is none.
func str(m map[string]any, path string) string {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = mm[k]
	}
	s, _ := v.(string)
	return s
}

// clientEnv is the environment of a client process: this process's, less
// anything AWS-related that could point it elsewhere, plus the endpoint and
// credentials a user would set.
func clientEnv(endpoint string, cr Creds) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	nowhere := filepath.Join(os.TempDir(), "fogbank-e2e-no-such-aws-config")
	env = append(env,
		"AWS_ENDPOINT_URL="+endpoint,
		"AWS_ACCESS_KEY_ID="+cr.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY="+cr.SecretAccessKey,
		"AWS_DEFAULT_REGION="+cr.Region,
		"AWS_REGION="+cr.Region,
		"AWS_CONFIG_FILE="+nowhere,
		"AWS_SHARED_CREDENTIALS_FILE="+nowhere,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
		"NODE_NO_WARNINGS=1",
	)
	if cr.SessionToken != "" {
		env = append(env, "AWS_SESSION_TOKEN="+cr.SessionToken)
	}
	return env
}

// cliError is how both AWS CLIs report a service error on stderr.
var cliError = regexp.MustCompile(`An error occurred \(([^)]*)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: ?(.*)`)

func runCLI(argv ...string) func(ctx context.Context, c call) (Result, error) {
	return func(ctx context.Context, c call) (Result, error) {
		args := append(argv[1:len(argv):len(argv)],
			"--endpoint-url", c.endpoint, "--output", "json",
			c.service, cliName(c.op), "--cli-input-json", string(c.params))
		stdout, stderr, err := run(ctx, c.env, "", argv[0], args...)
		if err != nil {
			if m := cliError.FindSubmatch(stderr); m != nil {
				return Result{Err: &APIError{Code: string(m[1]), Message: strings.TrimSpace(string(m[2]))}}, nil
			}
			return Result{}, fmt.Errorf("%v\nstderr:\n%s", err, stderr)
		}
		out := map[string]any{}
		if len(bytes.TrimSpace(stdout)) > 0 {
			if err := json.Unmarshal(stdout, &out); err != nil {
				return Result{}, fmt.Errorf("decoding CLI output %q: %w", stdout, err)
			}
		}
		return Result{Output: out}, nil
	}
}

func runBoto3(ctx context.Context, c call) (Result, error) {
	return runScript(ctx, c, "", "python3", filepath.Join("py", "call.py"))
}

func runJS(ctx context.Context, c call) (Result, error) {
	return runScript(ctx, c, "js", "node", "call.mjs")
}

// runScript runs one of the call scripts, which print
// {"ok":…,"output"|"error":…}.
func runScript(ctx context.Context, c call, dir, name string, argv ...string) (Result, error) {
	args := append(argv[:len(argv):len(argv)], c.service, c.op, string(c.params))
	stdout, stderr, err := run(ctx, c.env, dir, name, args...)
	if err != nil {
		return Result{}, fmt.Errorf("%v\nstderr:\n%s", err, stderr)
	}
	var r struct {
		OK     bool           `json:"ok"`
		Output map[string]any `json:"output"`
		Error  *APIError      `json:"error"`
	}
	if err := json.Unmarshal(stdout, &r); err != nil {
		return Result{}, fmt.Errorf("decoding %q: %w\nstderr:\n%s", stdout, err, stderr)
	}
	if !r.OK {
		if r.Error == nil {
			return Result{}, fmt.Errorf("script reported failure without an error: %s", stdout)
		}
		return Result{Err: r.Error}, nil
	}
	return Result{Output: r.Output}, nil
}

func run(ctx context.Context, env []string, dir, name string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// cliName turns an operation name into the CLI's command name, as botocore's
// xform_name does: GetCallerIdentity → get-caller-identity,
// AssumeRoleWithSAML → assume-role-with-saml.
func cliName(op string) string {
	rs := []rune(op)
	var b strings.Builder
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) &&
			(unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				(i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Availability checks run once per process.

var checkCLIv2 = once(func() error {
	out, err := exec.Command(awsCLIv2, "--version").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v (apt-get install awscli)", awsCLIv2, err)
	}
	if !bytes.HasPrefix(out, []byte("aws-cli/2.")) {
		return fmt.Errorf("%s is not AWS CLI v2: %s", awsCLIv2, out)
	}
	return nil
})

var checkCLIv1 = once(func() error {
	out, err := exec.Command("python3", "-m", "awscli", "--version").CombinedOutput()
	if err != nil {
		return fmt.Errorf("python3 -m awscli: %v: %s", err, out)
	}
	if !bytes.HasPrefix(out, []byte("aws-cli/1.")) {
		return fmt.Errorf("python3 -m awscli is not AWS CLI v1: %s", out)
	}
	return nil
})

var checkBoto3 = once(func() error {
	if out, err := exec.Command("python3", "-c", "import boto3").CombinedOutput(); err != nil {
		return fmt.Errorf("python3 cannot import boto3: %v: %s", err, out)
	}
	return nil
})

var checkNode = once(func() error {
	_, err := exec.LookPath("node")
	return err
})

func checkJS(service string) error {
	if err := checkNode(""); err != nil {
		return err
	}
	pkg := filepath.Join("js", "node_modules", "@aws-sdk", "client-"+service)
	if _, err := os.Stat(pkg); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s missing: run npm ci in e2e/js (add the package to e2e/js/package.json if it is new)", pkg)
		}
		return err
	}
	return nil
}

// once memoizes a service-independent check.
func once(f func() error) func(string) error {
	var o sync.Once
	var err error
	return func(string) error {
		o.Do(func() { err = f() })
		return err
	}
}
