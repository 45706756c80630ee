package lambdaruntime

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// testDockerd is the container engine of this test binary: a reachable one (DOCKER_HOST, the
// default sockets) or, when none is and Debian's docker.io is installed, a private dockerd on
// its own socket, data root and exec root (no bridge, no iptables: functions use the host's
// network), stopped by TestMain.
var testDockerd struct {
	once    sync.Once
	host    string
	skip    string // no engine and no dockerd: the image tests skip
	fail    string // dockerd is installed but did not come up: they fail
	cmd     *exec.Cmd
	dir     string
	release chan struct{} // closed by stopTestDockerd: lets the thread that forked dockerd go

	imgOnce sync.Once
	img     string
	imgErr  error
}

func containerHost(t testing.TB) string {
	t.Helper()
	testDockerd.once.Do(startTestDockerd)
	if testDockerd.skip != "" {
		t.Skip(testDockerd.skip)
	}
	if testDockerd.fail != "" {
		t.Fatal(testDockerd.fail)
	}
	return testDockerd.host
}

func startTestDockerd() {
	d := &testDockerd
	probe := New(Config{})
	if cli, err := probe.docker(context.Background()); err == nil {
		d.host = cli.DaemonHost()
		_ = probe.Close(context.Background())
		return
	}
	_ = probe.Close(context.Background())
	bin, err := exec.LookPath("dockerd")
	if err != nil {
		d.skip = "no container engine reachable and dockerd is not installed: apt-get install docker.io (bash scripts/install-lambda-runtimes.sh --docker)"
		return
	}
	if os.Geteuid() != 0 {
		d.skip = "no container engine reachable, and starting dockerd needs root"
		return
	}
	dir, err := os.MkdirTemp("", "fbd-") // short: the socket path must fit in sun_path
	if err != nil {
		d.skip = err.Error()
		return
	}
	d.dir = dir
	d.host = "unix://" + filepath.Join(dir, "d.sock")
	logf, _ := os.Create(filepath.Join(dir, "dockerd.log"))
	cmd := exec.Command(bin, "--host", d.host, "--data-root", filepath.Join(dir, "data"), "--exec-root", filepath.Join(dir, "x"),
		"--pidfile", filepath.Join(dir, "d.pid"), "--bridge=none", "--iptables=false", "--ip-masq=false")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	// Linux sends Pdeathsig when the *thread* that forked the child exits, and the engines under
	// test lock (and retire) threads for their own spawners: forking dockerd from an ordinary
	// thread let one engine's Close terminate it mid-run. So dockerd is forked from a thread
	// held until stopTestDockerd, and still dies with a killed test binary.
	d.release = make(chan struct{})
	started := make(chan error)
	go func() {
		runtime.LockOSThread()
		started <- cmd.Start()
		<-d.release
	}()
	if err := <-started; err != nil {
		close(d.release)
		d.fail = "starting dockerd: " + err.Error()
		return
	}
	d.cmd = cmd
	probe = New(Config{ContainerHost: d.host})
	defer probe.Close(context.Background())
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := probe.docker(context.Background()); err == nil {
			return
		} else if time.Now().After(deadline) {
			d.fail = "dockerd did not answer in 30 s: " + err.Error() + dockerdLog()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// dockerdLog is the end of the private dockerd's log, for failures.
func dockerdLog() string {
	if testDockerd.dir == "" {
		return ""
	}
	b, _ := os.ReadFile(filepath.Join(testDockerd.dir, "dockerd.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return "\ndockerd log:\n" + string(b)
}

// stopTestDockerd stops the private dockerd, if this binary started one (else removes the
// test image from the shared engine).
func stopTestDockerd() {
	d := &testDockerd
	if d.cmd == nil {
		if d.img != "" { // a shared engine: take the test image away again
			if cli, err := client.New(client.WithHost(d.host)); err == nil {
				_, _ = cli.ImageRemove(context.Background(), d.img, client.ImageRemoveOptions{Force: true})
				_ = cli.Close()
			}
		}
		return
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	close(d.release)
	unmountUnder(d.dir) // dockerd leaves its exec root's netns/default bind mount
	_ = os.RemoveAll(d.dir)
}

// testImage imports a FROM-scratch image holding testdata/gofn as /var/runtime/bootstrap (its
// ENTRYPOINT), once per test binary, and returns its reference.
func testImage(t testing.TB, host string) string {
	t.Helper()
	d := &testDockerd
	d.imgOnce.Do(func() {
		ref := "fogbank-test/gofn:" + randHex(4)
		if d.imgErr = importTestImage(t, host, ref); d.imgErr == nil {
			d.img = ref
		}
	})
	if d.imgErr != nil {
		t.Fatalf("importing the test image: %v%s", d.imgErr, dockerdLog())
	}
	return d.img
}

// importTestImage imports the test function as a FROM-scratch image tagged ref, with extra
// Dockerfile instructions (ENV …) after the usual ENTRYPOINT, CMD, WORKDIR and PATH.
func importTestImage(t testing.TB, host, ref string, extra ...string) error {
	boot, err := os.ReadFile(filepath.Join(goFunction(t), "bootstrap"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, dir := range []string{"var/", "var/runtime/", "var/task/", "tmp/"} {
		_ = tw.WriteHeader(&tar.Header{Name: dir, Typeflag: tar.TypeDir, Mode: 0o755})
	}
	_ = tw.WriteHeader(&tar.Header{Name: "var/runtime/bootstrap", Typeflag: tar.TypeReg, Mode: 0o755, Size: int64(len(boot))})
	_, _ = tw.Write(boot)
	_ = tw.Close()
	cli, err := client.New(client.WithHost(host))
	if err != nil {
		return err
	}
	defer cli.Close()
	changes := append([]string{`ENTRYPOINT ["/var/runtime/bootstrap"]`, `CMD ["function.handler"]`, `WORKDIR /var/task`, `ENV PATH=/var/runtime:/usr/bin:/bin`}, extra...)
	res, err := cli.ImageImport(context.Background(), client.ImageImportSource{Source: &buf, SourceName: "-"}, ref, client.ImageImportOptions{Changes: changes})
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res)
	return res.Close()
}

// newContainerEngine is newEngine for image functions: after Close, no container the engine
// started may be left (running or stopped).
func newContainerEngine(t *testing.T, host string) (*Engine, *recordingSink) {
	t.Helper()
	work := t.TempDir()
	sink := &recordingSink{}
	e := New(Config{WorkDir: work, Endpoint: func() string { return "http://127.0.0.1:4566" }, IdleTimeout: time.Minute, Sink: sink, ContainerHost: host})
	t.Cleanup(func() {
		if err := e.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
		if left := containersOf(t, host, containerLabel, work); len(left) > 0 {
			t.Errorf("containers left after Close: %v", left)
		}
	})
	return e, sink
}

// containersOf lists the containers (running or not) labelled key=value.
func containersOf(t *testing.T, host, key, value string) []string {
	t.Helper()
	cli, err := client.New(client.WithHost(host))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	res, err := cli.ContainerList(context.Background(), client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", key+"="+value)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range res.Items {
		ids = append(ids, c.ID[:12]+" "+string(c.State))
	}
	return ids
}

func imageFunction(t *testing.T, ref string) *Function {
	fn := newFunction(t, "", "", ".")
	fn.CodeDir = ""
	fn.Image = &Image{URI: ref, Ref: ref}
	fn.MemoryMB = 128
	fn.Timeout = 5 * time.Second
	return fn
}

func TestImageFunction(t *testing.T) {
	host := containerHost(t)
	ref := testImage(t, host)
	e, sink := newContainerEngine(t, host)
	ctx := context.Background()

	info, err := e.InspectImage(ctx, ref)
	if err != nil || !strings.HasPrefix(info.ID, "sha256:") || len(info.EntryPoint) != 1 || info.EntryPoint[0] != "/var/runtime/bootstrap" {
		t.Fatalf("InspectImage = %+v, %v", info, err)
	}
	if _, err := e.InspectImage(ctx, "fogbank-test/absent:1"); !errors.Is(err, ErrImageNotFound) {
		t.Fatalf("InspectImage(absent) = %v, want ErrImageNotFound", err)
	}

	// A container an earlier engine on this work dir left behind (it died without Close).
	cli, err := client.New(client.WithHost(host))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	if _, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{Config: &container.Config{Image: ref,
		Labels: map[string]string{containerLabel: e.cfg.WorkDir, fnLabel: "leftover"}}}); err != nil {
		t.Fatal(err)
	}

	fn := imageFunction(t, ref)
	fn.Image.Ref = info.ID // what the control plane runs: the ID resolved at create
	t.Run("echo, warm reuse, logs", func(t *testing.T) {
		var got map[string]any
		res := invoke(t, e, fn, `{"op":"echo","msg":"from a container"}`)
		okJSON(t, res, &got)
		if got["msg"] != "from a container" || res.InitDuration <= 0 {
			t.Fatalf("echo = %v (init %v)", got, res.InitDuration)
		}
		t.Logf("container cold start: Init Duration %v, first invoke %v", res.InitDuration, res.Duration)
		var cx map[string]any
		okJSON(t, invoke(t, e, fn, `{"op":"ctx"}`), &cx)
		if cx["coldStarts"] != float64(1) || !strings.Contains(cx["arn"].(string), fn.Name) {
			t.Fatalf("second invoke did not reuse the warm container: %v", cx)
		}
		res = invoke(t, e, fn, `{"op":"print","msg":"boxed"}`)
		if log := string(res.Log); !strings.Contains(log, "hello from go: boxed") || !strings.Contains(log, "to stderr: boxed") || !strings.Contains(log, "REPORT RequestId:") {
			t.Fatalf("log:\n%s", log)
		}
		if !strings.Contains(sink.all(), "hello from go: boxed") {
			t.Fatalf("sink lacks the container's output:\n%s", sink.all())
		}
		if left := containersOf(t, host, fnLabel, "leftover"); len(left) > 0 {
			t.Fatalf("an earlier engine's container was not removed: %v", left)
		}
	})
	t.Run("environment", func(t *testing.T) {
		var env map[string]string
		okJSON(t, invoke(t, e, fn, `{"op":"env"}`), &env)
		want := map[string]string{
			"AWS_LAMBDA_FUNCTION_NAME":        fn.Name,
			"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
			"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
			"AWS_REGION":                      "us-east-1",
			"AWS_ACCESS_KEY_ID":               "AKIDTEST",
			"AWS_ENDPOINT_URL":                "http://127.0.0.1:4566",
			"LAMBDA_TASK_ROOT":                "/var/task",
			"_HANDLER":                        "function.handler", // the image's CMD
			"MY_VAR":                          "my value",
			"PATH":                            "/var/runtime:/usr/bin:/bin", // the image's
			"PWD":                             "/var/task",                  // the image's WORKDIR
			"TZ":                              ":UTC",
		}
		for k, v := range want {
			if env[k] != v {
				t.Errorf("%s = %q, want %q", k, env[k], v)
			}
		}
		if !strings.HasPrefix(env["AWS_LAMBDA_RUNTIME_API"], "127.0.0.1:") || !strings.HasPrefix(env["AWS_LAMBDA_LOG_STREAM_NAME"], time.Now().UTC().Format("2006/01/02")+"/[$LATEST]") {
			t.Errorf("env = %v", env)
		}
	})
	t.Run("ImageConfig overrides", func(t *testing.T) {
		fn := imageFunction(t, ref)
		fn.ARN += "-cfg"
		fn.Image.EntryPoint = []string{"/var/runtime/bootstrap"}
		fn.Image.Command = []string{"other.handler"}
		fn.Image.WorkingDirectory = "/tmp"
		var env map[string]string
		okJSON(t, invoke(t, e, fn, `{"op":"env"}`), &env)
		if env["PWD"] != "/tmp" || env["_HANDLER"] != "other.handler" {
			t.Fatalf("PWD %q, _HANDLER %q", env["PWD"], env["_HANDLER"])
		}
		bad := imageFunction(t, ref)
		bad.ARN += "-bad"
		bad.Image.EntryPoint = []string{"/no/such/entrypoint"}
		doc := failed(t, invoke(t, e, bad, `{}`))
		if doc.ErrorType != "Runtime.InvalidEntrypoint" || !strings.Contains(doc.ErrorMessage, "/no/such/entrypoint") {
			t.Fatalf("missing entrypoint: %+v", doc)
		}
	})
	t.Run("function errors, crash, timeout", func(t *testing.T) {
		doc := failed(t, invoke(t, e, fn, `{"op":"error","msg":"boom"}`))
		if doc.ErrorMessage != "boom" {
			t.Fatalf("error: %+v", doc)
		}
		doc = failed(t, invoke(t, e, fn, `{"op":"exit"}`))
		if doc.ErrorType != "Runtime.ExitError" || !strings.Contains(doc.ErrorMessage, "Runtime exited with error: exit status 3") {
			t.Fatalf("crash: %+v", doc)
		}
		short := imageFunction(t, ref)
		short.ARN += "-short"
		short.Timeout = time.Second
		res := invoke(t, e, short, `{"op":"sleep","ms":5000}`)
		doc = failed(t, res)
		if doc.ErrorType != "Sandbox.Timedout" || !strings.Contains(doc.ErrorMessage, "Task timed out after 1.00 seconds") {
			t.Fatalf("timeout: %+v", doc)
		}
		// The timed-out environment's container is gone; a new one serves the next invoke.
		var got map[string]any
		okJSON(t, invoke(t, e, short, `{"op":"echo","msg":"again"}`), &got)
	})
	t.Run("memory and ephemeral storage limits", func(t *testing.T) {
		small := imageFunction(t, ref)
		small.ARN += "-small"
		small.MemoryMB = 128
		small.EphemeralMB = 16
		doc := failed(t, invoke(t, e, small, `{"op":"mem","mb":400}`))
		if doc.ErrorType != "Runtime.OutOfMemory" {
			t.Fatalf("over MemorySize: %+v", doc)
		}
		res := invoke(t, e, small, `{"op":"mem","mb":40}`)
		if res.FunctionError != "" || res.MaxMemoryUsedMB < 40 || res.MaxMemoryUsedMB > 128 {
			t.Fatalf("40 MB used: Max Memory Used %d MB, %s", res.MaxMemoryUsedMB, res.Payload)
		}
		var ok string
		okJSON(t, invoke(t, e, small, `{"op":"fill","mb":8}`), &ok)
		doc = failed(t, invoke(t, e, small, `{"op":"fill","mb":32}`))
		if !strings.Contains(doc.ErrorMessage, "no space left on device") {
			t.Fatalf("over EphemeralStorage: %+v", doc)
		}
	})
	t.Run("Prewarm, then reaping removes the container", func(t *testing.T) {
		warm := imageFunction(t, ref)
		warm.ARN += "-warm"
		if err := e.Prewarm(ctx, warm, 1); err != nil {
			t.Fatal(err)
		}
		if n := len(containersOf(t, host, fnLabel, warm.ARN)); n != 1 {
			t.Fatalf("%d containers after Prewarm(1)", n)
		}
		if res := invoke(t, e, warm, `{"op":"echo"}`); res.InitDuration != 0 {
			t.Fatalf("a provisioned environment's first invoke reported Init Duration %v", res.InitDuration)
		}
		od := imageFunction(t, ref)
		od.ARN += "-ondemand"
		invoke(t, e, od, `{"op":"echo"}`)
		e.reap(time.Now().Add(time.Hour)) // everything idle is past the idle timeout; provisioned stays
		if left := containersOf(t, host, fnLabel, od.ARN); len(left) > 0 {
			t.Fatalf("containers left after reaping: %v", left)
		}
		if n := len(containersOf(t, host, fnLabel, warm.ARN)); n != 1 {
			t.Fatalf("the provisioned environment's container was reaped (%d left)", n)
		}
	})
	t.Run("Retire removes the containers", func(t *testing.T) {
		invoke(t, e, fn, `{"op":"echo"}`) // the last one crashed it: start a new one
		if len(containersOf(t, host, fnLabel, fn.ARN)) == 0 {
			t.Fatal("no container of the function before Retire")
		}
		e.Retire(fn.ARN)
		if left := containersOf(t, host, fnLabel, fn.ARN); len(left) > 0 {
			t.Fatalf("containers left after Retire: %v", left)
		}
	})
}

// TestImageWithoutContainerEngine: with no engine reachable, an image function fails with an
// error that says so and is ErrRuntimeUnavailable (the control plane's InvalidRuntimeException).
func TestImageWithoutContainerEngine(t *testing.T) {
	e := New(Config{WorkDir: t.TempDir(), ContainerHost: "unix:///nonexistent/fogbank/docker.sock"})
	defer e.Close(context.Background())
	fn := imageFunction(t, "example/function:latest")
	_, err := e.Invoke(context.Background(), fn, Invocation{Payload: []byte(`{}`)})
	if !errors.Is(err, ErrNoContainerEngine) || !errors.Is(err, ErrRuntimeUnavailable) || !strings.Contains(err.Error(), "unix:///nonexistent/fogbank/docker.sock") {
		t.Fatalf("Invoke = %v", err)
	}
	if _, err := e.InspectImage(context.Background(), "example/function:latest"); !errors.Is(err, ErrNoContainerEngine) {
		t.Fatalf("InspectImage = %v", err)
	}
	if err := e.Prewarm(context.Background(), fn, 1); !errors.Is(err, ErrNoContainerEngine) {
		t.Fatalf("Prewarm = %v", err)
	}
}

// For the external tests (package lambdaruntime_test), which drive image functions through a
// Fogbank server: this binary's container engine, its test image, the containers of a function.
func ContainerHostForTest(t *testing.T) string { return containerHost(t) }

func ImageForTest(t *testing.T, host string) string { return testImage(t, host) }

// ImportImageForTest tags, as ref, an image of the test function whose environment has
// FLAVOR=flavor (a re-import under the same ref moves the tag to a new image).
func ImportImageForTest(t *testing.T, host, ref, flavor string) {
	t.Helper()
	if err := importTestImage(t, host, ref, "ENV FLAVOR="+flavor); err != nil {
		t.Fatal(err)
	}
	cli, err := client.New(client.WithHost(host))
	if err != nil {
		t.Fatal(err)
	}
	info, err := cli.ImageInspect(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = cli.ImageRemove(context.Background(), info.ID, client.ImageRemoveOptions{Force: true})
		_ = cli.Close()
	})
}

func ContainersForTest(t *testing.T, host, fnARN string) []string {
	return containersOf(t, host, fnLabel, fnARN)
}
