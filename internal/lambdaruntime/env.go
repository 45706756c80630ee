package lambdaruntime

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// errEnvGone reports an environment whose runtime exited before it took the event.
var errEnvGone = errors.New("lambdaruntime: environment exited before the invocation was handed over")

// initLimit is AWS's limit on the init phase of an on-demand environment.
const initLimit = 10 * time.Second

// maxSyncResponse is the largest buffered response AWS returns (6 MB plus the 100 bytes it allows
// for the envelope, as its error message says).
const maxSyncResponse = 6291556

// env is one execution environment: a runtime process (plus any external extensions) in its own
// process group and memory cgroup, served by its own Runtime API listener on 127.0.0.1.
//
// Invariant: at most one invocation is in flight (cur != nil) and an env is either in its pool's
// idle list or held by exactly one Invoke, never both.
type env struct {
	e    *Engine
	pool *pool
	fn   *Function
	id   string

	logStream   string
	tmpDir      string
	tmpMounted  bool // tmpDir is a tmpfs of EphemeralMB (see limitTmp)
	cg          envCgroup
	provisioned bool
	servedOne   bool      // an invocation ran (touched only by the Invoke holding the env)
	lastUsed    time.Time // guarded by engineState.mu

	ln  net.Listener
	srv *http.Server

	extExits []chan struct{} // closed as each extension process is reaped
	runtime  *exec.Cmd
	ctr      *containerRun // PackageType Image: the container instead of runtime
	exited   chan struct{} // closed when the runtime process has exited
	exitMsg  string        // "exit status 1", "signal: killed"; set before exited closes

	started      time.Time
	initDone     chan struct{} // closed at the runtime's first /next
	initOnce     sync.Once
	initDuration time.Duration
	initFail     []byte // the init error document, when init failed

	next chan *call // an invocation handed to the runtime's pending /next

	logs logPipe

	dead      atomic.Bool
	destroyed sync.Once
	gone      chan struct{} // closed when destroy has finished

	mu struct {
		sync.Mutex
		cur     *call  // in flight
		initErr []byte // posted to /init/error
		exts    []*extension
		procs   []*exec.Cmd // extensions, then the runtime last
		// External extensions take part in init: it ends once each has called event/next
		// (or exited).
		extStarted, extReady, extExited int
		extDone                         chan struct{} // closed when extReady+extExited >= extStarted
	}
}

// call is one invocation in flight on an env.
type call struct {
	inv      Invocation
	deadline time.Time
	start    time.Time

	done     chan struct{}
	doneOnce sync.Once
	payload  []byte
	errType  string // set for /error and for engine-made errors
	isErr    bool
	streamed bool
}

func (c *call) finish(payload []byte, isErr bool, errType string) bool {
	first := false
	c.doneOnce.Do(func() {
		c.payload, c.isErr, c.errType = payload, isErr, errType
		close(c.done)
		first = true
	})
	return first
}

func (ev *env) isDead() bool { return ev.dead.Load() }

// startEnv starts a new environment of p and waits for its init phase to end: the runtime's
// first /next, an /init/error, its exit, or the init limit. An init failure is not an error
// here: it is kept in initFail and becomes the first invocation's result, as on AWS.
func (e *Engine) startEnv(ctx context.Context, p *pool, provisioned bool) (*env, error) {
	st := &e.impl
	fn := &p.fn
	var spec runtimeSpec
	if fn.Image == nil {
		var err error
		if spec, err = st.interp.resolve(fn.Runtime); err != nil {
			return nil, err
		}
	}
	p.optOnce.Do(func() { p.optErr = mergeLayers(filepath.Join(p.dir, "opt"), fn.Layers) })
	if p.optErr != nil {
		return nil, p.optErr
	}
	id := fmt.Sprintf("%d-%s", st.seq.Add(1), randHex(4))
	ev := &env{
		e: e, pool: p, fn: fn, id: id, provisioned: provisioned,
		logStream: logStreamName(e.cfg.Now(), fn.Version),
		tmpDir:    filepath.Join(st.workDir, "env", id, "tmp"),
		exited:    make(chan struct{}),
		initDone:  make(chan struct{}),
		next:      make(chan *call),
		gone:      make(chan struct{}),
	}
	st.mu.Lock()
	if st.mu.closed || p.dead {
		st.mu.Unlock()
		return nil, errClosed
	}
	p.all[ev] = struct{}{}
	st.mu.Unlock()
	fail := func(err error) (*env, error) {
		ev.destroy("start failed")
		e.forget(ev)
		return nil, err
	}
	if err := os.MkdirAll(ev.tmpDir, 0o700); err != nil {
		return fail(fmt.Errorf("creating %s: %w", ev.tmpDir, err))
	}
	var tmpNote string
	if fn.Image == nil { // a container gets its own tmpfs /tmp
		tmpNote = ev.limitTmp()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(fmt.Errorf("listening for the Runtime API: %w", err))
	}
	ev.ln = ln
	ev.srv = &http.Server{Handler: ev.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = ev.srv.Serve(ln) }()

	if fn.Image != nil {
		if err := ev.startContainer(ctx, provisioned); err != nil {
			return fail(err)
		}
		if ev.initFail != nil {
			return ev, nil
		}
		return ev.awaitInit(ctx)
	}
	if err := ev.logs.init(ev); err != nil {
		return fail(err)
	}
	if spec.note != "" {
		ev.logs.line(spec.note)
	}
	if tmpNote != "" {
		ev.logs.line(tmpNote)
	}
	if cg, err := st.cgroups.create(id, fn.MemoryMB); err != nil {
		ev.logs.line("fogbank: memory not limited (" + err.Error() + ")")
	} else if cg.dir == "" {
		ev.logs.line(st.cgroups.reason)
	} else {
		ev.cg = cg
	}

	vars := ev.environ(spec, provisioned)
	ev.started = time.Now()
	// External extensions start first, as on AWS, from the merged /opt/extensions.
	ev.mu.extDone = make(chan struct{})
	extDir := filepath.Join(p.dir, "opt", "extensions")
	if ents, err := os.ReadDir(extDir); err == nil {
		for _, ent := range ents {
			path := filepath.Join(extDir, ent.Name())
			if !isExecutable(path) {
				continue
			}
			cmd := exec.Command(path)
			if err := ev.startProc(cmd, vars); err != nil {
				ev.logs.line(fmt.Sprintf("fogbank: extension %s did not start: %v", ent.Name(), err))
				continue
			}
			ev.mu.Lock()
			ev.mu.extStarted++
			ev.mu.Unlock()
			done := make(chan struct{})
			ev.extExits = append(ev.extExits, done)
			go func() {
				_ = cmd.Wait()
				close(done)
				ev.extProgress(0, 1)
			}()
		}
	}
	ev.extProgress(0, 0)
	cmd, err := ev.runtimeCommand(spec)
	if err == nil {
		err = ev.startProc(cmd, vars)
	}
	if err != nil {
		// AWS reports a missing or non-executable bootstrap at invoke time.
		msg := err.Error()
		var pe *os.PathError
		if errors.As(err, &pe) {
			msg = fmt.Sprintf("%s %s: %v", pe.Op, pe.Path, pe.Err)
		}
		ev.initFail = errorDoc("Runtime.InvalidEntrypoint", msg, false)
		close(ev.exited)
		ev.logs.closeWriter()
		return ev, nil
	}
	ev.runtime = cmd
	ev.logs.closeWriter()
	go func() {
		err := cmd.Wait()
		ev.exitMsg = "exit status 0"
		if cmd.ProcessState != nil {
			ev.exitMsg = cmd.ProcessState.String()
		} else if err != nil {
			ev.exitMsg = err.Error()
		}
		close(ev.exited)
	}()
	return ev.awaitInit(ctx)
}

// awaitInit waits for the init phase of a started environment to end: the runtime's first
// /next (and every external extension's event/next), an /init/error, its exit, or the init
// limit. An init failure is kept in initFail; only a canceled ctx is an error.
func (ev *env) awaitInit(ctx context.Context) (*env, error) {
	fn := ev.fn
	limit := initLimit
	if fn.Timeout > limit {
		limit = fn.Timeout
	}
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-ev.initDone:
		ev.mu.Lock()
		initErr := ev.mu.initErr
		ev.mu.Unlock()
		if initErr != nil {
			// A runtime that reported an init error and then asked for an event anyway.
			ev.initFail = initErr
			break
		}
		select {
		case <-ev.mu.extDone:
		case <-ev.exited:
		case <-timer.C:
			ev.logs.line("fogbank: an extension did not call event/next during init; invoking without waiting for it")
		}
		ev.initDuration = time.Since(ev.started)
		return ev, nil
	case <-ev.exited:
		ev.mu.Lock()
		doc := ev.mu.initErr
		ev.mu.Unlock()
		if doc == nil {
			doc = exitDoc("", ev.exitMsg, ev.oomKilled())
		}
		ev.initFail = doc
	case <-timer.C:
		ev.initFail = errorDoc("Sandbox.Timedout", fmt.Sprintf("Error: Init phase timed out after %.2f seconds", limit.Seconds()), true)
	case <-ctx.Done():
		ev.destroy("start failed")
		ev.e.forget(ev)
		return nil, ctx.Err()
	}
	ev.initDuration = time.Since(ev.started)
	ev.dead.Store(true)
	return ev, nil
}

// startProc starts cmd as a member of this environment: own process group (so a timeout kills
// its children too), its memory cgroup, output into the environment's log.
func (ev *env) startProc(cmd *exec.Cmd, vars []string) error {
	cmd.Env = vars
	cmd.Dir = ev.fn.CodeDir
	cmd.Stdout = ev.logs.w
	cmd.Stderr = ev.logs.w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := ev.e.start(cmd); err != nil {
		return err
	}
	if err := ev.cg.add(cmd.Process.Pid); err != nil {
		ev.logs.line("fogbank: memory not limited (" + err.Error() + ")")
	}
	ev.mu.Lock()
	ev.mu.procs = append(ev.mu.procs, cmd)
	ev.mu.Unlock()
	return nil
}

func (ev *env) runtimeCommand(spec runtimeSpec) (*exec.Cmd, error) {
	shims := ev.e.impl.shimDir
	switch spec.kind {
	case kindPython:
		return exec.Command(spec.binary, filepath.Join(shims, "bootstrap.py")), nil
	case kindNode:
		return exec.Command(spec.binary, filepath.Join(shims, "bootstrap.cjs")), nil
	}
	boot := filepath.Join(ev.fn.CodeDir, "bootstrap")
	if _, err := os.Stat(boot); err != nil {
		// provided runtimes also look in /opt (a layer may ship the bootstrap).
		if alt := filepath.Join(ev.pool.dir, "opt", "bootstrap"); isExecutable(alt) {
			boot = alt
		}
	}
	return exec.Command(boot), nil
}

// environ is the process environment AWS documents for a function, the function's own
// variables on top (reserved names excepted, which the control plane refuses anyway).
func (ev *env) environ(spec runtimeSpec, provisioned bool) []string {
	fn := ev.fn
	opt := filepath.Join(ev.pool.dir, "opt")
	st := &ev.e.impl
	pathDirs := []string{}
	if spec.binary != "" {
		pathDirs = append(pathDirs, filepath.Dir(spec.binary))
	}
	pathDirs = append(pathDirs, "/usr/local/bin", "/usr/bin", "/bin", filepath.Join(opt, "bin"))
	m := ev.lambdaVars(fn.CodeDir, st.shimDir, provisioned)
	m["PATH"] = strings.Join(pathDirs, ":")
	m["LANG"] = "C.UTF-8"
	m["HOME"] = ev.tmpDir
	m["TMPDIR"] = ev.tmpDir
	m["LD_LIBRARY_PATH"] = strings.Join([]string{fn.CodeDir, filepath.Join(fn.CodeDir, "lib"), filepath.Join(opt, "lib")}, ":")
	m["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + fn.Runtime
	m["FOGBANK_LAMBDA_OPT"] = opt
	switch spec.kind {
	case kindPython:
		pp := []string{fn.CodeDir, filepath.Join(opt, "python", "lib", "python"+spec.version, "site-packages")}
		if declared := strings.TrimPrefix(fn.Runtime, "python"); declared != spec.version {
			// Running on the nearest Python: the layer's packages are under the declared version.
			pp = append(pp, filepath.Join(opt, "python", "lib", "python"+declared, "site-packages"))
		}
		pp = append(pp, filepath.Join(opt, "python"), st.shimDir)
		switch {
		case spec.legacyBoto:
			pp = append(pp, st.legacyBoto())
			m["FOGBANK_BOTOCORE_ENDPOINT_PATCH"] = "1"
		case spec.extra != "":
			pp = append(pp, spec.extra)
		}
		m["PYTHONPATH"] = strings.Join(pp, ":")
		m["PYTHONUNBUFFERED"] = "1"
		m["PYTHONDONTWRITEBYTECODE"] = "1"
	case kindNode:
		// Layers are laid out for the runtime the function declares (nodejs18.x → node18), whatever
		// Node the host runs it on.
		major := strings.SplitN(spec.version, ".", 2)[0]
		if _, m, _, err := parseRuntime(fn.Runtime); err == nil {
			major = strconv.Itoa(m)
		}
		np := []string{filepath.Join(opt, "nodejs", "node"+major, "node_modules"), filepath.Join(opt, "nodejs", "node_modules")}
		if st.nodePath != "" {
			np = append(np, st.nodePath)
		}
		np = append(np, st.shimDir, fn.CodeDir)
		m["NODE_PATH"] = strings.Join(np, ":")
	}
	return envList(m, fn.Environment)
}

// lambdaVars are the variables every environment gets, zip or container: the Runtime API
// address, the function's identity and limits, its log group and stream, its region and
// credentials, and AWS_ENDPOINT_URL so its SDK calls land in Fogbank.
func (ev *env) lambdaVars(taskRoot, runtimeDir string, provisioned bool) map[string]string {
	fn := ev.fn
	region := fn.Region
	if region == "" {
		region = "us-east-1"
	}
	port := ev.ln.Addr().(*net.TCPAddr).Port
	logGroup := fn.LogGroup
	if logGroup == "" {
		logGroup = "/aws/lambda/" + fn.Name
	}
	initType := "on-demand"
	if provisioned {
		initType = "provisioned-concurrency"
	}
	m := map[string]string{
		"TZ":                              ":UTC",
		"LAMBDA_TASK_ROOT":                taskRoot,
		"LAMBDA_RUNTIME_DIR":              runtimeDir,
		"_HANDLER":                        fn.Handler,
		"AWS_LAMBDA_RUNTIME_API":          "127.0.0.1:" + strconv.Itoa(port),
		"AWS_LAMBDA_FUNCTION_NAME":        fn.Name,
		"AWS_LAMBDA_FUNCTION_VERSION":     fn.Version,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(fn.MemoryMB),
		"AWS_LAMBDA_LOG_GROUP_NAME":       logGroup,
		"AWS_LAMBDA_LOG_STREAM_NAME":      ev.logStream,
		"AWS_LAMBDA_INITIALIZATION_TYPE":  initType,
		"AWS_REGION":                      region,
		"AWS_DEFAULT_REGION":              region,
		"AWS_XRAY_CONTEXT_MISSING":        "LOG_ERROR",
	}
	if fn.AccessKey != "" {
		m["AWS_ACCESS_KEY_ID"] = fn.AccessKey
		m["AWS_SECRET_ACCESS_KEY"] = fn.SecretKey
	}
	if fn.SessionToken != "" {
		m["AWS_SESSION_TOKEN"] = fn.SessionToken
	}
	if ev.e.cfg.Endpoint != nil {
		if u := ev.e.cfg.Endpoint(); u != "" {
			m["AWS_ENDPOINT_URL"] = u
		}
	}
	return m
}

// envList is m with the function's own variables on top, as sorted KEY=value pairs.
func envList(m, own map[string]string) []string {
	for k, v := range own {
		m[k] = v
	}
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// invoke runs one invocation on ev. The env must be held by the caller (not idle).
func (ev *env) invoke(ctx context.Context, inv Invocation, mayRetry bool) (Result, error) {
	fn := ev.fn
	cold := ev.initDuration > 0 && !ev.servedOne
	ev.servedOne = true
	var initLog []byte
	if cold {
		if ev.ctr != nil {
			ev.ctr.settleLogs() // init output still on its way through the container engine
		}
		initLog = ev.logs.take()
	}
	begin := time.Now()
	timeout := fn.Timeout
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	c := &call{inv: inv, start: begin, deadline: begin.Add(timeout), done: make(chan struct{})}
	ev.logs.beginCall(inv.RequestID, fn.Version)

	res := Result{}
	if cold && !ev.provisioned {
		res.InitDuration = ev.initDuration
	}
	if ev.initFail != nil {
		// Init failed: this invocation reports it, and the environment is not reused.
		ev.dead.Store(true)
		c.finish(ev.initFail, true, "")
		return ev.finishResult(res, c, initLog, nil), nil
	}
	ev.cg.resetPeak()
	ev.mu.Lock()
	ev.mu.cur = c
	ev.mu.Unlock()
	defer func() {
		ev.mu.Lock()
		if ev.mu.cur == c {
			ev.mu.cur = nil
		}
		ev.mu.Unlock()
	}()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var status []string
	timedOut := timer.C
	select {
	case ev.next <- c:
		ev.notifyExtensions(c)
	case <-ev.exited:
		if mayRetry {
			// The runtime exited between invocations (it failed the previous one on its way
			// out, or background work crashed it): this event never reached it, so it goes to
			// another environment instead, as AWS re-initializes transparently.
			ev.dead.Store(true)
			ev.destroy("exited while idle")
			return Result{}, errEnvGone
		}
	case t := <-timer.C:
		// The runtime never asked for the event (stuck in a previous one): time out below.
		fired := make(chan time.Time, 1)
		fired <- t
		timedOut = fired
	case <-ctx.Done():
		// Not handed to the runtime yet: the environment stays usable.
		return Result{}, ctx.Err()
	}
	select {
	case <-c.done:
	case <-ev.exited:
		// The process may have posted its response just before exiting.
		select {
		case <-c.done:
		default:
			oom := ev.oomKilled()
			ev.logs.drain()
			msg := "RequestId: " + inv.RequestID + " " + exitMessage(ev.exitMsg)
			ev.logs.line(msg)
			kind := "Runtime.ExitError"
			if oom {
				kind = "Runtime.OutOfMemory"
			}
			ev.logs.line(kind)
			c.finish(exitDoc(inv.RequestID, ev.exitMsg, oom), true, kind)
			ev.dead.Store(true)
			status = append(status, "Status: error", "Error Type: "+kind)
		}
	case <-timedOut:
		ev.dead.Store(true)
		ev.kill()
		msg := fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", inv.RequestID, timeout.Seconds())
		if c.finish(errorDoc("Sandbox.Timedout", msg, true), true, "Sandbox.Timedout") {
			ev.logs.drain()
			ev.logs.line(fmt.Sprintf("%s %s Task timed out after %.2f seconds", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), inv.RequestID, timeout.Seconds()))
			status = append(status, "Status: timeout")
		}
	}
	// ctx is not watched once the runtime has the event: like AWS, a function whose caller went
	// away runs to completion (or its timeout) before the environment takes another invoke.
	if ev.isDead() {
		ev.destroy("invocation ended it")
	}
	return ev.finishResult(res, c, initLog, status), nil
}

// finishResult fills res from a finished call and writes the END/REPORT lines.
func (ev *env) finishResult(res Result, c *call, initLog []byte, status []string) Result {
	res.Duration = time.Since(c.start)
	res.Payload = c.payload
	if c.isErr {
		res.FunctionError = "Unhandled"
	}
	res.MaxMemoryUsedMB = ev.cg.peakMB()
	if res.MaxMemoryUsedMB < 0 && ev.runtime != nil {
		res.MaxMemoryUsedMB = procPeakMB(ev.runtime.Process.Pid)
	}
	if res.MaxMemoryUsedMB <= 0 {
		res.MaxMemoryUsedMB = 1
	}
	ms := float64(res.Duration.Microseconds()) / 1000
	billed := int64(ms)
	if float64(billed) < ms {
		billed++
	}
	if billed < 1 {
		billed = 1
	}
	report := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB",
		c.inv.RequestID, ms, billed, ev.fn.MemoryMB, res.MaxMemoryUsedMB)
	if res.InitDuration > 0 {
		report += fmt.Sprintf("\tInit Duration: %.2f ms", float64(res.InitDuration.Microseconds())/1000)
	}
	for _, s := range status {
		report += "\t" + s
	}
	if ev.ctr != nil {
		ev.ctr.settleLogs()
	}
	body := ev.logs.endCall(c.inv.RequestID, report)
	res.Log = append(initLog, body...)
	return res
}

// extProgress counts extensions that finished init (called event/next) or exited.
func (ev *env) extProgress(ready, exited int) {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	ev.mu.extReady += ready
	ev.mu.extExited += exited
	if ev.mu.extReady+ev.mu.extExited >= ev.mu.extStarted {
		select {
		case <-ev.mu.extDone:
		default:
			close(ev.mu.extDone)
		}
	}
}

// kill SIGKILLs every process of the environment (process groups, then the cgroup).
func (ev *env) kill() {
	ev.mu.Lock()
	procs := ev.mu.procs
	ev.mu.Unlock()
	for _, cmd := range procs {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}
	ev.cg.killAll()
	if ev.ctr != nil {
		ev.ctr.kill()
	}
}

// oomKilled reports whether the environment died of its memory limit.
func (ev *env) oomKilled() bool {
	return ev.cg.oomKilled() || (ev.ctr != nil && ev.ctr.oom.Load())
}

// destroy ends the environment for good: extensions get SHUTDOWN (briefly), every process is
// killed and reaped, the listener closed, /tmp and the cgroup removed.
func (ev *env) destroy(why string) {
	ev.destroyed.Do(func() {
		ev.dead.Store(true)
		ev.shutdownExtensions()
		ev.kill()
		if ev.runtime != nil || ev.ctr != nil {
			<-ev.exited
		}
		if ev.ctr != nil {
			ev.ctr.remove()
		}
		for _, done := range ev.extExits {
			<-done
		}
		if ev.srv != nil {
			_ = ev.srv.Close()
		}
		ev.logs.close()
		ev.cg.remove()
		ev.unmountTmp()
		_ = os.RemoveAll(filepath.Dir(ev.tmpDir))
		close(ev.gone)
	})
}

// errorDoc is an error document as Lambda writes it for errors it makes itself.
func errorDoc(errType, msg string, typeFirst bool) []byte {
	var b bytes.Buffer
	if typeFirst {
		fmt.Fprintf(&b, `{"errorType":%s,"errorMessage":%s}`, jsonString(errType), jsonString(msg))
	} else {
		fmt.Fprintf(&b, `{"errorMessage":%s,"errorType":%s}`, jsonString(msg), jsonString(errType))
	}
	return b.Bytes()
}

// exitMessage is how AWS words a runtime exit: "Runtime exited without providing a reason" for
// a clean exit, else "Runtime exited with error: exit status 1" / "signal: killed".
func exitMessage(state string) string {
	if state == "exit status 0" || state == "" {
		return "Error: Runtime exited without providing a reason"
	}
	return "Error: Runtime exited with error: " + state
}

func exitDoc(reqID, state string, oom bool) []byte {
	kind := "Runtime.ExitError"
	if oom {
		kind = "Runtime.OutOfMemory"
	}
	return errorDoc(kind, "RequestId: "+reqID+" "+exitMessage(state), true)
}

// logStreamName is AWS's stream name: date/[version]32 hex digits.
func logStreamName(now time.Time, version string) string {
	return now.UTC().Format("2006/01/02") + "/[" + version + "]" + randHex(16)
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
