package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is one fogbank process serving on a loopback port.
type Server struct {
	// URL is the endpoint clients are given: "http://127.0.0.1:PORT".
	URL  string
	Port int
	args []string

	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{} // closed when the process has exited
	err  error         // the process's exit status, once done is closed
}

// ServerOptions are the flags a test starts fogbank with.
type ServerOptions struct {
	// DataDir, when set, runs the durable engine there (--data-dir);
	// otherwise the server runs with --memory.
	DataDir string
	// Args are extra flags (--account 111122223333, …).
	Args []string
}

// startServer starts fogbank on a free loopback port, waits for
// /_fogbank/health to answer 200 and stops the server when t ends. The
// server's log is printed if t failed.
func startServer(t *testing.T, opts ServerOptions) *Server {
	t.Helper()
	if binMissing {
		require(t, "the fogbank binary", binErr)
	}
	if binErr != nil {
		t.Fatalf("no fogbank binary: %v", binErr)
	}
	var lastErr error
	// A free port can be taken by someone else between our probe and the
	// server's bind: try a few.
	for range 3 {
		s, err := launch(opts)
		if err == nil {
			t.Cleanup(func() {
				if err := s.Stop(); err != nil {
					t.Errorf("stopping fogbank: %v", err)
				}
				if t.Failed() {
					t.Logf("fogbank %v log:\n%s", s.args, s.logs.String())
				}
			})
			return s
		}
		lastErr = err
	}
	t.Fatalf("starting fogbank: %v", lastErr)
	return nil
}

func launch(opts ServerOptions) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--listen", "127.0.0.1:" + strconv.Itoa(port)}
	if opts.DataDir != "" {
		args = append(args, "--data-dir", opts.DataDir)
	} else {
		args = append(args, "--memory")
	}
	args = append(args, opts.Args...)
	s := &Server{
		URL:  "http://127.0.0.1:" + strconv.Itoa(port),
		Port: port,
		args: args,
		logs: &syncBuffer{},
		done: make(chan struct{}),
	}
	s.cmd = exec.Command(fogbankBin, args...)
	s.cmd.Stdout = s.logs
	s.cmd.Stderr = s.logs
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	if err := s.waitHealthy(30 * time.Second); err != nil {
		s.cmd.Process.Kill()
		<-s.done
		return nil, fmt.Errorf("%w\nlog:\n%s", err, s.logs.String())
	}
	return s, nil
}

// waitHealthy polls /_fogbank/health until it answers 200, the process
// exits, or limit passes.
func (s *Server) waitHealthy(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get(s.URL + "/_fogbank/health")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("health: HTTP %d", resp.StatusCode)
		}
		select {
		case <-s.done:
			return fmt.Errorf("fogbank exited before it was healthy: %v", s.err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not healthy after %v: %v", limit, err)
		}
	}
}

// Stop asks the server to shut down (SIGTERM) and waits for it. It returns
// an error if the server did not exit cleanly within 15 seconds. Stop may be
// called more than once.
func (s *Server) Stop() error {
	select {
	case <-s.done:
		return s.exitErr()
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		return s.exitErr()
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
		return errors.New("fogbank did not exit within 15s of SIGTERM")
	}
}

func (s *Server) exitErr() error {
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return fmt.Errorf("fogbank exited with %v", ee)
	}
	return s.err
}

// Do sends one raw HTTP request to the server and returns the response with
// its body read.
func (s *Server) Do(t *testing.T, method, path string, header http.Header, body []byte) (*http.Response, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp, b
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer is a bytes.Buffer safe for the process's two output streams.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
