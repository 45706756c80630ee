package lambdaruntime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/internal/uuid"
)

// DefaultIdleTimeout is how long a warm environment waits for another invoke before it is
// reaped when Config.IdleTimeout is 0. AWS keeps environments for minutes; five keeps a
// developer's inner loop warm without holding idle interpreters for long.
const DefaultIdleTimeout = 5 * time.Minute

// errClosed is returned by Invoke and Prewarm after Close.
var errClosed = errors.New("lambdaruntime: engine closed")

// engineState is the Engine's mutable state.
//
// Lock order: engineState.mu before env.mu; no lock is held while waiting on a process or on
// the Runtime API.
type engineState struct {
	logger  *slog.Logger
	idle    time.Duration
	workDir string
	ownWork bool // workDir was made by New and is removed by Close
	interp  interpreters
	seq     atomic.Uint64

	setupOnce sync.Once
	setupErr  error
	cgroups   memCgroups
	nodePath  string // <dir>/node_modules holding @aws-sdk, "" when none was found
	shimDir   string
	docker    dockerConn // the container engine, for PackageType Image

	stopReaper chan struct{}
	spawns     chan spawnReq // to the spawner goroutine
	spawnStop  chan struct{} // closed by Close once every environment is gone
	reaperDone chan struct{}

	mu struct {
		sync.Mutex
		closed bool
		pools  map[string]*pool // by ARN + "\x00" + Revision
	}
}

// pool holds the environments of one function revision. Guarded by engineState.mu.
type pool struct {
	key  string
	fn   Function
	dir  string
	idle []*env // most recently used last; Invoke takes from the end so hot envs stay hot
	all  map[*env]struct{}
	dead bool // retired or closed: environments are destroyed when released

	optOnce sync.Once
	optErr  error
}

func (e *Engine) init() {
	st := &e.impl
	st.logger = e.cfg.Logger
	if st.logger == nil {
		st.logger = slog.New(slog.DiscardHandler)
	}
	st.idle = e.cfg.IdleTimeout
	if st.idle <= 0 {
		st.idle = DefaultIdleTimeout
	}
	st.mu.pools = map[string]*pool{}
	st.stopReaper = make(chan struct{})
	st.reaperDone = make(chan struct{})
	st.spawns = make(chan spawnReq)
	st.spawnStop = make(chan struct{})
	go spawner(st.spawns, st.spawnStop)
	go e.reaper()
}

// setup prepares what every environment shares, once, on first use: the work dir, the runtime
// clients written out of the binary, the cgroup root and the Node SDK dir.
func (e *Engine) setup() error {
	st := &e.impl
	st.setupOnce.Do(func() {
		st.workDir = e.cfg.WorkDir
		if st.workDir == "" {
			d, err := os.MkdirTemp("", "fogbank-lambda-")
			if err != nil {
				st.setupErr = fmt.Errorf("creating lambda work dir: %w", err)
				return
			}
			st.workDir, st.ownWork = d, true
		}
		// A previous engine on this work dir that died without Close may have left tmpfs mounts.
		unmountUnder(filepath.Join(st.workDir, "env"))
		st.shimDir = filepath.Join(st.workDir, "runtime")
		if err := writeShims(st.shimDir); err != nil {
			st.setupErr = err
			return
		}
		st.cgroups = newMemCgroups()
		st.nodePath = findNodeSDK(e.cfg.NodePath)
	})
	return st.setupErr
}

// runnable reports, before any pool is made, why the host cannot run fn: a missing
// interpreter, or for an image no reachable container engine.
func (e *Engine) runnable(ctx context.Context, fn *Function) error {
	if fn.Image != nil {
		_, err := e.docker(ctx)
		return err
	}
	_, err := e.impl.interp.resolve(fn.Runtime)
	return err
}

func poolKey(fn *Function) string { return fn.ARN + "\x00" + fn.Revision }

// poolFor returns fn's pool, creating it; nil after Close.
func (e *Engine) poolFor(fn *Function) *pool {
	st := &e.impl
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.mu.closed {
		return nil
	}
	k := poolKey(fn)
	p := st.mu.pools[k]
	if p == nil {
		n := st.seq.Add(1)
		p = &pool{key: k, fn: *fn, all: map[*env]struct{}{}, dir: filepath.Join(st.workDir, "fn", strconv.FormatUint(n, 10))}
		p.fn.Layers = append([]string(nil), fn.Layers...)
		env := make(map[string]string, len(fn.Environment))
		for k, v := range fn.Environment {
			env[k] = v
		}
		p.fn.Environment = env
		st.mu.pools[k] = p
	}
	return p
}

// takeIdle pops a warm environment of p, or returns nil.
func (e *Engine) takeIdle(p *pool) *env {
	st := &e.impl
	st.mu.Lock()
	defer st.mu.Unlock()
	for len(p.idle) > 0 {
		ev := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if !ev.isDead() {
			return ev
		}
		delete(p.all, ev)
	}
	return nil
}

// release returns ev to its pool after an invoke, or destroys it when it died, its pool was
// retired or the engine closed.
func (e *Engine) release(ev *env) {
	st := &e.impl
	st.mu.Lock()
	p := ev.pool
	keep := !ev.isDead() && !p.dead && !st.mu.closed
	if keep {
		ev.lastUsed = time.Now()
		p.idle = append(p.idle, ev)
	} else {
		delete(p.all, ev)
	}
	st.mu.Unlock()
	if !keep {
		ev.destroy("released")
	}
}

func (e *Engine) invoke(ctx context.Context, fn *Function, inv Invocation) (Result, error) {
	if err := e.setup(); err != nil {
		return Result{}, err
	}
	if err := e.runnable(ctx, fn); err != nil {
		return Result{}, err
	}
	if inv.RequestID == "" {
		inv.RequestID = uuid.New()
	}
	p := e.poolFor(fn)
	if p == nil {
		return Result{}, errClosed
	}
	for attempt := 0; ; attempt++ {
		ev := e.takeIdle(p)
		if ev == nil {
			var err error
			ev, err = e.startEnv(ctx, p, false)
			if err != nil {
				return Result{}, err
			}
		}
		res, err := ev.invoke(ctx, inv, attempt < 2)
		e.release(ev)
		if errors.Is(err, errEnvGone) {
			continue
		}
		return res, err
	}
}

func (e *Engine) prewarm(ctx context.Context, fn *Function, n int) error {
	if err := e.setup(); err != nil {
		return err
	}
	if err := e.runnable(ctx, fn); err != nil {
		return err
	}
	p := e.poolFor(fn)
	if p == nil {
		return errClosed
	}
	e.impl.mu.Lock()
	have := len(p.idle)
	e.impl.mu.Unlock()
	need := n - have
	if need <= 0 {
		return nil
	}
	errs := make(chan error, need)
	for i := 0; i < need; i++ {
		go func() {
			ev, err := e.startEnv(ctx, p, true)
			if err == nil && ev.initFail != nil {
				err = fmt.Errorf("provisioned environment of %s failed to initialize: %s", fn.ARN, ev.initFail)
				ev.destroy("init failed")
				e.forget(ev)
			} else if err == nil {
				e.release(ev)
			}
			errs <- err
		}()
	}
	var first error
	for i := 0; i < need; i++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// forget removes ev from its pool's set without returning it to the idle list.
func (e *Engine) forget(ev *env) {
	e.impl.mu.Lock()
	delete(ev.pool.all, ev)
	e.impl.mu.Unlock()
}

func (e *Engine) retire(fnARN string) {
	st := &e.impl
	var doomed []*env
	var dirs []string
	st.mu.Lock()
	for k, p := range st.mu.pools {
		if p.fn.ARN != fnARN {
			continue
		}
		p.dead = true
		doomed = append(doomed, p.idle...)
		for _, ev := range p.idle {
			delete(p.all, ev)
		}
		p.idle = nil
		delete(st.mu.pools, k)
		if len(p.all) == 0 {
			dirs = append(dirs, p.dir)
		}
	}
	st.mu.Unlock()
	destroyAll(doomed, "retired")
	for _, d := range dirs {
		_ = os.RemoveAll(d)
	}
}

func destroyAll(envs []*env, why string) {
	var wg sync.WaitGroup
	for _, ev := range envs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev.destroy(why)
		}()
	}
	wg.Wait()
}

func (e *Engine) close(ctx context.Context) error {
	st := &e.impl
	st.mu.Lock()
	if st.mu.closed {
		st.mu.Unlock()
		return nil
	}
	st.mu.closed = true
	var all []*env
	for _, p := range st.mu.pools {
		p.dead = true
		for ev := range p.all {
			all = append(all, ev)
		}
	}
	st.mu.pools = map[string]*pool{}
	st.mu.Unlock()
	close(st.stopReaper)
	defer st.docker.close()   // after every container is removed (deferred calls run last-first)
	defer close(st.spawnStop) // after every environment is gone (deferred past destroyAll below)
	<-st.reaperDone
	done := make(chan struct{})
	go func() {
		destroyAll(all, "engine closed")
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("closing lambda engine: %w", ctx.Err())
	}
	if st.ownWork && st.workDir != "" {
		_ = os.RemoveAll(st.workDir)
	} else if st.workDir != "" {
		_ = os.RemoveAll(filepath.Join(st.workDir, "fn"))
		_ = os.RemoveAll(filepath.Join(st.workDir, "env"))
	}
	return nil
}

// reaper destroys environments idle for longer than the idle timeout.
func (e *Engine) reaper() {
	st := &e.impl
	defer close(st.reaperDone)
	every := st.idle / 4
	if every > 30*time.Second {
		every = 30 * time.Second
	}
	if every < 10*time.Millisecond {
		every = 10 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-st.stopReaper:
			return
		case now := <-t.C:
			e.reap(now)
		}
	}
}

// reap destroys the environments that have been idle since before now minus the idle timeout.
func (e *Engine) reap(now time.Time) int {
	st := &e.impl
	var doomed []*env
	st.mu.Lock()
	for _, p := range st.mu.pools {
		kept := p.idle[:0]
		for _, ev := range p.idle {
			if ev.provisioned || now.Sub(ev.lastUsed) < st.idle {
				kept = append(kept, ev)
				continue
			}
			doomed = append(doomed, ev)
			delete(p.all, ev)
		}
		clear(p.idle[len(kept):])
		p.idle = kept
	}
	st.mu.Unlock()
	destroyAll(doomed, "idle")
	return len(doomed)
}

// spawnReq asks the spawner to start cmd.
type spawnReq struct {
	cmd  *exec.Cmd
	done chan error
}

// spawner starts every environment process from one goroutine locked to its OS thread for the
// engine's lifetime. Processes get Pdeathsig SIGKILL so none outlives Fogbank, and Linux sends
// that signal when the *thread* that forked them exits; Go may retire threads, so forking from a
// thread that lives exactly as long as the engine keeps the guarantee without spurious kills.
func spawner(reqs chan spawnReq, stop chan struct{}) {
	runtime.LockOSThread()
	// Never unlocked: when the engine closes, this thread exits with the goroutine, and any
	// process that somehow survived Close gets its SIGKILL.
	for {
		select {
		case r := <-reqs:
			r.done <- r.cmd.Start()
		case <-stop:
			return
		}
	}
}

// start runs cmd.Start on the spawner thread.
func (e *Engine) start(cmd *exec.Cmd) error {
	done := make(chan error, 1)
	select {
	case e.impl.spawns <- spawnReq{cmd, done}:
	case <-e.impl.spawnStop:
		return errClosed
	}
	return <-done
}
