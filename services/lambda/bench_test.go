package lambda_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// Benchmarks of the performance section, run with
//
//	go test ./services/lambda -run '^$' -bench . -benchtime 200x
//
// BenchmarkColdStart reports create → first response per runtime, each
// function with code of its own (the create's answer, then the invoke);
// BenchmarkWarmInvoke is a no-op invoke through aws-sdk-go-v2 at 1 and 16
// concurrent callers.

func goBootstrap(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	// Stripped, as deployment packages usually are.
	cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", filepath.Join(dir, "bootstrap"), "./testdata/gofn")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the Go function: %v\n%s", err, out)
	}
	bin, err := os.ReadFile(filepath.Join(dir, "bootstrap"))
	if err != nil {
		b.Fatal(err)
	}
	return string(bin)
}

type benchRuntime struct {
	name, runtime, handler string
	files                  map[string]string
}

func benchRuntimes(b *testing.B) []benchRuntime {
	return []benchRuntime{
		{"go", "provided.al2023", "bootstrap", map[string]string{"bootstrap": goBootstrap(b)}},
		{"python", "python3.11", "handler.handler", map[string]string{"handler.py": "def handler(e, c):\n    return e\n"}},
		{"node", "nodejs20.x", "index.handler", map[string]string{"index.js": "exports.handler = async (e) => e;\n"}},
	}
}

func BenchmarkColdStart(b *testing.B) {
	ctx := context.Background()
	for _, rt := range benchRuntimes(b) {
		b.Run(rt.name, func(b *testing.B) {
			srv := fogbanktestStart(b)
			c := lambda.NewFromConfig(srv.AWSConfig())
			var total, create, first time.Duration
			var size int
			for i := range b.N {
				name := fmt.Sprintf("cold-%d", i)
				// Code of its own (a marker file), so every create unpacks.
				files := maps.Clone(rt.files)
				files["marker"] = name
				b.StopTimer()
				code := zipOf(b, files)
				size = len(code)
				b.StartTimer()
				start := time.Now()
				if _, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: types.Runtime(rt.runtime),
					Role: aws.String(role), Handler: aws.String(rt.handler), Code: &types.FunctionCode{ZipFile: code}}); err != nil {
					b.Fatal(err)
				}
				created := time.Now()
				out, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{}`)})
				if err != nil || out.FunctionError != nil {
					b.Fatalf("invoke: %v %s", err, out.Payload)
				}
				total += time.Since(start)
				create += created.Sub(start)
				first += time.Since(created)
				if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms/cold-start")
			b.ReportMetric(float64(create.Microseconds())/float64(b.N)/1000, "ms/create")
			b.ReportMetric(float64(first.Microseconds())/float64(b.N)/1000, "ms/first-invoke")
			b.ReportMetric(float64(size)/1e6, "MB-zip")
		})
	}
}

func BenchmarkWarmInvoke(b *testing.B) {
	ctx := context.Background()
	for _, rt := range benchRuntimes(b)[:1] {
		for _, par := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/callers=%d", rt.name, par), func(b *testing.B) {
				srv := fogbanktestStart(b)
				c := lambda.NewFromConfig(srv.AWSConfig())
				if _, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("warm"), Runtime: types.Runtime(rt.runtime),
					Role: aws.String(role), Handler: aws.String(rt.handler), Code: &types.FunctionCode{ZipFile: zipOf(b, rt.files)}}); err != nil {
					b.Fatal(err)
				}
				srv.Advance(b, time.Second)
				for range par { // one warm environment per caller
					if _, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("warm")}); err != nil {
						b.Fatal(err)
					}
				}
				b.SetParallelism(par)
				b.ResetTimer()
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("warm"), Payload: []byte(`{}`)}); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "invokes/s")
			})
		}
	}
}
