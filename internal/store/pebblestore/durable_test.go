package pebblestore_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/pebblestore"
)

// childEnv, when set in the environment of a re-executed test binary, names
// the data directory the child works on; which test is run selects the role.
const childEnv = "FOGBANK_PEBBLESTORE_CHILD_DIR"

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	s, err := pebblestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var b store.Batch
	for i := range 100 {
		b.Put(store.Key("t", fmt.Sprintf("%03d", i)), []byte(fmt.Sprint("v", i)))
	}
	b.Delete(store.Key("t", "050"))
	if err := s.Apply(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = pebblestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	p := store.KeyPrefix("t")
	err = s.Scan(ctx, p, store.PrefixEnd(p), func(k, v []byte) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if n != 99 {
		t.Fatalf("after reopen found %d keys, want 99", n)
	}
	v, err := s.Get(ctx, store.Key("t", "007"))
	if err != nil || string(v) != "v7" {
		t.Fatalf("Get after reopen = %q, %v", v, err)
	}
}

// TestLocked checks that a second Open of a directory in use fails with
// ErrLocked naming the directory, both in this process and in another one,
// and that Close releases the lock.
func TestLocked(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		_, err := pebblestore.Open(dir)
		fmt.Printf("child open: locked=%v err=%v\n", errors.Is(err, store.ErrLocked), err)
		os.Exit(0)
	}
	dir := t.TempDir()
	s, err := pebblestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}

	_, err = pebblestore.Open(dir)
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second Open in process: err = %v, want ErrLocked naming %s", err, dir)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestLocked$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("locked=true")) || !bytes.Contains(out, []byte(dir)) {
		t.Fatalf("Open in another process did not report ErrLocked with the path:\n%s", out)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = pebblestore.Open(dir)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	s.Close()
}

const (
	crashWriters = 32
	crashOps     = 3 // puts per batch
)

func crashKey(w, i, j int) []byte {
	return store.Key("crash", fmt.Sprintf("%02d", w), fmt.Sprintf("%06d", i), fmt.Sprint(j))
}

// crashValue is ~300 bytes, like an SQS message record, and derived from the
// key so the parent can check it without being told.
func crashValue(w, i, j int) []byte {
	return bytes.Repeat([]byte(fmt.Sprintf("%02d/%06d/%d;", w, i, j)), 27)
}

// TestCrashKeepsAcknowledged re-executes the test binary as a writer with
// many goroutines, each printing "ack W I" only after Apply returned, kills
// it with SIGKILL mid-load, reopens the store and checks that every
// acknowledged batch is there with its values and that no batch is partial.
// SIGKILL loses everything in the process but not what the kernel has; the
// kernel page cache is not dropped, so this proves Apply's ordering
// (acknowledge after commit) and batch atomicity, while fsync-before-ack is
// Pebble's Sync contract (the benchmark's commit latency shows it paying for
// the fsync).
func TestCrashKeepsAcknowledged(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		crashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledged$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	acked := map[[2]int]bool{}
	r := bufio.NewReader(stdout)
	// The clock starts at the first ack, so a slow child start-up on a
	// loaded machine does not shorten the load phase.
	var killAt time.Time
	killed := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break // EOF after the kill; a partial last line is not an ack
		}
		var w, i int
		if _, perr := fmt.Sscanf(line, "ack %d %d\n", &w, &i); perr == nil {
			acked[[2]int{w, i}] = true
			if killAt.IsZero() {
				killAt = time.Now().Add(1500 * time.Millisecond)
			}
		}
		if !killed && !killAt.IsZero() && (len(acked) >= 3000 || time.Now().After(killAt)) {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
		}
	}
	werr := cmd.Wait()
	if !killed {
		t.Fatalf("child exited before it was killed: %v\n%s", werr, stderr.String())
	}
	if len(acked) < 50 {
		t.Fatalf("child acknowledged only %d batches before the kill\n%s", len(acked), stderr.String())
	}

	s, err := pebblestore.Open(dir)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer s.Close()
	ctx := context.Background()

	// Every acknowledged batch is present with its values.
	for wi := range acked {
		for j := range crashOps {
			v, err := s.Get(ctx, crashKey(wi[0], wi[1], j))
			if err != nil {
				t.Fatalf("acknowledged batch %v op %d: %v", wi, j, err)
			}
			if !bytes.Equal(v, crashValue(wi[0], wi[1], j)) {
				t.Fatalf("acknowledged batch %v op %d has the wrong value", wi, j)
			}
		}
	}

	// Batches in flight at the kill are all there or not at all.
	counts := map[string]int{}
	p := store.KeyPrefix("crash")
	err = s.Scan(ctx, p, store.PrefixEnd(p), func(k, v []byte) error {
		parts := strings.Split(string(k), "\x00")
		counts[parts[1]+"/"+parts[2]]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for batch, n := range counts {
		if n != crashOps {
			t.Errorf("batch %s has %d of %d ops after the crash", batch, n, crashOps)
		}
	}
	t.Logf("%d batches acknowledged before SIGKILL, %d found after reopen", len(acked), len(counts))
}

// crashChild writes until killed. It exits by itself after 20s so a broken
// parent never leaves it running.
func crashChild(dir string) {
	s, err := pebblestore.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var mu sync.Mutex
	out := io.Writer(os.Stdout)
	for w := range crashWriters {
		go func() {
			for i := 0; ; i++ {
				var b store.Batch
				for j := range crashOps {
					b.Put(crashKey(w, i, j), crashValue(w, i, j))
				}
				if err := s.Apply(context.Background(), &b); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintf(out, "ack %d %d\n", w, i)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(20 * time.Second)
	os.Exit(3)
}
