package restjson_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/protocol/restjson"
)

// stubLambda serves a few Lambda operations through the codec alone, so a
// real client judges routing, label/query/header binding, blob payloads and
// error envelopes.
func stubLambda(t *testing.T) *httptest.Server {
	codec := restjson.Codec{}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &api.Call{Service: lambda.Service, Request: r, RequestID: "stub-request", Protocol: restjson.Protocol}
		c.Body, _ = io.ReadAll(r.Body)
		if err := codec.Resolve(c); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
			return
		}
		in := c.Op.NewInput()
		if err := codec.Decode(c, in); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
			return
		}
		var out any
		switch in := in.(type) {
		case *lambda.InvocationRequest:
			if api.ToString(in.FunctionName) != "my:fn" || api.ToString(in.Qualifier) != "v1" || api.ToString(in.LogType) != "Tail" {
				codec.EncodeError(w, c, api.NewValidationError("bad binding: %q %q %q", api.ToString(in.FunctionName), api.ToString(in.Qualifier), api.ToString(in.LogType)))
				return
			}
			out = &lambda.InvocationResponse{StatusCode: api.Int32(200), FunctionError: api.String("Unhandled"),
				LogResult: api.String("bG9n"), ExecutedVersion: api.String("1"), Payload: append([]byte("echo:"), in.Payload...)}
		case *lambda.GetFunctionRequest:
			if api.ToString(in.FunctionName) == "missing" {
				codec.EncodeError(w, c, lambda.NewResourceNotFoundException("Function not found: missing"))
				return
			}
			modified := time.Date(2026, 11, 30, 1, 2, 3, 0, time.UTC).Format("2006-01-02T15:04:05.000-0700")
			out = &lambda.GetFunctionResponse{
				Configuration: &lambda.FunctionConfiguration{FunctionName: in.FunctionName, CodeSize: api.Int64(1234), LastModified: &modified},
				Tags:          map[string]string{"team": "fog"},
			}
		case *lambda.ListFunctionsRequest:
			out = &lambda.ListFunctionsResponse{NextMarker: api.String(api.ToString(in.Marker) + "+next"),
				Functions: []*lambda.FunctionConfiguration{{FunctionName: api.String("a")}, {FunctionName: api.String("b")}}}
		default:
			codec.EncodeError(w, c, api.NewNotImplemented("lambda", c.Op.Name))
			return
		}
		if err := codec.Encode(w, c, out); err != nil {
			t.Error(err)
		}
	}))
}

const boto3Script = `
import json, sys, boto3, botocore
lam = boto3.client("lambda", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
out = {}
r = lam.invoke(FunctionName="my:fn", Qualifier="v1", LogType="Tail", Payload=b'{"k": 1}')
out["payload"] = r["Payload"].read().decode()
out["status"] = r["StatusCode"]
out["functionError"] = r["FunctionError"]
out["log"] = r["LogResult"]
out["version"] = r["ExecutedVersion"]
r = lam.get_function(FunctionName="fn one")
out["name"] = r["Configuration"]["FunctionName"]
out["size"] = r["Configuration"]["CodeSize"]
out["tags"] = r["Tags"]
r = lam.list_functions(Marker="m 1/2", MaxItems=5)
out["marker"] = r["NextMarker"]
out["functions"] = [f["FunctionName"] for f in r["Functions"]]
try:
    lam.get_function(FunctionName="missing")
except lam.exceptions.ResourceNotFoundException as e:
    out["error"] = e.response["Error"]["Code"]
    out["message"] = e.response["Error"]["Message"]
    out["errorStatus"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
print(json.dumps(out))
`

// TestBoto3 runs boto3's Lambda client against the codec.
func TestBoto3(t *testing.T) {
	if testing.Short() {
		t.Skip("runs python3")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	if exec.Command(py, "-c", "import boto3").Run() != nil {
		t.Skip("no boto3")
	}
	srv := stubLambda(t)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-c", boto3Script, srv.URL)
	cmd.Env = append(cmd.Environ(), "AWS_MAX_ATTEMPTS=1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, b)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("boto3 output %q: %v", b, err)
	}
	want := map[string]any{
		"payload": `echo:{"k": 1}`, "status": 200.0, "functionError": "Unhandled", "log": "bG9n", "version": "1",
		"name": "fn one", "size": 1234.0, "marker": "m 1/2+next",
		"error": "ResourceNotFoundException", "message": "Function not found: missing", "errorStatus": 404.0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	if tags, _ := got["tags"].(map[string]any); tags["team"] != "fog" {
		t.Errorf("tags = %v", got["tags"])
	}
	if fs, _ := got["functions"].([]any); len(fs) != 2 || fs[0] != "a" || fs[1] != "b" {
		t.Errorf("functions = %v", got["functions"])
	}
}
