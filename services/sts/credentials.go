package sts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	stsapi "github.com/fogbank/fogbank/internal/api/sts"
	"github.com/fogbank/fogbank/internal/router"
)

// Session duration bounds, in seconds, from the STS API reference. AssumeRole
// is further capped by the role's MaxSessionDuration in AWS; Fogbank does not
// know roles' settings (IAM may later), so only the API bounds apply.
const (
	assumeRoleMinSeconds     = 900
	assumeRoleMaxSeconds     = 43200
	assumeRoleDefaultSeconds = 3600
	sessionMinSeconds        = 900
	sessionMaxSeconds        = 129600
	sessionDefaultSeconds    = 43200
)

// namePattern is the model's pattern for RoleSessionName and a federated
// user's Name; the message quotes it as AWS does.
const namePattern = `[\w+=,.@-]*`

var nameRE = regexp.MustCompile(`^[\w+=,.@-]*$`)

// AssumeRole issues temporary credentials for a role session.
func (s *Service) AssumeRole(ctx context.Context, in *stsapi.AssumeRoleRequest) (*stsapi.AssumeRoleResponse, error) {
	c := call(ctx)
	if in.RoleArn == nil {
		return nil, nullValue("roleArn")
	}
	if in.RoleSessionName == nil {
		return nil, nullValue("roleSessionName")
	}
	roleArn, session := *in.RoleArn, *in.RoleSessionName
	if err := checkName(session, "roleSessionName", 2, 64); err != nil {
		return nil, err
	}
	if n := len(roleArn); n < 20 || n > 2048 {
		return nil, lengthError(roleArn, "roleArn", n < 20, 20, 2048)
	}
	arn, ok := parseARN(roleArn)
	if !ok {
		return nil, api.NewValidationError("%s is invalid", roleArn)
	}
	secs, err := duration(in.DurationSeconds, assumeRoleMinSeconds, assumeRoleMaxSeconds, assumeRoleDefaultSeconds)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags, in.TransitiveTagKeys); err != nil {
		return nil, err
	}

	account := arn.account
	if !router.IsAccountID(account) {
		account = c.Account
	}
	roleName := arn.resource
	if i := strings.LastIndexByte(roleName, '/'); i >= 0 {
		roleName = roleName[i+1:]
	}
	roleID := stableID("AROA", roleArn)
	id := &issued{
		Account: account,
		Arn:     "arn:" + arn.partition + ":sts::" + account + ":assumed-role/" + roleName + "/" + session,
		UserID:  roleID + ":" + session,
		Session: true,
	}
	creds, err := s.issue(ctx, id, secs)
	if err != nil {
		return nil, err
	}
	out := &stsapi.AssumeRoleResponse{
		Credentials:     creds,
		AssumedRoleUser: &stsapi.AssumedRoleUser{Arn: api.String(id.Arn), AssumedRoleId: api.String(id.UserID)},
		SourceIdentity:  in.SourceIdentity,
	}
	if in.Policy != nil || len(in.PolicyArns) > 0 || len(in.Tags) > 0 {
		out.PackedPolicySize = api.Int32(packedSize(in))
	}
	return out, nil
}

// GetSessionToken issues temporary credentials that act as the caller.
func (s *Service) GetSessionToken(ctx context.Context, in *stsapi.GetSessionTokenRequest) (*stsapi.GetSessionTokenResponse, error) {
	caller := s.callerIdentity(call(ctx))
	if caller.session {
		return nil, &api.Error{Code: "AccessDenied", Status: 403, Sender: true,
			Message: "Cannot call GetSessionToken with session credentials"}
	}
	secs, err := duration(in.DurationSeconds, sessionMinSeconds, sessionMaxSeconds, sessionDefaultSeconds)
	if err != nil {
		return nil, err
	}
	creds, err := s.issue(ctx, &issued{Account: caller.Account, Arn: caller.Arn, UserID: caller.UserID}, secs)
	if err != nil {
		return nil, err
	}
	return &stsapi.GetSessionTokenResponse{Credentials: creds}, nil
}

// GetFederationToken issues temporary credentials for a federated user of
// the caller's account.
func (s *Service) GetFederationToken(ctx context.Context, in *stsapi.GetFederationTokenRequest) (*stsapi.GetFederationTokenResponse, error) {
	caller := s.callerIdentity(call(ctx))
	if in.Name == nil {
		return nil, nullValue("name")
	}
	name := *in.Name
	if err := checkName(name, "name", 2, 32); err != nil {
		return nil, err
	}
	secs, err := duration(in.DurationSeconds, sessionMinSeconds, sessionMaxSeconds, sessionDefaultSeconds)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags, nil); err != nil {
		return nil, err
	}
	id := &issued{
		Account: caller.Account,
		Arn:     "arn:" + partition(call(ctx).Region) + ":sts::" + caller.Account + ":federated-user/" + name,
		UserID:  caller.Account + ":" + name,
		Session: true,
	}
	creds, err := s.issue(ctx, id, secs)
	if err != nil {
		return nil, err
	}
	return &stsapi.GetFederationTokenResponse{
		Credentials:      creds,
		FederatedUser:    &stsapi.FederatedUser{Arn: api.String(id.Arn), FederatedUserId: api.String(id.UserID)},
		PackedPolicySize: api.Int32(0),
	}, nil
}

// issue creates a credential for id valid for secs seconds from the
// Fogbank clock, stores it, and returns it in wire form.
func (s *Service) issue(ctx context.Context, id *issued, secs int32) (*stsapi.Credentials, error) {
	exp := s.env.Clock.Now().Add(time.Duration(secs) * time.Second).UTC().Truncate(time.Second)
	id.AccessKeyID = "ASIA" + randomBase32(16)
	id.Secret = randomBase64(30) // 40 characters, like AWS secrets
	id.Token = "FwoGZXIvYXdzE" + randomBase64(180)
	id.Expiration = exp.Unix()
	if err := s.save(ctx, id); err != nil {
		return nil, err
	}
	return &stsapi.Credentials{
		AccessKeyId:     api.String(id.AccessKeyID),
		SecretAccessKey: api.String(id.Secret),
		SessionToken:    api.String(id.Token),
		Expiration:      api.Time(exp),
	}, nil
}

// arnParts are the fields of an ARN.
type arnParts struct {
	partition, service, region, account, resource string
}

// parseARN splits an ARN the way STS checks RoleArn: six colon-separated
// fields, "arn" first, with partition, service and resource non-empty
// (region and account may be empty). Recorded from AWS: "arn:a:::x" (five
// fields), "arn::b:::x", "arn:a::::x" and "arn:a:a::acct:" are all invalid.
func parseARN(s string) (arnParts, bool) {
	f := strings.SplitN(s, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[1] == "" || f[2] == "" || f[5] == "" {
		return arnParts{}, false
	}
	return arnParts{partition: f[1], service: f[2], region: f[3], account: f[4], resource: f[5]}, true
}

// duration applies the default and bounds of a DurationSeconds member.
func duration(p *int32, min, max, def int32) (int32, error) {
	if p == nil {
		return def, nil
	}
	v := *p
	switch {
	case v < min:
		return 0, constraint(fmt.Sprint(v), "durationSeconds", fmt.Sprintf("Member must have value greater than or equal to %d", min))
	case v > max:
		return 0, constraint(fmt.Sprint(v), "durationSeconds", fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
	return v, nil
}

// checkName applies the length and pattern constraints of a session or
// federated user name.
func checkName(v, field string, min, max int) error {
	if n := len(v); n < min || n > max {
		return lengthError(v, field, n < min, min, max)
	}
	if !nameRE.MatchString(v) {
		return constraint(v, field, "Member must satisfy regular expression pattern: "+namePattern)
	}
	return nil
}

// checkTags applies AssumeRole's session tag rules, with AWS's messages.
func checkTags(tags []*stsapi.Tag, transitive []string) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if t == nil || t.Key == nil {
			continue
		}
		k := strings.ToLower(*t.Key)
		if seen[k] {
			return api.Errorf("InvalidParameterValue", 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	for _, k := range transitive {
		if !seen[strings.ToLower(k)] {
			return api.Errorf("InvalidParameterValue", 400, "The specified transitive tag key must be included in the requested tags.")
		}
	}
	return nil
}

// packedSize approximates PackedPolicySize, the percentage of the packed
// session policy and tag limit the request used.
func packedSize(in *stsapi.AssumeRoleRequest) int32 {
	n := len(api.ToString(in.Policy)) + 20*len(in.PolicyArns)
	for _, t := range in.Tags {
		if t != nil {
			n += len(api.ToString(t.Key)) + len(api.ToString(t.Value))
		}
	}
	p := int32(n * 100 / 2048)
	if p < 1 {
		p = 1
	}
	return p
}

// The validation messages of AWS's front end for query services.

func constraint(value, field, rule string) *api.Error {
	return api.NewValidationError("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, field, rule)
}

func lengthError(value, field string, short bool, min, max int) *api.Error {
	if short {
		return constraint(value, field, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
	return constraint(value, field, fmt.Sprintf("Member must have length less than or equal to %d", max))
}

func nullValue(field string) *api.Error {
	return api.NewValidationError("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
}

// stableID derives an IAM-style unique id (prefix + 17 characters) from s, so
// the same role always has the same id.
func stableID(prefix, s string) string {
	sum := sha256.Sum256([]byte(s))
	return prefix + base32.StdEncoding.EncodeToString(sum[:])[:17]
}

func randomBase32(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base32.StdEncoding.EncodeToString(b)[:n]
}

func randomBase64(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}
