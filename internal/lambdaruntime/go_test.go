package lambdaruntime

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/uuid"
)

func TestGoFunction(t *testing.T) {
	e, sink := newEngine(t)
	fn := newFunction(t, "provided.al2023", "bootstrap", goFunction(t))

	var echo map[string]any
	cold := invoke(t, e, fn, `{"op":"echo","msg":"hi"}`)
	okJSON(t, cold, &echo)
	if echo["msg"] != "hi" {
		t.Errorf("echo = %v", echo)
	}
	if cold.InitDuration <= 0 {
		t.Errorf("cold start has no InitDuration")
	}
	if !regexp.MustCompile(`REPORT RequestId: \S+\tDuration: [0-9.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [0-9.]+ ms`).Match(cold.Log) {
		t.Errorf("cold REPORT line missing or malformed:\n%s", cold.Log)
	}

	t.Run("warm reuse", func(t *testing.T) {
		var c1, c2 map[string]any
		r1 := invoke(t, e, fn, `{"op":"ctx"}`)
		okJSON(t, r1, &c1)
		okJSON(t, invoke(t, e, fn, `{"op":"ctx"}`), &c2)
		if c1["pid"] != c2["pid"] || c2["coldStarts"] != float64(1) {
			t.Errorf("warm invokes ran in different environments: %v / %v", c1, c2)
		}
		if r1.InitDuration != 0 || strings.Contains(string(r1.Log), "Init Duration") {
			t.Errorf("warm invoke reports an init duration:\n%s", r1.Log)
		}
	})

	t.Run("log", func(t *testing.T) {
		id := uuid.New()
		res, err := e.Invoke(context.Background(), fn, Invocation{RequestID: id, Payload: []byte(`{"op":"print","msg":"m1"}`)})
		if err != nil {
			t.Fatal(err)
		}
		log := string(res.Log)
		for _, want := range []string{"START RequestId: " + id + " Version: $LATEST\n", "hello from go: m1\n", "to stderr: m1\n", "END RequestId: " + id + "\n", "REPORT RequestId: " + id} {
			if !strings.Contains(log, want) {
				t.Errorf("log lacks %q:\n%s", want, log)
			}
		}
		if strings.Index(log, "hello from go") > strings.Index(log, "END RequestId") {
			t.Errorf("function output after END:\n%s", log)
		}
		if !strings.Contains(sink.all(), "hello from go: m1") {
			t.Errorf("sink did not get the function's output")
		}
	})

	t.Run("log is bounded", func(t *testing.T) {
		res := invoke(t, e, fn, `{"op":"spam","bytes":3000000}`)
		log := string(res.Log)
		if len(log) > maxInvocationLog || !strings.Contains(log, "earlier output of this invocation dropped") ||
			!strings.Contains(log, "\nREPORT RequestId: ") {
			t.Errorf("a 3 MB log kept %d bytes; head %q", len(log), log[:min(len(log), 200)])
		}
	})

	t.Run("context", func(t *testing.T) {
		id, c := invokeWithIdentity(t, e, fn, `{"op":"ctx"}`)
		if c["requestId"] != id || c["arn"] != fn.ARN || c["cognito"] != "id-1" {
			t.Errorf("context = %v", c)
		}
		if custom, _ := c["client"].(map[string]any); custom["k"] != "v" {
			t.Errorf("client context custom = %v", c["client"])
		}
		if ms := c["remainingMs"].(float64); ms <= 0 || ms > 10000 {
			t.Errorf("deadline gives %v ms remaining, want within the 10 s timeout", ms)
		}
	})

	t.Run("trace id", func(t *testing.T) {
		trace := "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
		res, err := e.Invoke(context.Background(), fn, Invocation{RequestID: uuid.New(), Payload: []byte(`{"op":"ctx"}`), TraceID: trace})
		if err != nil {
			t.Fatal(err)
		}
		var c map[string]any
		okJSON(t, res, &c)
		if c["trace"] != trace {
			t.Errorf("Lambda-Runtime-Trace-Id reached the function as %v", c["trace"])
		}
	})

	t.Run("environment", func(t *testing.T) {
		var env map[string]string
		okJSON(t, invoke(t, e, fn, `{"op":"env"}`), &env)
		want := map[string]string{
			"AWS_LAMBDA_FUNCTION_NAME":        fn.Name,
			"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
			"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
			"AWS_REGION":                      "us-east-1",
			"AWS_DEFAULT_REGION":              "us-east-1",
			"_HANDLER":                        "bootstrap",
			"LAMBDA_TASK_ROOT":                fn.CodeDir,
			"PWD":                             fn.CodeDir,
			"AWS_LAMBDA_LOG_GROUP_NAME":       fn.LogGroup,
			"AWS_EXECUTION_ENV":               "AWS_Lambda_provided.al2023",
			"TZ":                              ":UTC",
			"AWS_ACCESS_KEY_ID":               "AKIDTEST",
			"AWS_SECRET_ACCESS_KEY":           "secret",
			"AWS_ENDPOINT_URL":                "http://127.0.0.1:4566",
			"MY_VAR":                          "my value",
			"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		}
		for k, v := range want {
			if env[k] != v {
				t.Errorf("%s = %q, want %q", k, env[k], v)
			}
		}
		if !regexp.MustCompile(`^\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}$`).MatchString(env["AWS_LAMBDA_LOG_STREAM_NAME"]) {
			t.Errorf("log stream name %q", env["AWS_LAMBDA_LOG_STREAM_NAME"])
		}
		if !regexp.MustCompile(`^127\.0\.0\.1:\d+$`).MatchString(env["AWS_LAMBDA_RUNTIME_API"]) {
			t.Errorf("AWS_LAMBDA_RUNTIME_API = %q", env["AWS_LAMBDA_RUNTIME_API"])
		}
		if !strings.HasSuffix(env["LD_LIBRARY_PATH"], "/opt/lib") || !strings.Contains(env["PATH"], "/opt/bin") {
			t.Errorf("LD_LIBRARY_PATH %q / PATH %q lack the layers' lib and bin", env["LD_LIBRARY_PATH"], env["PATH"])
		}
		if tmp := env["TMPDIR"]; tmp == "" || !strings.HasPrefix(tmp, e.impl.workDir) {
			t.Errorf("TMPDIR = %q, want a private dir under the work dir", tmp)
		}
	})

	t.Run("handler error", func(t *testing.T) {
		d := failed(t, invoke(t, e, fn, `{"op":"error","msg":"boom"}`))
		if d.ErrorMessage != "boom" || d.ErrorType != "errorString" {
			t.Errorf("error = %+v", d)
		}
	})

	t.Run("reader result with trailers", func(t *testing.T) {
		res := invoke(t, e, fn, `{"op":"reader","msg":"bytes"}`)
		if res.FunctionError != "" || string(res.Payload) != "raw bytes" {
			t.Errorf("io.Reader result = %q (%s)", res.Payload, res.FunctionError)
		}
	})

	t.Run("response too large", func(t *testing.T) {
		d := failed(t, invoke(t, e, fn, `{"op":"big","bytes":7000000}`))
		if d.ErrorType != "Function.ResponseSizeTooLarge" || d.ErrorMessage != "Response payload size exceeded maximum allowed payload size (6291556 bytes)." {
			t.Errorf("error = %+v", d)
		}
	})
}

func TestTimeoutKillsTheEnvironment(t *testing.T) {
	e, _ := newEngine(t)
	fn := newFunction(t, "provided.al2023", "bootstrap", goFunction(t))
	fn.Timeout = 250 * time.Millisecond
	var before map[string]any
	okJSON(t, invoke(t, e, fn, `{"op":"ctx"}`), &before)
	id := uuid.New()
	res, err := e.Invoke(context.Background(), fn, Invocation{RequestID: id, Payload: []byte(`{"op":"sleep","ms":60000}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := failed(t, res)
	// As recorded from AWS (test_lambda_invoke_with_timeout).
	if d.ErrorType != "Sandbox.Timedout" || d.ErrorMessage != "RequestId: "+id+" Error: Task timed out after 0.25 seconds" {
		t.Errorf("timeout error = %s", res.Payload)
	}
	if !strings.Contains(string(res.Log), "Task timed out after 0.25 seconds") || !strings.Contains(string(res.Log), "Status: timeout") {
		t.Errorf("log:\n%s", res.Log)
	}
	if pid := int(before["pid"].(float64)); processAlive(pid) {
		t.Errorf("timed-out environment's process %d still runs", pid)
	}
	var after map[string]any
	okJSON(t, invoke(t, e, fn, `{"op":"ctx"}`), &after)
	if after["pid"] == before["pid"] {
		t.Errorf("the timed-out environment was reused")
	}
}

func processAlive(pid int) bool {
	st, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	f := strings.Fields(string(st))
	return len(f) > 2 && f[2] != "Z"
}

func TestCrashIsRuntimeExitError(t *testing.T) {
	e, _ := newEngine(t)
	fn := newFunction(t, "provided.al2023", "bootstrap", goFunction(t))
	id := uuid.New()
	res, err := e.Invoke(context.Background(), fn, Invocation{RequestID: id, Payload: []byte(`{"op":"exit"}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := failed(t, res)
	if d.ErrorType != "Runtime.ExitError" || d.ErrorMessage != "RequestId: "+id+" Error: Runtime exited with error: exit status 3" {
		t.Errorf("crash = %s", res.Payload)
	}
	okJSON(t, invoke(t, e, fn, `{"op":"echo"}`), new(map[string]any))
}

func TestMissingBootstrap(t *testing.T) {
	e, _ := newEngine(t)
	fn := newFunction(t, "provided.al2", "bootstrap", t.TempDir())
	d := failed(t, invoke(t, e, fn, `{}`))
	if d.ErrorType != "Runtime.InvalidEntrypoint" || !strings.Contains(d.ErrorMessage, "bootstrap") {
		t.Errorf("error = %+v", d)
	}
}

func TestMemory(t *testing.T) {
	e, _ := newEngine(t)
	if err := e.setup(); err != nil {
		t.Fatal(err)
	}
	fn := newFunction(t, "provided.al2023", "bootstrap", goFunction(t))
	fn.MemoryMB = 128
	res := invoke(t, e, fn, `{"op":"mem","mb":40}`)
	okJSON(t, res, new(float64))
	if res.MaxMemoryUsedMB < 40 {
		t.Errorf("MaxMemoryUsedMB = %d after touching 40 MB", res.MaxMemoryUsedMB)
	}
	if e.impl.cgroups.root == "" {
		t.Skipf("cgroup memory limit not available here: %s", e.impl.cgroups.reason)
	}
	d := failed(t, invoke(t, e, fn, `{"op":"mem","mb":400}`))
	if d.ErrorType != "Runtime.OutOfMemory" || !strings.Contains(d.ErrorMessage, "signal: killed") {
		t.Errorf("over the limit: %+v", d)
	}
}

func TestUnsupportedRuntimes(t *testing.T) {
	e, _ := newEngine(t)
	for _, rt := range []string{"java21", "dotnet8", "ruby3.3", "go1.x", ""} {
		fn := newFunction(t, rt, "x.y", t.TempDir())
		_, err := e.Invoke(context.Background(), fn, Invocation{Payload: []byte(`{}`)})
		if !errors.Is(err, ErrRuntimeUnavailable) {
			t.Errorf("%q: err = %v, want ErrRuntimeUnavailable", rt, err)
		} else if rt != "" && !strings.Contains(err.Error(), rt) {
			t.Errorf("%q: message does not name the runtime: %v", rt, err)
		}
	}
}

func TestPoolConcurrencyPrewarmRetireReap(t *testing.T) {
	e, _ := newEngine(t)
	fn := newFunction(t, "provided.al2023", "bootstrap", goFunction(t))

	const n = 6
	var wg sync.WaitGroup
	pids := make(chan float64, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.Invoke(context.Background(), fn, Invocation{Payload: []byte(`{"op":"ctx"}`)})
			if err != nil || res.FunctionError != "" {
				t.Errorf("concurrent invoke: %v %s", err, res.Payload)
				return
			}
			var c map[string]any
			okJSON(t, res, &c)
			pids <- c["pid"].(float64)
		}()
	}
	wg.Wait()
	close(pids)
	if idle := e.idleCount(fn); idle < 1 || idle > n {
		t.Errorf("idle environments after %d concurrent invokes = %d", n, idle)
	}

	e.Retire(fn.ARN)
	if idle := e.idleCount(fn); idle != 0 {
		t.Errorf("idle after Retire = %d", idle)
	}
	for pid := range pids {
		if processAlive(int(pid)) {
			t.Errorf("process %v survived Retire", pid)
		}
	}

	fn2 := *fn
	fn2.Revision = "r2"
	if err := e.Prewarm(context.Background(), &fn2, 3); err != nil {
		t.Fatal(err)
	}
	if idle := e.idleCount(&fn2); idle != 3 {
		t.Errorf("idle after Prewarm(3) = %d", idle)
	}
	res := invoke(t, e, &fn2, `{"op":"ctx"}`)
	if res.InitDuration != 0 {
		t.Errorf("invoke on a provisioned environment reports init %v", res.InitDuration)
	}
	if got := e.reap(time.Now().Add(time.Hour)); got != 0 {
		t.Errorf("reaped %d provisioned environments", got)
	}
	fn3 := *fn
	fn3.Revision = "r3"
	invoke(t, e, &fn3, `{"op":"echo"}`)
	if got := e.reap(time.Now()); got != 0 {
		t.Errorf("reaped %d fresh environments", got)
	}
	if got := e.reap(time.Now().Add(time.Hour)); got != 1 {
		t.Errorf("reaped %d idle environments, want 1", got)
	}
}

// idleCount is the number of warm environments of fn's revision.
func (e *Engine) idleCount(fn *Function) int {
	e.impl.mu.Lock()
	defer e.impl.mu.Unlock()
	p := e.impl.mu.pools[poolKey(fn)]
	if p == nil {
		return 0
	}
	return len(p.idle)
}

func TestExtensionRegistersAndGetsEvents(t *testing.T) {
	requireInterpreter(t, "python3.11")
	e, sink := newEngine(t)
	fn := newFunction(t, "provided.al2023", "bootstrap", goFunction(t))
	fn.Layers = []string{"testdata/ext"}
	id := uuid.New()
	res, err := e.Invoke(context.Background(), fn, Invocation{RequestID: id, Payload: []byte(`{"op":"echo"}`)})
	if err != nil || res.FunctionError != "" {
		t.Fatalf("invoke with an extension: %v %s\n%s", err, res.Payload, res.Log)
	}
	if err := e.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	all := sink.all()
	if !strings.Contains(all, "extension registered for "+fn.Name) {
		t.Errorf("extension did not register:\n%s", all)
	}
}

func TestRetireAndCloseWhileBusy(t *testing.T) {
	e, _ := newEngine(t)
	fn := newFunction(t, "provided.al2023", "bootstrap", goFunction(t))

	// Retire while an invoke runs: the invoke completes, then its environment is dropped.
	started := make(chan struct{})
	done := make(chan Result)
	go func() {
		close(started)
		res, _ := e.Invoke(context.Background(), fn, Invocation{Payload: []byte(`{"op":"sleep","ms":300}`)})
		done <- res
	}()
	<-started
	for e.busyCount(fn) == 0 {
		time.Sleep(time.Millisecond)
	}
	e.Retire(fn.ARN)
	if res := <-done; res.FunctionError != "" || string(res.Payload) != `"slept"` {
		t.Errorf("invoke across Retire = %s %s", res.FunctionError, res.Payload)
	}
	if n := e.idleCount(fn); n != 0 {
		t.Errorf("%d environments kept after Retire", n)
	}

	// Close while an invoke runs: the invoke ends with Runtime.ExitError, nothing is left.
	go func() {
		res, _ := e.Invoke(context.Background(), fn, Invocation{Payload: []byte(`{"op":"sleep","ms":60000}`)})
		done <- res
	}()
	for e.busyCount(fn) == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := e.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := failed(t, <-done); d.ErrorType != "Runtime.ExitError" {
		t.Errorf("invoke across Close = %+v", d)
	}
	if _, err := e.Invoke(context.Background(), fn, Invocation{Payload: []byte(`{}`)}); !errors.Is(err, errClosed) {
		t.Errorf("Invoke after Close: %v", err)
	}
}

// busyCount is the number of environments of fn's revision running an invocation.
func (e *Engine) busyCount(fn *Function) int {
	e.impl.mu.Lock()
	defer e.impl.mu.Unlock()
	p := e.impl.mu.pools[poolKey(fn)]
	if p == nil {
		return 0
	}
	n := 0
	for ev := range p.all {
		ev.mu.Lock()
		if ev.mu.cur != nil {
			n++
		}
		ev.mu.Unlock()
	}
	return n
}
