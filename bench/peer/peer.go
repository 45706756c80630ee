// Package peer starts the servers a benchmark measures, each as a process of
// its own on a free loopback port: fogbank, the no-op SQS server
// (bench/noop, the ceiling) and moto (python3 -m moto.server, a peer). A
// benchmark drives whichever it needs through the same client code and
// reports ratios.
package peer

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fogbank/fogbank/bench/internal/benchkit"
)

// Proc is a running server.
type Proc struct {
	// URL is its endpoint, "http://127.0.0.1:PORT".
	URL string
	// Started is how long it took from just before exec until it answered
	// its readiness check.
	Started time.Duration

	cmd  *exec.Cmd
	log  *os.File // stdout and stderr, a file so that nobody must drain a pipe
	done chan struct{}
}

// Fogbank starts bin serve --memory with extra flags and waits for
// /_fogbank/health to answer 200.
func Fogbank(bin string, extra ...string) (*Proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args := append([]string{"serve", "--listen", addr, "--memory"}, extra...)
	return start(exec.Command(bin, args...), "http://"+addr, "/_fogbank/health", true, 20*time.Second)
}

// FogbankDurable starts bin serve with the durable engine in dataDir (its
// default mode: every acknowledged write is on disk) and waits for
// /_fogbank/health to answer 200.
func FogbankDurable(bin, dataDir string, extra ...string) (*Proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args := append([]string{"serve", "--listen", addr, "--data-dir", dataDir}, extra...)
	return start(exec.Command(bin, args...), "http://"+addr, "/_fogbank/health", true, 20*time.Second)
}

// Noop starts the no-op SQS server built at bin (go build ./bench/noop).
func Noop(bin string) (*Proc, error) { return startNoop(bin) }

// NoopDurable starts the no-op SQS server built at bin as the durable no-op:
// every request is fdatasynced to a log file in dir before it is answered
// (bench/noop's -wal). Zero-filling the log takes a moment.
func NoopDurable(bin, dir string) (*Proc, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return startNoop(bin, "-wal", filepath.Join(dir, "noop.wal"))
}

func startNoop(bin string, extra ...string) (*Proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args := append([]string{"-listen", addr}, extra...)
	return start(exec.Command(bin, args...), "http://"+addr, "/health", true, 30*time.Second)
}

// Moto starts moto's server (python3 -m moto.server), which serves every
// service moto has on one port. It is ready at its first HTTP answer.
func Moto() (*Proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	return start(cmd, "http://127.0.0.1:"+strconv.Itoa(port), "/moto-api/", false, 60*time.Second)
}

// Server is one server a service benchmark measures, under the name its
// report gives it.
type Server struct {
	Name  string // "fogbank durable", "fogbank --memory" or "moto"
	Moto  bool   // moto is slow: benchmarks give it longer phases or skip cells
	Start func() (*Proc, error)
}

// Lineup is the servers every service benchmark compares, in the order its
// report lists them: Fogbank durable (its default mode: every acknowledged
// write on disk), Fogbank --memory, and moto when withMoto. An empty bin
// leaves Fogbank out. extra flags go to both Fogbank modes. Each Start of
// the durable server gets a fresh data directory below dataDir, so a
// restarted server begins empty, as a fresh --memory one does.
func Lineup(bin, dataDir string, withMoto bool, extra ...string) []Server {
	var ss []Server
	if bin != "" {
		n := 0
		ss = append(ss,
			Server{Name: "fogbank durable", Start: func() (*Proc, error) {
				n++
				return FogbankDurable(bin, fmt.Sprintf("%s/data-%d", dataDir, n), extra...)
			}},
			Server{Name: "fogbank --memory", Start: func() (*Proc, error) { return Fogbank(bin, extra...) }})
	}
	if withMoto {
		ss = append(ss, Server{Name: "moto", Moto: true, Start: Moto})
	}
	return ss
}

// MotoAvailable reports why moto cannot run here, or nil.
func MotoAvailable() error {
	if out, err := exec.Command("python3", "-c", "import moto.server").CombinedOutput(); err != nil {
		return fmt.Errorf("python3 cannot import moto.server: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Command starts cmd, whose server will be at url, and waits until GET
// url+ready answers (200 when want200, anything otherwise).
func Command(cmd *exec.Cmd, url, ready string, want200 bool) (*Proc, error) {
	return start(cmd, url, ready, want200, 60*time.Second)
}

func start(cmd *exec.Cmd, url, ready string, want200 bool, limit time.Duration) (*Proc, error) {
	log, err := os.CreateTemp("", "peer-log-")
	if err != nil {
		return nil, err
	}
	os.Remove(log.Name()) // still open: readable through the handle, gone when closed
	cmd.Stdout, cmd.Stderr = log, log
	p := &Proc{URL: url, cmd: cmd, log: log, done: make(chan struct{})}
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, err
	}
	go func() { cmd.Wait(); close(p.done) }()
	if err := p.waitReady(url+ready, want200, limit); err != nil {
		p.Stop()
		return nil, fmt.Errorf("%s: %w\n%s", filepath.Base(cmd.Path), err, p.Log())
	}
	p.Started = time.Since(begin)
	return p, nil
}

// waitReady polls url every millisecond until it answers, the process exits
// or limit passes.
func (p *Proc) waitReady(url string, want200 bool, limit time.Duration) error {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if !want200 || resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.done:
			return errors.New("exited before it was ready")
		case <-time.After(time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready after %v", url, limit)
}

// Pid is the server's process id.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// RSS is the server's resident set size in bytes (VmRSS), or -1.
func (p *Proc) RSS() int64 { return benchkit.StatusBytes(p.Pid(), "VmRSS") }

// HWM is the server's peak resident set size since it started (VmHWM) in
// bytes, or -1: what a single large request cost at most.
func (p *Proc) HWM() int64 { return benchkit.StatusBytes(p.Pid(), "VmHWM") }

// CPUTime is the CPU time (user + system, all threads) the server has used so
// far, at the kernel's tick resolution (usually 10 ms), or -1. Unlike a
// request rate, CPU per request hardly depends on what else the machine runs.
func (p *Proc) CPUTime() time.Duration { return benchkit.CPUTime(p.Pid()) }

// Log returns what the server has printed so far (the last 8 KiB).
func (p *Proc) Log() string {
	st, err := p.log.Stat()
	if err != nil {
		return ""
	}
	off := max(0, st.Size()-8<<10)
	b := make([]byte, st.Size()-off)
	n, _ := p.log.ReadAt(b, off)
	return string(b[:n])
}

// Stop sends SIGTERM, waits up to 10 s, then kills.
func (p *Proc) Stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
	p.log.Close()
}

// FreeAddr returns a loopback address with a port that was free just now.
func FreeAddr() (string, error) {
	port, err := freePort()
	return "127.0.0.1:" + strconv.Itoa(port), err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
