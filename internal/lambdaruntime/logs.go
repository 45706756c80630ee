package lambdaruntime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"syscall"
)

// logPipe collects an environment's stdout and stderr (one pipe shared by every process of the
// environment, so lines interleave as written) into the current invocation's log.
//
// Why not a goroutine with io.Copy: an invocation's log must hold everything the function wrote
// before it posted its response, and bytes can still sit in the pipe when the response arrives.
// Reads therefore happen under mu, both in the poller callback and in drain, which the invoke
// path calls after the response: once drain returns, every byte written before it is in buf.
// maxInvocationLog bounds the log kept for one invocation's Result (every line still reaches the
// Sink and the Logger).
const maxInvocationLog = 1 << 20

type logPipe struct {
	ev   *env
	w    *os.File // the write end, given to the processes; closed in the parent after start
	r    *os.File
	done chan struct{}

	mu      sync.Mutex
	partial []byte       // an unterminated last line
	buf     bytes.Buffer // init output, then the current invocation's
	tmp     []byte
}

func (l *logPipe) init(ev *env) error {
	l.ev = ev
	l.done = make(chan struct{})
	l.tmp = make([]byte, 32<<10)
	r, w, err := os.Pipe()
	if err != nil {
		close(l.done)
		return fmt.Errorf("creating the log pipe: %w", err)
	}
	rc, err := r.SyscallConn()
	if err != nil {
		close(l.done)
		_ = r.Close()
		_ = w.Close()
		return fmt.Errorf("creating the log pipe: %w", err)
	}
	l.r, l.w = r, w
	go func() {
		defer close(l.done)
		_ = rc.Read(func(fd uintptr) bool {
			l.mu.Lock()
			defer l.mu.Unlock()
			return l.readLocked(int(fd))
		})
	}()
	return nil
}

// readLocked reads what the pipe holds; it reports true at end of file or on an error.
func (l *logPipe) readLocked(fd int) bool {
	for {
		n, err := syscall.Read(fd, l.tmp)
		if n > 0 {
			l.appendLocked(l.tmp[:n])
			continue
		}
		switch {
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EAGAIN):
			return false
		}
		return true // n == 0 (EOF) or a real error
	}
}

// drain moves everything already written into the log.
func (l *logPipe) drain() {
	if l.r == nil {
		return
	}
	rc, err := l.r.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.readLocked(int(fd))
	})
}

func (l *logPipe) appendLocked(b []byte) {
	l.partial = append(l.partial, b...)
	var lines []string
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		lines = append(lines, string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	if len(l.partial) == 0 {
		l.partial = l.partial[:0:0]
	}
	l.emitLocked(lines)
}

// flushPartialLocked ends an unterminated line at an invocation boundary.
func (l *logPipe) flushPartialLocked() {
	if len(l.partial) > 0 {
		s := string(l.partial)
		l.partial = nil
		l.emitLocked([]string{s})
	}
}

func (l *logPipe) emitLocked(lines []string) {
	if len(lines) == 0 {
		return
	}
	for _, s := range lines {
		l.buf.WriteString(s)
		l.buf.WriteByte('\n')
	}
	if l.buf.Len() > maxInvocationLog {
		// Result.Log serves LogType Tail (the last 4 KB): keep the newest half, whole lines.
		b := l.buf.Bytes()
		cut := len(b) - maxInvocationLog/2
		if i := bytes.IndexByte(b[cut:], '\n'); i >= 0 {
			cut += i + 1
		}
		kept := append([]byte("fogbank: earlier output of this invocation dropped from its Result.Log (over 1 MiB)\n"), b[cut:]...)
		l.buf.Reset()
		l.buf.Write(kept)
	}
	ev := l.ev
	lg := ev.e.impl.logger
	if lg.Enabled(context.Background(), slog.LevelDebug) {
		for _, s := range lines {
			lg.Debug("lambda output", "function", ev.fn.Name, "version", ev.fn.Version, "stream", ev.logStream, "line", s)
		}
	}
	if sink := ev.e.cfg.Sink; sink != nil {
		sink.Write(ev.fn, ev.logStream, lines)
	}
}

// line adds a line the engine itself writes (notes, START/END/REPORT, timeouts).
func (l *logPipe) line(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.emitLocked([]string{s})
}

// take returns and clears what was logged so far (the init phase's output).
func (l *logPipe) take() []byte {
	l.drain()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushPartialLocked()
	out := bytes.Clone(l.buf.Bytes())
	l.buf.Reset()
	return out
}

func (l *logPipe) beginCall(reqID, version string) {
	l.line("START RequestId: " + reqID + " Version: " + version)
}

// endCall drains the pipe, writes END and REPORT, and returns the invocation's log.
func (l *logPipe) endCall(reqID, report string) []byte {
	l.drain()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushPartialLocked()
	l.emitLocked([]string{"END RequestId: " + reqID, report})
	out := bytes.Clone(l.buf.Bytes())
	l.buf.Reset()
	return out
}

func (l *logPipe) closeWriter() {
	if l.w != nil {
		_ = l.w.Close()
	}
}

// close stops the reader; the processes are dead by now, so this is only for a straggler
// (a daemonized grandchild) still holding the write end.
func (l *logPipe) close() {
	if l.r == nil {
		return
	}
	l.drain()
	_ = l.r.Close()
	<-l.done
}
