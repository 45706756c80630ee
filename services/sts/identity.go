package sts

import (
	"context"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	stsapi "github.com/fogbank/fogbank/internal/api/sts"
	"github.com/fogbank/fogbank/internal/router"
)

// identity is who a request acts as.
type identity struct {
	Account, Arn, UserID string
	session              bool
}

// callerIdentity is the identity of the key the request was signed with: the
// one recorded when STS issued it, else the root user of the request's
// account (a 12-digit key, or the default account).
func (s *Service) callerIdentity(c *api.Call) identity {
	if is := s.lookup(c.AccessKey); is != nil {
		return identity{Account: is.Account, Arn: is.Arn, UserID: is.UserID, session: is.Session}
	}
	return identity{
		Account: c.Account,
		Arn:     "arn:" + partition(c.Region) + ":iam::" + c.Account + ":root",
		UserID:  c.Account,
	}
}

// GetCallerIdentity answers with the caller's account, ARN and user id.
func (s *Service) GetCallerIdentity(ctx context.Context, _ *stsapi.GetCallerIdentityRequest) (*stsapi.GetCallerIdentityResponse, error) {
	id := s.callerIdentity(call(ctx))
	return &stsapi.GetCallerIdentityResponse{Account: &id.Account, Arn: &id.Arn, UserId: &id.UserID}, nil
}

// GetAccessKeyInfo answers with the account a key belongs to.
func (s *Service) GetAccessKeyInfo(ctx context.Context, in *stsapi.GetAccessKeyInfoRequest) (*stsapi.GetAccessKeyInfoResponse, error) {
	ak := api.ToString(in.AccessKeyId)
	if ak == "" {
		return nil, nullValue("accessKeyId")
	}
	account := s.env.DefaultAccount
	switch is := s.lookup(ak); {
	case is != nil:
		account = is.Account
	case router.IsAccountID(ak):
		account = ak
	}
	return &stsapi.GetAccessKeyInfoResponse{Account: &account}, nil
}

// partition is the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}
