package benchkit

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// StatusBytes is a "kB" field of /proc/<pid>/status in bytes: "VmRSS" (the
// resident set now) or "VmHWM" (its peak since the process started). It is
// -1 when the process or the field is gone: a report shows that rather than
// a made-up zero.
func StatusBytes(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	return parseStatus(string(b), field)
}

func parseStatus(status, field string) int64 {
	for _, line := range strings.Split(status, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field+":" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return -1
			}
			return kb << 10
		}
	}
	return -1
}

// CPUTime is the CPU time (user + system, all threads) process pid has used
// so far, at the kernel's tick resolution (10 ms), or -1. Unlike a request
// rate, CPU per request hardly depends on what else the machine runs.
func CPUTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	return parseStat(string(b))
}

func parseStat(stat string) time.Duration {
	// The command name (field 2) may hold spaces and parentheses: count
	// fields after its last ")".
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return -1
	}
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	const ticksPerSecond = 100 // USER_HZ, 100 on every Linux architecture Go supports here
	return time.Duration(ut+st) * time.Second / ticksPerSecond
}
