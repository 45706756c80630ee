package main

import (
	"bufio"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServeBinary builds the command, runs `fogbank serve` on a free port
// with a data directory, checks it answers, that a second process on the
// same directory fails with a clear error, and that SIGTERM ends it cleanly.
func TestServeBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "fogbank")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir, "--log-format", "json")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() || sc.Text() != "Ready." {
		t.Fatalf("first line %q", sc.Text())
	}
	url := ""
	errLines := bufio.NewScanner(stderr)
	for url == "" && errLines.Scan() {
		if line := errLines.Text(); strings.Contains(line, `"fogbank listening"`) {
			if i := strings.Index(line, `"url":"`); i >= 0 {
				url = strings.SplitN(line[i+7:], `"`, 2)[0]
			}
		}
	}
	if url == "" {
		t.Fatal("no url logged")
	}
	go io.Copy(io.Discard, stderr)
	resp, err := http.Get(url + "/_fogbank/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health %d", resp.StatusCode)
	}

	second := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir)
	out, err := second.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by another process") {
		t.Fatalf("second process on %s: err %v, output %s", dir, err, out)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	// The lock went with the process: the directory opens again.
	again := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir)
	againOut, _ := again.StdoutPipe()
	if err := again.Start(); err != nil {
		t.Fatal(err)
	}
	defer again.Process.Kill()
	if sc := bufio.NewScanner(againOut); !sc.Scan() || sc.Text() != "Ready." {
		t.Fatalf("restart on the same directory: first line %q", sc.Text())
	}
	_ = again.Process.Signal(syscall.SIGTERM)
	if err := again.Wait(); err != nil {
		t.Fatalf("restarted process exit: %v", err)
	}
}
