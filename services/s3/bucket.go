package s3

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/google/btree"

	s3api "github.com/fogbank/fogbank/internal/api/s3"
	"github.com/fogbank/fogbank/internal/store"
)

// bucket is a live bucket. Its objects map is guarded by Service.mu.
type bucket struct {
	bucketRecord
	// objects are the current version of each key (maybe a delete marker).
	objects map[string]*object
	// older are each key's noncurrent versions, newest first (versions.go).
	older map[string][]*object
	// keys orders every key with a version (current or not), so listings
	// walk a page, not the bucket (list.go).
	keys *btree.BTreeG[string]
}

func newKeyIndex() *btree.BTreeG[string] {
	return btree.NewG(32, func(a, b string) bool { return a < b })
}

// bucketRecord is what the store keeps of a bucket.
type bucketRecord struct {
	Name    string    `json:"name"`
	Account string    `json:"account"`
	Region  string    `json:"region"`
	Created time.Time `json:"created"`
	// Versioning is "", "Enabled" or "Suspended" (versions.go).
	Versioning string `json:"versioning,omitempty"`
	// Tags are the bucket's tags (tagging.go); Config the other stored
	// bucket settings (config.go).
	Tags   []tag        `json:"tags,omitempty"`
	Config bucketConfig `json:"config"`
}

// validBucketName applies S3's general purpose bucket naming rules: 3-63
// characters of lowercase letters, digits, '.' and '-', beginning and ending
// with a letter or digit, no "..", not an IP address, none of the reserved
// prefixes and suffixes.
func validBucketName(n string) bool {
	if len(n) < 3 || len(n) > 63 {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	if !alnum(n[0]) || !alnum(n[len(n)-1]) || strings.Contains(n, "..") {
		return false
	}
	if net.ParseIP(n) != nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(n, p) {
			return false
		}
	}
	for _, sfx := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(n, sfx) {
			return false
		}
	}
	return true
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// CreateBucket creates a bucket in the caller's region. The location
// constraint must name that region (none for us-east-1). A name taken by
// the caller is BucketAlreadyOwnedByYou, by another account
// BucketAlreadyExists — except that us-east-1 answers success to its owner,
// as AWS's legacy behaviour there does.
func (s *Service) CreateBucket(ctx context.Context, in *s3api.CreateBucketRequest) (*s3api.CreateBucketOutput, error) {
	c := call(ctx)
	name := str(in.Bucket)
	if !validBucketName(name) {
		return nil, errInvalidBucketName(name)
	}
	region := c.Region
	var lc string
	if in.CreateBucketConfiguration != nil {
		lc = str(in.CreateBucketConfiguration.LocationConstraint)
	}
	switch {
	case lc == "" && region != "us-east-1":
		return nil, errIllegalLocation()
	case region == "us-east-1" && lc != "" && (lc == "us-east-1" || !knownRegion(lc) && lc != "EU"):
		// us-east-1 is named by no constraint; naming it, or what is no
		// region at all ("foo", "aws-global"), is refused there (as
		// recorded); elsewhere a constraint other than the endpoint's
		// region is IllegalLocationConstraintException.
		return nil, s3err("InvalidLocationConstraint", 400, "The specified location-constraint is not valid").With("LocationConstraint", lc)
	case lc != "" && lc != region:
		return nil, s3err("IllegalLocationConstraintException", 400,
			fmt.Sprintf("The %s location constraint is incompatible for the region specific endpoint this request was sent to.", lc))
	}

	var cfg bucketConfig
	if in.ObjectOwnership != nil {
		if !objectOwnerships[*in.ObjectOwnership] {
			return nil, errInvalidArgumentName("Invalid x-amz-object-ownership header: "+*in.ObjectOwnership, "x-amz-object-ownership")
		}
		cfg.Ownership = &s3api.OwnershipControls{Rules: []*s3api.OwnershipControlsRule{{ObjectOwnership: in.ObjectOwnership}}}
	}
	bucketACL, err := parseACL(aclHeaders{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead,
		readACP: in.GrantReadACP, write: in.GrantWrite, writeACP: in.GrantWriteACP}, cfg.ownership())
	if err != nil {
		return nil, err
	}
	cfg.ACL = bucketACL

	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.RLock()
	old := s.mu.buckets[name]
	s.mu.RUnlock()
	if old != nil {
		if old.Account != c.Account {
			return nil, s3api.NewBucketAlreadyExists("The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
		}
		if region == "us-east-1" && old.Region == "us-east-1" {
			return &s3api.CreateBucketOutput{Location: ptr("/" + name), BucketArn: ptr(bucketARN(name))}, nil
		}
		return nil, s3api.NewBucketAlreadyOwnedByYou("Your previous request to create the named bucket succeeded and you already own it.").With("BucketName", name)
	}
	b := &bucket{
		bucketRecord: bucketRecord{Name: name, Account: c.Account, Region: region, Created: s.now(), Config: cfg},
		objects:      map[string]*object{},
		older:        map[string][]*object{},
		keys:         newKeyIndex(),
	}
	v, err := json.Marshal(&b.bucketRecord)
	if err != nil {
		return nil, fmt.Errorf("encoding bucket %q: %w", name, err)
	}
	var batch store.Batch
	batch.Put(bucketRecordKey(name), v)
	if err := s.env.Store.Apply(ctx, &batch); err != nil {
		return nil, fmt.Errorf("creating bucket %q: %w", name, err)
	}
	s.mu.Lock()
	s.mu.buckets[name] = b
	s.mu.Unlock()
	loc := "/" + name
	if region != "us-east-1" {
		loc = fmt.Sprintf("http://%s.s3.amazonaws.com/", name)
	}
	return &s3api.CreateBucketOutput{Location: &loc, BucketArn: ptr(bucketARN(name))}, nil
}

// HeadBucket answers 200 with the bucket's region, or 404 without a body.
func (s *Service) HeadBucket(ctx context.Context, in *s3api.HeadBucketRequest) (*s3api.HeadBucketOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	return &s3api.HeadBucketOutput{BucketRegion: &b.Region, AccessPointAlias: ptr(false), BucketArn: ptr(bucketARN(b.Name))}, nil
}

// ListBuckets lists the caller's buckets by name, filtered by prefix and
// bucket-region, in pages of max-buckets (all by default) with opaque
// continuation tokens (base64url of the last name returned).
func (s *Service) ListBuckets(ctx context.Context, in *s3api.ListBucketsRequest) (*s3api.ListBucketsOutput, error) {
	c := call(ctx)
	prefix, region := str(in.Prefix), str(in.BucketRegion)
	if region != "" && !knownRegion(region) {
		return nil, errInvalidArgumentName("Argument value "+region+" is not a valid AWS Region", "bucket-region")
	}
	after := ""
	if t := str(in.ContinuationToken); t != "" { // an empty token is the first page, as recorded
		k, err := base64.RawURLEncoding.DecodeString(t)
		if err != nil {
			return nil, errInvalidArgumentName("The continuation token provided is incorrect", "continuation-token")
		}
		after = string(k)
	}
	s.mu.RLock()
	var out []*s3api.Bucket
	for _, b := range s.mu.buckets {
		if b.Account == c.Account && strings.HasPrefix(b.Name, prefix) && (region == "" || b.Region == region) && b.Name > after {
			out = append(out, &s3api.Bucket{Name: ptr(b.Name), CreationDate: ptr(b.Created), BucketRegion: ptr(b.Region),
				BucketArn: ptr(bucketARN(b.Name))})
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return *out[i].Name < *out[j].Name })
	res := &s3api.ListBucketsOutput{Owner: owner(c.Account), Prefix: in.Prefix}
	if in.MaxBuckets != nil && len(out) > int(*in.MaxBuckets) {
		out = out[:*in.MaxBuckets]
		res.ContinuationToken = ptr(base64.RawURLEncoding.EncodeToString([]byte(*out[len(out)-1].Name)))
	}
	res.Buckets = out
	return res, nil
}

// DeleteBucket deletes an empty bucket (objects count; multipart uploads in
// progress do not, and are aborted with it).
func (s *Service) DeleteBucket(ctx context.Context, in *s3api.DeleteBucketRequest) (*s3api.DeleteBucketOutput, error) {
	name := str(in.Bucket)
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.RLock()
	b := s.mu.buckets[name]
	empty := b != nil && len(b.objects) == 0 && len(b.older) == 0
	s.mu.RUnlock()
	if b == nil {
		return nil, errNoSuchBucket(name)
	}
	if !empty {
		if b.Versioning != "" {
			return nil, s3err("BucketNotEmpty", 409, "The bucket you tried to delete is not empty. You must delete all versions in the bucket.").With("BucketName", name)
		}
		return nil, errBucketNotEmpty(name)
	}
	var batch store.Batch
	batch.Delete(bucketRecordKey(name))
	// Multipart uploads in progress go with the bucket. Their writer locks
	// are not taken (they are ordered before lifecycle): a part whose Apply
	// races this one leaves a part record without an upload, which load
	// ignores, and a body file that sweep deletes.
	s.mu.RLock()
	var ups []*upload
	var parts []*partRecord
	for _, u := range s.mu.uploads {
		if u.Bucket == name {
			ups = append(ups, u)
			batch.Delete(uploadRecordKey(u.ID))
			for _, p := range u.parts {
				parts = append(parts, p)
				batch.Delete(partRecordKey(u.ID, p.Number))
			}
		}
	}
	s.mu.RUnlock()
	if err := s.env.Store.Apply(ctx, &batch); err != nil {
		return nil, fmt.Errorf("deleting bucket %q: %w", name, err)
	}
	s.mu.Lock()
	delete(s.mu.buckets, name)
	for _, u := range ups {
		delete(s.mu.uploads, u.ID)
	}
	s.mu.Unlock()
	for _, p := range parts {
		s.blobs.remove(p.Blob)
	}
	return &s3api.DeleteBucketOutput{}, nil
}

// GetBucketLocation answers the bucket's region, empty for us-east-1.
func (s *Service) GetBucketLocation(ctx context.Context, in *s3api.GetBucketLocationRequest) (*s3api.GetBucketLocationOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	out := &s3api.GetBucketLocationOutput{}
	if b.Region != "us-east-1" {
		out.LocationConstraint = ptr(b.Region)
	}
	return out, nil
}

// updateBucket changes a bucket's record durably, then in memory. f may
// refuse (its error is returned, nothing changes). Object writes are held
// off meanwhile (lifecycle), so they see the bucket's settings before or
// after, never half of them.
func (s *Service) updateBucket(ctx context.Context, name string, f func(r *bucketRecord) error) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	s.mu.RLock()
	b := s.mu.buckets[name]
	var r bucketRecord
	if b != nil {
		r = b.bucketRecord
	}
	s.mu.RUnlock()
	if b == nil {
		return errNoSuchBucket(name)
	}
	if err := f(&r); err != nil {
		return err
	}
	v, err := json.Marshal(&r)
	if err != nil {
		return fmt.Errorf("encoding bucket %q: %w", name, err)
	}
	var batch store.Batch
	batch.Put(bucketRecordKey(name), v)
	if err := s.env.Store.Apply(ctx, &batch); err != nil {
		return fmt.Errorf("updating bucket %q: %w", name, err)
	}
	s.mu.Lock()
	b.bucketRecord = r
	s.mu.Unlock()
	return nil
}

// bucketInfo returns a copy of the named bucket's record, or NoSuchBucket.
func (s *Service) bucketInfo(name string) (bucketRecord, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.mu.buckets[name]
	if b == nil {
		return bucketRecord{}, errNoSuchBucket(name)
	}
	return b.bucketRecord, nil
}

func owner(account string) *s3api.Owner {
	return &s3api.Owner{ID: ptr(canonicalID(account)), DisplayName: ptr("webfile")}
}

func bucketARN(name string) string { return "arn:aws:s3:::" + name }

// canonicalID is an account's S3 canonical user id: 64 hex digits, as AWS's
// are (derived from the account, so it is stable across restarts).
func canonicalID(account string) string {
	sum := sha256.Sum256([]byte("fogbank-s3-canonical-user:" + account))
	return hex.EncodeToString(sum[:])
}

func ptr[T any](v T) *T { return &v }

// awsRegions are the AWS Regions a bucket-region filter may name.
const awsRegions = " us-east-1 us-east-2 us-west-1 us-west-2 af-south-1 ap-east-1 ap-east-2 ap-south-1 ap-south-2" +
	" ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4" +
	" ap-southeast-5 ap-southeast-7 ca-central-1 ca-west-1 eu-central-1 eu-central-2 eu-west-1 eu-west-2 eu-west-3" +
	" eu-south-1 eu-south-2 eu-north-1 il-central-1 me-south-1 me-central-1 mx-central-1 sa-east-1" +
	" us-gov-east-1 us-gov-west-1 cn-north-1 cn-northwest-1 "

func knownRegion(r string) bool { return r != "" && strings.Contains(awsRegions, " "+r+" ") }
