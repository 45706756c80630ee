// A Lambda function built with github.com/aws/aws-lambda-go, run as a provided.al2023 bootstrap
// by the engine's tests. The event's "op" picks a behaviour.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Op    string `json:"op"`
	Msg   string `json:"msg"`
	MB    int    `json:"mb"`
	Ms    int    `json:"ms"`
	Bytes int    `json:"bytes"`
}

var coldStarts int

func init() { coldStarts++ }

func handle(ctx context.Context, e event) (any, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	switch e.Op {
	case "echo":
		return e, nil
	case "print":
		fmt.Println("hello from go:", e.Msg)
		fmt.Fprintln(os.Stderr, "to stderr:", e.Msg)
		return "printed", nil
	case "error":
		return nil, errors.New(e.Msg)
	case "sleep":
		time.Sleep(time.Duration(e.Ms) * time.Millisecond)
		return "slept", nil
	case "exit":
		os.Exit(3)
	case "mem":
		b := make([]byte, e.MB<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		return len(b), nil
	case "spam":
		line := strings.Repeat("s", 99)
		for n := 0; n < e.Bytes; n += 100 {
			fmt.Println(line)
		}
		return "spammed", nil
	case "big":
		return strings.Repeat("x", e.Bytes), nil
	case "reader":
		return io.Reader(strings.NewReader("raw " + e.Msg)), nil
	case "fill":
		// Writes MB mebibytes to the temp dir (EphemeralStorage), then removes them.
		path := filepath.Join(os.TempDir(), "fill")
		defer os.Remove(path)
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		chunk := make([]byte, 1<<20)
		for i := 0; i < e.MB; i++ {
			if _, err := f.Write(chunk); err != nil {
				return nil, err
			}
		}
		if err := f.Sync(); err != nil {
			return nil, err
		}
		return "filled", nil
	case "env":
		env := map[string]string{}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		cwd, _ := os.Getwd()
		env["PWD"] = cwd
		return env, nil
	case "ctx":
		dl, _ := ctx.Deadline()
		out := map[string]any{
			"requestId":   lc.AwsRequestID,
			"arn":         lc.InvokedFunctionArn,
			"remainingMs": time.Until(dl).Milliseconds(),
			"cognito":     lc.Identity.CognitoIdentityID,
			"client":      lc.ClientContext.Custom,
			"coldStarts":  coldStarts,
			"pid":         os.Getpid(),
			"trace":       ctx.Value("x-amzn-trace-id"),
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown op %q", e.Op)
}

func main() { lambda.Start(handle) }
