package lambdaruntime

import (
	"context"
	"testing"
	"time"
)

// BenchmarkWarmInvoke measures the engine's own cost of a warm invoke of a Go no-op (the
// handler itself takes microseconds): dispatch over the environment's Runtime API listener,
// response, log drain, REPORT line.
func BenchmarkWarmInvoke(b *testing.B) {
	e := New(Config{WorkDir: b.TempDir()})
	defer e.Close(context.Background())
	fn := benchFunction(b)
	ctx := context.Background()
	if _, err := e.Invoke(ctx, fn, Invocation{Payload: []byte(`{"op":"echo"}`)}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := e.Invoke(ctx, fn, Invocation{RequestID: "r", Payload: []byte(`{"op":"echo"}`)})
		if err != nil || res.FunctionError != "" {
			b.Fatal(err, string(res.Payload))
		}
	}
}

// BenchmarkColdStart measures starting a Go environment and its first invoke.
func BenchmarkColdStart(b *testing.B) {
	e := New(Config{WorkDir: b.TempDir()})
	defer e.Close(context.Background())
	fn := benchFunction(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := e.Invoke(ctx, fn, Invocation{RequestID: "r", Payload: []byte(`{"op":"echo"}`)})
		if err != nil || res.FunctionError != "" {
			b.Fatal(err, string(res.Payload))
		}
		e.Retire(fn.ARN)
	}
}

func benchFunction(b *testing.B) *Function {
	return &Function{
		ARN: "arn:aws:lambda:us-east-1:000000000000:function:bench:$LATEST", Name: "bench", Version: "$LATEST",
		Revision: "1", Runtime: "provided.al2023", Handler: "bootstrap", CodeDir: goFunction(b),
		MemoryMB: 128, Timeout: 10 * time.Second,
	}
}

// BenchmarkImageWarmInvoke and BenchmarkImageColdStart measure the same for a PackageType Image
// function (the Go test function in a FROM-scratch image) on the test binary's container engine.
func BenchmarkImageWarmInvoke(b *testing.B) { benchImage(b, false) }

func BenchmarkImageColdStart(b *testing.B) { benchImage(b, true) }

func benchImage(b *testing.B, cold bool) {
	host := containerHost(b)
	ref := testImage(b, host)
	e := New(Config{WorkDir: b.TempDir(), ContainerHost: host})
	defer e.Close(context.Background())
	fn := benchFunction(b)
	fn.ARN += "-image"
	fn.Runtime, fn.Handler, fn.CodeDir, fn.Image = "", "", "", &Image{URI: ref, Ref: ref}
	ctx := context.Background()
	if _, err := e.Invoke(ctx, fn, Invocation{Payload: []byte(`{"op":"echo"}`)}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if cold {
			e.Retire(fn.ARN)
		}
		res, err := e.Invoke(ctx, fn, Invocation{RequestID: "r", Payload: []byte(`{"op":"echo"}`)})
		if err != nil || res.FunctionError != "" {
			b.Fatal(err, string(res.Payload))
		}
	}
}
