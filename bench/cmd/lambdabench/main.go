// Command lambdabench measures Lambda in the fogbank binary through aws-sdk-go-v2 and replaces
// the "## Lambda" section of bench/RESULTS.md (bash bench/run.sh runs it):
//
//   - cold start, per runtime (a Go provided.al2023 function built with aws-lambda-go as AWS's
//     docs build it, and stripped; Python 3.12, Node.js 20): CreateFunction → first successful
//     Invoke response with code the server has not seen (every cold start's zip differs), the
//     same again with code it has (Fogbank unpacks a package once per content), and the first
//     Invoke alone (a new environment: process start, runtime init, the invoke);
//   - warm invoke: round-trip latency of Invoke on a warm no-op, and the server-side part of it
//     that is not the handler (request → engine → Runtime API → response), per runtime;
//   - throughput: invokes/s of a warm no-op at 1 and 16 concurrent callers.
//
// moto's server is not measured: it runs functions only in Docker containers (LocalStack too).
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/fogbank/fogbank/bench/internal/benchkit"
	"github.com/fogbank/fogbank/bench/peer"
)

// runtimeCase is a function to measure. Its package is rebuilt per cold start around a
// distinct marker entry, so no two cold starts share code; the files are compressed once.
type runtimeCase struct {
	label, runtime, handler string
	files                   []packed
}

// packed is a zip entry compressed once, written raw into every package built from it.
type packed struct {
	hdr  zip.FileHeader
	data []byte
}

func main() {
	var (
		bin      = flag.String("fogbank", "", "fogbank binary")
		gofn     = flag.String("gofn", "./services/lambda/testdata/gofn", "Go function package built as the provided.al2023 bootstrap (aws-lambda-go)")
		colds    = flag.Int("cold", 10, "cold starts measured per runtime (median kept)")
		warmN    = flag.Int("warm", 500, "sequential warm invokes measured per runtime")
		duration = flag.Duration("duration", 3*time.Second, "length of each throughput phase")
		commit   = flag.String("commit", "", "the commit the binary was built from, for the report")
		out      = flag.String("out", "", "replace the ## Lambda section of this file (default stdout)")
	)
	flag.Parse()
	if *bin == "" {
		log.Fatal("lambdabench: -fogbank is required")
	}
	cases, err := functions(*gofn)
	if err != nil {
		log.Fatalf("lambdabench: %v", err)
	}
	loadBefore := benchkit.LoadAvg()
	srv, err := peer.Fogbank(*bin, "--log-level", "error")
	if err != nil {
		log.Fatalf("lambdabench: starting fogbank: %v", err)
	}
	defer srv.Stop()
	client := lambda.New(lambda.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDBENCH", "secret", ""),
	})
	ctx := context.Background()

	var rows []row
	for _, c := range cases {
		r := row{label: c.label}
		if err := measureCold(ctx, client, c, *colds, &r); err != nil {
			log.Fatalf("lambdabench: %s cold start: %v\n%s", c.label, err, srv.Log())
		}
		code, err := zipOf(c, "warm")
		if err != nil {
			log.Fatalf("lambdabench: %v", err)
		}
		name, err := create(ctx, client, c, code, "warm")
		if err != nil {
			log.Fatalf("lambdabench: %v", err)
		}
		if err := measureWarm(ctx, client, name, *warmN, &r); err != nil {
			log.Fatalf("lambdabench: %s warm: %v", c.label, err)
		}
		for _, callers := range []int{1, 16} {
			n, err := throughput(ctx, client, name, callers, *duration)
			if err != nil {
				log.Fatalf("lambdabench: %s throughput: %v", c.label, err)
			}
			r.rate = append(r.rate, n)
		}
		rows = append(rows, r)
		log.Printf("lambdabench: %s done", c.label)
	}
	report := render(rows, *commit, loadBefore, benchkit.LoadAvg(), *colds, *warmN, *duration)
	if *out == "" {
		fmt.Print(report)
		return
	}
	if err := benchkit.WriteSection(*out, report); err != nil {
		log.Fatalf("lambdabench: %v", err)
	}
	fmt.Print(report)
}

type row struct {
	label               string
	createToFirst, cold time.Duration // medians; code new to the server
	createSeen          time.Duration // median create → first response, code seen before
	warmP50, warmP99    time.Duration
	warmServer          time.Duration // median round trip minus the handler's reported Duration
	rate                []float64     // invokes/s at 1, 16 callers
}

// functions builds the Go bootstrap twice — as AWS's documentation builds it
// (`go build -tags lambda.norpc`) and stripped (`-ldflags=-s -w`, the usual advice for smaller
// packages) — and packs the three runtimes' no-op-capable functions.
func functions(gofn string) ([]runtimeCase, error) {
	dir, err := os.MkdirTemp("", "lambdabench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var cases []runtimeCase
	for _, b := range []struct{ label, flags string }{{"", ""}, {", stripped", "-s -w"}} {
		boot := filepath.Join(dir, "bootstrap")
		cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-ldflags="+b.flags, "-o", boot, gofn)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("building %s: %v\n%s", gofn, err, out)
		}
		bin, err := os.ReadFile(boot)
		if err != nil {
			return nil, err
		}
		f, err := pack("bootstrap", bin, 0o755)
		if err != nil {
			return nil, err
		}
		label := fmt.Sprintf("Go (provided.al2023, aws-lambda-go%s: %.1f MB binary, %.1f MB zip)", b.label, float64(len(bin))/1e6, float64(len(f.data))/1e6)
		cases = append(cases, runtimeCase{label, "provided.al2023", "bootstrap", []packed{f}})
	}
	py, err := pack("app.py", []byte("def handler(event, context):\n    return event\n"), 0o644)
	if err != nil {
		return nil, err
	}
	node, err := pack("index.js", []byte("exports.handler = async (event) => event;\n"), 0o644)
	if err != nil {
		return nil, err
	}
	return append(cases,
		runtimeCase{"Python 3.12", "python3.12", "app.handler", []packed{py}},
		runtimeCase{"Node.js 20", "nodejs20.x", "index.handler", []packed{node}},
	), nil
}

// pack compresses one file as a zip entry.
func pack(name string, content []byte, mode os.FileMode) (packed, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	h.SetMode(mode)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return packed{}, err
	}
	if _, err := w.Write(content); err != nil {
		return packed{}, err
	}
	if err := zw.Close(); err != nil {
		return packed{}, err
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return packed{}, err
	}
	f := zr.File[0]
	off, err := f.DataOffset()
	if err != nil {
		return packed{}, err
	}
	return packed{hdr: f.FileHeader, data: buf.Bytes()[off : off+int64(f.CompressedSize64)]}, nil
}

// zipOf is rc's package with a marker entry naming tag first, so each tag's package has
// content (and a SHA-256) of its own.
func zipOf(rc runtimeCase, tag string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "lambdabench-" + tag, Method: zip.Store})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write([]byte(tag)); err != nil {
		return nil, err
	}
	for _, f := range rc.files {
		h := f.hdr
		w, err := zw.CreateRaw(&h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var seq atomic.Int64

func create(ctx context.Context, c *lambda.Client, rc runtimeCase, code []byte, tag string) (string, error) {
	name := fmt.Sprintf("bench-%s-%s-%d", strings.ReplaceAll(rc.runtime, ".", "-"), tag, seq.Add(1))
	_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name),
		Runtime:      types.Runtime(rc.runtime),
		Handler:      aws.String(rc.handler),
		Role:         aws.String("arn:aws:iam::000000000000:role/bench"),
		Code:         &types.FunctionCode{ZipFile: code},
		MemorySize:   aws.Int32(128),
		Timeout:      aws.Int32(10),
	})
	if err != nil {
		return "", fmt.Errorf("CreateFunction %s: %w", name, err)
	}
	return name, nil
}

// invokeWhenReady invokes name, retrying while the function is still Pending; it returns the
// duration of the successful Invoke call.
func invokeWhenReady(ctx context.Context, c *lambda.Client, name string) (time.Duration, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		t := time.Now()
		out, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"op":"echo"}`)})
		d := time.Since(t)
		var conflict *types.ResourceConflictException
		switch {
		case err == nil && out.FunctionError != nil:
			return 0, fmt.Errorf("%s: function error %s: %s", name, *out.FunctionError, out.Payload)
		case err == nil:
			return d, nil
		case errors.As(err, &conflict) && time.Now().Before(deadline):
			time.Sleep(2 * time.Millisecond)
		default:
			return 0, fmt.Errorf("Invoke %s: %w", name, err)
		}
	}
}

// measureCold creates n functions with code of their own and n more with code already seen,
// each invoked until it answers and deleted.
func measureCold(ctx context.Context, c *lambda.Client, rc runtimeCase, n int, r *row) error {
	var fresh, seen, first []time.Duration
	coldStart := func(code []byte, total *[]time.Duration, firsts *[]time.Duration) error {
		t := time.Now()
		name, err := create(ctx, c, rc, code, "cold")
		if err != nil {
			return err
		}
		d, err := invokeWhenReady(ctx, c, name)
		if err != nil {
			return err
		}
		*total = append(*total, time.Since(t))
		if firsts != nil {
			*firsts = append(*firsts, d)
		}
		if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name)}); err != nil {
			return fmt.Errorf("DeleteFunction: %w", err)
		}
		return nil
	}
	for i := 0; i < n; i++ {
		code, err := zipOf(rc, fmt.Sprintf("cold-%d-%d", time.Now().UnixNano(), i))
		if err != nil {
			return err
		}
		if err := coldStart(code, &fresh, &first); err != nil {
			return err
		}
		if err := coldStart(code, &seen, nil); err != nil {
			return err
		}
	}
	r.createToFirst, r.createSeen, r.cold = benchkit.Median(fresh), benchkit.Median(seen), benchkit.Median(first)
	return nil
}

func measureWarm(ctx context.Context, c *lambda.Client, name string, n int, r *row) error {
	if _, err := invokeWhenReady(ctx, c, name); err != nil {
		return err
	}
	lat := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		t := time.Now()
		out, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"op":"echo"}`)})
		if err != nil {
			return err
		}
		if out.FunctionError != nil {
			return fmt.Errorf("function error: %s", out.Payload)
		}
		lat = append(lat, time.Since(t))
	}
	r.warmP50, r.warmP99 = benchkit.Percentile(lat, 50), benchkit.Percentile(lat, 99)
	// The server-side share: what the REPORT line says the handler took, from a Tail invoke.
	var inside []time.Duration
	for i := 0; i < 50; i++ {
		t := time.Now()
		out, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"op":"echo"}`), LogType: types.LogTypeTail})
		rt := time.Since(t)
		if err != nil {
			return err
		}
		if d, ok := reportDuration(aws.ToString(out.LogResult)); ok {
			inside = append(inside, rt-d)
		}
	}
	if len(inside) > 0 {
		r.warmServer = benchkit.Median(inside)
	}
	return nil
}

func throughput(ctx context.Context, c *lambda.Client, name string, callers int, d time.Duration) (float64, error) {
	// Warm up as many environments as callers first.
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"op":"echo"}`)}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return 0, err
	default:
	}
	var count atomic.Int64
	stop := time.Now().Add(d)
	start := time.Now()
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				out, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"op":"echo"}`)})
				if err != nil || out.FunctionError != nil {
					select {
					case errs <- fmt.Errorf("invoke: %v", err):
					default:
					}
					return
				}
				count.Add(1)
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return 0, err
	default:
	}
	return float64(count.Load()) / time.Since(start).Seconds(), nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

func render(rows []row, commit, loadBefore, loadAfter string, colds, warmN int, dur time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Lambda\n\n")
	fmt.Fprintf(&b, "`lambdabench` (bench/cmd/lambdabench) at %s, %s, through aws-sdk-go-v2 against the fogbank binary (`serve --memory`), functions run as local processes by internal/lambdaruntime. Load average before/after: %s / %s (2 cores shared with other developers' builds and tests).\n\n",
		commit, benchkit.Stamp(), loadBefore, loadAfter)
	fmt.Fprintf(&b, "| function | create → first response, new code | same, code seen before | first invoke (cold env) | warm invoke p50 | warm p99 | warm, not the handler | invokes/s, 1 caller | invokes/s, 16 callers |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s ms | %s ms | %s ms | %s ms | %s ms | %s ms | %.0f | %.0f |\n",
			r.label, ms(r.createToFirst), ms(r.createSeen), ms(r.cold), ms(r.warmP50), ms(r.warmP99), ms(r.warmServer), r.rate[0], r.rate[1])
	}
	fmt.Fprintf(&b, "\nMedians of %d cold starts per runtime and kind (each a new function, deleted after); %d sequential warm invokes; throughput phases of %s. ", colds, warmN, dur)
	fmt.Fprintf(&b, "\"create → first response\" is CreateFunction (the zip uploaded in the request) then Invoke until the first answer (retried every 2 ms on ResourceConflictException, which a function still Pending would get; Fogbank's are Active for the next request). With **new code** every package differs (a marker entry), so the server hashes, keeps and unpacks it: for a Go binary, inflating the zip is most of that time. With **code seen before** the same package is created again under a new name, as test suites do, and Fogbank reuses the unpacked copy it keeps per content SHA-256. \"first invoke\" is the successful Invoke call of the new-code case: environment start, runtime init and the invoke. \"warm, not the handler\" is the Invoke round trip minus the Duration of the REPORT line (LogType Tail): SDK, HTTP, control plane and the engine's Runtime API hand-over.\n\n")
	fmt.Fprintf(&b, "Against issue 6's targets (warm overhead < 1 ms; cold start, create → first response, < 50 ms Go, < 300 ms Python/Node):\n\n")
	for _, r := range rows {
		limit := 300 * time.Millisecond
		if strings.HasPrefix(r.label, "Go") {
			limit = 50 * time.Millisecond
		}
		fmt.Fprintf(&b, "- %s: cold start %s ms with new code **%s**, %s ms with code seen before **%s** (target %d ms); first invoke alone %s ms; warm overhead %s ms **%s**\n",
			r.label, ms(r.createToFirst), met(r.createToFirst < limit), ms(r.createSeen), met(r.createSeen < limit), limit.Milliseconds(), ms(r.cold), ms(r.warmServer), met(r.warmServer < time.Millisecond))
	}
	fmt.Fprintf(&b, "\nmoto's server is not measured: it runs Lambda functions only inside Docker containers, from images it pulls from Docker Hub (`mlupin/docker-lambda`), and this machine reaches no registry (dockerd is installed, but an image cannot be pulled); LocalStack likewise needs Docker and its images. Fogbank needs neither. LocalStack reports about 600 ms cold and 10 ms warm with Docker.\n\n")
	return b.String()
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}

// reportDuration parses "Duration: x ms" from a base64 Tail log.
func reportDuration(b64 string) (time.Duration, bool) {
	raw, err := decodeB64(b64)
	if err != nil {
		return 0, false
	}
	i := strings.Index(raw, "\tDuration: ")
	if i < 0 {
		return 0, false
	}
	var v float64
	if _, err := fmt.Sscanf(raw[i+len("\tDuration: "):], "%f ms", &v); err != nil {
		return 0, false
	}
	return time.Duration(v * float64(time.Millisecond)), true
}

func decodeB64(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	return string(b), err
}
