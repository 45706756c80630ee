package main

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Every answered request's body is in the log file when its answer comes:
// the durable no-op acknowledges only what it has written and synced.
func TestDurableCommitsBeforeAnswering(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wal")
	l, err := OpenLog(path, 1<<20, 100*time.Microsecond)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	srv := httptest.NewServer(NewDurable(l))
	defer srv.Close()

	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			body := fmt.Sprintf(`{"QueueUrl":"q","MessageBody":"durable-%02d"}`, i)
			status, b := post(t, srv, map[string]string{"X-Amz-Target": "AmazonSQS.SendMessage"}, body)
			if status != 200 {
				t.Errorf("HTTP %d: %s", status, b)
				return
			}
			// Read with a file of our own: what the log wrote, not a buffer.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Error(err)
				return
			}
			if !bytes.Contains(data, []byte(body)) {
				t.Errorf("answered before %q was in the log", body)
			}
		})
	}
	wg.Wait()
}

// The log wraps around at its size, and fails every commit after Close.
func TestLogWrapsAndCloses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wal")
	l, err := OpenLog(path, 4096, 0)
	if err != nil {
		t.Fatal(err)
	}
	entry := bytes.Repeat([]byte("x"), 1000)
	for range 10 {
		if err := l.Commit(entry); err != nil {
			t.Fatal(err)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 4096 {
		t.Fatalf("log file: %v, %v; want 4096 bytes", fi, err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Commit(entry); err == nil {
		t.Fatal("Commit after Close succeeded")
	}
}
