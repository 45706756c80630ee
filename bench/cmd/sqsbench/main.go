// Command sqsbench measures SQS throughput side by side, in one run, and
// appends the table to bench/RESULTS.md (bash bench/run.sh runs it):
//
//   - servers: Fogbank durable (its default: --data-dir on disk, group
//     commit), Fogbank --memory, moto's server (python3 -m moto.server, a
//     peer) and bench/noop, a server that only answers valid responses (the
//     ceiling: what the client, HTTP and encoding cost alone);
//   - clients: aws-sdk-go-v2 (JSON protocol, retries on, enough idle
//     connections), and a raw-HTTP replay of pre-built request bodies with a
//     static Authorization header, which shows a server's own ceiling;
//   - operations, at each worker count (1, 16, 64): SendMessage, then
//     SendMessageBatch of 10, then ReceiveMessage of 10 + DeleteMessageBatch,
//     which consumes what the two send phases put in a fresh queue.
//
// With -memflat N it also sends and consumes N messages (batches of 10, many
// workers, producers and consumers at once) through Fogbank --memory and
// durable, sampling the server's VmRSS, to show that memory does not grow
// with the messages processed.
//
// Every phase is bounded in time; moto, which is slow, gets shorter phases.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/aws/smithy-go"

	"github.com/fogbank/fogbank/bench/internal/benchkit"
	"github.com/fogbank/fogbank/bench/peer"
)

func main() {
	var (
		fogbankBin = flag.String("fogbank", "", "fogbank binary (omit to measure only the others)")
		noopBin    = flag.String("noop", "", "bench/noop binary, run as the no-op (the ceiling) and the durable no-op (the floor of syncing before answering); omit to leave both out")
		baseline   = flag.String("baseline", "", "a second fogbank binary (say, the commit before a change), measured durable as \"baseline durable\" in turn with the others, for an A/B within one run")
		skip       = flag.String("skip", "", "comma-separated names of servers to leave out (e.g. \"fogbank --memory\")")
		withMoto   = flag.Bool("moto", false, "also measure moto's server (python3 -m moto.server)")
		workers    = flag.String("workers", "1,16,64", "comma-separated concurrent worker counts")
		modes      = flag.String("modes", "sdk,raw", "clients: sdk (aws-sdk-go-v2), raw (pre-built HTTP replay)")
		duration   = flag.Duration("duration", 500*time.Millisecond, "length of each send phase (receive gets up to twice this)")
		motoDur    = flag.Duration("moto-duration", time.Second, "length of each send phase against moto")
		motoMax    = flag.Int("moto-workers", 16, "most concurrent workers moto is measured with")
		memflat    = flag.Int("memflat", 0, "messages to send and consume for the memory-flatness run (0: skip)")
		memOnly    = flag.Bool("memflat-only", false, "skip the throughput tables")
		reps       = flag.Int("reps", 3, "measurements of each cell, servers alternating (median kept; moto once)")
		args       = flag.String("args", "--log-level error", "extra flags for fogbank serve, space-separated")
		commit     = flag.String("commit", "", "the commit the binary was built from, for the report")
		out        = flag.String("out", "", "append the report to this file (default stdout)")
	)
	flag.Parse()
	ws, err := benchkit.Counts(*workers)
	if err != nil {
		log.Fatalf("sqsbench: -workers: %v", err)
	}
	extra := strings.Fields(*args)

	rep := &report{loadBefore: benchkit.LoadAvg(), commit: *commit, workers: ws}
	if !*memOnly {
		var ts []*target
		dir, err := os.MkdirTemp("", "sqsbench-data-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		lineup := peer.Lineup(*fogbankBin, dir, *withMoto, extra...)
		if *baseline != "" {
			n := 0
			lineup = append(lineup, peer.Server{Name: "baseline durable", Start: func() (*peer.Proc, error) {
				n++
				return peer.FogbankDurable(*baseline, fmt.Sprintf("%s/baseline-%d", dir, n), extra...)
			}})
		}
		left := map[string]bool{}
		for _, name := range strings.Split(*skip, ",") {
			left[strings.TrimSpace(name)] = true
		}
		for _, s := range lineup {
			if left[s.Name] {
				continue
			}
			if !s.Moto {
				ts = append(ts, startTarget(s.Name, *duration, s.Start))
				continue
			}
			t := startTarget(s.Name, *motoDur, s.Start)
			t.maxWorkers = *motoMax
			// One moto ReceiveMessage of 10 takes about a quarter of a
			// second, and its calls run one at a time: 16 workers need
			// seconds for a round.
			t.minDrain = 6 * time.Second
			t.once = true
			ts = append(ts, t)
		}
		if *noopBin != "" {
			ts = append(ts, startTarget("no-op", *duration, func() (*peer.Proc, error) { return peer.Noop(*noopBin) }))
			if !left["no-op durable"] {
				ts = append(ts, startTarget("no-op durable", *duration, func() (*peer.Proc, error) {
					return peer.NoopDurable(*noopBin, dir+"/noop-durable")
				}))
			}
		}
		for _, t := range ts {
			if t.proc != nil {
				defer t.proc.Stop()
			}
		}
		rep.targets = ts
		for _, mode := range strings.Split(*modes, ",") {
			for _, n := range ws {
				// Repetitions alternate the servers, so that a change in
				// the machine's load hits them all; the report keeps the
				// median of each phase.
				for rep := range *reps {
					for _, t := range ts {
						if t.skip != "" || (rep > 0 && t.once) {
							continue
						}
						measure(t, mode, n)
					}
				}
			}
		}
	}
	if *memflat > 0 && *fogbankBin != "" {
		dir, err := os.MkdirTemp("", "sqsbench-memflat-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		for _, durable := range []bool{false, true} {
			rep.memflat = append(rep.memflat, memFlat(*fogbankBin, dir, durable, *memflat, extra))
		}
	}

	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.OpenFile(*out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		w = f
	}
	rep.reps = *reps
	rep.write(w)
}

// measure runs one cell against t and keeps it.
func measure(t *target, mode string, n int) {
	if t.maxWorkers > 0 && n > t.maxWorkers {
		t.cells = append(t.cells, cell{mode: mode, workers: n, setupErr: fmt.Errorf(
			"not measured above %d workers: it serves about a hundred requests a second and keeps serving "+
				"requests whose callers gave up, which stalls every later measurement", t.maxWorkers)})
		return
	}
	c := runCell(t, mode, n)
	log.Printf("%-16s %-3s %2d workers: send %.0f/s, batch %.0f/s, receive+delete %.0f/s (drained %d of %d) %s",
		t.name, mode, n, c.send.rate(), c.batch.rate(), c.recv.rate(), c.recv.msgs, c.sent, c.notes())
	t.cells = append(t.cells, c)
}

// target is one server under measurement.
type target struct {
	name string
	dur  time.Duration // of each send phase
	proc *peer.Proc
	skip string // why it is not measured, when it is not
	// maxWorkers, when set, is the most workers it is measured with.
	maxWorkers int
	// minDrain, when set, is the least time the receive phase gets.
	minDrain time.Duration
	// once: measured in the first repetition only.
	once  bool
	cells []cell
}

func startTarget(name string, d time.Duration, start func() (*peer.Proc, error)) *target {
	t := &target{name: name, dur: d}
	p, err := start()
	if err != nil {
		t.skip = "did not start: " + benchkit.FirstLine(err.Error())
		log.Printf("sqsbench: %s %s", name, t.skip)
		return t
	}
	t.proc = p
	// A server without SQS yet (Fogbank while services/sqs is being
	// written) is left out with the reason.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := createQueue(ctx, newSQSClient(p.URL, 1), "sqsbench-probe"); err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			t.skip = "SQS not served: " + ae.ErrorCode() + ": " + ae.ErrorMessage()
		} else {
			t.skip = "SQS not served: " + benchkit.FirstLine(err.Error())
		}
		log.Printf("sqsbench: %s: %s", name, t.skip)
	}
	return t
}

// cell is one server, client and worker count: its three phases.
type cell struct {
	mode              string
	workers           int
	send, batch, recv result
	sent              int64 // messages the receive phase had to consume
	setupErr          error
}

func (c cell) notes() string {
	var ns []string
	if c.setupErr != nil {
		return benchkit.FirstLine(c.setupErr.Error())
	}
	for _, p := range []struct {
		name string
		r    result
	}{{"send", c.send}, {"batch", c.batch}, {"receive", c.recv}} {
		if p.r.errs > 0 {
			ns = append(ns, fmt.Sprintf("%s: %d errors (%s)", p.name, p.r.errs, benchkit.FirstLine(fmt.Sprint(p.r.lastErr))))
		}
	}
	return strings.Join(ns, "; ")
}

// runCell measures the three phases against a fresh queue.
func runCell(t *target, mode string, n int) cell {
	c := cell{mode: mode, workers: n}
	client := newSQSClient(t.proc.URL, n)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := createQueue(ctx, client, fmt.Sprintf("bench-%s-%d-%d", mode, n, time.Now().UnixNano()%1e9))
	if err != nil {
		c.setupErr = err
		return c
	}
	var d driver
	switch mode {
	case "sdk":
		d = newSDKDriver(client, q)
	case "raw":
		rd := newRawDriver(t.proc.URL, q, n)
		defer rd.close()
		d = rd
	default:
		log.Fatalf("sqsbench: unknown mode %q", mode)
	}
	warm := min(t.dur/8, 250*time.Millisecond)
	cpu := t.proc.CPUTime
	c.send = timed(n, warm, t.dur, cpu, d.send)
	c.batch = timed(n, warm, t.dur, cpu, d.sendBatch)
	c.sent = c.send.total + c.batch.total
	c.recv = drain(n, c.sent, max(2*t.dur, t.minDrain), cpu, d.receiveDelete)
	return c
}
