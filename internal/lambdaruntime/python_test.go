package lambdaruntime

import (
	"strings"
	"testing"
)

func TestPythonFunction(t *testing.T) {
	requireInterpreter(t, "python3.12")
	e, _ := newEngine(t)
	fn := newFunction(t, "python3.12", "app.handler", "testdata/py")
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
			"aws_request_id": id, "function_name": fn.Name, "function_version": "$LATEST",
			"invoked_function_arn": fn.ARN, "memory_limit_in_mb": "256", "log_group_name": fn.LogGroup,
			"cognito": "id-1", "client_custom": map[string]any{"k": "v"},
		}
		for k, v := range want {
			if !equalJSON(c[k], v) {
				t.Errorf("context %s = %v, want %v", k, c[k], v)
			}
		}
		if r := c["remaining"].(float64); r <= 0 || r > 10000 {
			t.Errorf("get_remaining_time_in_millis() = %v", r)
		}
		if c["invocations"].(float64) < 2 {
			t.Errorf("warm environment not reused: %v", c)
		}
	})

	t.Run("log", func(t *testing.T) {
		res := invoke(t, e, fn, `{"op":"print","msg":"m2"}`)
		log := string(res.Log)
		if !strings.Contains(log, "hello from python: m2\n") || !strings.Contains(log, "[WARNING]\t") || !strings.Contains(log, "warned m2") {
			t.Errorf("log:\n%s", log)
		}
	})

	t.Run("error", func(t *testing.T) {
		d := failed(t, invoke(t, e, fn, `{"op":"error","msg":"bad value"}`))
		if d.ErrorType != "ValueError" || d.ErrorMessage != "bad value" || d.RequestID == nil || len(d.StackTrace) != 1 ||
			!strings.Contains(d.StackTrace[0], `app.py", line`) {
			t.Errorf("error = %+v", d)
		}
	})

	t.Run("marshal error", func(t *testing.T) {
		d := failed(t, invoke(t, e, fn, `{"op":"set"}`))
		if d.ErrorType != "Runtime.MarshalError" || !strings.Contains(d.ErrorMessage, "Unable to marshal response") {
			t.Errorf("error = %+v", d)
		}
	})

	t.Run("boto3", func(t *testing.T) {
		var v string
		okJSON(t, invoke(t, e, fn, `{"op":"boto3"}`), &v)
		if v == "" {
			t.Errorf("boto3 version empty")
		}
	})

	t.Run("layers in order", func(t *testing.T) {
		var v string
		okJSON(t, invoke(t, e, fn, `{"op":"layer"}`), &v)
		if v != "from layer2" {
			t.Errorf("layermod.VALUE = %q, want the later layer's", v)
		}
	})

	t.Run("layer bin on PATH", func(t *testing.T) {
		var v string
		okJSON(t, invoke(t, e, fn, `{"op":"tool"}`), &v)
		if v != "layer-tool" {
			t.Errorf("layertool printed %q", v)
		}
	})

	t.Run("environment", func(t *testing.T) {
		var env map[string]string
		okJSON(t, invoke(t, e, fn, `{"op":"env"}`), &env)
		if !strings.HasPrefix(env["sys.version"], "3.12") {
			t.Errorf("python %s, want 3.12", env["sys.version"])
		}
		if env["AWS_EXECUTION_ENV"] != "AWS_Lambda_python3.12" || env["PWD"] != fn.CodeDir || env["MY_VAR"] != "my value" {
			t.Errorf("env: %v", env)
		}
		if !strings.Contains(env["PATH"], "/opt/bin") {
			t.Errorf("PATH %q lacks the layers' bin", env["PATH"])
		}
	})

	t.Run("private tmp", func(t *testing.T) {
		var name string
		okJSON(t, invoke(t, e, fn, `{"op":"tmp"}`), &name)
		if !strings.HasPrefix(name, e.impl.workDir) {
			t.Errorf("tempfile %s is not in the environment's /tmp", name)
		}
	})

	t.Run("nested handler", func(t *testing.T) {
		f := newFunction(t, "python3.12", "pkg/sub/deep.handler", "testdata/py")
		var v map[string]any
		okJSON(t, invoke(t, e, f, `{}`), &v)
		if v["name"] != "pkg.sub.deep" {
			t.Errorf("nested = %v", v)
		}
	})
}

func equalJSON(a, b any) bool {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		if len(am) != len(bm) {
			return false
		}
		for k := range am {
			if !equalJSON(am[k], bm[k]) {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestPythonInitErrors(t *testing.T) {
	requireInterpreter(t, "python3.12")
	e, _ := newEngine(t)
	for _, tc := range []struct {
		handler, errType, msg string
	}{
		{"broken_import.handler", "Runtime.ImportModuleError", "Unable to import module 'broken_import': No module named 'module_that_does_not_exist'"},
		{"app.missing", "Runtime.HandlerNotFound", "Handler 'missing' missing on module 'app'"},
		{"nosuchmodule.handler", "Runtime.ImportModuleError", "Unable to import module 'nosuchmodule': No module named 'nosuchmodule'"},
		{"bad_syntax.handler", "Runtime.UserCodeSyntaxError", "Syntax error in module 'bad_syntax'"},
		{"init_raises.handler", "Exception", "Runtime startup fails"}, // as recorded (test_lambda_runtime_error)
		{"nodot", "Runtime.MalformedHandlerName", "Bad handler 'nodot'"},
	} {
		t.Run(tc.handler, func(t *testing.T) {
			fn := newFunction(t, "python3.12", tc.handler, "testdata/py")
			res := invoke(t, e, fn, `{}`)
			d := failed(t, res)
			if d.ErrorType != tc.errType || !strings.HasPrefix(d.ErrorMessage, tc.msg) {
				t.Errorf("init error = %s", res.Payload)
			}
			if d.RequestID == nil || *d.RequestID != "" {
				t.Errorf("init error requestId = %v, want \"\"", d.RequestID)
			}
			if !strings.Contains(string(res.Log), tc.errType) {
				t.Errorf("log lacks the error:\n%s", res.Log)
			}
		})
	}
}

func TestPythonVersions(t *testing.T) {
	requireInterpreter(t, "python3.9")
	e, _ := newEngine(t)
	for _, rt := range []string{"python3.9", "python3.13", "python3.14"} {
		t.Run(rt, func(t *testing.T) {
			spec, err := findRuntime(rt)
			if err != nil {
				t.Skip(err)
			}
			fn := newFunction(t, rt, "app.handler", "testdata/py")
			res := invoke(t, e, fn, `{"op":"env"}`)
			var env map[string]string
			okJSON(t, res, &env)
			if !strings.HasPrefix(env["sys.version"], spec.version+".") {
				t.Errorf("%s ran on %s, want %s", rt, env["sys.version"], spec.version)
			}
			if want := strings.TrimPrefix(rt, "python"); spec.version != want && !strings.Contains(string(res.Log), "running on Python "+spec.version) {
				t.Errorf("%s on Python %s without saying so in the log:\n%s", rt, spec.version, res.Log)
			}
			var v string
			okJSON(t, invoke(t, e, fn, `{"op":"boto3"}`), &v)
			// The function's own SDK calls go to Fogbank (AWS_ENDPOINT_URL), also on Pythons
			// whose boto3 predates that variable.
			okJSON(t, invoke(t, e, fn, `{"op":"endpoint"}`), &v)
			if v != "http://127.0.0.1:4566" {
				t.Errorf("boto3 endpoint = %q", v)
			}
		})
	}
}

func TestPythonMemoryLimitFallbackReported(t *testing.T) {
	// Max Memory Used is always reported, from the cgroup or the process.
	requireInterpreter(t, "python3.12")
	e, _ := newEngine(t)
	fn := newFunction(t, "python3.12", "app.handler", "testdata/py")
	res := invoke(t, e, fn, `{"op":"mem","mb":30}`)
	okJSON(t, res, new(float64))
	if res.MaxMemoryUsedMB < 30 {
		t.Errorf("MaxMemoryUsedMB = %d", res.MaxMemoryUsedMB)
	}
	if !strings.Contains(string(res.Log), "Max Memory Used: ") {
		t.Errorf("REPORT lacks memory:\n%s", res.Log)
	}
}
