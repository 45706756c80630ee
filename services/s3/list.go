package s3

import (
	"context"
	"encoding/base64"
	"net/url"
	"slices"
	"strconv"
	"strings"

	s3api "github.com/fogbank/fogbank/internal/api/s3"
)

// listing is one page of a bucket listing.
type listing struct {
	contents  []*s3api.Object
	prefixes  []*s3api.CommonPrefix
	truncated bool
	next      string // last key or common prefix returned, where the next page starts after
}

// list walks the bucket's keys in order after `after`, under prefix,
// rolling keys that contain delimiter past the prefix into common
// prefixes, until maxKeys entries (keys plus prefixes) are collected. It
// walks the bucket's ordered key index from the first key it can return
// and jumps past each common prefix, so a page costs about its size, not
// the bucket's.
func (s *Service) list(bucket, prefix, delimiter, after string, maxKeys int) (listing, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.mu.buckets[bucket]
	if b == nil {
		return listing{}, errNoSuchBucket(bucket)
	}
	var l listing
	n := 0
	walkKeys(b, prefix, delimiter, after, func(k, cp string) bool {
		if cp == "" {
			o := b.objects[k]
			if o == nil || o.DeleteMarker {
				return true
			}
		}
		if n == maxKeys {
			l.truncated = true
			return false
		}
		n++
		if cp != "" {
			l.prefixes = append(l.prefixes, &s3api.CommonPrefix{Prefix: ptr(cp)})
			l.next = cp
			return true
		}
		o := b.objects[k]
		e := &s3api.Object{
			Key: ptr(o.Key), LastModified: ptr(o.LastModified), ETag: ptr(o.ETag),
			Size: ptr(o.Size), StorageClass: ptr(storageClass(o)),
		}
		if o.ChecksumAlgorithm != "" {
			e.ChecksumAlgorithm = []string{o.ChecksumAlgorithm}
		}
		l.contents = append(l.contents, e)
		l.next = k
		return true
	}, func(k string) bool {
		o := b.objects[k]
		return o != nil && !o.DeleteMarker
	})
	return l, nil
}

// walkKeys calls f, in key order, for each key of b under prefix after
// `after` (cp "") and, with a delimiter, once for each common prefix (k its
// first key) in place of the keys under it, until f returns false. live
// says whether a key counts: a common prefix is only reported for a live
// key under it. Common prefixes that `after` lies in are skipped (a
// continuation token or start-after inside them). s.mu is held.
func walkKeys(b *bucket, prefix, delimiter, after string, f func(k, cp string) bool, live func(k string) bool) {
	start := prefix
	if after >= start {
		start = after + "\x00"
	}
	for {
		jump, stop := "", false
		b.keys.AscendGreaterOrEqual(start, func(k string) bool {
			if !strings.HasPrefix(k, prefix) {
				stop = true
				return false
			}
			if delimiter != "" {
				if i := strings.Index(k[len(prefix):], delimiter); i >= 0 {
					if !live(k) {
						return true
					}
					cp := k[:len(prefix)+i+len(delimiter)]
					if end, ok := prefixEnd(cp); ok {
						jump = end
					} else {
						stop = true
					}
					if after != "" && strings.HasPrefix(after, cp) {
						return false
					}
					if !f(k, cp) {
						stop = true
					}
					return false
				}
			}
			if !f(k, "") {
				stop = true
				return false
			}
			return true
		})
		if stop || jump == "" {
			return
		}
		start = jump
	}
}

// prefixEnd is the least string greater than every string starting with
// p; ok is false when there is none (p is all 0xff bytes).
func prefixEnd(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

func storageClass(o *object) string {
	if o.StorageClass == "" {
		return "STANDARD"
	}
	return o.StorageClass
}

// listStart is every object listing's prologue: presigned-URL expiry, the
// encoding type, and the page size.
func (s *Service) listStart(ctx context.Context, enc *string, max *int32) (int, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return 0, err
	}
	if err := checkEncodingType(enc); err != nil {
		return 0, err
	}
	return maxKeysOf(max)
}

// checkEncodingType refuses an encoding-type other than "url", the one
// S3 knows (as recorded for every listing).
func checkEncodingType(e *string) error {
	if e != nil && *e != "url" {
		return errInvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", *e)
	}
	return nil
}

// maxKeysOf is the page size asked for, 1000 at most and by default.
func maxKeysOf(p *int32) (int, error) {
	if p == nil {
		return 1000, nil
	}
	if *p < 0 {
		return 0, errInvalidArgument("max-keys cannot be negative", "max-keys", strconv.Itoa(int(*p)))
	}
	return min(int(*p), 1000), nil
}

// ListObjectsV2 pages with opaque continuation tokens (the base64 of the
// key or common prefix the page ended at).
func (s *Service) ListObjectsV2(ctx context.Context, in *s3api.ListObjectsV2Request) (*s3api.ListObjectsV2Output, error) {
	maxKeys, err := s.listStart(ctx, in.EncodingType, in.MaxKeys)
	if err != nil {
		return nil, err
	}
	after := str(in.StartAfter)
	if t := in.ContinuationToken; t != nil {
		k, derr := base64.RawURLEncoding.DecodeString(*t)
		if derr != nil || *t == "" {
			return nil, errInvalidArgumentName("The continuation token provided is incorrect", "continuation-token")
		}
		after = string(k)
	}
	l, err := s.list(str(in.Bucket), str(in.Prefix), str(in.Delimiter), after, maxKeys)
	if err != nil {
		return nil, err
	}
	out := &s3api.ListObjectsV2Output{
		Name: in.Bucket, Prefix: ptr(str(in.Prefix)), Delimiter: in.Delimiter,
		MaxKeys: ptr(int32(maxKeys)), Contents: l.contents, CommonPrefixes: l.prefixes,
		KeyCount: ptr(int32(len(l.contents) + len(l.prefixes))), IsTruncated: ptr(l.truncated),
		ContinuationToken: in.ContinuationToken, StartAfter: in.StartAfter, EncodingType: in.EncodingType,
	}
	if l.truncated {
		out.NextContinuationToken = ptr(base64.RawURLEncoding.EncodeToString([]byte(l.next)))
	}
	if str(in.EncodingType) == "url" {
		encodeV2(out)
	}
	if in.FetchOwner != nil && *in.FetchOwner {
		o := owner(call(ctx).Account)
		for _, c := range out.Contents {
			c.Owner = o
		}
	}
	return out, nil
}

// ListObjects (version 1) pages by marker; NextMarker is returned only
// with a delimiter, as in AWS (clients use the last key otherwise).
func (s *Service) ListObjects(ctx context.Context, in *s3api.ListObjectsRequest) (*s3api.ListObjectsOutput, error) {
	maxKeys, err := s.listStart(ctx, in.EncodingType, in.MaxKeys)
	if err != nil {
		return nil, err
	}
	l, err := s.list(str(in.Bucket), str(in.Prefix), str(in.Delimiter), str(in.Marker), maxKeys)
	if err != nil {
		return nil, err
	}
	o := owner(call(ctx).Account)
	for _, c := range l.contents {
		c.Owner = o
	}
	out := &s3api.ListObjectsOutput{
		Name: in.Bucket, Prefix: ptr(str(in.Prefix)), Delimiter: in.Delimiter, Marker: ptr(str(in.Marker)),
		MaxKeys: ptr(int32(maxKeys)), Contents: l.contents, CommonPrefixes: l.prefixes,
		IsTruncated: ptr(l.truncated), EncodingType: in.EncodingType,
	}
	if l.truncated && in.Delimiter != nil {
		out.NextMarker = ptr(l.next)
	}
	if str(in.EncodingType) == "url" {
		for _, p := range []**string{&out.Prefix, &out.Delimiter, &out.Marker, &out.NextMarker} {
			urlEncode(p)
		}
		encodeEntries(out.Contents, out.CommonPrefixes)
	}
	return out, nil
}

// encodeV2 applies encoding-type=url: every key and prefix in the answer is
// URL-encoded, so keys with characters XML cannot carry survive (the AWS CLI
// always asks for it and decodes).
func encodeV2(out *s3api.ListObjectsV2Output) {
	for _, p := range []**string{&out.Prefix, &out.Delimiter, &out.StartAfter} {
		urlEncode(p)
	}
	encodeEntries(out.Contents, out.CommonPrefixes)
}

func encodeEntries(objs []*s3api.Object, cps []*s3api.CommonPrefix) {
	for _, o := range objs {
		urlEncode(&o.Key)
	}
	for _, c := range cps {
		urlEncode(&c.Prefix)
	}
}

func urlEncode(p **string) {
	if *p != nil {
		*p = ptr(strings.ReplaceAll(url.QueryEscape(**p), "%2F", "/"))
	}
}

// ListObjectVersions lists every version and delete marker, keys in byte
// order and each key's versions newest first, paged by key-marker and
// version-id-marker (the last entry returned; the next page starts after
// it). A key-marker alone skips every version of that key.
func (s *Service) ListObjectVersions(ctx context.Context, in *s3api.ListObjectVersionsRequest) (*s3api.ListObjectVersionsOutput, error) {
	maxKeys, err := s.listStart(ctx, in.EncodingType, in.MaxKeys)
	if err != nil {
		return nil, err
	}
	bucket, prefix, delimiter := str(in.Bucket), str(in.Prefix), str(in.Delimiter)
	keyMarker, vidMarker := str(in.KeyMarker), str(in.VersionIdMarker)
	if vidMarker != "" && keyMarker == "" {
		return nil, errInvalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", vidMarker)
	}
	type entry struct {
		key string
		vs  []*object
	}
	s.mu.RLock()
	b := s.mu.buckets[bucket]
	if b == nil {
		s.mu.RUnlock()
		return nil, errNoSuchBucket(bucket)
	}
	// Collect just enough keys for the page (and to know it is truncated):
	// a common prefix is one entry, a key as many as its versions.
	var keys []entry
	count := 0
	after := keyMarker
	if vidMarker != "" && keyMarker != "" && strings.HasPrefix(keyMarker, prefix) {
		// The marker's own key still has versions after vidMarker.
		if st := (keyState{cur: b.objects[keyMarker], older: b.older[keyMarker]}); st.cur != nil || len(st.older) > 0 {
			all := st.all()
			keys = append(keys, entry{keyMarker, all})
			count += len(all) - 1 - slices.IndexFunc(all, func(o *object) bool { return wireVersion(o) == vidMarker })
		}
	}
	walkKeys(b, prefix, delimiter, after, func(k, cp string) bool {
		if count > maxKeys {
			return false
		}
		vs := keyState{cur: b.objects[k], older: b.older[k]}.all()
		keys = append(keys, entry{k, vs})
		if cp != "" {
			count++
		} else {
			count += len(vs)
		}
		return true
	}, func(string) bool { return true })
	s.mu.RUnlock()

	own := owner(call(ctx).Account)
	out := &s3api.ListObjectVersionsOutput{
		Name: in.Bucket, Prefix: ptr(prefix), Delimiter: in.Delimiter, MaxKeys: ptr(int32(maxKeys)),
		KeyMarker: ptr(keyMarker), VersionIdMarker: ptr(vidMarker), EncodingType: in.EncodingType,
	}
	n := 0
	lastPrefix := ""
	var nextKey, nextVersion string
	truncated := false
walk:
	for _, e := range keys {
		if delimiter != "" {
			if i := strings.Index(e.key[len(prefix):], delimiter); i >= 0 {
				cp := e.key[:len(prefix)+i+len(delimiter)]
				if cp == lastPrefix || (keyMarker != "" && strings.HasPrefix(keyMarker, cp)) {
					continue
				}
				if n == maxKeys {
					truncated = true
					break
				}
				out.CommonPrefixes = append(out.CommonPrefixes, &s3api.CommonPrefix{Prefix: ptr(cp)})
				lastPrefix, nextKey, nextVersion = cp, cp, ""
				n++
				continue
			}
		}
		vs := e.vs
		if e.key == keyMarker {
			i := slices.IndexFunc(vs, func(o *object) bool { return wireVersion(o) == vidMarker })
			vs = vs[i+1:] // not found: i+1 == 0 lists them all
		}
		for _, o := range vs {
			if n == maxKeys {
				truncated = true
				break walk
			}
			latest := o == e.vs[0] && !isNoncurrent(o)
			if o.DeleteMarker {
				out.DeleteMarkers = append(out.DeleteMarkers, &s3api.DeleteMarkerEntry{
					Key: ptr(o.Key), VersionId: ptr(wireVersion(o)), IsLatest: ptr(latest),
					LastModified: ptr(o.LastModified), Owner: own,
				})
			} else {
				v := &s3api.ObjectVersion{
					Key: ptr(o.Key), VersionId: ptr(wireVersion(o)), IsLatest: ptr(latest),
					LastModified: ptr(o.LastModified), ETag: ptr(o.ETag), Size: ptr(o.Size),
					StorageClass: ptr(storageClass(o)), Owner: own,
				}
				if o.ChecksumAlgorithm != "" {
					v.ChecksumAlgorithm = []string{o.ChecksumAlgorithm}
				}
				out.Versions = append(out.Versions, v)
			}
			nextKey, nextVersion = o.Key, wireVersion(o)
			n++
		}
	}
	out.IsTruncated = ptr(truncated)
	if truncated {
		out.NextKeyMarker = ptr(nextKey)
		if nextVersion != "" {
			out.NextVersionIdMarker = ptr(nextVersion)
		}
	}
	if str(in.EncodingType) == "url" {
		for _, p := range []**string{&out.Prefix, &out.Delimiter, &out.KeyMarker, &out.NextKeyMarker} {
			urlEncode(p)
		}
		for _, v := range out.Versions {
			urlEncode(&v.Key)
		}
		for _, m := range out.DeleteMarkers {
			urlEncode(&m.Key)
		}
		for _, c := range out.CommonPrefixes {
			urlEncode(&c.Prefix)
		}
	}
	return out, nil
}

// isNoncurrent reports whether o was replaced by a newer version (a key
// whose current version was deleted by id has only noncurrent ones).
func isNoncurrent(o *object) bool { return o.NoncurrentSince != nil }
