package lambdaruntime_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/lambdaruntime"
)

// TestImageFunctionThroughTheAPI drives a PackageType Image function end to end with
// aws-sdk-go-v2: created from an image the container engine has (one it lacks is refused as
// AWS refuses it), reported with the resolved image, invoked in a container that reaches the
// Runtime API and sees Fogbank as its endpoint, timed out, and gone with DeleteFunction.
func TestImageFunctionThroughTheAPI(t *testing.T) {
	host := lambdaruntime.ContainerHostForTest(t)
	ref := lambdaruntime.ImageForTest(t, host)
	t.Setenv("DOCKER_HOST", host) // the server's engine finds the same container engine
	srv := fogbanktest.Start(t)
	c := lambda.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	const role = "arn:aws:iam::000000000000:role/lambda-role"

	_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("absent"), PackageType: types.PackageTypeImage,
		Role: aws.String(role), Code: &types.FunctionCode{ImageUri: aws.String("fogbank-test/absent:1")}})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValueException" ||
		ae.ErrorMessage() != "Source image fogbank-test/absent:1 does not exist. Provide a valid source image." {
		t.Fatalf("create from a missing image: %v", err)
	}

	_, err = c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("boxed"), PackageType: types.PackageTypeImage,
		Role: aws.String(role), Code: &types.FunctionCode{ImageUri: aws.String(ref)}, Timeout: aws.Int32(1), MemorySize: aws.Int32(128),
		ImageConfig: &types.ImageConfig{Command: []string{"box.handler"}},
		Environment: &types.Environment{Variables: map[string]string{"GREETING": "hi"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Advance(t, time.Second)
	g, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("boxed")})
	if err != nil {
		t.Fatal(err)
	}
	sha := aws.ToString(g.Configuration.CodeSha256)
	repo, _, _ := strings.Cut(ref, ":")
	if len(sha) != 64 || aws.ToString(g.Code.ImageUri) != ref || aws.ToString(g.Code.ResolvedImageUri) != repo+"@sha256:"+sha {
		t.Fatalf("GetFunction: CodeSha256 %q, Code %+v", sha, g.Code)
	}

	out, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("boxed"), Payload: []byte(`{"op":"print","msg":"in a box"}`), LogType: types.LogTypeTail})
	if err != nil || out.FunctionError != nil || string(out.Payload) != `"printed"` {
		t.Fatalf("invoke: %v %s", err, out.Payload)
	}
	tail, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if !strings.Contains(string(tail), "hello from go: in a box") || !strings.Contains(string(tail), "Init Duration") {
		t.Fatalf("log tail:\n%s", tail)
	}

	out, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("boxed"), Payload: []byte(`{"op":"env"}`)})
	if err != nil || out.FunctionError != nil {
		t.Fatalf("invoke env: %v %s", err, out.Payload)
	}
	var env map[string]string
	if err := json.Unmarshal(out.Payload, &env); err != nil {
		t.Fatal(err)
	}
	if env["AWS_ENDPOINT_URL"] != srv.URL() || env["_HANDLER"] != "box.handler" || env["GREETING"] != "hi" ||
		env["AWS_LAMBDA_FUNCTION_NAME"] != "boxed" || env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] != "128" {
		t.Fatalf("environment in the container: %v", env)
	}

	out, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("boxed"), Payload: []byte(`{"op":"sleep","ms":3000}`)})
	if err != nil || aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), `"errorType":"Sandbox.Timedout"`) ||
		!strings.Contains(string(out.Payload), "Task timed out after 1.00 seconds") {
		t.Fatalf("timeout: %v %s", err, out.Payload)
	}

	arn := "arn:aws:lambda:us-east-1:000000000000:function:boxed:$LATEST"
	if _, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("boxed"), Payload: []byte(`{"op":"echo"}`)}); err != nil {
		t.Fatal(err)
	}
	if len(lambdaruntime.ContainersForTest(t, host, arn)) == 0 {
		t.Fatal("no container of the function after an invoke")
	}
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("boxed")}); err != nil {
		t.Fatal(err)
	}
	if left := lambdaruntime.ContainersForTest(t, host, arn); len(left) > 0 {
		t.Fatalf("containers left after DeleteFunction: %v", left)
	}
}

// TestImageTagsArePinned: a function runs the image its tag named when the code was set, as AWS
// runs the digest it resolved: moving the tag changes nothing until UpdateFunctionCode, and a
// published version keeps its image after that.
func TestImageTagsArePinned(t *testing.T) {
	host := lambdaruntime.ContainerHostForTest(t)
	ref := fmt.Sprintf("fogbank-test/pinned-%d:latest", time.Now().UnixNano())
	lambdaruntime.ImportImageForTest(t, host, ref, "a")
	t.Setenv("DOCKER_HOST", host)
	srv := fogbanktest.Start(t)
	c := lambda.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	created, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("pinned"), PackageType: types.PackageTypeImage,
		Role: aws.String("arn:aws:iam::000000000000:role/lambda-role"), Code: &types.FunctionCode{ImageUri: aws.String(ref)}, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Advance(t, time.Second)
	flavor := func(qualifier string) string {
		t.Helper()
		out, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("pinned"), Qualifier: aws.String(qualifier), Payload: []byte(`{"op":"env"}`)})
		if err != nil || out.FunctionError != nil {
			t.Fatalf("invoke %s: %v %s", qualifier, err, out.Payload)
		}
		var env map[string]string
		_ = json.Unmarshal(out.Payload, &env)
		return env["FLAVOR"]
	}
	if got := flavor("$LATEST"); got != "a" {
		t.Fatalf("FLAVOR = %q, want a", got)
	}
	lambdaruntime.ImportImageForTest(t, host, ref, "b") // the tag now names another image
	if got := flavor("$LATEST"); got != "a" {
		t.Fatalf("after re-tagging, FLAVOR = %q: the function followed the tag", got)
	}
	up, err := c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("pinned"), ImageUri: aws.String(ref)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(up.CodeSha256) == aws.ToString(created.CodeSha256) {
		t.Fatalf("CodeSha256 unchanged by the new image: %s", aws.ToString(up.CodeSha256))
	}
	srv.Advance(t, time.Second)
	if got := flavor("$LATEST"); got != "b" {
		t.Fatalf("after UpdateFunctionCode, FLAVOR = %q, want b", got)
	}
	if got := flavor("1"); got != "a" {
		t.Fatalf("version 1 runs FLAVOR %q, want a (its own image)", got)
	}
}
