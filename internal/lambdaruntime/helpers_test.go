package lambdaruntime

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	// The Go test function (testdata/gofn) is built with aws-lambda-go; this import keeps the
	// module in go.mod, which does not see testdata.
	_ "github.com/aws/aws-lambda-go/lambda"

	"github.com/fogbank/fogbank/internal/uuid"
)

// recordingSink keeps every line the engine hands to the CloudWatch Logs sink.
type recordingSink struct {
	mu    sync.Mutex
	lines map[string][]string // by stream
}

func (s *recordingSink) Write(fn *Function, stream string, lines []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lines == nil {
		s.lines = map[string][]string{}
	}
	s.lines[stream] = append(s.lines[stream], lines...)
}

func (s *recordingSink) all() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, ls := range s.lines {
		for _, l := range ls {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// newEngine starts an engine whose processes are checked to be gone after Close.
func newEngine(t *testing.T) (*Engine, *recordingSink) {
	t.Helper()
	work := t.TempDir()
	sink := &recordingSink{}
	e := New(Config{
		WorkDir:     work,
		Endpoint:    func() string { return "http://127.0.0.1:4566" },
		IdleTimeout: time.Minute,
		Sink:        sink,
	})
	t.Cleanup(func() {
		if err := e.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
		if pids := processesUnder(work); len(pids) > 0 {
			t.Errorf("processes left after Close: %v", pids)
		}
	})
	return e, sink
}

// processesUnder lists live processes whose environment points into work (every process the
// engine starts gets FOGBANK_LAMBDA_OPT under its work dir).
func processesUnder(work string) []string {
	ents, _ := os.ReadDir("/proc")
	var out []string
	for _, ent := range ents {
		if ent.Name()[0] < '0' || ent.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", ent.Name(), "environ"))
		if err != nil || !bytes.Contains(b, []byte("FOGBANK_LAMBDA_OPT="+work)) {
			continue
		}
		st, _ := os.ReadFile(filepath.Join("/proc", ent.Name(), "stat"))
		if f := strings.Fields(string(st)); len(f) > 2 && f[2] == "Z" {
			continue // a zombie is already dead
		}
		out = append(out, ent.Name())
	}
	return out
}

var (
	goFnOnce sync.Once
	goFnDir  string
	goFnErr  error
)

// goFunction builds testdata/gofn as a provided.al2023 bootstrap, once per test binary.
func goFunction(t testing.TB) string {
	t.Helper()
	goFnOnce.Do(func() {
		dir, err := os.MkdirTemp("", "fogbank-gofn-")
		if err != nil {
			goFnErr = err
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "bootstrap"), "./testdata/gofn")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			goFnErr = err
			goFnDir = string(out)
			return
		}
		goFnDir = dir
	})
	if goFnErr != nil {
		t.Fatalf("building the Go test function: %v\n%s", goFnErr, goFnDir)
	}
	return goFnDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	stopTestDockerd()
	if goFnDir != "" && goFnErr == nil {
		_ = os.RemoveAll(goFnDir)
	}
	os.Exit(code)
}

var fnSeq sync.Map

func newFunction(t *testing.T, runtime, handler, codeDir string) *Function {
	name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())
	abs, err := filepath.Abs(codeDir)
	if err != nil {
		t.Fatal(err)
	}
	return &Function{
		ARN:          "arn:aws:lambda:us-east-1:000000000000:function:" + name + ":$LATEST",
		Name:         name,
		Version:      "$LATEST",
		Revision:     "r1",
		Runtime:      runtime,
		Handler:      handler,
		CodeDir:      abs,
		MemoryMB:     256,
		Timeout:      10 * time.Second,
		Architecture: "x86_64",
		Account:      "000000000000",
		Region:       "us-east-1",
		LogGroup:     "/aws/lambda/" + name,
		AccessKey:    "AKIDTEST",
		SecretKey:    "secret",
		Environment:  map[string]string{"MY_VAR": "my value"},
	}
}

func invoke(t *testing.T, e *Engine, fn *Function, payload string) Result {
	t.Helper()
	res, err := e.Invoke(context.Background(), fn, Invocation{RequestID: uuid.New(), Payload: []byte(payload)})
	if err != nil {
		t.Fatalf("Invoke(%s): %v", payload, err)
	}
	return res
}

// okJSON decodes a successful result.
func okJSON(t *testing.T, res Result, into any) {
	t.Helper()
	if res.FunctionError != "" {
		t.Fatalf("function error %s: %s\nlog:\n%s", res.FunctionError, res.Payload, res.Log)
	}
	if err := json.Unmarshal(res.Payload, into); err != nil {
		t.Fatalf("payload %s: %v", res.Payload, err)
	}
}

type errDoc struct {
	ErrorMessage string   `json:"errorMessage"`
	ErrorType    string   `json:"errorType"`
	RequestID    *string  `json:"requestId"`
	StackTrace   []string `json:"stackTrace"`
	Trace        []string `json:"trace"`
}

func failed(t *testing.T, res Result) errDoc {
	t.Helper()
	if res.FunctionError != "Unhandled" {
		t.Fatalf("FunctionError = %q, want Unhandled; payload %s\nlog:\n%s", res.FunctionError, res.Payload, res.Log)
	}
	var d errDoc
	if err := json.Unmarshal(res.Payload, &d); err != nil {
		t.Fatalf("error payload %s: %v", res.Payload, err)
	}
	return d
}

func requireInterpreter(t *testing.T, runtime string) {
	t.Helper()
	if _, err := findRuntime(runtime); err != nil {
		t.Skipf("%s: %v", runtime, err)
	}
}

// invokeWithIdentity invokes fn with a client context ({"custom":{"k":"v"}}, base64 as clients
// send it) and a Cognito identity (id-1 in pool-1), and decodes the result; it returns the
// request id too.
func invokeWithIdentity(t *testing.T, e *Engine, fn *Function, payload string) (string, map[string]any) {
	t.Helper()
	id := uuid.New()
	res, err := e.Invoke(context.Background(), fn, Invocation{
		RequestID: id, Payload: []byte(payload),
		ClientContext:   "eyJjdXN0b20iOnsiayI6InYifX0=",
		CognitoIdentity: `{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	okJSON(t, res, &out)
	return id, out
}

// skipWithoutNodeSDK skips a test that needs the AWS SDK for JavaScript v3, except under CI
// (.ci/run installs it), where its absence is a failure.
func skipWithoutNodeSDK(t *testing.T) {
	t.Helper()
	const msg = "AWS SDK for JavaScript v3 not installed: run scripts/install-lambda-node-sdk.sh"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
