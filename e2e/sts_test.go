package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// STS through every client: who am I, with the default account, with a
// 12-digit access key and with --account; AssumeRole and the identity of the
// credentials it returns; GetSessionToken.

func TestSTSGetCallerIdentity(t *testing.T) {
	s := startServer(t, ServerOptions{})
	forEachClient(t, "sts", func(t *testing.T, c *Client) {
		out := c.Call(t, s, "sts", "GetCallerIdentity", nil).OK(t)
		if got := str(out, "Account"); got != "000000000000" {
			t.Errorf("Account = %q, want the default 000000000000 (output %v)", got, out)
		}
		if arn := str(out, "Arn"); !strings.HasPrefix(arn, "arn:aws:iam::000000000000:") {
			t.Errorf("Arn = %q, want an IAM ARN in account 000000000000", arn)
		}
		if str(out, "UserId") == "" {
			t.Errorf("UserId is empty (output %v)", out)
		}

		// A 12-digit access key is the account (DESIGN.md, Accounts and regions).
		key := Creds{AccessKeyID: "123456789012", SecretAccessKey: "test", Region: "eu-west-1"}
		out = c.CallAs(t, s, key, "sts", "GetCallerIdentity", nil).OK(t)
		if got := str(out, "Account"); got != "123456789012" {
			t.Errorf("with access key 123456789012: Account = %q, want 123456789012", got)
		}
		if arn := str(out, "Arn"); !strings.HasPrefix(arn, "arn:aws:iam::123456789012:") {
			t.Errorf("with access key 123456789012: Arn = %q", arn)
		}
	})
}

func TestSTSAccountFlag(t *testing.T) {
	s := startServer(t, ServerOptions{Args: []string{"--account", "111122223333"}})
	forEachClient(t, "sts", func(t *testing.T, c *Client) {
		out := c.Call(t, s, "sts", "GetCallerIdentity", nil).OK(t)
		if got := str(out, "Account"); got != "111122223333" {
			t.Errorf("with --account 111122223333: Account = %q", got)
		}
	})
}

func TestSTSAssumeRole(t *testing.T) {
	s := startServer(t, ServerOptions{})
	forEachClient(t, "sts", func(t *testing.T, c *Client) {
		session := "e2e-" + c.Name
		out := c.Call(t, s, "sts", "AssumeRole", map[string]any{
			"RoleArn":         "arn:aws:iam::000000000000:role/demo",
			"RoleSessionName": session,
			"DurationSeconds": 900,
		}).OK(t)
		wantArn := "arn:aws:sts::000000000000:assumed-role/demo/" + session
		if got := str(out, "AssumedRoleUser.Arn"); got != wantArn {
			t.Errorf("AssumedRoleUser.Arn = %q, want %q", got, wantArn)
		}
		roleID := str(out, "AssumedRoleUser.AssumedRoleId")
		if !regexp.MustCompile(`^AROA[A-Z0-9]+:` + regexp.QuoteMeta(session) + `$`).MatchString(roleID) {
			t.Errorf("AssumedRoleUser.AssumedRoleId = %q, want AROA…:%s", roleID, session)
		}
		cr := Creds{
			AccessKeyID:     str(out, "Credentials.AccessKeyId"),
			SecretAccessKey: str(out, "Credentials.SecretAccessKey"),
			SessionToken:    str(out, "Credentials.SessionToken"),
			Region:          "us-east-1",
		}
		if !strings.HasPrefix(cr.AccessKeyID, "ASIA") || cr.SecretAccessKey == "" || cr.SessionToken == "" {
			t.Fatalf("Credentials = %v, want an ASIA… key, a secret and a session token", out["Credentials"])
		}
		checkExpiration(t, str(out, "Credentials.Expiration"), 900*time.Second)

		// The temporary credentials are the assumed role.
		who := c.CallAs(t, s, cr, "sts", "GetCallerIdentity", nil).OK(t)
		if got := str(who, "Arn"); got != wantArn {
			t.Errorf("GetCallerIdentity with the role's credentials: Arn = %q, want %q", got, wantArn)
		}
		if got := str(who, "UserId"); got != roleID {
			t.Errorf("GetCallerIdentity with the role's credentials: UserId = %q, want %q", got, roleID)
		}
		if got := str(who, "Account"); got != "000000000000" {
			t.Errorf("GetCallerIdentity with the role's credentials: Account = %q", got)
		}
	})
}

func TestSTSGetSessionToken(t *testing.T) {
	s := startServer(t, ServerOptions{})
	forEachClient(t, "sts", func(t *testing.T, c *Client) {
		out := c.Call(t, s, "sts", "GetSessionToken", map[string]any{"DurationSeconds": 3600}).OK(t)
		if k := str(out, "Credentials.AccessKeyId"); !strings.HasPrefix(k, "ASIA") {
			t.Errorf("Credentials.AccessKeyId = %q, want ASIA…", k)
		}
		if str(out, "Credentials.SecretAccessKey") == "" || str(out, "Credentials.SessionToken") == "" {
			t.Errorf("Credentials = %v, want a secret and a session token", out["Credentials"])
		}
		checkExpiration(t, str(out, "Credentials.Expiration"), time.Hour)
	})
}

// checkExpiration checks that exp, as a client printed it, is about d from
// now. The window is wide: it checks the duration was applied, not timing.
func checkExpiration(t *testing.T, exp string, d time.Duration) {
	t.Helper()
	// The CLIs and boto3 print 2026-11-30T02:15:00+00:00, the JS SDK
	// 2026-11-30T02:15:00.000Z: both RFC 3339.
	when, err := time.Parse(time.RFC3339Nano, exp)
	if err != nil {
		t.Errorf("Expiration %q: %v", exp, err)
		return
	}
	if left := time.Until(when); left < d-10*time.Minute || left > d+10*time.Minute {
		t.Errorf("Expiration %s is %v from now, want about %v", exp, left.Round(time.Second), d)
	}
}

// TestSTSValidation sends what the clients let through but the model
// forbids (a range and a pattern they do not check): each client must
// surface ValidationError, HTTP 400, in AWS's words.
func TestSTSValidation(t *testing.T) {
	s := startServer(t, ServerOptions{})
	forEachClient(t, "sts", func(t *testing.T, c *Client) {
		for _, tc := range []struct {
			params map[string]any
			want   string
		}{
			{map[string]any{"RoleArn": "arn:aws:iam::000000000000:role/demo", "RoleSessionName": "ok", "DurationSeconds": 50000},
				"Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
			{map[string]any{"RoleArn": "arn:aws:iam::000000000000:role/demo", "RoleSessionName": "bad name!"},
				"Value 'bad name!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		} {
			e := c.Call(t, s, "sts", "AssumeRole", tc.params).Fails(t, "ValidationError")
			if !strings.Contains(e.Message, tc.want) {
				t.Errorf("message %q, want it to contain %q", e.Message, tc.want)
			}
			if c.HTTPStatus && e.Status != 400 {
				t.Errorf("HTTP status %d, want 400", e.Status)
			}
		}
	})
}
