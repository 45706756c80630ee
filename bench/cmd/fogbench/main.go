// Command fogbench measures a fogbank binary and writes bench/RESULTS.md
// (bash bench/run.sh runs it):
//
//   - throughput of the router + codec path: STS GetCallerIdentity over the
//     query protocol, pre-built raw HTTP requests from N concurrent workers on
//     loopback, against a bare net/http handler that returns the very bytes
//     fogbank answered (the ceiling), reported as a ratio;
//   - time from process start to GET /_fogbank/health answering 200, the
//     median of a number of runs;
//   - idle RSS after start (VmRSS from /proc/<pid>/status).
//
// With -moto, moto's server (python3 -m moto.server) is measured the same way
// as a peer. Every run is bounded: a few seconds per measurement.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/bench/internal/benchkit"
	"github.com/fogbank/fogbank/bench/peer"
)

func main() {
	var (
		bin      = flag.String("bin", "", "fogbank binary to measure (required)")
		out      = flag.String("out", "", "write the report here (default stdout)")
		duration = flag.Duration("duration", 3*time.Second, "length of one throughput measurement")
		reps     = flag.Int("reps", 5, "throughput measurements per target and worker count (median kept)")
		workers  = flag.String("workers", "1,16", "comma-separated concurrent worker counts")
		starts   = flag.Int("starts", 20, "process starts for the start-to-healthy median")
		moto     = flag.Bool("moto", false, "also measure moto (python3 -m moto.server) as a peer")
		bareAddr = flag.String("bare", "", "internal: serve the bare handler on this address")
		bareType = flag.String("bare-type", "", "internal: the bare handler's Content-Type")
		bareFile = flag.String("bare-answer", "", "internal: file holding the bare handler's answer")
		commit   = flag.String("commit", "", "the commit the binary was built from, for the report (default: from its build info)")
		args     = flag.String("args", "", "extra flags for fogbank serve, space-separated (e.g. \"--log-level error\")")
	)
	flag.Parse()
	if *bareAddr != "" {
		serveBare(*bareAddr, *bareType, *bareFile)
		return
	}
	if *bin == "" {
		log.Fatal("fogbench: -bin is required")
	}
	ws, err := benchkit.Counts(*workers)
	if err != nil {
		log.Fatalf("fogbench: -workers: %v", err)
	}

	extraArgs = strings.Fields(*args)
	r := report{loadavg: benchkit.LoadAvg()}
	r.throughput(*bin, ws, *duration, *reps, *moto)
	r.startup(*bin, *starts, *moto)

	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		w = f
	}
	r.write(w, *bin, *commit)
}

// extraArgs are added to every fogbank serve command line.
var extraArgs []string

// report collects the rows of RESULTS.md.
type report struct {
	tput    []tputRow
	starts  []startRow
	loadavg string
}

type tputRow struct {
	workers int
	// Medians of the runs; moto is zero when not measured, quiet is fogbank
	// with --log-level warn.
	fogbank, bare, quiet, moto run
	ratios                     []float64 // fogbank / bare rate of each back-to-back pair of runs
	quietRatios                []float64 // the same for quiet
}

type startRow struct {
	server           string
	runs             int
	median, min, max time.Duration
	rss              int64 // bytes
	note             string
}

// stsRequest is GetCallerIdentity as AWS CLI v2 sends it over query: a form
// body and a SigV4 Authorization header (not verified: --auth is off).
func stsRequest(url string) (*http.Request, []byte) {
	body := []byte("Action=GetCallerIdentity&Version=2011-06-15")
	req, _ := http.NewRequest("POST", url+"/", nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("X-Amz-Date", "20261130T000000Z")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/sts/aws4_request, "+
		"SignedHeaders=content-type;host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000")
	req.Header.Set("User-Agent", "fogbench")
	return req, body
}

func (r *report) throughput(bin string, workers []int, d time.Duration, reps int, withMoto bool) {
	fb, err := peer.Fogbank(bin, extraArgs...)
	if err != nil {
		log.Fatalf("fogbench: %v", err)
	}
	defer fb.Stop()

	// What fogbank answers is what the bare handler will answer.
	tmpl, body := stsRequest(fb.URL)
	status, ctype, answer, err := once(tmpl, body)
	if err != nil {
		log.Fatalf("fogbench: GetCallerIdentity: %v", err)
	}
	if status != http.StatusOK || !bytes.Contains(answer, []byte("GetCallerIdentityResult")) {
		log.Fatalf("fogbench: GetCallerIdentity answered HTTP %d: %s", status, answer)
	}
	bare, err := startBare(ctype, answer)
	if err != nil {
		log.Fatalf("fogbench: %v", err)
	}
	defer bare.Stop()

	// The same binary logging only warnings: the difference is what the
	// per-request log line costs.
	quiet, err := peer.Fogbank(bin, append(slices.Clone(extraArgs), "--log-level", "warn")...)
	if err != nil {
		log.Fatalf("fogbench: %v", err)
	}
	defer quiet.Stop()

	var mt *peer.Proc
	if withMoto {
		if mt, err = peer.Moto(); err != nil {
			log.Printf("fogbench: moto not measured: %v", err)
		} else {
			defer mt.Stop()
		}
	}

	for _, n := range workers {
		row := tputRow{workers: n}
		var fbs, bares, quiets []run
		for range reps {
			// Interleave the targets so drift in the machine's load hits all.
			fbs = append(fbs, load(fb, n, d))
			bares = append(bares, load(bare, n, d))
			quiets = append(quiets, load(quiet, n, d))
			i := len(fbs) - 1
			row.ratios = append(row.ratios, fbs[i].rate/bares[i].rate)
			row.quietRatios = append(row.quietRatios, quiets[i].rate/bares[i].rate)
		}
		row.fogbank, row.bare, row.quiet = summary(fbs), summary(bares), summary(quiets)
		if mt != nil {
			row.moto = summary([]run{load(mt, n, d)})
		}
		log.Printf("throughput, %d workers: fogbank %.0f/s, log warn %.0f/s, bare %.0f/s, moto %.0f/s",
			n, row.fogbank.rate, row.quiet.rate, row.bare.rate, row.moto.rate)
		r.tput = append(r.tput, row)
	}
}

// run is one measurement of one target.
type run struct {
	rate float64 // 200 answers per second
	bad  int64   // other answers and failed requests
	// cpu is the server's CPU time per 200 answer, or 0 if unknown.
	cpu time.Duration
}

// load sends pre-built GetCallerIdentity requests to p from n workers for d
// (after a short warm-up), and reads p's CPU time around the measured part.
func load(p *peer.Proc, n int, d time.Duration) run {
	tr := &http.Transport{
		MaxIdleConns:        n,
		MaxIdleConnsPerHost: n,
		MaxConnsPerHost:     n,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	tmpl, body := stsRequest(p.URL)

	var ok, nok atomic.Int64
	var measuring atomic.Bool
	warm := d / 6
	end := time.Now().Add(warm + d)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				req := tmpl.Clone(tmpl.Context())
				req.Body = io.NopCloser(bytes.NewReader(body))
				req.ContentLength = int64(len(body))
				resp, err := client.Do(req)
				if err != nil {
					if measuring.Load() {
						nok.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if !measuring.Load() {
					continue
				}
				if resp.StatusCode == http.StatusOK {
					ok.Add(1)
				} else {
					nok.Add(1)
				}
			}
		}()
	}
	time.Sleep(warm)
	cpu0 := p.CPUTime()
	measuring.Store(true)
	start := time.Now()
	wg.Wait()
	elapsed := time.Since(start)
	cpu1 := p.CPUTime()
	r := run{rate: float64(ok.Load()) / elapsed.Seconds(), bad: nok.Load()}
	if cpu0 >= 0 && cpu1 >= 0 && ok.Load() > 0 {
		r.cpu = (cpu1 - cpu0) / time.Duration(ok.Load())
	}
	return r
}

func once(tmpl *http.Request, body []byte) (status int, ctype string, answer []byte, err error) {
	req := tmpl.Clone(tmpl.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	answer, err = io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), answer, err
}

// startBare starts this program again as a plain net/http server that
// answers every request with answer: the most any handler on net/http can do
// on this machine. It is a process of its own, as fogbank is, so that it does
// not share the load generator's Go runtime.
func startBare(ctype string, answer []byte) (*peer.Proc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "fogbench-answer-")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(answer); err != nil {
		return nil, err
	}
	f.Close()
	addr, err := peer.FreeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-bare", addr, "-bare-type", ctype, "-bare-answer", f.Name())
	return peer.Command(cmd, "http://"+addr, "/", true)
}

// serveBare is the bare server's main.
func serveBare(addr, ctype, answerFile string) {
	answer, err := os.ReadFile(answerFile)
	if err != nil {
		log.Fatal(err)
	}
	size := strconv.Itoa(len(answer))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", size)
		w.Header().Set("X-Amzn-Requestid", "00000000-0000-0000-0000-000000000000")
		w.Write(answer)
	})
	log.Fatal(http.ListenAndServe(addr, h))
}

func (r *report) startup(bin string, runs int, withMoto bool) {
	var times []time.Duration
	var rss int64
	for i := range runs {
		p, err := peer.Fogbank(bin, extraArgs...)
		if err != nil {
			log.Fatalf("fogbench: start %d: %v", i, err)
		}
		times = append(times, p.Started)
		if i == runs-1 {
			time.Sleep(time.Second)
			rss = p.RSS()
		}
		p.Stop()
	}
	r.starts = append(r.starts, summarize("fogbank --memory", times, rss, ""))

	if withMoto {
		var mtimes []time.Duration
		var mrss int64
		const motoRuns = 3 // moto takes seconds to start: fewer runs
		for i := range motoRuns {
			p, err := peer.Moto()
			if err != nil {
				log.Printf("fogbench: moto start not measured: %v", err)
				return
			}
			mtimes = append(mtimes, p.Started)
			if i == motoRuns-1 {
				time.Sleep(time.Second)
				mrss = p.RSS()
			}
			p.Stop()
		}
		r.starts = append(r.starts, summarize("moto server (peer)", mtimes, mrss, "ready = first HTTP answer from /moto-api/"))
	}
}

func summarize(name string, ts []time.Duration, rss int64, note string) startRow {
	return startRow{server: name, runs: len(ts), median: benchkit.Median(ts), min: slices.Min(ts), max: slices.Max(ts), rss: rss, note: note}
}

// summary is the median rate and median CPU per request of rs, and their
// non-200 answers added up.
func summary(rs []run) run {
	var rates, cpus []float64
	var bad int64
	for _, r := range rs {
		rates = append(rates, r.rate)
		cpus = append(cpus, float64(r.cpu))
		bad += r.bad
	}
	return run{rate: benchkit.Median(rates), cpu: time.Duration(benchkit.Median(cpus)), bad: bad}
}

func (r *report) write(w io.Writer, bin, commit string) {
	fmt.Fprintf(w, "# Fogbank benchmarks\n\n")
	fmt.Fprintf(w, "Made by `bash bench/run.sh` on %s.\n\n", benchkit.Stamp())
	fmt.Fprintf(w, "- machine: %s\n", benchkit.Machine())
	fmt.Fprintf(w, "- fogbank: %s\n", describe(bin, commit))
	fmt.Fprintf(w, "- load average before / after the run: %s / %s (a shared machine makes absolute rates noisy; ratios less so)\n\n", r.loadavg, benchkit.LoadAvg())

	fmt.Fprintf(w, "## Router + codec throughput\n\n")
	fmt.Fprintf(w, "STS GetCallerIdentity over the query protocol: pre-built raw HTTP requests, keep-alive, from N\n")
	fmt.Fprintf(w, "concurrent workers in one process on loopback; the load generator shares the machine's cores with the\n")
	fmt.Fprintf(w, "server. \"Bare net/http\" is a handler that returns the same bytes fogbank answered: the ceiling.\n")
	fmt.Fprintf(w, "Fogbank runs with default flags (plus --memory), so each request also writes its log line. Median of the\n")
	fmt.Fprintf(w, "runs; each run is a few seconds.\n\n")
	fmt.Fprintf(w, "The ratio is the median of the ratios of back-to-back runs, with their range.\n\n")
	fmt.Fprintf(w, "The \"log warn\" columns are the same binary with --log-level warn: no line per request.\n\n")
	fmt.Fprintf(w, "| workers | fogbank req/s | bare net/http req/s | fogbank / bare | fogbank, log warn, req/s | log warn / bare | moto req/s (peer) | notes |\n")
	fmt.Fprintf(w, "|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, t := range r.tput {
		moto := "—"
		if t.moto.rate > 0 {
			moto = fmt.Sprintf("%.0f", t.moto.rate)
		}
		var notes []string
		for _, x := range []struct {
			name string
			bad  int64
		}{{"fogbank", t.fogbank.bad}, {"log warn", t.quiet.bad}, {"bare", t.bare.bad}, {"moto", t.moto.bad}} {
			if x.bad > 0 {
				notes = append(notes, fmt.Sprintf("%s: %d failed or non-200", x.name, x.bad))
			}
		}
		fmt.Fprintf(w, "| %d | %.0f | %.0f | %s | %.0f | %s | %s | %s |\n", t.workers, t.fogbank.rate, t.bare.rate,
			benchkit.Spread(t.ratios), t.quiet.rate, benchkit.Spread(t.quietRatios), moto, strings.Join(notes, "; "))
	}

	fmt.Fprintf(w, "\n### Server CPU per request\n\n")
	fmt.Fprintf(w, "CPU time (user + system, from /proc/<pid>/stat) the server process spent per answered request during\n")
	fmt.Fprintf(w, "the same runs, median. It depends far less on the machine's other load than the rates above do.\n\n")
	fmt.Fprintf(w, "| workers | fogbank µs | fogbank, log warn, µs | bare net/http µs | bare / fogbank | moto µs (peer) |\n")
	fmt.Fprintf(w, "|---:|---:|---:|---:|---:|---:|\n")
	for _, t := range r.tput {
		moto := "—"
		if t.moto.cpu > 0 {
			moto = us(t.moto.cpu)
		}
		eff := benchkit.RatioCell(float64(t.bare.cpu), float64(t.fogbank.cpu))
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s |\n", t.workers, us(t.fogbank.cpu), us(t.quiet.cpu), us(t.bare.cpu), eff, moto)
	}
	fmt.Fprintf(w, "\n## Start to healthy, idle memory\n\n")
	fmt.Fprintf(w, "From just before exec to the first 200 from `GET /_fogbank/health` (polled every millisecond);\n")
	fmt.Fprintf(w, "VmRSS read from /proc/<pid>/status one second after the last start.\n\n")
	fmt.Fprintf(w, "| server | runs | median | min | max | idle RSS | notes |\n")
	fmt.Fprintf(w, "|---|---:|---:|---:|---:|---:|---|\n")
	for _, s := range r.starts {
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %.1f MiB | %s |\n", s.server, s.runs,
			ms(s.median), ms(s.min), ms(s.max), float64(s.rss)/(1<<20), s.note)
	}
}

func us(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Nanoseconds())/1000) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// describe names the binary: its commit (given, else from the build info)
// and size.
func describe(bin, commit string) string {
	size := ""
	if st, err := os.Stat(bin); err == nil {
		size = fmt.Sprintf(", %.1f MiB binary", float64(st.Size())/(1<<20))
	}
	if commit != "" {
		return "commit " + commit + size
	}
	out, _ := exec.Command("go", "version", "-m", bin).Output()
	var rev, dirty string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "build" {
			switch {
			case strings.HasPrefix(f[1], "vcs.revision="):
				rev = strings.TrimPrefix(f[1], "vcs.revision=")
			case f[1] == "vcs.modified=true":
				dirty = " (with uncommitted changes)"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "commit not recorded in the binary" + size
	}
	return "commit " + rev + dirty + size
}
