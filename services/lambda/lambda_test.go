package lambda_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/fogbank/fogbank"
	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/services"
	lambdasvc "github.com/fogbank/fogbank/services/lambda"
)

const role = "arn:aws:iam::000000000000:role/lambda-role"

// zipOf builds a deployment package from name → content (mode 0755 for
// names ending in "bootstrap").
func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o644)
		if strings.HasSuffix(name, "bootstrap") {
			h.SetMode(0o755)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const pyEcho = `
import json
def handler(event, context):
    return {"event": event, "name": context.function_name, "version": context.function_version}
`

// fogbanktestStart is a server whose request log is quiet (benchmarks).
func fogbanktestStart(tb testing.TB) *fogbanktest.Server {
	return fogbanktest.Start(tb, fogbanktest.WithOptions(func(o *fogbank.Options) {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
}

func newClient(t *testing.T) (*fogbanktest.Server, *lambda.Client) {
	t.Helper()
	srv := fogbanktest.Start(t)
	return srv, lambda.NewFromConfig(srv.AWSConfig())
}

// create makes a Python function and lets it become Active.
func create(t *testing.T, srv *fogbanktest.Server, c *lambda.Client, name string, mod ...func(*lambda.CreateFunctionInput)) *lambda.CreateFunctionOutput {
	t.Helper()
	in := &lambda.CreateFunctionInput{
		FunctionName: aws.String(name),
		Runtime:      types.RuntimePython312,
		Role:         aws.String(role),
		Handler:      aws.String("handler.handler"),
		Code:         &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": pyEcho})},
	}
	for _, m := range mod {
		m(in)
	}
	out, err := c.CreateFunction(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateFunction: %v", err)
	}
	srv.Advance(t, time.Second)
	return out
}

// wantErr checks an error's code, HTTP status and message (a prefix match
// when msg ends in "…").
func wantErr(t *testing.T, err error, code string, status int, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Errorf("code: got %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && status != 0 && re.HTTPStatusCode() != status {
		t.Errorf("status: got %d, want %d", re.HTTPStatusCode(), status)
	}
	if p, ok := strings.CutSuffix(msg, "…"); ok {
		if !strings.HasPrefix(ae.ErrorMessage(), p) {
			t.Errorf("message: got %q, want prefix %q", ae.ErrorMessage(), p)
		}
	} else if msg != "" && ae.ErrorMessage() != msg {
		t.Errorf("message: got %q, want %q", ae.ErrorMessage(), msg)
	}
}

func arn(name string) string { return "arn:aws:lambda:us-east-1:000000000000:function:" + name }

// withTransitions serves Lambda with creates Pending and updates InProgress
// for a second of the service clock (by default neither lasts), so the
// conflicts AWS answers meanwhile can be tested.
func withTransitions() fogbanktest.Option {
	return fogbanktest.WithOptions(func(o *fogbank.Options) {
		for _, info := range services.All() {
			if info.Name == lambdasvc.Info.Name {
				info = lambdasvc.InfoWithTransitions(time.Second, time.Second)
			}
			o.Services = append(o.Services, info)
		}
	})
}

// TestTransitionsTakeNoTime: by default a create or update is applied by
// the time Fogbank answers. The answer reports Pending (InProgress) as AWS's
// does, but the very next request finds the function Active (Successful):
// an SDK waiter's first poll returns, and an invoke or another update sent
// right away is not refused.
func TestTransitionsTakeNoTime(t *testing.T) {
	ctx := context.Background()
	_, c := newClient(t)
	out, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("now"), Runtime: types.RuntimePython312, Role: aws.String(role),
		Handler: aws.String("handler.handler"), Code: &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": pyEcho})},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.State != types.StatePending || out.StateReasonCode != types.StateReasonCodeCreating {
		t.Errorf("create answered %s (%s), want Pending (Creating)", out.State, out.StateReasonCode)
	}
	got, err := c.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("now")})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != types.StateActive || got.LastUpdateStatus != types.LastUpdateStatusSuccessful || aws.ToString(got.RevisionId) == aws.ToString(out.RevisionId) {
		t.Errorf("right after create: %s/%s revision %s (create's %s)", got.State, got.LastUpdateStatus, aws.ToString(got.RevisionId), aws.ToString(out.RevisionId))
	}
	inv, err := c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("now"), Payload: []byte(`{"k":1}`)})
	if err != nil || inv.FunctionError != nil || !strings.Contains(string(inv.Payload), `"k": 1`) {
		t.Fatalf("invoke right after create: %v %s", err, inv.Payload)
	}
	up, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("now"), Description: aws.String("d")})
	if err != nil {
		t.Fatal(err)
	}
	if up.LastUpdateStatus != types.LastUpdateStatusInProgress || aws.ToString(up.Description) != "d" {
		t.Errorf("update answered %s, description %q", up.LastUpdateStatus, aws.ToString(up.Description))
	}
	up2, err := c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("now"),
		ZipFile: zipOf(t, map[string]string{"handler.py": pyEcho + "\n# v2\n"}), Publish: true})
	if err != nil {
		t.Fatalf("code update right after a configuration update: %v", err)
	}
	if aws.ToString(up2.Version) != "1" || up2.State != types.StateActive { // the published version, as AWS answers
		t.Errorf("code update answered version %s, %s", aws.ToString(up2.Version), up2.State)
	}
	for _, q := range []string{"$LATEST", "1"} {
		got, err = c.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("now"), Qualifier: aws.String(q)})
		if err != nil || got.State != types.StateActive || got.LastUpdateStatus != types.LastUpdateStatusSuccessful || aws.ToString(got.Description) != "d" {
			t.Errorf("%s after the updates: %v %+v", q, err, got)
		}
	}
}

// Recorded: test_function_lifecycle, test_lambda_code_location_zipfile,
// test_lambda_concurrent_code_updates.
func TestFunctionLifecycle(t *testing.T) {
	ctx := context.Background()
	srv := fogbanktest.Start(t, withTransitions())
	c := lambda.NewFromConfig(srv.AWSConfig())
	code := zipOf(t, map[string]string{"handler.py": pyEcho})
	out, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("life"), Runtime: types.RuntimePython312, Role: aws.String(role),
		Handler: aws.String("handler.handler"), Code: &types.FunctionCode{ZipFile: code},
		MemorySize: aws.Int32(256), Timeout: aws.Int32(5),
		Environment: &types.Environment{Variables: map[string]string{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(code)
	if got, want := aws.ToString(out.CodeSha256), base64.StdEncoding.EncodeToString(sum[:]); got != want {
		t.Errorf("CodeSha256 %s, want %s", got, want)
	}
	if out.CodeSize != int64(len(code)) || out.State != types.StatePending || out.StateReasonCode != types.StateReasonCodeCreating ||
		aws.ToString(out.FunctionArn) != arn("life") || aws.ToString(out.Version) != "$LATEST" || aws.ToInt32(out.MemorySize) != 256 ||
		out.PackageType != types.PackageTypeZip || aws.ToString(out.LoggingConfig.LogGroup) != "/aws/lambda/life" ||
		out.Architectures[0] != types.ArchitectureX8664 || aws.ToInt32(out.EphemeralStorage.Size) != 512 || out.Environment == nil {
		t.Errorf("create response: %+v", out)
	}
	_, err = c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("life"), Description: aws.String("x")})
	wantErr(t, err, "ResourceConflictException", 409, "The operation cannot be performed at this time. The function is currently in the following state: Pending")
	// Invokes too, of every kind, until the function is Active (the SDK
	// waiters wait it out).
	for _, it := range []types.InvocationType{types.InvocationTypeRequestResponse, types.InvocationTypeEvent, types.InvocationTypeDryRun} {
		_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("life"), InvocationType: it})
		wantErr(t, err, "ResourceConflictException", 409, "The operation cannot be performed at this time. The function is currently in the following state: Pending")
	}
	_, err = c.InvokeWithResponseStream(ctx, &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("life")})
	wantErr(t, err, "ResourceConflictException", 409, "The operation cannot be performed at this time. The function is currently in the following state: Pending")

	srv.Advance(t, time.Second)
	got, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("life")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Configuration.State != types.StateActive || got.Configuration.LastUpdateStatus != types.LastUpdateStatusSuccessful ||
		aws.ToString(got.Code.RepositoryType) != "S3" || aws.ToString(got.Configuration.RevisionId) == aws.ToString(out.RevisionId) {
		t.Errorf("after create: %+v %+v", got.Configuration, got.Code)
	}

	up, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("life"), Description: aws.String("Changed-Description"), MemorySize: aws.Int32(512),
		Runtime: types.RuntimePython311, Timeout: aws.Int32(10), Environment: &types.Environment{Variables: map[string]string{"ENV_A": "a"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if up.LastUpdateStatus != types.LastUpdateStatusInProgress || up.State != types.StateActive || aws.ToInt32(up.MemorySize) != 512 || up.Environment.Variables["ENV_A"] != "a" {
		t.Errorf("update response: %+v", up)
	}
	_, err = c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("life"), ZipFile: code})
	wantErr(t, err, "ResourceConflictException", 409, "The operation cannot be performed at this time. An update is in progress for resource: "+arn("life"))

	srv.Advance(t, time.Second)
	if err := lambda.NewFunctionUpdatedV2Waiter(c).Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("life")}, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	code2 := zipOf(t, map[string]string{"handler.py": pyEcho + "\n# v2\n"})
	uc, err := c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("life"), ZipFile: code2})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(uc.CodeSha256) == aws.ToString(out.CodeSha256) || aws.ToString(uc.Description) != "Changed-Description" {
		t.Errorf("code update: %+v", uc)
	}

	list, err := c.ListFunctions(ctx, &lambda.ListFunctionsInput{})
	if err != nil || len(list.Functions) != 1 || aws.ToString(list.Functions[0].FunctionName) != "life" {
		t.Fatalf("ListFunctions: %v %+v", err, list)
	}
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("life")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("life")})
	wantErr(t, err, "ResourceNotFoundException", 404, "Function not found: "+arn("life"))
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || aws.ToString(nf.Type) != "User" {
		t.Errorf("want a typed ResourceNotFoundException with Type User, got %#v", err)
	}
}

// TestRecordedErrors replays errors recorded from AWS
// (shared/conformance/aws-recorded/lambda_/test_lambda_api.snapshot.json).
func TestRecordedErrors(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	create(t, srv, c, "fn")
	if _, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 4100)
	tests := []struct {
		name   string // recorded test and key
		call   func() error
		code   string
		status int
		msg    string
	}{
		{"test_ops_on_nonexisting_fn[get_function]", func() error {
			_, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404, "Function not found: " + arn("nope")},
		{"test_ops_on_nonexisting_fn[get_function_concurrency]", func() error {
			_, err := c.GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404, "Function not found: " + arn("nope")},
		{"test_ops_on_nonexisting_fn[get_function_url_config]", func() error {
			_, err := c.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404, "The resource you requested does not exist."},
		{"test_ops_on_nonexisting_fn[get_function_event_invoke_config]", func() error {
			_, err := c.GetFunctionEventInvokeConfig(ctx, &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", 404, "The function " + arn("nope") + ":$LATEST doesn't have an EventInvokeConfig"},
		{"test_ops_on_nonexisting_version[get_function]", func() error {
			_, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1221")})
			return err
		}, "ResourceNotFoundException", 404, "Function not found: " + arn("fn") + ":1221"},
		{"test_get_function_wrong_region[get_function]", func() error {
			_, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("arn:aws:lambda:ap-southeast-1:000000000000:function:fn")})
			return err
		}, "ResourceNotFoundException", 404, "Functions from 'ap-southeast-1' are not reachable in this region ('us-east-1')"},
		{"test_ops_with_arn_qualifier_mismatch[get_function]", func() error {
			_, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(arn("fn") + ":1"), Qualifier: aws.String("$LATEST")})
			return err
		}, "InvalidParameterValueException", 400, "The derived qualifier from the function name does not match the specified qualifier."},
		{"test_ops_with_arn_qualifier_mismatch[delete_function] match_exception", func() error {
			_, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(arn("fn") + ":$LATEST"), Qualifier: aws.String("$LATEST")})
			return err
		}, "InvalidParameterValueException", 400, "$LATEST version cannot be deleted without deleting the function."},
		{"test_function_arns invalid_function_name_exc", func() error {
			_, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("invalid:function:name")})
			return err
		}, "ValidationException", 400, "1 validation error detected: Value 'invalid:function:name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: …"},
		{"test_large_environment_variables_fails", func() error {
			_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("envbig"), Runtime: types.RuntimePython312, Role: aws.String(role),
				Handler: aws.String("handler.handler"), Code: &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": pyEcho})},
				Environment: &types.Environment{Variables: map[string]string{"LARGE_VAR": big}}})
			return err
		}, "InvalidParameterValueException", 400, "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {\"LARGE_VAR\":\"xxx…"},
		{"reserved environment variable (AWS documentation)", func() error {
			_, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"),
				Environment: &types.Environment{Variables: map[string]string{"AWS_REGION": "eu-west-1"}}})
			return err
		}, "InvalidParameterValueException", 400, "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION"},
		{"test_create_lambda_exceptions invalid_zip_exc", func() error {
			_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("badzip"), Runtime: types.RuntimePython312, Role: aws.String(role),
				Handler: aws.String("handler.handler"), Code: &types.FunctionCode{ZipFile: []byte("not a zip")}})
			return err
		}, "InvalidParameterValueException", 400, "Could not unzip uploaded file. Please check your file, then try to upload again."},
		{"test_create_lambda_exceptions invalid_role_arn_exc", func() error {
			_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("badrole"), Runtime: types.RuntimePython312, Role: aws.String("r1"),
				Handler: aws.String("handler.handler"), Code: &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": pyEcho})}})
			return err
		}, "ValidationException", 400, "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"},
		{"test_publish_with_wrong_sha256", func() error {
			_, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("fn"), CodeSha256: aws.String("somenonexistentsha256")})
			return err
		}, "InvalidParameterValueException", 400, "CodeSHA256 (somenonexistentsha256) is different from current CodeSHA256 in $LATEST (…"},
		{"test_publish_with_wrong_revisionid", func() error {
			_, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("fn"), RevisionId: aws.String("wrong")})
			return err
		}, "PreconditionFailedException", 412, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id"},
		{"test_tag_versions tag_resource_latest_exception", func() error {
			_, err := c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(arn("fn") + ":$LATEST"), Tags: map[string]string{"a": "b"}})
			return err
		}, "InvalidParameterValueException", 400, "Tags on function aliases and versions are not supported. Please specify a function ARN."},
		{"test_tag_exceptions tag_lambda_doesnotexist", func() error {
			_, err := c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(arn("doesnotexist")), Tags: map[string]string{"a": "b"}})
			return err
		}, "ResourceNotFoundException", 404, "Function not found: " + arn("doesnotexist")},
		{"test_function_concurrency_exceptions put_function_concurrency_with_qualified_arn", func() error {
			_, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String(arn("fn") + ":$LATEST"), ReservedConcurrentExecutions: aws.Int32(1)})
			return err
		}, "InvalidParameterValueException", 400, "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN."},
		{"test_function_concurrency_exceptions put_function_concurrency_with_function_name_doesnotexist", func() error {
			_, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("doesnotexist"), ReservedConcurrentExecutions: aws.Int32(1)})
			return err
		}, "ResourceNotFoundException", 404, "Function not found: " + arn("doesnotexist") + ":$LATEST"},
		{"test_function_concurrency_limits put_function_concurrency_below_unreserved_min_value", func() error {
			_, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("fn"), ReservedConcurrentExecutions: aws.Int32(901)})
			return err
		}, "InvalidParameterValueException", 400, "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."},
		{"test_permission_exceptions add_permission_fn_qualifier_latest", func() error {
			_, err := c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("fn"), Qualifier: aws.String("$LATEST"), StatementId: aws.String("s"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
			return err
		}, "InvalidParameterValueException", 400, "We currently do not support adding policies for $LATEST."},
		{"test_permission_exceptions add_permission_fn_version_doesnotexist", func() error {
			_, err := c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("fn"), Qualifier: aws.String("42"), StatementId: aws.String("s"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
			return err
		}, "ResourceNotFoundException", 404, "Function not found: " + arn("fn") + ":42"},
		{"test_permission_exceptions add_permission_fn_alias_doesnotexist", func() error {
			_, err := c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("fn"), Qualifier: aws.String("alias-doesnotexist"), StatementId: aws.String("s"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
			return err
		}, "ResourceNotFoundException", 404, "Cannot find alias arn: " + arn("fn") + ":alias-doesnotexist"},
		{"test_permission_exceptions add_permission_invalid_statement_id", func() error {
			_, err := c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("fn"), StatementId: aws.String("example.com"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
			return err
		}, "ValidationException", 400, "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)"},
		{"test_permission_exceptions get_policy_fn_doesnotexist", func() error {
			_, err := c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("doesnotexist")})
			return err
		}, "ResourceNotFoundException", 404, "The resource you requested does not exist."},
		{"test_permission_exceptions remove_permission_fn_doesnotexist", func() error {
			_, err := c.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("doesnotexist"), StatementId: aws.String("s")})
			return err
		}, "ResourceNotFoundException", 404, "No policy found for: " + arn("doesnotexist")},
		{"test_permission_exceptions remove_permission_policy_doesnotexist", func() error {
			_, err := c.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("fn"), StatementId: aws.String("s")})
			return err
		}, "ResourceNotFoundException", 404, "No policy is associated with the given resource."},
		{"test_layer_function_quota_exception create_function_with_six_layers", func() error {
			l := "arn:aws:lambda:us-east-1:000000000000:layer:l:"
			_, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("six"), Runtime: types.RuntimePython312, Role: aws.String(role),
				Handler: aws.String("handler.handler"), Code: &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": pyEcho})},
				Layers: []string{l + "1", l + "2", l + "3", l + "4", l + "5", l + "6"}})
			return err
		}, "InvalidParameterValueException", 400, "Cannot reference more than 5 layers."},
		{"test_layer_function_exceptions add_nonexistent_layer_exc", func() error {
			_, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"),
				Layers: []string{"arn:aws:lambda:us-east-1:000000000000:layer:doesnotexist:1"}})
			return err
		}, "InvalidParameterValueException", 400, "Layer version arn:aws:lambda:us-east-1:000000000000:layer:doesnotexist:1 does not exist."},
		{"test_layer_exceptions get_layer_version_exc_layer_version_doesnotexist_zero", func() error {
			_, err := c.GetLayerVersion(ctx, &lambda.GetLayerVersionInput{LayerName: aws.String("l"), VersionNumber: aws.Int64(0)})
			return err
		}, "InvalidParameterValueException", 400, "Layer Version Cannot be less than 1"},
		{"test_layer_exceptions get_layer_version_exc_layer_doesnotexist", func() error {
			_, err := c.GetLayerVersion(ctx, &lambda.GetLayerVersionInput{LayerName: aws.String("l"), VersionNumber: aws.Int64(1)})
			return err
		}, "ResourceNotFoundException", 404, "The resource you requested does not exist."},
		{"test_provisioned_concurrency_exceptions put_provisioned_latest", func() error {
			_, err := c.PutProvisionedConcurrencyConfig(ctx, &lambda.PutProvisionedConcurrencyConfigInput{FunctionName: aws.String("fn"), Qualifier: aws.String("$LATEST"), ProvisionedConcurrentExecutions: aws.Int32(1)})
			return err
		}, "InvalidParameterValueException", 400, "Provisioned Concurrency Configs cannot be applied to unpublished function versions."},
		{"test_provisioned_concurrency_exceptions get_provisioned_qualifier_doesnotexist", func() error {
			_, err := c.GetProvisionedConcurrencyConfig(ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: aws.String("fn"), Qualifier: aws.String("noalias")})
			return err
		}, "ResourceNotFoundException", 404, "Cannot find alias arn: " + arn("fn") + ":noalias"},
		{"test_provisioned_concurrency_exceptions get_provisioned_version_doesnotexist", func() error {
			_, err := c.GetProvisionedConcurrencyConfig(ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: aws.String("fn"), Qualifier: aws.String("10")})
			return err
		}, "ResourceNotFoundException", 404, "Function not found: " + arn("fn") + ":10"},
		{"test_provisioned_concurrency_limits put_provisioned_concurrency_account_limit_exceeded", func() error {
			_, err := c.PutProvisionedConcurrencyConfig(ctx, &lambda.PutProvisionedConcurrencyConfigInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1"), ProvisionedConcurrentExecutions: aws.Int32(1001)})
			return err
		}, "InvalidParameterValueException", 400, "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [1000]."},
		{"test_provisioned_concurrency_limits put_provisioned_concurrency_below_unreserved_min_value", func() error {
			_, err := c.PutProvisionedConcurrencyConfig(ctx, &lambda.PutProvisionedConcurrencyConfigInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1"), ProvisionedConcurrentExecutions: aws.Int32(901)})
			return err
		}, "InvalidParameterValueException", 400, "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."},
		{"test_tag_limits tag_lambda_too_many_tags", func() error {
			tags := map[string]string{}
			for i := range 51 {
				tags[fmt.Sprintf("k%d", i)] = "v"
			}
			_, err := c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(arn("fn")), Tags: tags})
			return err
		}, "InvalidParameterValueException", 400, "Number of tags exceeds resource tag limit."},
		{"test_tag_exceptions tag_empty_tags", func() error {
			_, err := c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(arn("fn")), Tags: map[string]string{}})
			return err
		}, "InvalidParameterValueException", 400, "An error occurred and the request cannot be processed."},
		{"test_lambda_eventinvokeconfig_exceptions put_destination_recursive", func() error {
			_, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("fn"),
				DestinationConfig: &types.DestinationConfig{OnSuccess: &types.OnSuccess{Destination: aws.String(arn("fn"))}}})
			return err
		}, "InvalidParameterValueException", 400, "You can't specify the function as a destination for itself."},
		{"test_url_config_exceptions get_function_url_config_config_doesnotexist", func() error {
			_, err := c.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String("fn")})
			return err
		}, "ResourceNotFoundException", 404, "The resource you requested does not exist."},
		{"test_lambda_eventinvokeconfig_exceptions get_qualifier_doesnotexist", func() error {
			_, err := c.GetFunctionEventInvokeConfig(ctx, &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("fn"), Qualifier: aws.String("doesnotexist")})
			return err
		}, "ResourceNotFoundException", 404, "The function " + arn("fn") + ":doesnotexist doesn't have an EventInvokeConfig"},
		{"test_lambda_eventinvokeconfig_exceptions put_functionname_nootherargs", func() error {
			_, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("fn")})
			return err
		}, "InvalidParameterValueException", 400, "You must specify at least one of error handling or destination setting."},
		{"test_lambda_eventinvokeconfig_exceptions put_functionname_name_notfound", func() error {
			_, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("nope"), MaximumRetryAttempts: aws.Int32(1)})
			return err
		}, "ResourceNotFoundException", 404, "The function doesn't exist."},
		{"test_url_config_exceptions create_function_url_config_name_doesnotexist", func() error {
			_, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("nope"), AuthType: types.FunctionUrlAuthTypeNone})
			return err
		}, "ResourceNotFoundException", 404, "Function does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, tc.call(), tc.code, tc.status, tc.msg)
		})
	}
	// Bad input changed nothing.
	list, err := c.ListFunctions(ctx, &lambda.ListFunctionsInput{})
	if err != nil || len(list.Functions) != 1 {
		t.Fatalf("functions after errors: %v %d", err, len(list.Functions))
	}
}

func TestVersionsAndAliases(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	create(t, srv, c, "v")
	// Recorded: test_publish_version_on_create.
	onCreate, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("pub"), Runtime: types.RuntimePython312, Role: aws.String(role),
		Handler: aws.String("handler.handler"), Code: &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": pyEcho})}, Publish: true})
	if err != nil || aws.ToString(onCreate.Version) != "1" || aws.ToString(onCreate.FunctionArn) != arn("pub") || onCreate.State != types.StatePending {
		t.Errorf("create with Publish: %v %+v", err, onCreate)
	}
	v1, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("v"), Description: aws.String("first")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(v1.Version) != "1" || aws.ToString(v1.FunctionArn) != arn("v")+":1" || v1.State != types.StateActive || aws.ToString(v1.Description) != "first" {
		t.Errorf("publish: %+v", v1)
	}
	again, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("v")})
	if err != nil || aws.ToString(again.Version) != "1" {
		t.Fatalf("unchanged $LATEST publishes nothing new: %v %+v", err, again)
	}
	if _, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("v"), Environment: &types.Environment{Variables: map[string]string{"AA": "2"}}}); err != nil {
		t.Fatal(err)
	}
	srv.Advance(t, time.Second)
	v2, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("v")})
	if err != nil || aws.ToString(v2.Version) != "2" {
		t.Fatalf("second publish: %v %+v", err, v2)
	}
	// Version 1 stays frozen.
	g1, err := c.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("v"), Qualifier: aws.String("1")})
	if err != nil || g1.Environment != nil {
		t.Fatalf("version 1 changed: %v %+v", err, g1.Environment)
	}
	vs, err := c.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("v")})
	if err != nil || len(vs.Versions) != 3 || aws.ToString(vs.Versions[0].FunctionArn) != arn("v")+":$LATEST" {
		t.Fatalf("versions: %v %+v", err, vs)
	}

	a, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("v"), Name: aws.String("live"), FunctionVersion: aws.String("1"),
		RoutingConfig: &types.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{"2": 0.2}}})
	if err != nil || aws.ToString(a.AliasArn) != arn("v")+":live" {
		t.Fatalf("alias: %v %+v", err, a)
	}
	gf, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("v"), Qualifier: aws.String("live")})
	if err != nil || aws.ToString(gf.Configuration.Version) != "1" || aws.ToString(gf.Configuration.FunctionArn) != arn("v")+":live" {
		t.Fatalf("get through alias: %v %+v", err, gf)
	}
	cases := []struct {
		name, version string
		weights       map[string]float64
		code, msg     string
	}{
		{"routing_config_exc_toomany", "1", map[string]float64{"2": 0.5, "3": 0.5}, "InvalidParameterValueException", "Number of items in AdditionalVersionWeights cannot be greater than 1"},
		{"routing_config_exc_toohigh", "1", map[string]float64{"2": 2}, "ValidationException", "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]"},
		{"routing_config_exc_sameversion", "1", map[string]float64{"1": 0.5}, "InvalidParameterValueException", "Invalid function version 1. Function version 1 is already included in routing configuration."},
		{"target_version_doesnotexist", "10", nil, "ResourceNotFoundException", "Function not found: " + arn("v") + ":10"},
		{"target_version_exc_version_latest", "$LATEST", map[string]float64{"2": 0.5}, "InvalidParameterValueException", "$LATEST is not supported for an alias pointing to more than 1 version"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := &lambda.CreateAliasInput{FunctionName: aws.String("v"), Name: aws.String("x"), FunctionVersion: aws.String(tc.version)}
			if tc.weights != nil {
				in.RoutingConfig = &types.AliasRoutingConfiguration{AdditionalVersionWeights: tc.weights}
			}
			_, err := c.CreateAlias(ctx, in)
			wantErr(t, err, tc.code, 0, tc.msg)
		})
	}
	_, err = c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("v"), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	wantErr(t, err, "ResourceConflictException", 409, "Alias already exists: "+arn("v")+":live")
	// Recorded: test_non_existent_alias_update, test_alias_naming.
	_, err = c.UpdateAlias(ctx, &lambda.UpdateAliasInput{FunctionName: aws.String("v"), Name: aws.String("non-existent"), FunctionVersion: aws.String("1")})
	wantErr(t, err, "ResourceNotFoundException", 404, "Alias not found: "+arn("v")+":non-existent")
	_, err = c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("v"), Name: aws.String("2024"), FunctionVersion: aws.String("1")})
	wantErr(t, err, "ValidationException", 400, "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")
	if _, err := c.DeleteAlias(ctx, &lambda.DeleteAliasInput{FunctionName: aws.String("v"), Name: aws.String("non-existent")}); err != nil {
		t.Errorf("deleting a missing alias: %v", err) // recorded: test_non_existent_alias_deletion
	}
	_, err = c.UpdateAlias(ctx, &lambda.UpdateAliasInput{FunctionName: aws.String("v"), Name: aws.String("live"), RevisionId: aws.String("nope")})
	wantErr(t, err, "PreconditionFailedException", 412, "")
	ua, err := c.UpdateAlias(ctx, &lambda.UpdateAliasInput{FunctionName: aws.String("v"), Name: aws.String("live"), FunctionVersion: aws.String("2"),
		RoutingConfig: &types.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{}}})
	if err != nil || aws.ToString(ua.FunctionVersion) != "2" || ua.RoutingConfig != nil {
		t.Fatalf("update alias: %v %+v", err, ua)
	}
	_, err = c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("v"), Qualifier: aws.String("2")})
	wantErr(t, err, "ResourceConflictException", 409, "Unable to delete version because the following aliases reference it: [live]")
	la, err := c.ListAliases(ctx, &lambda.ListAliasesInput{FunctionName: aws.String("v")})
	if err != nil || len(la.Aliases) != 1 {
		t.Fatalf("list aliases: %v %+v", err, la)
	}
	if _, err := c.DeleteAlias(ctx, &lambda.DeleteAliasInput{FunctionName: aws.String("v"), Name: aws.String("live")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("v"), Qualifier: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	vs, _ = c.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("v")})
	if len(vs.Versions) != 2 {
		t.Errorf("after deleting version 1: %d versions", len(vs.Versions))
	}
}

func TestPermissionsTagsSettings(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	create(t, srv, c, "p", func(in *lambda.CreateFunctionInput) { in.Tags = map[string]string{"team": "a"} })
	ap, err := c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("s3"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com"), SourceArn: aws.String("arn:aws:s3:::bucket")})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"` + arn("p") + `","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::bucket"}}}`
	if aws.ToString(ap.Statement) != want {
		t.Errorf("statement:\n got %s\nwant %s", aws.ToString(ap.Statement), want)
	}
	_, err = c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("s3"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
	wantErr(t, err, "ResourceConflictException", 409, "The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.")
	gp, err := c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("p")})
	if err != nil || aws.ToString(gp.Policy) != `{"Version":"2012-10-17","Id":"default","Statement":[`+want+`]}` || gp.RevisionId == nil {
		t.Fatalf("policy: %v %s", err, aws.ToString(gp.Policy))
	}
	_, err = c.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("non-existent")})
	wantErr(t, err, "ResourceNotFoundException", 404, "Statement non-existent is not found in resource policy.")
	if _, err := c.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("s3")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("p")})
	wantErr(t, err, "ResourceNotFoundException", 404, "The resource you requested does not exist.")

	if _, err := c.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(arn("p")), Tags: map[string]string{"env": "dev"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &lambda.UntagResourceInput{Resource: aws.String(arn("p")), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	lt, err := c.ListTags(ctx, &lambda.ListTagsInput{Resource: aws.String(arn("p"))})
	if err != nil || len(lt.Tags) != 1 || lt.Tags["env"] != "dev" {
		t.Fatalf("tags: %v %+v", err, lt)
	}

	if _, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("p"), ReservedConcurrentExecutions: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	as, err := c.GetAccountSettings(ctx, &lambda.GetAccountSettingsInput{})
	if err != nil || as.AccountLimit.ConcurrentExecutions != 1000 || aws.ToInt32(as.AccountLimit.UnreservedConcurrentExecutions) != 993 || as.AccountUsage.FunctionCount != 1 {
		t.Fatalf("account settings: %v %+v %+v", err, as.AccountLimit, as.AccountUsage)
	}
	gf, _ := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("p")})
	if gf.Concurrency == nil || aws.ToInt32(gf.Concurrency.ReservedConcurrentExecutions) != 7 {
		t.Errorf("GetFunction concurrency: %+v", gf.Concurrency)
	}
	if _, err := c.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("p")}); err != nil {
		t.Fatal(err)
	}
	gc, err := c.GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String("p")})
	if err != nil || gc.ReservedConcurrentExecutions != nil {
		t.Fatalf("after delete: %v %+v", err, gc)
	}

	ec, err := c.PutFunctionEventInvokeConfig(ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("p"), MaximumRetryAttempts: aws.Int32(0)})
	if err != nil || aws.ToString(ec.FunctionArn) != arn("p")+":$LATEST" || aws.ToInt32(ec.MaximumRetryAttempts) != 0 {
		t.Fatalf("event invoke config: %v %+v", err, ec)
	}
	uc, err := c.UpdateFunctionEventInvokeConfig(ctx, &lambda.UpdateFunctionEventInvokeConfigInput{FunctionName: aws.String("p"), MaximumEventAgeInSeconds: aws.Int32(60)})
	if err != nil || aws.ToInt32(uc.MaximumRetryAttempts) != 0 || aws.ToInt32(uc.MaximumEventAgeInSeconds) != 60 {
		t.Fatalf("update event invoke config: %v %+v", err, uc)
	}
	u, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("p"), AuthType: types.FunctionUrlAuthTypeNone})
	if err != nil || !strings.HasPrefix(aws.ToString(u.FunctionUrl), srv.URL()+"/_fogbank/lambda-url/") {
		t.Fatalf("url config: %v %+v", err, u)
	}
	_, err = c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("p"), AuthType: types.FunctionUrlAuthTypeNone})
	wantErr(t, err, "ResourceConflictException", 409, "Failed to create function url config for [functionArn = "+arn("p")+"]. Error message:  FunctionUrlConfig exists for this Lambda function")
}

func TestLayers(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	lz := zipOf(t, map[string]string{"python/helper.py": "X = 1\n"})
	var arns []string
	for i := range 2 {
		out, err := c.PublishLayerVersion(ctx, &lambda.PublishLayerVersionInput{LayerName: aws.String("lib"), Content: &types.LayerVersionContentInput{ZipFile: lz},
			CompatibleRuntimes: []types.Runtime{types.RuntimePython312}, CompatibleArchitectures: []types.Architecture{types.ArchitectureX8664}})
		if err != nil {
			t.Fatal(err)
		}
		if out.Version != int64(i+1) || aws.ToString(out.LayerVersionArn) != fmt.Sprintf("arn:aws:lambda:us-east-1:000000000000:layer:lib:%d", i+1) {
			t.Errorf("publish layer: %+v", out)
		}
		arns = append(arns, aws.ToString(out.LayerVersionArn))
	}
	ll, err := c.ListLayers(ctx, &lambda.ListLayersInput{CompatibleRuntime: types.RuntimePython312})
	if err != nil || len(ll.Layers) != 1 || ll.Layers[0].LatestMatchingVersion.Version != 2 {
		t.Fatalf("list layers: %v %+v", err, ll)
	}
	lv, err := c.ListLayerVersions(ctx, &lambda.ListLayerVersionsInput{LayerName: aws.String("lib")})
	if err != nil || len(lv.LayerVersions) != 2 || lv.LayerVersions[0].Version != 2 {
		t.Fatalf("list layer versions: %v %+v", err, lv)
	}
	_, err = c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("two"), Runtime: types.RuntimePython312, Role: aws.String(role),
		Handler: aws.String("handler.handler"), Code: &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"handler.py": pyEcho})}, Layers: arns})
	wantErr(t, err, "InvalidParameterValueException", 400, "Two different versions of the same layer are not allowed to be referenced in the same function. "+arns[0]+" and "+arns[1])
	out := create(t, srv, c, "withlayer", func(in *lambda.CreateFunctionInput) { in.Layers = arns[1:] })
	if len(out.Layers) != 1 || aws.ToString(out.Layers[0].Arn) != arns[1] || out.Layers[0].CodeSize != int64(len(lz)) {
		t.Errorf("function layers: %+v", out.Layers)
	}
	perm, err := c.AddLayerVersionPermission(ctx, &lambda.AddLayerVersionPermissionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(1),
		StatementId: aws.String("s1"), Action: aws.String("lambda:GetLayerVersion"), Principal: aws.String("*")})
	if err != nil || !strings.Contains(aws.ToString(perm.Statement), `"Principal":"*"`) {
		t.Fatalf("layer permission: %v %+v", err, perm)
	}
	_, err = c.AddLayerVersionPermission(ctx, &lambda.AddLayerVersionPermissionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(1),
		StatementId: aws.String("s1"), Action: aws.String("lambda:GetLayerVersion"), Principal: aws.String("*")})
	wantErr(t, err, "ResourceConflictException", 409, "The statement id (s1) provided already exists. Please provide a new statement id, or remove the existing statement.")
	if _, err := c.DeleteLayerVersion(ctx, &lambda.DeleteLayerVersionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(1)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetLayerVersion(ctx, &lambda.GetLayerVersionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(1)})
	wantErr(t, err, "ResourceNotFoundException", 404, "The resource you requested does not exist.")
	// Version numbers are never reused.
	out3, err := c.PublishLayerVersion(ctx, &lambda.PublishLayerVersionInput{LayerName: aws.String("lib"), Content: &types.LayerVersionContentInput{ZipFile: lz}})
	if err != nil || out3.Version != 3 {
		t.Fatalf("third version: %v %+v", err, out3)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// Recorded: test_lambda_image_crud (the create, get and the errors of
// switching package types). Without a container engine on the machine the
// function is kept and invoking it says what is missing.
func TestImageFunctions(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	uri := "000000000000.dkr.ecr.us-east-1.amazonaws.com/fn:latest"
	out, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("img"), PackageType: types.PackageTypeImage,
		Role: aws.String(role), Code: &types.FunctionCode{ImageUri: aws.String(uri)}})
	if err != nil && strings.Contains(err.Error(), "does not exist") {
		t.Skip("a container engine is reachable and lacks the image; the engine's own tests run images")
	}
	if err != nil {
		t.Fatal(err)
	}
	if out.PackageType != types.PackageTypeImage || out.Runtime != "" || out.Handler != nil || out.RuntimeVersionConfig != nil || out.State != types.StatePending {
		t.Errorf("create: %+v", out)
	}
	srv.Advance(t, time.Second)
	g, err := c.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("img")})
	if err != nil || aws.ToString(g.Code.RepositoryType) != "ECR" || aws.ToString(g.Code.ImageUri) != uri ||
		!strings.HasSuffix(aws.ToString(g.Code.ResolvedImageUri), "@sha256:"+aws.ToString(g.Configuration.CodeSha256)) {
		t.Fatalf("get: %v %+v", err, g.Code)
	}
	_, err = c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("img"), ZipFile: zipOf(t, map[string]string{"handler.py": pyEcho})})
	wantErr(t, err, "InvalidParameterValueException", 400, "Please provide ImageUri when updating a function with packageType Image.")
	create(t, srv, c, "zipfn")
	_, err = c.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("zipfn"), ImageUri: aws.String(uri)})
	wantErr(t, err, "InvalidParameterValueException", 400, "Please don't provide ImageUri when updating a function with packageType Zip.")
	_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("img")})
	wantErr(t, err, "InvalidRuntimeException", 502, "lambdaruntime: runtime unavailable on this host: PackageType Image runs through Docker or Podman…")
}

// Recorded: test_add_lambda_permission_fields — the statement AWS stores
// for each principal form and optional field.
func TestPermissionStatements(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	create(t, srv, c, "perm")
	res := arn("perm")
	tests := []struct {
		name string
		in   lambda.AddPermissionInput
		want string
	}{
		{"add_permission_principal_wildcard", lambda.AddPermissionInput{StatementId: aws.String("wilcard"), Principal: aws.String("*"), SourceAccount: aws.String("000000000000")},
			`{"Sid":"wilcard","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"` + res + `","Condition":{"StringEquals":{"AWS:SourceAccount":"000000000000"}}}`},
		{"add_permission_principal_service", lambda.AddPermissionInput{StatementId: aws.String("lambda"), Principal: aws.String("lambda.amazonaws.com"), SourceAccount: aws.String("000000000000")},
			`{"Sid":"lambda","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"` + res + `","Condition":{"StringEquals":{"AWS:SourceAccount":"000000000000"}}}`},
		{"add_permission_principal_account", lambda.AddPermissionInput{StatementId: aws.String("account-id"), Principal: aws.String("111111111111")},
			`{"Sid":"account-id","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"lambda:InvokeFunction","Resource":"` + res + `"}`},
		{"add_permission_optional_fields", lambda.AddPermissionInput{StatementId: aws.String("urlPermission"), Principal: aws.String("*"), Action: aws.String("lambda:InvokeFunctionUrl"),
			SourceArn: aws.String("arn:aws:s3:::bucket"), SourceAccount: aws.String("000000000000"), PrincipalOrgID: aws.String("o-1234567890"), FunctionUrlAuthType: types.FunctionUrlAuthTypeNone},
			`{"Sid":"urlPermission","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"` + res + `","Condition":{"StringEquals":{"AWS:SourceAccount":"000000000000","lambda:FunctionUrlAuthType":"NONE","aws:PrincipalOrgID":"o-1234567890"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::bucket"}}}`},
		{"add_permission_alexa_skill", lambda.AddPermissionInput{StatementId: aws.String("alexaSkill"), Principal: aws.String("*"), EventSourceToken: aws.String("amzn1.ask.skill.xxxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")},
			`{"Sid":"alexaSkill","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"` + res + `","Condition":{"StringEquals":{"lambda:EventSourceToken":"amzn1.ask.skill.xxxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.FunctionName = aws.String("perm")
			if in.Action == nil {
				in.Action = aws.String("lambda:InvokeFunction")
			}
			out, err := c.AddPermission(ctx, &in)
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.Statement); got != tc.want {
				t.Errorf("statement\n got %s\nwant %s", got, tc.want)
			}
		})
	}
	_, err := c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("perm"), StatementId: aws.String("bad"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("invalid-principal")})
	wantErr(t, err, "InvalidParameterValueException", 400, "The provided principal was invalid. Please check the principal and try again.")
}

// ListFunctions pages with Marker and MaxItems.
func TestListFunctionsPaging(t *testing.T) {
	ctx := context.Background()
	srv, c := newClient(t)
	for _, n := range []string{"c", "a", "b"} {
		create(t, srv, c, n)
	}
	var names []string
	p := lambda.NewListFunctionsPaginator(c, &lambda.ListFunctionsInput{MaxItems: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, f := range out.Functions {
			names = append(names, aws.ToString(f.FunctionName))
		}
	}
	if strings.Join(names, ",") != "a,b,c" || pages != 2 {
		t.Errorf("paged %v in %d pages", names, pages)
	}
}
