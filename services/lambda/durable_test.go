package lambda_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/service"
	lambdasvc "github.com/fogbank/fogbank/services/lambda"
	s3svc "github.com/fogbank/fogbank/services/s3"
	"github.com/fogbank/fogbank/services/sqs"
	"github.com/fogbank/fogbank/services/sts"
)

// TestCodeFromS3 creates and updates a function from an S3 object (read
// in-process), answers a missing object as AWS does, and serves the zip at
// GetFunction's Code.Location.
func TestCodeFromS3(t *testing.T) {
	ctx := context.Background()
	srv := fogbanktest.Start(t)
	c := lambda.NewFromConfig(srv.AWSConfig())
	s := s3.NewFromConfig(srv.AWSConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("code")}); err != nil {
		t.Fatal(err)
	}
	code := zipOf(t, map[string]string{"handler.py": testdata(t, "py/handler.py")})
	if _, err := s.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("code"), Key: aws.String("fn.zip"), Body: bytes.NewReader(code)}); err != nil {
		t.Fatal(err)
	}
	out, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("froms3"), Runtime: types.RuntimePython311, Role: aws.String(role),
		Handler: aws.String("handler.handler"), Code: &types.FunctionCode{S3Bucket: aws.String("code"), S3Key: aws.String("fn.zip")}})
	if err != nil {
		t.Fatal(err)
	}
	if out.CodeSize != int64(len(code)) {
		t.Errorf("CodeSize %d, want %d", out.CodeSize, len(code))
	}
	srv.Advance(t, time.Second)
	if r := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("froms3"), Payload: []byte(`{"k":"v"}`)}); !strings.Contains(string(r.Payload), `"k": "v"`) {
		t.Errorf("invoke: %s", r.Payload)
	}
	// Recorded: test_lambda_code_location_s3_errors.
	_, err = c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("froms3"), S3Bucket: aws.String("code"), S3Key: aws.String("missing.zip")})
	wantErr(t, err, "InvalidParameterValueException", 400, "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.")
	_, err = c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("nobucket"), Runtime: types.RuntimePython311, Role: aws.String(role),
		Handler: aws.String("handler.handler"), Code: &types.FunctionCode{S3Bucket: aws.String("no-such-bucket"), S3Key: aws.String("fn.zip")}})
	wantErr(t, err, "InvalidParameterValueException", 400, "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist")

	g, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("froms3")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(aws.ToString(g.Code.Location))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, code) {
		t.Errorf("Code.Location %s: %d, %d bytes", aws.ToString(g.Code.Location), resp.StatusCode, len(got))
	}
}

// TestCodeSizeLimits: AWS's 50 MB zipped and 250 MB unzipped limits.
func TestCodeSizeLimits(t *testing.T) {
	ctx := context.Background()
	_, c := newClient(t)
	in := func(z []byte) *lambda.CreateFunctionInput {
		return &lambda.CreateFunctionInput{FunctionName: aws.String("big"), Runtime: types.RuntimePython311, Role: aws.String(role),
			Handler: aws.String("handler.handler"), Code: &types.FunctionCode{ZipFile: z}}
	}
	// 250 MiB of zeros deflate to about 250 KB.
	_, err := c.CreateFunction(ctx, in(zipOf(t, map[string]string{"handler.py": pyEcho, "zeros": string(make([]byte, 250<<20+1))})))
	wantErr(t, err, "InvalidParameterValueException", 400, "Unzipped size must be smaller than 262144000 bytes")
	_, err = c.CreateFunction(ctx, in(make([]byte, 50<<20+1)))
	wantErr(t, err, "RequestEntityTooLargeException", 413, "Zipped size must be smaller than 52428800 bytes")
	if l, err := c.ListFunctions(ctx, &lambda.ListFunctionsInput{}); err != nil || len(l.Functions) != 0 {
		t.Errorf("a refused create left a function: %v %v", err, l)
	}
}

// TestRestartAndInProcessInvoke: functions, versions and aliases survive a
// restart; an event queued through Service.InvokeAsync (what SNS and S3
// call) runs; a missing function is ResourceNotFoundException.
func TestRestartAndInProcessInvoke(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var svc *lambdasvc.Service
	opts := fogbanktest.WithOptions(func(o *fogbank.Options) {
		o.Memory, o.DataDir = false, dir
		o.Services = []service.Info{sts.Info, sqs.Info, s3svc.Info, {Name: "lambda", New: func(env service.Env) (service.Service, error) {
			s, err := lambdasvc.New(env)
			if err == nil {
				svc = s.(*lambdasvc.Service)
			}
			return s, err
		}}}
	})
	srv := fogbanktest.Start(t, opts)
	c := lambda.NewFromConfig(srv.AWSConfig())
	pyFunction(t, srv, c, "keep")
	if _, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("keep")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("keep"), Name: aws.String("a"), FunctionVersion: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	// A function URL keeps its id across the restart (its address follows
	// the server's).
	uc, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("keep"), Qualifier: aws.String("a"), AuthType: types.FunctionUrlAuthTypeNone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("keep"), Qualifier: aws.String("a"), StatementId: aws.String("url"),
		Action: aws.String("lambda:InvokeFunctionUrl"), Principal: aws.String("*"), FunctionUrlAuthType: types.FunctionUrlAuthTypeNone}); err != nil {
		t.Fatal(err)
	}
	urlID := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(uc.FunctionUrl), srv.URL()+"/_fogbank/lambda-url/"), "/")
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	// The zip is the durable copy of the code; its unpacked directory is a
	// cache, remade at start when it is gone.
	unpacked, _ := filepath.Glob(filepath.Join(dir, "lambda", "code", "[0-9a-f]*[0-9a-f]"))
	if len(unpacked) == 0 {
		t.Fatalf("no unpacked code under %s", dir)
	}
	for _, d := range unpacked {
		if err := os.RemoveAll(d); err != nil {
			t.Fatal(err)
		}
	}

	srv = fogbanktest.Start(t, opts)
	c = lambda.NewFromConfig(srv.AWSConfig())
	g, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("keep"), Qualifier: aws.String("a")})
	if err != nil || aws.ToString(g.Configuration.Version) != "1" || g.Configuration.State != types.StateActive {
		t.Fatalf("after restart: %v %+v", err, g)
	}
	resp, body := fetch(t, "POST", srv.URL()+"/_fogbank/lambda-url/"+urlID+"/", []byte(`{"op":"echo"}`), map[string]string{"Content-Type": "application/json"})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"version":"1"`) {
		t.Errorf("function URL after restart: %d %s", resp.StatusCode, body)
	}
	path := filepath.Join(t.TempDir(), "ran")
	id, err := svc.InvokeAsync(ctx, arn("keep")+":a", []byte(`{"op":"touch","path":"`+path+`"}`))
	if err != nil || id == "" {
		t.Fatalf("InvokeAsync: %q %v", id, err)
	}
	waitFor(t, func() bool { b, err := os.ReadFile(path); return err == nil && string(b) == id })
	_, err = svc.InvokeAsync(ctx, arn("nope"), []byte(`{}`))
	if ae, ok := err.(*api.Error); !ok || ae.Code != "ResourceNotFoundException" {
		t.Errorf("InvokeAsync of a missing function: %v", err)
	}
}

// TestQueuedEventSurvivesRestart: an Event invoke acknowledged while the
// function's only slot is busy (so it is throttled and waits) is still run
// after the server stops and starts again on its data directory.
func TestQueuedEventSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	durable := fogbanktest.Durable(dataDir)
	srv := fogbanktest.Start(t, durable)
	c := lambda.NewFromConfig(srv.AWSConfig())
	pyFunction(t, srv, c, "busy", func(in *lambda.CreateFunctionInput) { in.Timeout = aws.Int32(10) })
	if _, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("busy"), ReservedConcurrentExecutions: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	held, ran := filepath.Join(dir, "held"), filepath.Join(dir, "ran")
	done := make(chan error, 1)
	go func() {
		_, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("busy"), Payload: []byte(`{"op":"hold","ms":1500,"path":"` + held + `"}`)})
		done <- err
	}()
	waitFor(t, func() bool { _, err := os.Stat(held); return err == nil })
	if _, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("busy"), InvocationType: types.InvocationTypeEvent,
		Payload: []byte(`{"op":"touch","path":"` + ran + `"}`)}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := srv.Shutdown(ctx); err != nil { // before the throttled event's retry is due
		t.Fatal(err)
	}
	if _, err := os.Stat(ran); err == nil {
		t.Skip("the event ran before the shutdown; nothing left to recover")
	}
	fogbanktest.Start(t, durable)
	waitFor(t, func() bool { _, err := os.Stat(ran); return err == nil })
}
