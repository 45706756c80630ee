// Package benchkit holds the pieces every command under bench/cmd shares, so
// that a new service's benchmark copies one pattern instead of a sixth
// variant: replacing its own "## " section of bench/RESULTS.md, the
// machine / time / load-average facts a report opens with, medians and
// percentiles of runs, ratio formatting, and reading a process's memory and
// CPU time from /proc.
//
// Starting the servers (fogbank, the no-op ceiling, moto) and waiting for
// them to be healthy is bench/peer's job; peer reads /proc through this
// package.
package benchkit

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// LoadAvg is the machine's 1, 5 and 15 minute load averages ("0.52 0.61
// 0.70"), or "?" when /proc/loadavg cannot be read. Reports print it before
// and after a run because the machine is shared: a reader can tell a busy
// machine's numbers from a quiet one's.
func LoadAvg() string {
	f := loadFields()
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// LoadAvg1 is the 1-minute load average alone, or "unknown".
func LoadAvg1() string {
	f := loadFields()
	if len(f) == 0 {
		return "unknown"
	}
	return f[0]
}

func loadFields() []string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return nil
	}
	return strings.Fields(string(b))
}

// Machine is "2 cores (nproc), linux/amd64, go1.26.0": what a rate depends
// on besides the code.
func Machine() string {
	return fmt.Sprintf("%d cores (nproc), %s/%s, %s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}

// CPUs is the shorter "2 CPUs, linux/amd64".
func CPUs() string {
	return fmt.Sprintf("%d CPUs, %s/%s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
}

// Stamp is the current time as reports print it: "2026-11-30 05:10 UTC".
func Stamp() string { return time.Now().UTC().Format("2006-01-02 15:04 UTC") }

// Ratio is a / b, or 0 when b is 0 (nothing measured to compare with).
func Ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// RatioCell is a / b as a table cell, "0.93", or "—" when b is not positive:
// a ratio against nothing measured is shown as missing, never as Inf or NaN.
func RatioCell(a, b float64) string {
	if b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// Spread is the median of xs with its range, "0.93 (0.90–0.97)": how a
// ratio of back-to-back runs is reported, so a reader sees its noise.
// Empty xs is "—".
func Spread(xs []float64) string {
	if len(xs) == 0 {
		return "—"
	}
	lo, hi := xs[0], xs[0]
	for _, x := range xs {
		lo, hi = min(lo, x), max(hi, x)
	}
	return fmt.Sprintf("%.2f (%.2f–%.2f)", Median(xs), lo, hi)
}

// FirstLine is s up to its first newline, cut at 160 bytes with "…": an
// error fits in a table cell.
func FirstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// Counts parses a comma-separated list of positive counts ("1,16,64"), as
// the -workers and -fanout flags take them.
func Counts(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad count %q", f)
		}
		ns = append(ns, n)
	}
	return ns, nil
}
