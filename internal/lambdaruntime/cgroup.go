package lambdaruntime

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// memCgroups places each environment in its own cgroup v1 memory group under
// <our memory cgroup>/fogbank/, so MemorySize is a hard limit (the kernel OOM-kills the
// environment, which then reports Runtime.ExitError like AWS) and memory.max_usage_in_bytes
// gives Max Memory Used for the whole process tree. When the hierarchy is missing or not
// writable, environments run unlimited and the reason is said once per environment in its log.
type memCgroups struct {
	root   string // ".../memory/<self>/fogbank", "" when unavailable
	reason string // why root is "" (said in function logs)
}

func newMemCgroups() memCgroups {
	self, err := selfMemoryCgroup()
	if err != nil {
		return memCgroups{reason: "fogbank: memory not limited (" + err.Error() + "); Max Memory Used is the runtime process's peak RSS"}
	}
	root := filepath.Join("/sys/fs/cgroup/memory", self, "fogbank")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return memCgroups{reason: "fogbank: memory not limited (cgroup v1 memory hierarchy not writable: " + err.Error() + "); Max Memory Used is the runtime process's peak RSS"}
	}
	if _, err := os.Stat(filepath.Join(root, "memory.limit_in_bytes")); err != nil {
		return memCgroups{reason: "fogbank: memory not limited (no memory.limit_in_bytes under " + root + ")"}
	}
	return memCgroups{root: root}
}

// selfMemoryCgroup reads our cgroup v1 memory path from /proc/self/cgroup.
func selfMemoryCgroup() (string, error) {
	f, err := os.Open("/proc/self/cgroup")
	if err != nil {
		return "", fmt.Errorf("reading /proc/self/cgroup: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c == "memory" {
				if _, err := os.Stat("/sys/fs/cgroup/memory"); err != nil {
					return "", errors.New("no cgroup v1 memory hierarchy mounted at /sys/fs/cgroup/memory")
				}
				return parts[2], nil
			}
		}
	}
	return "", errors.New("no cgroup v1 memory controller (cgroup v2 only, or none)")
}

// envCgroup is one environment's memory cgroup; the zero value (dir "") does nothing.
type envCgroup struct{ dir string }

func (m memCgroups) create(id string, memoryMB int) (envCgroup, error) {
	if m.root == "" {
		return envCgroup{}, nil
	}
	dir := filepath.Join(m.root, id)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return envCgroup{}, fmt.Errorf("creating cgroup %s: %w", dir, err)
	}
	if memoryMB > 0 {
		limit := strconv.FormatInt(int64(memoryMB)<<20, 10)
		if err := os.WriteFile(filepath.Join(dir, "memory.limit_in_bytes"), []byte(limit), 0); err != nil {
			_ = os.Remove(dir)
			return envCgroup{}, fmt.Errorf("limiting cgroup %s to %s bytes: %w", dir, limit, err)
		}
		// Without swap accounting this file is absent; with it, swap must not extend the limit.
		_ = os.WriteFile(filepath.Join(dir, "memory.memsw.limit_in_bytes"), []byte(limit), 0)
	}
	return envCgroup{dir: dir}, nil
}

func (c envCgroup) add(pid int) error {
	if c.dir == "" {
		return nil
	}
	return os.WriteFile(filepath.Join(c.dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0)
}

// resetPeak starts a new Max Memory Used window (one per invocation).
func (c envCgroup) resetPeak() {
	if c.dir != "" {
		_ = os.WriteFile(filepath.Join(c.dir, "memory.max_usage_in_bytes"), []byte("0"), 0)
	}
}

// peakMB is the peak memory of the cgroup since the last resetPeak, or -1 without a cgroup.
func (c envCgroup) peakMB() int {
	if c.dir == "" {
		return -1
	}
	b, err := os.ReadFile(filepath.Join(c.dir, "memory.max_usage_in_bytes"))
	if err != nil {
		return -1
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return -1
	}
	return int((n + (1<<20 - 1)) >> 20)
}

// oomKilled reports whether the kernel OOM killer fired in this cgroup.
func (c envCgroup) oomKilled() bool {
	if c.dir == "" {
		return false
	}
	b, err := os.ReadFile(filepath.Join(c.dir, "memory.oom_control"))
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "oom_kill" && f[1] != "0" {
			return true
		}
	}
	return false
}

// killAll SIGKILLs every process still in the cgroup (a daemon that left the process group).
func (c envCgroup) killAll() {
	if c.dir == "" {
		return
	}
	b, err := os.ReadFile(filepath.Join(c.dir, "cgroup.procs"))
	if err != nil {
		return
	}
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 0 {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// remove deletes the cgroup once its processes are gone (rmdir fails while any remain).
func (c envCgroup) remove() {
	if c.dir == "" {
		return
	}
	for i := 0; i < 50; i++ {
		if err := os.Remove(c.dir); err == nil || errors.Is(err, os.ErrNotExist) {
			return
		}
		c.killAll()
		time.Sleep(2 * time.Millisecond)
	}
}

// procPeakMB is the fallback Max Memory Used: VmHWM (peak RSS) of one process.
func procPeakMB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, _ := strconv.Atoi(f[1])
				return (kb + 1023) / 1024
			}
		}
	}
	return 0
}
