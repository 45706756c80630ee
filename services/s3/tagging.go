package s3

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/fogbank/fogbank/internal/api"
	s3api "github.com/fogbank/fogbank/internal/api/s3"
)

// Tag limits, as AWS documents them: 10 tags per object, 50 per bucket,
// keys of 1–128 and values of 0–256 Unicode characters of letters, digits,
// spaces and + - = . _ : / @, no key twice.
const (
	maxObjectTags = 10
	maxBucketTags = 50
)

func errInvalidTag(msg string) *api.Error { return s3err("InvalidTag", http.StatusBadRequest, msg) }

func validTagText(s string) bool {
	for _, r := range s {
		switch {
		case r == ' ' || r == '+' || r == '-' || r == '=' || r == '.' || r == '_' || r == ':' || r == '/' || r == '@':
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r > 127:
		default:
			return false
		}
	}
	return true
}

// checkTags validates a tag set; forBucket selects the bucket's limit and
// its message for system (aws:) keys, which differs from the object's, as
// recorded.
func checkTags(tags []tag, forBucket bool) error {
	limit := maxObjectTags
	if forBucket {
		limit = maxBucketTags
	}
	if len(tags) > limit {
		if forBucket {
			return errInvalidTag("Bucket tag count cannot be greater than 50")
		}
		return s3err("BadRequest", http.StatusBadRequest, "Object tags cannot be greater than 10")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case strings.HasPrefix(t.Key, "aws:") && forBucket:
			return errInvalidTag("System tags cannot be added/updated by requester").With("TagKey", t.Key)
		case strings.HasPrefix(t.Key, "aws:"):
			return errInvalidTag("Your TagKey cannot be prefixed with aws:").With("TagKey", t.Key)
		case t.Key == "" || utf8.RuneCountInString(t.Key) > 128 || !validTagText(t.Key):
			return errInvalidTag("The TagKey you have provided is invalid").With("TagKey", t.Key)
		case utf8.RuneCountInString(t.Value) > 256 || !validTagText(t.Value):
			return errInvalidTag("The TagValue you have provided is invalid").With("TagKey", t.Key).With("TagValue", t.Value)
		case seen[t.Key]:
			return errInvalidTag("Cannot provide multiple Tags with the same key").With("TagKey", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// tagsOf converts a request's Tagging; a tag without Key or Value is
// MalformedXML, as AWS's schema requires both.
func tagsOf(t *s3api.Tagging) ([]tag, error) {
	if t == nil {
		return nil, errMalformedXML()
	}
	out := make([]tag, 0, len(t.TagSet))
	for _, x := range t.TagSet {
		if x == nil || x.Key == nil || x.Value == nil {
			return nil, errMalformedXML()
		}
		out = append(out, tag{Key: *x.Key, Value: *x.Value})
	}
	return out, nil
}

func wireTags(tags []tag) []*s3api.Tag {
	out := make([]*s3api.Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, &s3api.Tag{Key: ptr(t.Key), Value: ptr(t.Value)})
	}
	return out
}

// parseTaggingHeader reads x-amz-tagging (URL query encoded, as PutObject,
// CopyObject and CreateMultipartUpload carry it).
func parseTaggingHeader(h *string) ([]tag, error) {
	if h == nil || *h == "" {
		return nil, nil
	}
	bad := errInvalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", "x-amz-tagging", *h)
	var tags []tag
	seen := map[string]bool{}
	for _, part := range strings.Split(*h, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || seen[key] {
			return nil, bad
		}
		seen[key] = true
		tags = append(tags, tag{Key: key, Value: val})
	}
	if err := checkTags(tags, false); err != nil {
		if ae := (*api.Error)(nil); errorsAs(err, &ae) && ae.Code == "InvalidTag" && strings.Contains(ae.Message, "invalid") {
			return nil, bad
		}
		return nil, err
	}
	return tags, nil
}

// retag replaces one version's tags (nil: none) under the key's lock. A
// delete marker, current or named, is MethodNotAllowed.
func (s *Service) retag(ctx context.Context, bucket, key, versionID string, tags []tag) (*object, error) {
	if versionID != "" && !validVersionID(versionID) {
		return nil, errInvalidVersionID(versionID)
	}
	var done *object
	_, err := s.mutate(ctx, bucket, key, func(_ string, st keyState) (change, error) {
		o, i, err := pickVersion(ctx, st, key, versionID)
		if err != nil {
			return change{}, err
		}
		c := *o
		c.Tags = tags
		done = &c
		return change{state: st.replaced(i, &c)}, nil
	})
	return done, err
}

// pickVersion finds the version versionID ("" the current) of a key for
// a sub-resource operation (tagging, ACL).
// A delete marker is MethodNotAllowed, naming the request's method.
func pickVersion(ctx context.Context, st keyState, key, versionID string) (*object, int, error) {
	var o *object
	i := 0
	if versionID == "" {
		o = st.cur
		if o == nil {
			return nil, 0, errNoSuchKey(key)
		}
	} else if o, i = st.find(versionID); o == nil {
		return nil, 0, errNoSuchVersion(key, versionID)
	}
	if o.DeleteMarker {
		method := ""
		if r := call(ctx).Request; r != nil {
			method = r.Method
		}
		return nil, 0, errMethodNotAllowed(method)
	}
	return o, i, nil
}

// PutObjectTagging replaces a version's tags.
func (s *Service) PutObjectTagging(ctx context.Context, in *s3api.PutObjectTaggingRequest) (*s3api.PutObjectTaggingOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	tags, err := tagsOf(in.Tagging)
	if err != nil {
		return nil, err
	}
	if err := checkTags(tags, false); err != nil {
		return nil, err
	}
	o, err := s.retag(ctx, str(in.Bucket), str(in.Key), str(in.VersionId), tags)
	if err != nil {
		return nil, err
	}
	s.notify(ctx, event{name: "ObjectTagging:Put", bucket: o.Bucket, key: o.Key, etag: o.ETag, versionID: o.VersionID, version: "2.3"})
	return &s3api.PutObjectTaggingOutput{VersionId: versionHeader(o)}, nil
}

// GetObjectTagging answers a version's tags (an empty set if none).
func (s *Service) GetObjectTagging(ctx context.Context, in *s3api.GetObjectTaggingRequest) (*s3api.GetObjectTaggingOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	st, err := s.keyVersions(str(in.Bucket), str(in.Key))
	if err != nil {
		return nil, err
	}
	if v := str(in.VersionId); v != "" && !validVersionID(v) {
		return nil, errInvalidVersionID(v)
	}
	// AWS's NoSuchKey here names the key as "bucket/key" (as recorded),
	// unlike Put/DeleteObjectTagging's.
	o, _, err := pickVersion(ctx, st, str(in.Bucket)+"/"+str(in.Key), str(in.VersionId))
	if err != nil {
		return nil, err
	}
	return &s3api.GetObjectTaggingOutput{TagSet: wireTags(o.Tags), VersionId: versionHeader(o)}, nil
}

// DeleteObjectTagging removes a version's tags.
func (s *Service) DeleteObjectTagging(ctx context.Context, in *s3api.DeleteObjectTaggingRequest) (*s3api.DeleteObjectTaggingOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	o, err := s.retag(ctx, str(in.Bucket), str(in.Key), str(in.VersionId), nil)
	if err != nil {
		return nil, err
	}
	s.notify(ctx, event{name: "ObjectTagging:Delete", bucket: o.Bucket, key: o.Key, etag: o.ETag, versionID: o.VersionID, version: "2.3"})
	return &s3api.DeleteObjectTaggingOutput{VersionId: versionHeader(o)}, nil
}

// PutBucketTagging replaces the bucket's tags; an empty set removes them.
func (s *Service) PutBucketTagging(ctx context.Context, in *s3api.PutBucketTaggingRequest) (*s3api.PutBucketTaggingOutput, error) {
	if _, err := s.bucketInfo(str(in.Bucket)); err != nil {
		return nil, err
	}
	tags, err := tagsOf(in.Tagging)
	if err != nil {
		return nil, err
	}
	if err := checkTags(tags, true); err != nil {
		return nil, err
	}
	err = s.updateBucket(ctx, str(in.Bucket), func(r *bucketRecord) error {
		r.Tags = tags
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketTaggingOutput{}, nil
}

// GetBucketTagging answers the tags, or NoSuchTagSet.
func (s *Service) GetBucketTagging(ctx context.Context, in *s3api.GetBucketTaggingRequest) (*s3api.GetBucketTaggingOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	if len(b.Tags) == 0 {
		return nil, errNoSuchConfig("NoSuchTagSet", "The TagSet does not exist", str(in.Bucket))
	}
	return &s3api.GetBucketTaggingOutput{TagSet: wireTags(b.Tags)}, nil
}

// DeleteBucketTagging removes the tags (idempotent).
func (s *Service) DeleteBucketTagging(ctx context.Context, in *s3api.DeleteBucketTaggingRequest) (*s3api.DeleteBucketTaggingOutput, error) {
	err := s.updateBucket(ctx, str(in.Bucket), func(r *bucketRecord) error {
		r.Tags = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.DeleteBucketTaggingOutput{}, nil
}
