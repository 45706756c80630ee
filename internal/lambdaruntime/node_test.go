package lambdaruntime

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/fogbank/fogbank/internal/uuid"
)

func TestNodeFunction(t *testing.T) {
	requireInterpreter(t, "nodejs20.x")
	e, _ := newEngine(t)
	fn := newFunction(t, "nodejs20.x", "index.handler", "testdata/node")
	fn.Layers = []string{"testdata/layer1", "testdata/layer2"}

	cold := invoke(t, e, fn, `{"op":"echo","msg":"hi"}`)
	var echo map[string]any
	okJSON(t, cold, &echo)
	if echo["msg"] != "hi" || cold.InitDuration <= 0 {
		t.Errorf("echo = %v, init %v", echo, cold.InitDuration)
	}

	t.Run("context", func(t *testing.T) {
		id, c := invokeWithIdentity(t, e, fn, `{"op":"ctx"}`)
		want := map[string]any{
			"awsRequestId": id, "functionName": fn.Name, "functionVersion": "$LATEST",
			"invokedFunctionArn": fn.ARN, "memoryLimitInMB": "256", "logGroupName": fn.LogGroup,
			"clientContext": map[string]any{"custom": map[string]any{"k": "v"}},
			"identity":      map[string]any{"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"},
		}
		for k, v := range want {
			if !equalJSON(c[k], v) {
				t.Errorf("context %s = %v, want %v", k, c[k], v)
			}
		}
		if r := c["remaining"].(float64); r <= 0 || r > 10000 {
			t.Errorf("getRemainingTimeInMillis() = %v", r)
		}
		if c["invocations"].(float64) < 2 {
			t.Errorf("warm environment not reused: %v", c)
		}
	})

	t.Run("log", func(t *testing.T) {
		id := uuid.New()
		res, err := e.Invoke(context.Background(), fn, Invocation{RequestID: id, Payload: []byte(`{"op":"print","msg":"m3"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(res.Log), "\t"+id+"\tINFO\thello from node: m3\n") {
			t.Errorf("log:\n%s", res.Log)
		}
	})

	t.Run("error", func(t *testing.T) {
		d := failed(t, invoke(t, e, fn, `{"op":"error","msg":"node boom"}`))
		// Node's runtime reports "trace", not "stackTrace" (recorded: test_uncaught_exception_invoke[nodejs20.x]).
		if d.ErrorType != "Error" || d.ErrorMessage != "node boom" || len(d.Trace) < 2 || d.Trace[0] != "Error: node boom" {
			t.Errorf("error = %+v", d)
		}
	})

	t.Run("sdk v3 require", func(t *testing.T) {
		if e.impl.nodePath == "" {
			skipWithoutNodeSDK(t)
		}
		var v string
		okJSON(t, invoke(t, e, fn, `{"op":"sdk"}`), &v)
		if v != "function" {
			t.Errorf("typeof SQSClient = %q", v)
		}
	})

	t.Run("layer node_modules", func(t *testing.T) {
		var v string
		okJSON(t, invoke(t, e, fn, `{"op":"layer"}`), &v)
		if v != "layerlib from layer1" {
			t.Errorf("layerlib = %q", v)
		}
	})

	t.Run("environment", func(t *testing.T) {
		var env map[string]string
		okJSON(t, invoke(t, e, fn, `{"op":"env"}`), &env)
		if env["AWS_EXECUTION_ENV"] != "AWS_Lambda_nodejs20.x" || env["PWD"] != fn.CodeDir || !strings.HasPrefix(env["version"], "v20.") {
			t.Errorf("env: %v", env)
		}
		if !strings.Contains(env["NODE_PATH"], "/opt/nodejs/node20/node_modules:") || !strings.Contains(env["NODE_PATH"], "/opt/nodejs/node_modules") {
			t.Errorf("NODE_PATH = %q", env["NODE_PATH"])
		}
	})

	t.Run("nested handler", func(t *testing.T) {
		f := newFunction(t, "nodejs20.x", "index.nested.deeper.fn", "testdata/node")
		var v string
		okJSON(t, invoke(t, e, f, `{}`), &v)
		if v != "nested ok" {
			t.Errorf("nested = %q", v)
		}
	})

	t.Run("callback", func(t *testing.T) {
		f := newFunction(t, "nodejs20.x", "callback.handler", "testdata/node")
		var v map[string]any
		okJSON(t, invoke(t, e, f, `{"msg":"cb"}`), &v)
		if v["via"] != "callback" || v["got"] != "cb" {
			t.Errorf("callback result = %v", v)
		}
		d := failed(t, invoke(t, e, f, `{"fail":true}`))
		if d.ErrorType != "TypeError" || d.ErrorMessage != "callback failed" {
			t.Errorf("callback error = %+v", d)
		}
	})

	t.Run("uncaught exception", func(t *testing.T) {
		d := failed(t, invoke(t, e, fn, `{"op":"uncaught"}`))
		if d.ErrorType != "TypeError" || d.ErrorMessage != "thrown later" {
			t.Errorf("uncaught = %+v", d)
		}
		d = failed(t, invoke(t, e, fn, `{"op":"rejected"}`))
		if d.ErrorType != "Runtime.UnhandledPromiseRejection" || d.ErrorMessage != "Error: nobody caught me" {
			t.Errorf("unhandled rejection = %+v", d)
		}
		okJSON(t, invoke(t, e, fn, `{"op":"echo"}`), new(map[string]any))
	})

	t.Run("crash", func(t *testing.T) {
		d := failed(t, invoke(t, e, fn, `{"op":"exit"}`))
		if d.ErrorType != "Runtime.ExitError" || !strings.HasSuffix(d.ErrorMessage, "Error: Runtime exited with error: exit status 3") {
			t.Errorf("crash = %+v", d)
		}
	})
}

func TestNodeESM(t *testing.T) {
	requireInterpreter(t, "nodejs20.x")
	e, _ := newEngine(t)
	if err := e.setup(); err != nil {
		t.Fatal(err)
	}
	if e.impl.nodePath == "" {
		skipWithoutNodeSDK(t)
	}
	fn := newFunction(t, "nodejs22.x", "index.handler", "testdata/nodeesm")
	res := invoke(t, e, fn, `{}`)
	var v map[string]any
	okJSON(t, res, &v)
	if v["esm"] != true || v["sdk"] != "function" || v["helper"] != "helped" {
		t.Errorf("esm result = %v", v)
	}
	if spec, _ := findRuntime("nodejs22.x"); spec.note != "" && !strings.Contains(string(res.Log), "nodejs22.x asked for Node.js 22") {
		t.Errorf("running nodejs22.x on another Node without saying so:\n%s", res.Log)
	}
}

func TestNodeInitErrors(t *testing.T) {
	requireInterpreter(t, "nodejs20.x")
	e, _ := newEngine(t)
	for _, tc := range []struct{ handler, errType, msg string }{
		{"broken.handler", "Runtime.ImportModuleError", "Error: Cannot find module 'no-such-package-anywhere'"},
		{"missing.handler", "Runtime.ImportModuleError", "Error: Cannot find module"},
		{"index.nope", "Runtime.HandlerNotFound", "index.nope is undefined or not exported"},
		{"nodot", "Runtime.MalformedHandlerName", "Bad handler"},
	} {
		t.Run(tc.handler, func(t *testing.T) {
			d := failed(t, invoke(t, e, newFunction(t, "nodejs20.x", tc.handler, "testdata/node"), `{}`))
			if d.ErrorType != tc.errType || !strings.HasPrefix(d.ErrorMessage, tc.msg) {
				t.Errorf("init error = %+v", d)
			}
		})
	}
}

// lockedBuffer is an io.Writer that records each Write as a chunk.
type lockedBuffer struct {
	mu     sync.Mutex
	chunks [][]byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.chunks = append(b.chunks, bytes.Clone(p))
	return len(p), nil
}

func TestNodeStreamingResponse(t *testing.T) {
	requireInterpreter(t, "nodejs20.x")
	e, _ := newEngine(t)
	fn := newFunction(t, "nodejs20.x", "stream.handler", "testdata/node")

	var out lockedBuffer
	res, err := e.Invoke(context.Background(), fn, Invocation{RequestID: uuid.New(), Payload: []byte(`{}`), Stream: &out})
	if err != nil || res.FunctionError != "" {
		t.Fatalf("stream invoke: %v %s %s", err, res.FunctionError, res.Payload)
	}
	if got := string(bytes.Join(out.chunks, nil)); got != "chunk0;chunk1;chunk2;" {
		t.Errorf("streamed body = %q", got)
	}
	if len(out.chunks) < 2 {
		t.Errorf("body arrived in %d write(s), want it streamed in pieces", len(out.chunks))
	}

	out = lockedBuffer{}
	res, err = e.Invoke(context.Background(), fn, Invocation{RequestID: uuid.New(), Payload: []byte(`{"fail":true}`), Stream: &out})
	if err != nil {
		t.Fatal(err)
	}
	d := failed(t, res)
	if d.ErrorType != "Error" || d.ErrorMessage != "stream broke" {
		t.Errorf("mid-stream error = %+v", d)
	}

	// Without a Stream writer the streamed body is buffered into the Payload.
	res = invoke(t, e, fn, `{}`)
	if string(res.Payload) != "chunk0;chunk1;chunk2;" {
		t.Errorf("buffered streamed payload = %q", res.Payload)
	}
}
