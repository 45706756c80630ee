package benchkit

import (
	"os"
	"testing"
	"time"
)

// TestProcSelf reads the test's own process: it exists, has memory, and
// its CPU time only grows.
func TestProcSelf(t *testing.T) {
	pid := os.Getpid()
	rss := StatusBytes(pid, "VmRSS")
	hwm := StatusBytes(pid, "VmHWM")
	if rss <= 0 || rss%1024 != 0 {
		t.Errorf("VmRSS = %d bytes", rss)
	}
	if hwm < rss {
		t.Errorf("VmHWM %d < VmRSS %d read before it", hwm, rss)
	}
	c0 := CPUTime(pid)
	x := 0
	for i := range 1_000_000 {
		x += i
	}
	_ = x
	c1 := CPUTime(pid)
	if c0 < 0 || c1 < c0 {
		t.Errorf("CPU time %v then %v", c0, c1)
	}
}

func TestProcMissing(t *testing.T) {
	if got := StatusBytes(-1, "VmRSS"); got != -1 {
		t.Errorf("no such process: VmRSS = %d", got)
	}
	if got := StatusBytes(os.Getpid(), "VmNoSuchField"); got != -1 {
		t.Errorf("no such field: %d", got)
	}
	if got := CPUTime(-1); got != -1 {
		t.Errorf("no such process: CPU %v", got)
	}
}

func TestParseStat(t *testing.T) {
	for _, tc := range []struct {
		name, stat string
		want       time.Duration
	}{
		// A command name with spaces and a ")" must not shift the fields.
		{"odd name", "42 (a b) c) S 1 42 42 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 4 0 1 1 1", 3250 * time.Millisecond},
		{"plain", "7 (fogbank) R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0", 30 * time.Millisecond},
		{"truncated", "7 (fogbank) R 1 7", -1},
		{"no name", "garbage", -1},
		{"not a number", "7 (x) R 1 7 7 0 -1 0 0 0 0 0 u s 0 0", -1},
	} {
		if got := parseStat(tc.stat); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	status := "Name:\tfogbank\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n"
	if got := parseStatus(status, "VmRSS"); got != 1024<<10 {
		t.Errorf("VmRSS = %d", got)
	}
	if got := parseStatus(status, "VmHWM"); got != 2048<<10 {
		t.Errorf("VmHWM = %d", got)
	}
}
