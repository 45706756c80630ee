package e2e

import (
	"archive/zip"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Lambda through the AWS CLI v2 (create-function from a zip file, invoke,
// publish-version, an alias whose --routing-config really splits invokes)
// and boto3 (the same life cycle through its waiters, a Tail log, an
// asynchronous invoke).

// lambdaHandler echoes its event with the version that ran.
const lambdaHandler = `
import os
def handler(event, context):
    return {"event": event, "version": context.function_version, "mark": os.environ.get("MARK", "")}
`

// writeZip writes a deployment package holding handler.py.
func writeZip(t *testing.T, path, handler string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("handler.py")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(handler)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLambdaCLIv2(t *testing.T) {
	require(t, "aws-cli-v2", checkCLIv2(""))
	s := startServer(t, ServerOptions{})
	dir := t.TempDir()
	aws := cliV2(t, s, dir)
	decode := func(out string) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("output %q: %v", out, err)
		}
		return m
	}
	writeZip(t, filepath.Join(dir, "fn.zip"), lambdaHandler)
	created := decode(aws("lambda", "create-function", "--function-name", "cli-fn", "--runtime", "python3.11",
		"--role", "arn:aws:iam::000000000000:role/r", "--handler", "handler.handler", "--zip-file", "fileb://fn.zip",
		"--environment", "Variables={MARK=one}"))
	if str(created, "State") != "Pending" || str(created, "FunctionArn") != "arn:aws:lambda:us-east-1:000000000000:function:cli-fn" {
		t.Errorf("create-function: %v", created)
	}
	aws("lambda", "wait", "function-active-v2", "--function-name", "cli-fn")

	inv := decode(aws("lambda", "invoke", "--function-name", "cli-fn", "--cli-binary-format", "raw-in-base64-out",
		"--payload", `{"k":"v"}`, "--log-type", "Tail", "out.json"))
	logs, _ := base64.StdEncoding.DecodeString(str(inv, "LogResult"))
	if inv["StatusCode"] != float64(200) || str(inv, "ExecutedVersion") != "$LATEST" || !strings.Contains(string(logs), "REPORT RequestId:") {
		t.Errorf("invoke: %v\n%s", inv, logs)
	}
	body, err := os.ReadFile(filepath.Join(dir, "out.json"))
	if err != nil || !strings.Contains(string(body), `"k": "v"`) || !strings.Contains(string(body), `"mark": "one"`) {
		t.Errorf("invoke payload: %s %v", body, err)
	}

	if v := decode(aws("lambda", "publish-version", "--function-name", "cli-fn")); str(v, "Version") != "1" {
		t.Errorf("publish-version: %v", v)
	}
	aws("lambda", "update-function-configuration", "--function-name", "cli-fn", "--environment", "Variables={MARK=two}")
	aws("lambda", "wait", "function-updated-v2", "--function-name", "cli-fn")
	if v := decode(aws("lambda", "publish-version", "--function-name", "cli-fn")); str(v, "Version") != "2" {
		t.Errorf("second publish-version: %v", v)
	}
	aws("lambda", "create-alias", "--function-name", "cli-fn", "--name", "live", "--function-version", "1")
	a := decode(aws("lambda", "update-alias", "--function-name", "cli-fn", "--name", "live",
		"--routing-config", `{"AdditionalVersionWeights":{"2":0.5}}`))
	if w, _ := a["RoutingConfig"].(map[string]any); w == nil {
		t.Errorf("update-alias: %v", a)
	}
	seen := map[string]int{}
	for range 16 {
		out := decode(aws("lambda", "invoke", "--function-name", "cli-fn", "--qualifier", "live", "out.json"))
		body, _ := os.ReadFile(filepath.Join(dir, "out.json"))
		var p struct{ Version, Mark string }
		_ = json.Unmarshal(body, &p)
		if p.Version != str(out, "ExecutedVersion") {
			t.Errorf("ExecutedVersion %s, ran %s", str(out, "ExecutedVersion"), p.Version)
		}
		seen[p.Version+"/"+p.Mark]++
	}
	// Weight 0.5 over 16 invokes: missing a version has odds 2^-15.
	if seen["1/one"] == 0 || seen["2/two"] == 0 || len(seen) != 2 {
		t.Errorf("alias routing: %v", seen)
	}
	if vs := decode(aws("lambda", "list-versions-by-function", "--function-name", "cli-fn")); len(list(vs, "Versions")) != 3 {
		t.Errorf("list-versions-by-function: %v", vs)
	}
	aws("lambda", "delete-function", "--function-name", "cli-fn")
}

// lambdaBoto3 drives a function's life through boto3; it prints the
// results the test checks as JSON.
const lambdaBoto3 = `
import base64, json, sys, time, boto3
lam = boto3.client("lambda")
zip_bytes = open(sys.argv[1], "rb").read()
lam.create_function(FunctionName="py-fn", Runtime="python3.11", Role="arn:aws:iam::000000000000:role/r",
    Handler="handler.handler", Code={"ZipFile": zip_bytes}, Environment={"Variables": {"MARK": "boto"}})
lam.get_waiter("function_active_v2").wait(FunctionName="py-fn")
out = lam.invoke(FunctionName="py-fn", Payload=json.dumps({"k": "v"}), LogType="Tail")
res = {"payload": json.loads(out["Payload"].read()), "log": base64.b64decode(out["LogResult"]).decode(),
       "executed": out["ExecutedVersion"]}
v = lam.publish_version(FunctionName="py-fn")
lam.create_alias(FunctionName="py-fn", Name="prod", FunctionVersion=v["Version"])
out = lam.invoke(FunctionName="py-fn", Qualifier="prod", Payload=b"{}")
res["alias"] = out["ExecutedVersion"]
out = lam.invoke(FunctionName="py-fn", InvocationType="Event", Payload=b"{}")
res["event"] = out["StatusCode"]
try:
    lam.invoke(FunctionName="missing")
except lam.exceptions.ResourceNotFoundException as e:
    res["missing"] = e.response["Error"]["Message"]
print(json.dumps(res))
`

func TestLambdaBoto3(t *testing.T) {
	require(t, "boto3", checkBoto3(""))
	s := startServer(t, ServerOptions{})
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "fn.zip")
	writeZip(t, zipPath, lambdaHandler)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	stdout, stderr, err := run(ctx, clientEnv(s.URL, testCreds), "", "python3", "-c", lambdaBoto3, zipPath)
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, stderr)
	}
	var res struct {
		Payload struct {
			Event   map[string]string
			Version string
			Mark    string
		}
		Log, Executed, Alias, Missing string
		Event                         int
	}
	if err := json.Unmarshal(stdout, &res); err != nil {
		t.Fatalf("output %s: %v", stdout, err)
	}
	if res.Payload.Event["k"] != "v" || res.Payload.Mark != "boto" || res.Executed != "$LATEST" ||
		!strings.Contains(res.Log, "START RequestId:") || res.Alias != "1" || res.Event != 202 ||
		res.Missing != "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing" {
		t.Errorf("boto3 results: %+v", res)
	}
}

// lambdaCreate makes a function with boto3 (the clients' JSON parameters
// cannot carry a zip), for the per-client control-plane checks.
const lambdaCreate = `
import sys, boto3
lam = boto3.client("lambda")
lam.create_function(FunctionName=sys.argv[2], Runtime="python3.11", Role="arn:aws:iam::000000000000:role/r",
    Handler="handler.handler", Code={"ZipFile": open(sys.argv[1], "rb").read()})
lam.get_waiter("function_active_v2").wait(FunctionName=sys.argv[2])
`

// TestLambdaControlPlaneClients: every client reads the control plane's
// answers and errors (versions, aliases, policies, settings, not found).
func TestLambdaControlPlaneClients(t *testing.T) {
	require(t, "boto3", checkBoto3(""))
	s := startServer(t, ServerOptions{})
	zipPath := filepath.Join(t.TempDir(), "fn.zip")
	writeZip(t, zipPath, lambdaHandler)
	forEachClient(t, "lambda", func(t *testing.T, c *Client) {
		name := "cp-" + strings.NewReplacer("_", "-", ".", "-").Replace(c.Name)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, stderr, err := run(ctx, clientEnv(s.URL, testCreds), "", "python3", "-c", lambdaCreate, zipPath, name); err != nil {
			t.Fatalf("creating %s: %v\n%s", name, err, stderr)
		}
		out := c.Call(t, s, "lambda", "GetFunctionConfiguration", map[string]any{"FunctionName": name}).OK(t)
		if str(out, "State") != "Active" || str(out, "Runtime") != "python3.11" {
			t.Errorf("GetFunctionConfiguration: %v", out)
		}
		if v := c.Call(t, s, "lambda", "PublishVersion", map[string]any{"FunctionName": name}).OK(t); str(v, "Version") != "1" {
			t.Errorf("PublishVersion: %v", v)
		}
		c.Call(t, s, "lambda", "CreateAlias", map[string]any{"FunctionName": name, "Name": "live", "FunctionVersion": "1"}).OK(t)
		if a := c.Call(t, s, "lambda", "GetAlias", map[string]any{"FunctionName": name, "Name": "live"}).OK(t); str(a, "FunctionVersion") != "1" {
			t.Errorf("GetAlias: %v", a)
		}
		c.Call(t, s, "lambda", "AddPermission", map[string]any{"FunctionName": name, "StatementId": "s3", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"}).OK(t)
		if p := c.Call(t, s, "lambda", "GetPolicy", map[string]any{"FunctionName": name}).OK(t); !strings.Contains(str(p, "Policy"), `"Sid":"s3"`) {
			t.Errorf("GetPolicy: %v", p)
		}
		if a := c.Call(t, s, "lambda", "GetAccountSettings", nil).OK(t); str(a, "AccountLimit.ConcurrentExecutions") == "" && a["AccountLimit"] == nil {
			t.Errorf("GetAccountSettings: %v", a)
		}
		e := c.Call(t, s, "lambda", "GetFunction", map[string]any{"FunctionName": name + "-missing"}).Fails(t, "ResourceNotFoundException")
		if c.HTTPStatus && e.Status != 404 {
			t.Errorf("status %d, want 404", e.Status)
		}
		c.Call(t, s, "lambda", "CreateAlias", map[string]any{"FunctionName": name, "Name": "live", "FunctionVersion": "1"}).Fails(t, "ResourceConflictException")
		c.Call(t, s, "lambda", "DeleteFunction", map[string]any{"FunctionName": name}).OK(t)
	})
}

// lambdaURLHandler answers a function URL request with what it saw.
const lambdaURLHandler = `
import json
def handler(event, context):
    return {"statusCode": 201, "headers": {"content-type": "application/json", "x-fn": "yes"},
            "cookies": ["seen=1"], "body": json.dumps({"path": event["rawPath"], "method": event["requestContext"]["http"]["method"],
            "query": event.get("queryStringParameters"), "body": event.get("body"), "version": event["version"],
            "domain": event["requestContext"]["domainName"]})}
`

// lambdaURLBoto3 creates a function and its URL with boto3, then calls the
// URL with urllib, the way a script or a browser would: first without the
// public permission (403), then with it, in the path form FunctionUrl gives
// and in AWS's host form (a Host header on the server's address).
const lambdaURLBoto3 = `
import json, sys, urllib.request, urllib.error, urllib.parse, boto3
lam = boto3.client("lambda")
lam.create_function(FunctionName="url-fn", Runtime="python3.11", Role="arn:aws:iam::000000000000:role/r",
    Handler="handler.handler", Code={"ZipFile": open(sys.argv[1], "rb").read()})
lam.get_waiter("function_active_v2").wait(FunctionName="url-fn")
url = lam.create_function_url_config(FunctionName="url-fn", AuthType="NONE")["FunctionUrl"]

def fetch(u, data=None, headers={}):
    req = urllib.request.Request(u, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()

res = {"url": url, "forbidden": fetch(url + "x")[0::2]}
lam.add_permission(FunctionName="url-fn", StatementId="public", Action="lambda:InvokeFunctionUrl",
    Principal="*", FunctionUrlAuthType="NONE")
status, headers, body = fetch(url + "items/1?q=a", data=b'{"n": 1}', headers={"Content-Type": "application/json"})
res["post"] = {"status": status, "fn": headers.get("x-fn"), "cookie": headers.get("Set-Cookie"), "body": json.loads(body)}
base = sys.argv[2]
url_id = urllib.parse.urlparse(url).path.rstrip("/").rsplit("/", 1)[1]
status, _, body = fetch(base + "/hosted", headers={"Host": url_id + ".lambda-url.us-east-1.localhost"})
res["host"] = {"status": status, "body": json.loads(body)}
print(json.dumps(res))
`

func TestLambdaFunctionURLBoto3(t *testing.T) {
	require(t, "boto3", checkBoto3(""))
	s := startServer(t, ServerOptions{})
	zipPath := filepath.Join(t.TempDir(), "fn.zip")
	writeZip(t, zipPath, lambdaURLHandler)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	stdout, stderr, err := run(ctx, clientEnv(s.URL, testCreds), "", "python3", "-c", lambdaURLBoto3, zipPath, s.URL)
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, stderr)
	}
	type seen struct {
		Path, Method, Body, Version, Domain string
		Query                               map[string]string
	}
	var res struct {
		URL       string
		Forbidden []any
		Post      struct {
			Status     int
			Fn, Cookie string
			Body       seen
		}
		Host struct {
			Status int
			Body   seen
		}
	}
	if err := json.Unmarshal(stdout, &res); err != nil {
		t.Fatalf("output %s: %v", stdout, err)
	}
	if !strings.HasPrefix(res.URL, s.URL+"/_fogbank/lambda-url/") {
		t.Errorf("FunctionUrl %s", res.URL)
	}
	if len(res.Forbidden) != 2 || res.Forbidden[0] != float64(403) || !strings.HasPrefix(res.Forbidden[1].(string), `{"Message":"Forbidden. For troubleshooting Function URL authorization issues`) {
		t.Errorf("without permission: %v", res.Forbidden)
	}
	p := res.Post
	if p.Status != 201 || p.Fn != "yes" || p.Cookie != "seen=1" || p.Body.Path != "/items/1" || p.Body.Method != "POST" ||
		p.Body.Query["q"] != "a" || p.Body.Body != `{"n": 1}` || p.Body.Version != "2.0" {
		t.Errorf("POST: %+v", p)
	}
	if h := res.Host; h.Status != 201 || h.Body.Path != "/hosted" || !strings.HasSuffix(h.Body.Domain, ".lambda-url.us-east-1.localhost") {
		t.Errorf("host form: %+v", h)
	}
}

// lambdaFailing fails every run, noting it in the file its event names.
const lambdaFailing = `
def handler(event, context):
    with open(event["log"], "a") as f:
        f.write("run\n")
    raise Exception("intentional failure")
`

// lambdaRetryBoto3 sets MaximumRetryAttempts 1 and an OnFailure SQS
// destination with boto3, invokes the failing function asynchronously, and
// moves the server clock (POST /_fogbank/clock) until the invocation record
// reaches the queue: a retry a minute after the first run, then the record.
const lambdaRetryBoto3 = `
import json, os, sys, time, urllib.request, boto3
zip_path, base, log = sys.argv[1], sys.argv[2], sys.argv[3]
lam, sqs = boto3.client("lambda"), boto3.client("sqs")
q = sqs.create_queue(QueueName="failures")["QueueUrl"]
q_arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
lam.create_function(FunctionName="failing", Runtime="python3.11", Role="arn:aws:iam::000000000000:role/r",
    Handler="handler.handler", Code={"ZipFile": open(zip_path, "rb").read()})
lam.get_waiter("function_active_v2").wait(FunctionName="failing")
lam.put_function_event_invoke_config(FunctionName="failing", MaximumRetryAttempts=1,
    DestinationConfig={"OnFailure": {"Destination": q_arn}})
status = lam.invoke(FunctionName="failing", InvocationType="Event", Payload=json.dumps({"log": log}))["StatusCode"]

def runs():
    try:
        return open(log).read().count("\n")
    except FileNotFoundError:
        return 0

def advance(d):
    req = urllib.request.Request(base + "/_fogbank/clock", data=json.dumps({"advance": d}).encode(),
        headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()

deadline = time.time() + 30
while runs() < 1 and time.time() < deadline:
    time.sleep(0.05)
res = {"status": status, "first": runs(), "early": len(sqs.receive_message(QueueUrl=q).get("Messages", []))}
record = None
for _ in range(60):  # at most ten minutes of clock
    advance("10s")
    msgs = sqs.receive_message(QueueUrl=q, MessageAttributeNames=["All"]).get("Messages", [])
    if msgs:
        record = json.loads(msgs[0]["Body"])
        break
res["runs"] = runs()
res["record"] = record
print(json.dumps(res))
`

func TestLambdaRetryDestinationBoto3(t *testing.T) {
	require(t, "boto3", checkBoto3(""))
	s := startServer(t, ServerOptions{})
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "fn.zip")
	writeZip(t, zipPath, lambdaFailing)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	stdout, stderr, err := run(ctx, clientEnv(s.URL, testCreds), "", "python3", "-c", lambdaRetryBoto3, zipPath, s.URL, filepath.Join(dir, "runs"))
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, stderr)
	}
	var res struct {
		Status, First, Early, Runs int
		Record                     *struct {
			Version        string
			RequestContext struct {
				Condition              string
				ApproximateInvokeCount int
				FunctionArn            string
			}
			ResponseContext struct{ FunctionError string }
			ResponsePayload struct{ ErrorMessage string }
		}
	}
	if err := json.Unmarshal(stdout, &res); err != nil {
		t.Fatalf("output %s: %v", stdout, err)
	}
	if res.Status != 202 || res.First != 1 || res.Early != 0 || res.Runs != 2 {
		t.Errorf("runs: %+v", res)
	}
	r := res.Record
	if r == nil {
		t.Fatalf("no invocation record reached the queue: %s", stdout)
	}
	if r.Version != "1.0" || r.RequestContext.Condition != "RetriesExhausted" || r.RequestContext.ApproximateInvokeCount != 2 ||
		!strings.HasSuffix(r.RequestContext.FunctionArn, ":function:failing:$LATEST") || r.ResponseContext.FunctionError != "Unhandled" ||
		r.ResponsePayload.ErrorMessage != "intentional failure" {
		t.Errorf("record: %s", stdout)
	}
}
