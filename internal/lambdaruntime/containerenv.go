package lambdaruntime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// containerRun is the container of a PackageType Image environment. The container shares the
// host's network namespace, so AWS_LAMBDA_RUNTIME_API (127.0.0.1:<the env's listener>) and
// AWS_ENDPOINT_URL (Fogbank on loopback) mean the same inside as outside: measured with Debian's
// dockerd 20.10 here, and the only mode in which a loopback-only Fogbank is reachable without
// listening on a bridge address.
type containerRun struct {
	cli     *client.Client
	id      string
	oom     atomic.Bool   // the engine reported an OOM kill
	killed  atomic.Bool   // we killed it (timeout, Retire, Close)
	limited bool          // it has a memory limit
	copied  chan struct{} // closed when the container's output stream ended
	lastOut atomic.Int64  // UnixNano of the last output bytes
}

// Container operations that are not part of an invocation get their own bounded context: a
// hung engine must not hang Retire or Close forever.
const containerOpTimeout = 15 * time.Second

// startContainer creates and starts ev's container from fn.Image, with its output going into
// the environment's log and a watcher that closes ev.exited when it stops. A container that
// fails to start (a missing entrypoint) is an init failure (Runtime.InvalidEntrypoint), as on
// AWS; failing to reach the engine or to create the container is an engine error.
func (ev *env) startContainer(ctx context.Context, provisioned bool) error {
	fn := ev.fn
	st := &ev.e.impl
	cli, err := ev.e.docker(ctx)
	if err != nil {
		return err
	}
	ev.e.sweepContainers(ctx, cli)
	ev.logs.initDirect(ev)
	ev.mu.extDone = make(chan struct{})
	ev.extProgress(0, 0) // extensions inside an image are not started (see docs)

	img := fn.Image
	ref := img.Ref
	if ref == "" {
		ref = img.URI
	}
	// Lambda's container variables: the task root and runtime dir where AWS's base images keep
	// them; PATH, LANG, HOME and the rest come from the image.
	vars := ev.lambdaVars("/var/task", "/var/runtime", provisioned)
	if vars["_HANDLER"] == "" {
		cmd := img.Command
		if cmd == nil {
			if info, err := ev.e.InspectImage(ctx, ref); err == nil {
				cmd = info.Command
			}
		}
		if len(cmd) > 0 {
			vars["_HANDLER"] = cmd[0]
		} else {
			delete(vars, "_HANDLER")
		}
	}
	eph := fn.EphemeralMB
	if eph <= 0 {
		eph = 512
	}
	mem := int64(fn.MemoryMB) << 20
	cfg := &container.Config{
		Image:      ref,
		Env:        envList(vars, fn.Environment),
		Entrypoint: img.EntryPoint,
		Cmd:        img.Command,
		WorkingDir: img.WorkingDirectory,
		Labels:     map[string]string{containerLabel: st.workDir, fnLabel: fn.ARN},
	}
	hc := &container.HostConfig{
		NetworkMode: "host",
		// As on AWS: the image is read-only, /tmp is the writable EphemeralStorage.
		ReadonlyRootfs: true,
		Tmpfs:          map[string]string{"/tmp": fmt.Sprintf("rw,nosuid,nodev,size=%dm,mode=1777", eph)},
		Resources:      container.Resources{Memory: mem, MemorySwap: mem},
	}
	created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{Config: cfg, HostConfig: hc, Name: "fogbank-lambda-" + ev.id})
	if err != nil {
		return fmt.Errorf("%w: creating a container of image %s for %s: %v", ErrRuntimeUnavailable, img.URI, fn.ARN, err)
	}
	run := &containerRun{cli: cli, id: created.ID, copied: make(chan struct{}), limited: mem > 0}
	ev.ctr = run
	att, err := cli.ContainerAttach(ctx, run.id, client.ContainerAttachOptions{Stream: true, Stdout: true, Stderr: true})
	if err != nil {
		close(run.copied)
		close(ev.exited)
		// Podman refuses to attach to a container it already knows cannot start (a missing
		// entrypoint): starting it says why.
		if _, serr := cli.ContainerStart(ctx, run.id, client.ContainerStartOptions{}); serr != nil {
			ev.initFail = errorDoc("Runtime.InvalidEntrypoint", serr.Error(), false)
			return nil
		}
		run.kill()
		return fmt.Errorf("attaching to the container of %s: %w", fn.ARN, err)
	}
	go func() {
		defer close(run.copied)
		w := containerLog{ev: ev, run: run}
		_, _ = stdcopy.StdCopy(w, w, att.Reader)
		att.Close()
	}()
	ev.started = time.Now()
	if _, err := cli.ContainerStart(ctx, run.id, client.ContainerStartOptions{}); err != nil {
		att.Close()
		<-run.copied
		ev.initFail = errorDoc("Runtime.InvalidEntrypoint", err.Error(), false)
		close(ev.exited)
		return nil
	}
	if dir := containerMemCgroup(ctx, cli, run.id); dir != "" {
		ev.cg = envCgroup{dir: dir} // Max Memory Used and OOM from the container's own cgroup
	}
	go func() {
		wait := cli.ContainerWait(context.Background(), run.id, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
		var msg string
		var code int64
		select {
		case r := <-wait.Result:
			code = r.StatusCode
			msg = exitState(code)
		case err := <-wait.Error:
			msg = "container engine: " + err.Error()
		}
		ictx, cancel := context.WithTimeout(context.Background(), containerOpTimeout)
		if ins, err := cli.ContainerInspect(ictx, run.id, client.ContainerInspectOptions{}); err == nil && ins.Container.State != nil && ins.Container.State.OOMKilled {
			run.oom.Store(true)
		}
		cancel()
		// Docker reports OOMKilled; Podman 4.3 does not, and has removed the container's cgroup
		// by now. A SIGKILL we did not send to a memory-limited container is the OOM killer's.
		if code == 128+int64(syscall.SIGKILL) && run.limited && !run.killed.Load() {
			run.oom.Store(true)
		}
		<-run.copied
		ev.exitMsg = msg
		close(ev.exited)
	}()
	return nil
}

// exitState words a container's exit code as os.ProcessState does for a process.
func exitState(code int64) string {
	if code > 128 && code < 128+65 {
		return "signal: " + syscall.Signal(code-128).String()
	}
	return "exit status " + strconv.FormatInt(code, 10)
}

// containerMemCgroup is the cgroup v1 memory group of the container's first process (Docker's
// /docker/<id>, Podman's libpod_parent/libpod-<id>, a systemd slice), or "" when there is none
// to read (cgroup v2, a container already gone).
func containerMemCgroup(ctx context.Context, cli *client.Client, id string) string {
	ins, err := cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil || ins.Container.State == nil || ins.Container.State.Pid <= 0 {
		return ""
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", ins.Container.State.Pid))
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(l, ":", 3)
		if len(parts) != 3 || !slices.Contains(strings.Split(parts[1], ","), "memory") {
			continue
		}
		dir := filepath.Join("/sys/fs/cgroup/memory", parts[2])
		if _, err := os.Stat(filepath.Join(dir, "memory.max_usage_in_bytes")); err == nil {
			return dir
		}
	}
	return ""
}

// kill SIGKILLs the container (a timeout, Retire, Close).
func (r *containerRun) kill() {
	r.killed.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), containerOpTimeout)
	defer cancel()
	_, _ = r.cli.ContainerKill(ctx, r.id, client.ContainerKillOptions{Signal: "KILL"})
}

// remove deletes the stopped container.
func (r *containerRun) remove() {
	ctx, cancel := context.WithTimeout(context.Background(), containerOpTimeout)
	defer cancel()
	_, _ = r.cli.ContainerRemove(ctx, r.id, client.ContainerRemoveOptions{Force: true})
}

// settleLogs waits, briefly, for output still travelling from the container through the
// engine: unlike a pipe, the attach stream may deliver a line after the runtime's /response.
// It returns once nothing arrived for 10 ms since it was called (at most 100 ms): the
// lag measured here is under 1 ms, but a loaded machine lost lines with a 3 ms window.
func (r *containerRun) settleLogs() {
	const quiet, most = 10 * time.Millisecond, 100 * time.Millisecond
	begin := time.Now()
	end := begin.Add(most)
	for {
		last := time.Unix(0, r.lastOut.Load())
		if last.Before(begin) {
			last = begin
		}
		since := time.Since(last)
		if since >= quiet || time.Now().After(end) {
			return
		}
		select {
		case <-r.copied:
			return
		case <-time.After(quiet - since):
		}
	}
}

// containerLog writes the container's output into the environment's log (no pipe: the
// stream is read by a goroutine already).
type containerLog struct {
	ev  *env
	run *containerRun
}

func (w containerLog) Write(b []byte) (int, error) {
	l := &w.ev.logs
	l.mu.Lock()
	l.appendLocked(b)
	l.mu.Unlock()
	w.run.lastOut.Store(time.Now().UnixNano())
	return len(b), nil
}

// initDirect readies the log for writers that call appendLocked themselves (containers).
func (l *logPipe) initDirect(ev *env) {
	l.ev = ev
	l.done = make(chan struct{})
	close(l.done)
}
