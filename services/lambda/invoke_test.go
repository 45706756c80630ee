package lambda_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/fogbank/fogbank/fogbanktest"
)

// testdata reads a handler file.
func testdata(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func pyFunction(t *testing.T, srv *fogbanktest.Server, c *lambda.Client, name string, mod ...func(*lambda.CreateFunctionInput)) {
	t.Helper()
	create(t, srv, c, name, append([]func(*lambda.CreateFunctionInput){func(in *lambda.CreateFunctionInput) {
		in.Runtime = types.RuntimePython311
		in.Code = &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": testdata(t, "py/handler.py")})}
	}}, mod...)...)
}

func invoke(t *testing.T, c *lambda.Client, in *lambda.InvokeInput) *lambda.InvokeOutput {
	t.Helper()
	out, err := c.Invoke(context.Background(), in)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	return out
}

func TestInvokePython(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	pyFunction(t, srv, c, "py", func(in *lambda.CreateFunctionInput) { in.Timeout = aws.Int32(1) })

	out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("py"), Payload: []byte(`{"op":"echo","k":"v"}`), LogType: types.LogTypeTail})
	var echo struct {
		Event     map[string]string
		Name      string
		Version   string
		Arn       string
		RequestID string `json:"requestId"`
	}
	if err := json.Unmarshal(out.Payload, &echo); err != nil {
		t.Fatalf("payload %s: %v", out.Payload, err)
	}
	if out.StatusCode != 200 || out.FunctionError != nil || aws.ToString(out.ExecutedVersion) != "$LATEST" ||
		echo.Event["k"] != "v" || echo.Name != "py" || echo.Version != "$LATEST" || echo.Arn != arn("py")+":$LATEST" || echo.RequestID == "" {
		t.Errorf("invoke: %+v %s", out, out.Payload)
	}
	logs, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if !strings.Contains(string(logs), "START RequestId: "+echo.RequestID) || !strings.Contains(string(logs), "REPORT RequestId: "+echo.RequestID) {
		t.Errorf("LogResult:\n%s", logs)
	}

	t.Run("function error", func(t *testing.T) {
		out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("py"), Payload: []byte(`{"op":"error","msg":"Handler fails"}`)})
		var e struct{ ErrorMessage, ErrorType string }
		_ = json.Unmarshal(out.Payload, &e)
		if aws.ToString(out.FunctionError) != "Unhandled" || e.ErrorMessage != "Handler fails" || e.ErrorType != "ValueError" {
			t.Errorf("error invoke: %+v %s", out, out.Payload)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("py"), Payload: []byte(`{"op":"sleep","ms":3000}`)})
		if aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), "Task timed out after 1.00 seconds") {
			t.Errorf("timeout: %+v %s", out, out.Payload)
		}
	})
	t.Run("crash", func(t *testing.T) {
		out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("py"), Payload: []byte(`{"op":"exit"}`)})
		if aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), "Runtime.ExitError") {
			t.Errorf("crash: %+v %s", out, out.Payload)
		}
		// The next invoke gets a fresh environment.
		if out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("py")}); out.FunctionError != nil {
			t.Errorf("after crash: %s", out.Payload)
		}
	})
	t.Run("dry run", func(t *testing.T) {
		out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("py"), InvocationType: types.InvocationTypeDryRun})
		if out.StatusCode != 204 {
			t.Errorf("DryRun status %d", out.StatusCode)
		}
	})
	t.Run("event", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "touched")
		out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("py"), InvocationType: types.InvocationTypeEvent,
			Payload: []byte(`{"op":"touch","path":"` + path + `"}`)})
		if out.StatusCode != 202 {
			t.Errorf("Event status %d", out.StatusCode)
		}
		waitFor(t, func() bool { _, err := os.Stat(path); return err == nil })
	})
	t.Run("oversized", func(t *testing.T) {
		big := []byte(`"` + strings.Repeat("x", 6<<20) + `"`)
		_, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("py"), Payload: big})
		wantErr(t, err, "RequestEntityTooLargeException", 413, "Request must be smaller than 6291456 bytes for the InvokeFunction operation")
		async := []byte(`"` + strings.Repeat("x", 300<<10) + `"`)
		_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("py"), Payload: async, InvocationType: types.InvocationTypeEvent})
		wantErr(t, err, "RequestEntityTooLargeException", 413, "307202 byte payload is too large for the Event invocation type (limit 262144 bytes)")
	})
	t.Run("not json", func(t *testing.T) {
		_, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("py"), Payload: []byte("not json")})
		wantErr(t, err, "InvalidRequestContentException", 400, "Could not parse request body into json: …")
	})
	t.Run("missing", func(t *testing.T) {
		_, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("doesnotexist")})
		wantErr(t, err, "ResourceNotFoundException", 404, "Function not found: "+arn("doesnotexist"))
		_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("py"), Qualifier: aws.String("non-existent-alias")})
		wantErr(t, err, "ResourceNotFoundException", 404, "Function not found: "+arn("py")+":non-existent-alias")
	})
}

// waitFor polls cond until it holds (background work: an Event invoke).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 20s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestInvokeVersionsAliasesLayers(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	layer, err := c.PublishLayerVersion(ctx, &lambda.PublishLayerVersionInput{LayerName: aws.String("helper"),
		Content: &types.LayerVersionContentInput{ZipFile: zipOf(t, map[string]string{"python/helper.py": "VALUE = 'from the layer'\n"})}})
	if err != nil {
		t.Fatal(err)
	}
	pyFunction(t, srv, c, "wv", func(in *lambda.CreateFunctionInput) {
		in.Environment = &types.Environment{Variables: map[string]string{"MARK": "one"}}
		in.Layers = []string{aws.ToString(layer.LayerVersionArn)}
	})
	if out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("wv"), Payload: []byte(`{"op":"layer"}`)}); string(out.Payload) != `"from the layer"` {
		t.Errorf("layer: %s", out.Payload)
	}
	if _, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("wv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("wv"),
		Environment: &types.Environment{Variables: map[string]string{"MARK": "two"}}}); err != nil {
		t.Fatal(err)
	}
	srv.Advance(t, time.Second)
	if _, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("wv")}); err != nil {
		t.Fatal(err)
	}
	mark := func(out *lambda.InvokeOutput) string {
		var e struct{ Env, Version string }
		_ = json.Unmarshal(out.Payload, &e)
		return e.Version + ":" + e.Env
	}
	if got := mark(invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("wv"), Qualifier: aws.String("1")})); got != "1:one" {
		t.Errorf("version 1 ran %s", got)
	}
	if got := mark(invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String(arn("wv") + ":2")})); got != "2:two" {
		t.Errorf("version 2 ran %s", got)
	}
	if _, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("wv"), Name: aws.String("live"), FunctionVersion: aws.String("1"),
		RoutingConfig: &types.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{"2": 0.5}}}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for range 40 {
		out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("wv"), Qualifier: aws.String("live")})
		if got := mark(out); got != aws.ToString(out.ExecutedVersion)+":"+map[string]string{"1": "one", "2": "two"}[aws.ToString(out.ExecutedVersion)] {
			t.Errorf("ExecutedVersion %s but ran %s", aws.ToString(out.ExecutedVersion), got)
		}
		seen[aws.ToString(out.ExecutedVersion)]++
	}
	// With weight 0.5 over 40 invokes, missing either version has odds 2^-39.
	if seen["1"] == 0 || seen["2"] == 0 {
		t.Errorf("routing did not split: %v", seen)
	}
}

func TestInvokeNodeAndGo(t *testing.T) {
	srv, c := newClient(t)
	create(t, srv, c, "node", func(in *lambda.CreateFunctionInput) {
		in.Runtime = types.RuntimeNodejs20x
		in.Handler = aws.String("index.handler")
		in.Code = &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"index.js": testdata(t, "node/index.js")})}
	})
	out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("node"), Payload: []byte(`{"a":1}`)})
	if !strings.Contains(string(out.Payload), `"name":"node"`) || out.FunctionError != nil {
		t.Errorf("node: %s", out.Payload)
	}

	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "bootstrap"), "./testdata/gofn")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the Go function: %v\n%s", err, b)
	}
	bin, err := os.ReadFile(filepath.Join(dir, "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	create(t, srv, c, "gofn", func(in *lambda.CreateFunctionInput) {
		in.Runtime = types.RuntimeProvidedal2023
		in.Handler = aws.String("bootstrap")
		in.Code = &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"bootstrap": string(bin)})}
	})
	out = invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("gofn"), Payload: []byte(`{"msg":"hi"}`)})
	var g map[string]string
	_ = json.Unmarshal(out.Payload, &g)
	if g["msg"] != "hi" || g["function"] != "gofn" || g["requestId"] == "" {
		t.Errorf("go: %s", out.Payload)
	}
	out = invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("gofn"), Payload: []byte(`{"op":"error","msg":"bad"}`)})
	if aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), `"errorMessage":"bad"`) {
		t.Errorf("go error: %s", out.Payload)
	}
}

// TestFunctionCallsSQS: a Python function sends to SQS through its own
// boto3, which AWS_ENDPOINT_URL points back at this server.
func TestFunctionCallsSQS(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	q := sqs.NewFromConfig(srv.AWSConfig())
	qo, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("from-lambda")})
	if err != nil {
		t.Fatal(err)
	}
	pyFunction(t, srv, c, "sender", func(in *lambda.CreateFunctionInput) { in.Timeout = aws.Int32(30) })
	out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("sender"),
		Payload: []byte(`{"op":"sqs","queue":"` + aws.ToString(qo.QueueUrl) + `","body":"hello from lambda"}`)})
	if out.FunctionError != nil {
		t.Fatalf("function failed: %s", out.Payload)
	}
	rm, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: qo.QueueUrl, WaitTimeSeconds: 1})
	if err != nil || len(rm.Messages) != 1 || aws.ToString(rm.Messages[0].Body) != "hello from lambda" {
		t.Fatalf("receive: %v %+v", err, rm)
	}
}

func TestConcurrencyLimits(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	pyFunction(t, srv, c, "cap")
	if _, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("cap"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("cap")})
	wantErr(t, err, "TooManyRequestsException", 429, "Rate Exceeded.")
	var tm *types.TooManyRequestsException
	if !errorsAs(err, &tm) || tm.Reason != types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded {
		t.Errorf("reason: %v", err)
	}
	_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("cap"), InvocationType: types.InvocationTypeEvent})
	wantErr(t, err, "TooManyRequestsException", 429, "Rate Exceeded.")

	if _, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("cap"), ReservedConcurrentExecutions: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("cap")}) // warm
	// One slow invoke holds the only slot; a second at the same time is throttled.
	// The holder creates a file once it runs, so the second invoke is sent
	// while the slot is surely taken (no timing involved but the hold's
	// length, which only has to outlast one invoke round trip).
	var wg sync.WaitGroup
	wg.Add(1)
	held := filepath.Join(t.TempDir(), "held")
	go func() {
		defer wg.Done()
		_, _ = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("cap"), Payload: []byte(`{"op":"hold","ms":2000,"path":"` + held + `"}`)})
	}()
	waitFor(t, func() bool { _, err := os.Stat(held); return err == nil })
	// Without the SDK's retries, which would wait the throttle out.
	once := lambda.NewFromConfig(srv.AWSConfig(), func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	_, err = once.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("cap")})
	wantErr(t, err, "TooManyRequestsException", 429, "Rate Exceeded.")
	wg.Wait()
}

func TestProvisionedConcurrency(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	pyFunction(t, srv, c, "prov")
	if _, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("prov")}); err != nil {
		t.Fatal(err)
	}
	put, err := c.PutProvisionedConcurrencyConfig(ctx, &lambda.PutProvisionedConcurrencyConfigInput{FunctionName: aws.String("prov"), Qualifier: aws.String("1"), ProvisionedConcurrentExecutions: aws.Int32(2)})
	if err != nil || put.Status != types.ProvisionedConcurrencyStatusEnumInProgress || aws.ToInt32(put.RequestedProvisionedConcurrentExecutions) != 2 {
		t.Fatalf("put: %v %+v", err, put)
	}
	waitFor(t, func() bool {
		g, err := c.GetProvisionedConcurrencyConfig(ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: aws.String("prov"), Qualifier: aws.String("1")})
		if err != nil {
			t.Fatal(err)
		}
		if g.Status == types.ProvisionedConcurrencyStatusEnumFailed {
			t.Fatalf("provisioning failed: %s", aws.ToString(g.StatusReason))
		}
		return g.Status == types.ProvisionedConcurrencyStatusEnumReady && aws.ToInt32(g.AvailableProvisionedConcurrentExecutions) == 2
	})
	out := invoke(t, c, &lambda.InvokeInput{FunctionName: aws.String("prov"), Qualifier: aws.String("1"), LogType: types.LogTypeTail})
	logs, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if strings.Contains(string(logs), "Init Duration") {
		t.Errorf("a provisioned environment started cold:\n%s", logs)
	}
}

func TestInvokeWithResponseStream(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	pyFunction(t, srv, c, "st")
	out, err := c.InvokeWithResponseStream(ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("st"),
		Payload: []byte(`{"op":"echo","k":"streamed"}`), LogType: types.LogTypeTail})
	if err != nil {
		t.Fatal(err)
	}
	defer out.GetStream().Close()
	if aws.ToString(out.ExecutedVersion) != "$LATEST" || out.StatusCode != 200 {
		t.Errorf("head: %+v", out)
	}
	var body []byte
	var complete *types.InvokeWithResponseStreamCompleteEvent
	for ev := range out.GetStream().Events() {
		switch e := ev.(type) {
		case *types.InvokeWithResponseStreamResponseEventMemberPayloadChunk:
			body = append(body, e.Value.Payload...)
		case *types.InvokeWithResponseStreamResponseEventMemberInvokeComplete:
			complete = &e.Value
		}
	}
	if err := out.GetStream().Err(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `"streamed"`) || complete == nil || complete.ErrorCode != nil || complete.LogResult == nil {
		t.Errorf("stream: body %s, complete %+v", body, complete)
	}
}

// A Node handler wrapped in awslambda.streamifyResponse reaches the client
// as several PayloadChunk events, in order.
func TestInvokeWithResponseStreamNode(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	create(t, srv, c, "nodestream", func(in *lambda.CreateFunctionInput) {
		in.Runtime = types.RuntimeNodejs20x
		in.Handler = aws.String("stream.handler")
		in.Code = &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"stream.js": testdata(t, "node/stream.js")})}
	})
	out, err := c.InvokeWithResponseStream(ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("nodestream"), Payload: []byte(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	defer out.GetStream().Close()
	var chunks []string
	var complete *types.InvokeWithResponseStreamCompleteEvent
	for ev := range out.GetStream().Events() {
		switch e := ev.(type) {
		case *types.InvokeWithResponseStreamResponseEventMemberPayloadChunk:
			chunks = append(chunks, string(e.Value.Payload))
		case *types.InvokeWithResponseStreamResponseEventMemberInvokeComplete:
			complete = &e.Value
		}
	}
	if err := out.GetStream().Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(chunks, "") != "one,two,three" || len(chunks) < 2 || complete == nil || complete.ErrorCode != nil {
		t.Errorf("chunks %q, complete %+v", chunks, complete)
	}
}
