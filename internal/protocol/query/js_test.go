package query

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/sts"
)

// TestJSSDK drives the codec with the AWS SDK for JavaScript v3's STS client,
// a Smithy-generated query client (botocore is the other lineage), through
// the e2e harness's call.mjs. Skipped without node, the harness, or in -short.
func TestJSSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an external client")
	}
	script, _ := filepath.Abs("../../../e2e/js/call.mjs")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(script), "node_modules", "@aws-sdk", "client-sts")); err != nil {
		t.Skip("e2e/js has no @aws-sdk/client-sts installed")
	}
	exp := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var assumed *sts.AssumeRoleRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c := &api.Call{Service: sts.Service, Request: r, Body: b, RequestID: "js-req", Protocol: Protocol}
		codec := Codec{}
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
		switch c.Op.Name {
		case "AssumeRole":
			mu.Lock()
			assumed = in.(*sts.AssumeRoleRequest)
			mu.Unlock()
			out = &sts.AssumeRoleResponse{
				Credentials:      &sts.Credentials{AccessKeyId: api.String("ASIA1"), SecretAccessKey: api.String("s/k+"), SessionToken: api.String("tok=="), Expiration: &exp},
				AssumedRoleUser:  &sts.AssumedRoleUser{AssumedRoleId: api.String("AROA1:s"), Arn: api.String("arn:aws:sts::000000000000:assumed-role/r/s")},
				PackedPolicySize: api.Int32(6),
			}
		case "GetCallerIdentity":
			out = &sts.GetCallerIdentityResponse{Account: api.String("000000000000"), Arn: api.String("arn:aws:iam::000000000000:root"), UserId: api.String("AKIA")}
		default:
			codec.EncodeError(w, c, api.Errorf("AccessDenied", http.StatusForbidden, "User is not authorized to perform: sts:%s", c.Op.Name))
			return
		}
		if err := codec.Encode(w, c, out); err != nil {
			codec.EncodeError(w, c, api.AsError(err))
		}
	}))
	defer srv.Close()

	type result struct {
		OK     bool
		Output map[string]any
		Error  struct {
			Code, Message string
			Status        int
		}
	}
	call := func(t *testing.T, op, params string) result {
		t.Helper()
		cmd := exec.Command(node, script, "sts", op, params)
		cmd.Dir = filepath.Dir(script)
		cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL="+srv.URL, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
			"AWS_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var r result
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return r
	}

	t.Run("AssumeRole", func(t *testing.T) {
		r := call(t, "AssumeRole", `{"RoleArn":"arn:aws:iam::000000000000:role/r","RoleSessionName":"s","DurationSeconds":900,`+
			`"PolicyArns":[{"arn":"arn:aws:iam::aws:policy/A"},{"arn":"arn:aws:iam::aws:policy/B"}],"Tags":[{"Key":"k","Value":"v&"}]}`)
		if !r.OK {
			t.Fatalf("error %+v", r.Error)
		}
		creds, _ := r.Output["Credentials"].(map[string]any)
		if creds["SecretAccessKey"] != "s/k+" || creds["Expiration"] != "2026-11-30T12:00:00.000Z" || r.Output["PackedPolicySize"] != 6.0 {
			t.Fatalf("parsed %v", r.Output)
		}
		mu.Lock()
		defer mu.Unlock()
		if assumed == nil || len(assumed.PolicyArns) != 2 || api.ToString(assumed.PolicyArns[1].Arn) != "arn:aws:iam::aws:policy/B" ||
			api.ToInt32(assumed.DurationSeconds) != 900 || len(assumed.Tags) != 1 || api.ToString(assumed.Tags[0].Value) != "v&" {
			t.Fatalf("decoded %+v", assumed)
		}
	})
	t.Run("GetCallerIdentity", func(t *testing.T) {
		r := call(t, "GetCallerIdentity", `{}`)
		if !r.OK || r.Output["Account"] != "000000000000" {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("error", func(t *testing.T) {
		r := call(t, "GetSessionToken", `{}`)
		if r.OK || r.Error.Code != "AccessDenied" || r.Error.Status != 403 || r.Error.Message != "User is not authorized to perform: sts:GetSessionToken" {
			t.Fatalf("got %+v", r)
		}
	})
}
