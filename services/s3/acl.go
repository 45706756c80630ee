package s3

import (
	"context"
	"net/http"
	"strings"

	s3api "github.com/fogbank/fogbank/internal/api/s3"
)

// ACLs are stored values (enforced when auth lands): a canned ACL or the
// grants of an AccessControlPolicy or x-amz-grant-* headers. They do take
// the one effect AWS gives them without auth: a bucket whose object
// ownership is BucketOwnerEnforced (the default) refuses any ACL but
// private and bucket-owner-full-control with AccessControlListNotSupported.
type acl struct {
	Canned string         `json:"canned,omitempty"`
	Grants []*s3api.Grant `json:"grants,omitempty"`
}

const (
	allUsersURI    = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsersURI   = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	logDeliveryURI = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

var cannedACLs = map[string]bool{
	"private": true, "public-read": true, "public-read-write": true, "authenticated-read": true,
	"aws-exec-read": true, "bucket-owner-read": true, "bucket-owner-full-control": true, "log-delivery-write": true,
}

// aclHeaders are the ACL members every ACL-carrying request has.
type aclHeaders struct {
	canned                                      *string
	policy                                      *s3api.AccessControlPolicy
	fullControl, read, readACP, write, writeACP *string
}

// parseACL turns a request's ACL members into the acl to store (nil: the
// request set none). ownership is the bucket's object ownership.
func parseACL(h aclHeaders, ownership string) (*acl, error) {
	var a acl
	hasGrants := h.fullControl != nil || h.read != nil || h.readACP != nil || h.write != nil || h.writeACP != nil
	if h.canned != nil {
		if !cannedACLs[*h.canned] {
			return nil, errInvalidArgument("", "x-amz-acl", *h.canned)
		}
		if hasGrants {
			return nil, s3err("InvalidRequest", 400, "Specifying both Canned ACLs and Header Grants is not allowed")
		}
		a.Canned = *h.canned
	}
	for _, g := range []struct {
		perm, header string
		h            *string
	}{{"FULL_CONTROL", "x-amz-grant-full-control", h.fullControl}, {"READ", "x-amz-grant-read", h.read}, {"READ_ACP", "x-amz-grant-read-acp", h.readACP},
		{"WRITE", "x-amz-grant-write", h.write}, {"WRITE_ACP", "x-amz-grant-write-acp", h.writeACP}} {
		if g.h == nil {
			continue
		}
		for _, part := range strings.Split(*g.h, ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok {
				return nil, errInvalidArgument("Argument format not recognized", g.header, strings.TrimSpace(part))
			}
			v = strings.Trim(v, `"`)
			ge := &s3api.Grantee{}
			switch strings.ToLower(k) {
			case "id":
				ge.Type, ge.ID = ptr("CanonicalUser"), ptr(v)
			case "uri":
				ge.Type, ge.URI = ptr("Group"), ptr(v)
			case "emailaddress":
				ge.Type, ge.EmailAddress = ptr("AmazonCustomerByEmail"), ptr(v)
			default:
				return nil, errInvalidArgument("Argument format not recognized", g.header, strings.TrimSpace(part))
			}
			if err := checkGrantee(ge, true); err != nil {
				return nil, err
			}
			a.Grants = append(a.Grants, &s3api.Grant{Grantee: ge, Permission: ptr(g.perm)})
		}
	}
	if h.policy != nil {
		if a.Canned != "" || len(a.Grants) > 0 {
			return nil, s3err("UnexpectedContent", 400, "This request does not support content")
		}
		if len(h.policy.Grants) == 0 || h.policy.Owner == nil || h.policy.Owner.ID == nil {
			return nil, errMalformedACL()
		}
		for _, g := range h.policy.Grants {
			if g == nil || g.Grantee == nil || g.Permission == nil || !permissions[*g.Permission] {
				return nil, errMalformedACL()
			}
			switch str(g.Grantee.Type) {
			case "CanonicalUser":
				if g.Grantee.ID == nil {
					return nil, errMalformedACL()
				}
			case "Group":
				if g.Grantee.URI == nil {
					return nil, errMalformedACL()
				}
			case "AmazonCustomerByEmail":
				if g.Grantee.EmailAddress == nil {
					return nil, errMalformedACL()
				}
			default:
				return nil, errMalformedACL()
			}
			if err := checkGrantee(g.Grantee, false); err != nil {
				return nil, err
			}
		}
		a.Grants = h.policy.Grants
		if len(a.Grants) == 0 {
			a.Canned = "private"
		}
	}
	if a.Canned == "" && len(a.Grants) == 0 {
		return nil, nil
	}
	if ownership == "BucketOwnerEnforced" && (len(a.Grants) > 0 || a.Canned != "private" && a.Canned != "bucket-owner-full-control") {
		// A full-control grant to the owner alone is allowed too; anything
		// else is refused.
		if !(len(a.Grants) == 1 && a.Canned == "" && str(a.Grants[0].Permission) == "FULL_CONTROL" && a.Grants[0].Grantee.ID != nil) {
			return nil, s3err("AccessControlListNotSupported", http.StatusBadRequest, "The bucket does not allow ACLs")
		}
	}
	return &a, nil
}

var permissions = map[string]bool{"FULL_CONTROL": true, "WRITE": true, "WRITE_ACP": true, "READ": true, "READ_ACP": true}

func errMalformedACL() error {
	return s3err("MalformedACLError", 400, "The XML you provided was not well-formed or did not validate against our published schema")
}

// checkGrantee refuses what AWS refuses in a grantee: a group that is not
// one of S3's, a canonical id that is not 64 hex digits. The error names the
// argument as AWS does: the grant header's "uri"/"id" key, or the
// AccessControlPolicy's "Group/URI"/"CanonicalUser/ID".
func checkGrantee(g *s3api.Grantee, fromHeader bool) error {
	name := func(header, body string) string {
		if fromHeader {
			return header
		}
		return body
	}
	if g.URI != nil {
		switch *g.URI {
		case allUsersURI, authUsersURI, logDeliveryURI:
		default:
			return errInvalidArgument("Invalid group uri", name("uri", "Group/URI"), *g.URI)
		}
	}
	if g.ID != nil {
		id := *g.ID
		ok := len(id) == 64
		for i := 0; ok && i < len(id); i++ {
			c := id[i]
			ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
		}
		if !ok {
			return errInvalidArgument("Invalid id", name("id", "CanonicalUser/ID"), id)
		}
	}
	return nil
}

// grants answers an ACL as AWS does: the owner's FULL_CONTROL, then what
// the canned ACL adds, or the stored grants.
func grants(a *acl, account string) []*s3api.Grant {
	ownerGrant := &s3api.Grant{Grantee: &s3api.Grantee{Type: ptr("CanonicalUser"), ID: ptr(canonicalID(account)), DisplayName: ptr("webfile")}, Permission: ptr("FULL_CONTROL")}
	group := func(uri, perm string) *s3api.Grant {
		return &s3api.Grant{Grantee: &s3api.Grantee{Type: ptr("Group"), URI: ptr(uri)}, Permission: ptr(perm)}
	}
	if a != nil && len(a.Grants) > 0 {
		return a.Grants
	}
	out := []*s3api.Grant{ownerGrant}
	if a == nil {
		return out
	}
	switch a.Canned {
	case "public-read":
		out = append(out, group(allUsersURI, "READ"))
	case "public-read-write":
		out = append(out, group(allUsersURI, "READ"), group(allUsersURI, "WRITE"))
	case "authenticated-read":
		out = append(out, group(authUsersURI, "READ"))
	case "log-delivery-write":
		out = append(out, group(logDeliveryURI, "WRITE"), group(logDeliveryURI, "READ_ACP"))
	}
	return out
}

func (s *Service) PutBucketAcl(ctx context.Context, in *s3api.PutBucketAclRequest) (*s3api.PutBucketAclOutput, error) {
	err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error {
		a, err := parseACL(aclHeaders{canned: in.ACL, policy: in.AccessControlPolicy, fullControl: in.GrantFullControl,
			read: in.GrantRead, readACP: in.GrantReadACP, write: in.GrantWrite, writeACP: in.GrantWriteACP}, c.ownership())
		if err != nil {
			return err
		}
		if a == nil {
			return s3err("MissingSecurityHeader", 400, "Your request was missing a required header").With("MissingHeaderName", "x-amz-acl")
		}
		c.ACL = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketAclOutput{}, nil
}

func (s *Service) GetBucketAcl(ctx context.Context, in *s3api.GetBucketAclRequest) (*s3api.GetBucketAclOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	return &s3api.GetBucketAclOutput{Owner: owner(b.Account), Grants: grants(b.Config.ACL, b.Account)}, nil
}

// PutObjectAcl replaces a version's ACL.
func (s *Service) PutObjectAcl(ctx context.Context, in *s3api.PutObjectAclRequest) (*s3api.PutObjectAclOutput, error) {
	bucket, key, vid := str(in.Bucket), str(in.Key), str(in.VersionId)
	b, err := s.bucketInfo(bucket)
	if err != nil {
		return nil, err
	}
	a, err := parseACL(aclHeaders{canned: in.ACL, policy: in.AccessControlPolicy, fullControl: in.GrantFullControl,
		read: in.GrantRead, readACP: in.GrantReadACP, writeACP: in.GrantWriteACP}, b.Config.ownership())
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, s3err("MissingSecurityHeader", 400, "Your request was missing a required header").With("MissingHeaderName", "x-amz-acl")
	}
	if vid != "" && !validVersionID(vid) {
		return nil, errInvalidVersionID(vid)
	}
	var done *object
	_, err = s.mutate(ctx, bucket, key, func(_ string, st keyState) (change, error) {
		o, i, err := pickVersion(ctx, st, key, vid)
		if err != nil {
			return change{}, err
		}
		c := *o
		c.ACL = a
		done = &c
		return change{state: st.replaced(i, &c)}, nil
	})
	if err != nil {
		return nil, err
	}
	s.notify(ctx, event{name: "ObjectAcl:Put", bucket: done.Bucket, key: done.Key, etag: done.ETag, versionID: done.VersionID, version: "2.3"})
	return &s3api.PutObjectAclOutput{}, nil
}

func (s *Service) GetObjectAcl(ctx context.Context, in *s3api.GetObjectAclRequest) (*s3api.GetObjectAclOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	st, err := s.keyVersions(str(in.Bucket), str(in.Key))
	if err != nil {
		return nil, err
	}
	if v := str(in.VersionId); v != "" && !validVersionID(v) {
		return nil, errInvalidVersionID(v)
	}
	if in.VersionId == nil && st.cur != nil && st.cur.DeleteMarker {
		// GET of the current version's ACL is NoSuchKey under a delete
		// marker (PUT, and GET by the marker's id, are MethodNotAllowed).
		return nil, errDeleteMarker(st.cur)
	}
	o, _, err := pickVersion(ctx, st, str(in.Key), str(in.VersionId))
	if err != nil {
		return nil, err
	}
	return &s3api.GetObjectAclOutput{Owner: owner(b.Account), Grants: grants(o.ACL, b.Account)}, nil
}
