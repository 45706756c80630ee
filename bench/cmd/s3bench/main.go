// Command s3bench measures S3 side by side and replaces the "## S3"
// section of bench/RESULTS.md (appending it when absent; other sections are
// left as they are):
//
//   - PUT and GET throughput (MiB/s and requests/s) for 1 KiB, 1 MiB and
//     100 MiB objects at 1 and 16 concurrent aws-sdk-go-v2 clients (path
//     style, UNSIGNED-PAYLOAD and no client-side checksum, so the client's
//     hashing does not bound the figures);
//   - the server's peak RSS (VmHWM of /proc/<pid>/status) across one 1 GiB
//     PutObject, on a server started for it alone, the body streamed from a
//     generator (never in the client's memory);
//   - for Fogbank --memory (filling 100,000 keys durably, each PUT fsynced,
//     would take minutes), ListObjectsV2 over a bucket of 100,000 keys: one
//     page from the middle, and a full walk in pages of 1,000.
//
// Servers: Fogbank durable (its default: on disk, fsync before answering),
// Fogbank --memory, and moto (python3 -m moto.server) with -moto. Every
// cell is bounded in time (one minute), and a cell that passes its deadline
// is reported as such.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/fogbank/fogbank/bench/internal/benchkit"
	"github.com/fogbank/fogbank/bench/peer"
)

const (
	kib = 1 << 10
	mib = 1 << 20
	gib = 1 << 30
)

type size struct {
	name  string
	bytes int64
}

var sizes = []size{{"1 KiB", kib}, {"1 MiB", mib}, {"100 MiB", 100 * mib}}

// result is one phase: operations and bytes over the elapsed time.
type result struct {
	ops, errs int
	bytes     int64
	elapsed   time.Duration
	note      string
	lastErr   error
}

func (r result) String() string {
	if r.note != "" {
		return r.note
	}
	if r.ops == 0 {
		return "failed: " + benchkit.FirstLine(fmt.Sprint(r.lastErr))
	}
	s := fmt.Sprintf("%.1f MiB/s (%.0f req/s)", float64(r.bytes)/mib/r.elapsed.Seconds(), float64(r.ops)/r.elapsed.Seconds())
	if r.errs > 0 {
		s += fmt.Sprintf(", %d errors", r.errs)
	}
	return s
}

type target struct {
	name  string
	start func() (*peer.Proc, error)
	moto  bool
	proc  *peer.Proc
	err   string
	cells map[string]result // "PUT 1 MiB 16"
	rss   string            // peak RSS across the 1 GiB upload
	list  string
}

func main() {
	var (
		fogbankBin = flag.String("fogbank", "", "fogbank binary")
		withMoto   = flag.Bool("moto", false, "also measure moto's server")
		duration   = flag.Duration("duration", 1500*time.Millisecond, "length of each small-object phase")
		listKeys   = flag.Int("list-keys", 100000, "keys in the listing bucket (0: skip)")
		commit     = flag.String("commit", "", "the commit measured, for the report")
		out        = flag.String("out", "", "replace the \"## S3\" section of this file (default: print)")
	)
	flag.Parse()
	dir, err := os.MkdirTemp("", "s3bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var ts []*target
	for _, s := range peer.Lineup(*fogbankBin, dir, *withMoto, "--log-level", "error") {
		ts = append(ts, &target{name: s.Name, start: s.Start, moto: s.Moto})
	}
	body := make([]byte, 100*mib)
	for i := range body {
		body[i] = byte(i*7 + i>>11)
	}
	load := benchkit.LoadAvg()
	for _, t := range ts {
		t.cells = map[string]result{}
		p, err := t.start()
		if err != nil {
			t.err = "did not start: " + benchkit.FirstLine(err.Error())
			log.Printf("%s: %s", t.name, t.err)
			continue
		}
		t.proc = p
		throughput(t, body, *duration)
		if *listKeys > 0 && t.name == "fogbank --memory" {
			t.list = listing(p.URL, *listKeys)
			log.Printf("%s: list: %s", t.name, t.list)
		}
		p.Stop()
		// Peak RSS needs a server that has done nothing else.
		if p, err := t.start(); err != nil {
			t.rss = "did not start: " + benchkit.FirstLine(err.Error())
		} else {
			t.rss = peakRSS(p, t.moto)
			p.Stop()
		}
		log.Printf("%s: peak RSS across a 1 GiB PUT: %s", t.name, t.rss)
	}
	section := report(ts, *commit, load, *duration, *listKeys)
	if *out == "" {
		fmt.Print(section)
		return
	}
	if err := benchkit.WriteSection(*out, section); err != nil {
		log.Fatal(err)
	}
}

// client is an aws-sdk-go-v2 S3 client for url with n idle connections,
// sending UNSIGNED-PAYLOAD and no checksum, so that the client does not
// hash the bodies it streams.
func client(url string, n int) *s3.Client {
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 2*n+8, 2*n+8
	}).WithTimeout(5 * time.Minute)
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:  hc,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.RateLimiter = ratelimit.None })
		},
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(url)
		o.UsePathStyle = true
		o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
	})
}

func throughput(t *target, body []byte, d time.Duration) {
	for _, sz := range sizes {
		for _, n := range []int{1, 16} {
			bucket := fmt.Sprintf("tput-%d-%d", sz.bytes, n)
			c := client(t.proc.URL, n)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})
			cancel()
			for _, op := range []string{"PUT", "GET"} {
				key := fmt.Sprintf("%s %s %d", op, sz.name, n)
				var r result
				switch {
				case err != nil:
					r = result{lastErr: err}
				default:
					r = phase(c, bucket, op, body[:sz.bytes], n, d, sz.bytes >= 100*mib)
				}
				t.cells[key] = r
				log.Printf("%-16s %-4s %-8s %2d clients: %s", t.name, op, sz.name, n, r)
			}
		}
	}
}

// phase runs op (PUT or GET) with n workers for about d; a large-object
// phase instead runs exactly one request per worker. GET reads the objects
// the PUT phase wrote (keys w-0…), whole, and discards them.
func phase(c *s3.Client, bucket, op string, body []byte, n int, d time.Duration, once bool) result {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var ops, errs atomic.Int64
	var nbytes atomic.Int64
	var mu sync.Mutex
	var lastErr error
	stop := time.Now().Add(d)
	begin := time.Now()
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if once && i == 1 || !once && time.Now().After(stop) || ctx.Err() != nil {
					return
				}
				key := fmt.Sprintf("w-%d-%d", w, i%64)
				var err error
				var got int64
				if op == "PUT" {
					_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body)))})
					got = int64(len(body))
				} else {
					var out *s3.GetObjectOutput
					if out, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String(fmt.Sprintf("w-%d-0", w))}); err == nil {
						got, err = io.Copy(io.Discard, out.Body)
						out.Body.Close()
					}
				}
				if err != nil {
					errs.Add(1)
					mu.Lock()
					lastErr = err
					mu.Unlock()
					continue
				}
				ops.Add(1)
				nbytes.Add(got)
			}
		}()
	}
	wg.Wait()
	r := result{ops: int(ops.Load()), errs: int(errs.Load()), bytes: nbytes.Load(), elapsed: time.Since(begin), lastErr: lastErr}
	if ctx.Err() != nil {
		r.note = fmt.Sprintf("passed its 1 minute deadline after %d requests", r.ops)
	}
	return r
}

// generated is a seekable body of n bytes produced on the fly.
type generated struct{ n int64 }

func (g generated) ReadAt(p []byte, off int64) (int, error) {
	if off >= g.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), g.n-off)
	for i := range k {
		p[i] = byte(off + i)
	}
	if off+k == g.n {
		return int(k), io.EOF
	}
	return int(k), nil
}

// peakRSS PUTs 1 GiB in one request to a fresh server and answers its
// VmHWM (the peak resident set since it started) with the time taken.
func peakRSS(p *peer.Proc, moto bool) string {
	c := client(p.URL, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("rss")}); err != nil {
		return "failed: " + benchkit.FirstLine(err.Error())
	}
	before := p.HWM()
	start := time.Now()
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("rss"), Key: aws.String("one-gib"),
		Body: io.NewSectionReader(generated{gib}, 0, gib), ContentLength: aws.Int64(gib)})
	took := time.Since(start)
	peak := p.HWM()
	if err != nil {
		return fmt.Sprintf("upload failed after %.0f s (%s); peak %s", took.Seconds(), benchkit.FirstLine(err.Error()), mibs(peak))
	}
	return fmt.Sprintf("%s (%s before; upload %.1f s)", mibs(peak), mibs(before), took.Seconds())
}

func mibs(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/mib) }

// listing fills a bucket with n keys (32 writers, empty bodies) and times
// ListObjectsV2: pages of 1,000 from the middle (StartAfter), and a full
// walk of every page.
func listing(url string, n int) string {
	c := client(url, 32)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b := aws.String("listing")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b}); err != nil {
		return "failed: " + benchkit.FirstLine(err.Error())
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	fill := time.Now()
	var failed atomic.Value
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				k := fmt.Sprintf("dir-%03d/key-%07d", i%100, i)
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: &k, Body: bytes.NewReader(nil)}); err != nil {
					failed.Store(err)
				}
			}
		}()
	}
	wg.Wait()
	fillTook := time.Since(fill)
	if err, _ := failed.Load().(error); err != nil {
		return "fill failed: " + benchkit.FirstLine(err.Error())
	}
	var pages []time.Duration
	for i := range 20 {
		start := time.Now()
		if _, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, StartAfter: aws.String(fmt.Sprintf("dir-%03d/", 40+i))}); err != nil {
			return "list failed: " + benchkit.FirstLine(err.Error())
		}
		pages = append(pages, time.Since(start))
	}
	start := time.Now()
	total, npages := 0, 0
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: b})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return "walk failed: " + benchkit.FirstLine(err.Error())
		}
		total += len(out.Contents)
		npages++
	}
	walk := time.Since(start)
	return fmt.Sprintf("one page of 1,000 from the middle: p50 %.1f ms; all %d keys in %d pages: %.2f s (filled at %.0f PUT/s)",
		float64(benchkit.Median(pages).Microseconds())/1000, total, npages, walk.Seconds(), float64(n)/fillTook.Seconds())
}

func report(ts []*target, commit, load string, d time.Duration, listKeys int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## S3\n\n")
	fmt.Fprintf(&b, "`bench/cmd/s3bench` (%s, %s; commit %s; load average before: %s, 2 cores shared with other developers' builds and tests). "+
		"aws-sdk-go-v2 clients (path style, UNSIGNED-PAYLOAD, no client-side checksum); small-object phases of %s, "+
		"100 MiB phases one request per client; GET reads what PUT wrote. Fogbank durable fsyncs each body and its record before answering.\n\n",
		benchkit.Stamp(), benchkit.CPUs(), commit, load, d)
	b.WriteString("| server | op |")
	for _, sz := range sizes {
		for _, n := range []int{1, 16} {
			fmt.Fprintf(&b, " %s, %d client%s |", sz.name, n, map[bool]string{true: "s"}[n > 1])
		}
	}
	b.WriteString("\n|---|---|")
	for range 2 * len(sizes) {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, t := range ts {
		if t.err != "" {
			fmt.Fprintf(&b, "| %s | | %s |\n", t.name, t.err)
			continue
		}
		for _, op := range []string{"PUT", "GET"} {
			fmt.Fprintf(&b, "| %s | %s |", t.name, op)
			for _, sz := range sizes {
				for _, n := range []int{1, 16} {
					fmt.Fprintf(&b, " %s |", t.cells[fmt.Sprintf("%s %s %d", op, sz.name, n)])
				}
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\nPeak server RSS (VmHWM) across one 1 GiB PutObject, each on a server started for it:\n\n| server | peak RSS |\n|---|---|\n")
	for _, t := range ts {
		fmt.Fprintf(&b, "| %s | %s |\n", t.name, t.rss)
	}
	if listKeys > 0 {
		fmt.Fprintf(&b, "\nListObjectsV2 over %d keys (Fogbank walks an ordered key index, so a page costs its size; the durable mode lists from the same index; moto not measured):\n\n| server | listing |\n|---|---|\n", listKeys)
		for _, t := range ts {
			if t.list != "" {
				fmt.Fprintf(&b, "| %s | %s |\n", t.name, t.list)
			}
		}
	}
	return b.String()
}
