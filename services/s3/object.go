package s3

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	s3api "github.com/fogbank/fogbank/internal/api/s3"
	"github.com/fogbank/fogbank/internal/store"
)

// maxKeyLen is S3's limit on a key's UTF-8 length.
const maxKeyLen = 1024

// object is an object's metadata, as kept in memory and in its record.
// An object value is never changed once it is in a bucket's map: a write
// replaces it, so readers may use one they looked up after unlocking.
type object struct {
	Bucket       string            `json:"bucket"`
	Key          string            `json:"key"`
	Blob         string            `json:"blob"`
	Size         int64             `json:"size"`
	ETag         string            `json:"etag"` // quoted, as on the wire
	LastModified time.Time         `json:"lastModified"`
	Metadata     map[string]string `json:"meta,omitempty"`
	Content      contentHeaders    `json:"content"`
	StorageClass string            `json:"storageClass,omitempty"`
	// ChecksumAlgorithm and Checksum are the additional checksum the PUT
	// carried (checksum.go), base64 as on the wire; empty if none.
	ChecksumAlgorithm string `json:"ckAlg,omitempty"`
	Checksum          string `json:"ck,omitempty"`
	// VersionID is "" for an object written before versioning, "null" in a
	// suspended bucket, else the id (versions.go). Seq orders a key's
	// versions; NoncurrentSince is when a newer version replaced this one.
	VersionID       string     `json:"vid,omitempty"`
	DeleteMarker    bool       `json:"dm,omitempty"`
	Seq             uint64     `json:"seq,omitempty"`
	NoncurrentSince *time.Time `json:"noncurrent,omitempty"`
	// Tags are the object's tags in the order they were set.
	Tags []tag `json:"tags,omitempty"`
	// ACL is the object's stored ACL (acl.go); nil is private.
	ACL *acl `json:"acl,omitempty"`
}

// tag is one object or bucket tag.
type tag struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

// contentHeaders are the representation headers S3 stores and returns.
type contentHeaders struct {
	Type         string     `json:"type,omitempty"`
	Encoding     string     `json:"encoding,omitempty"`
	Disposition  string     `json:"disposition,omitempty"`
	Language     string     `json:"language,omitempty"`
	CacheControl string     `json:"cacheControl,omitempty"`
	Expires      *time.Time `json:"expires,omitempty"`
}

func checkKey(key string) error {
	switch {
	case key == "":
		return errInvalidArgumentName("Key must not be empty", "key")
	case len(key) > maxKeyLen:
		return errKeyTooLong()
	case strings.IndexByte(key, 0) >= 0:
		return errInvalidArgumentName("Object key contains a NUL character", "key")
	}
	return nil
}

// keyLock returns the write lock of bucket/key's stripe.
func (s *Service) keyLock(bucket, key string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(bucket))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return &s.keyLocks[h.Sum32()%keyStripes]
}

// putVersion makes o the key's new current version under the bucket's
// versioning (o.VersionID is set), with extra writes in the same batch (a
// completed multipart upload's records). cond, when set, is checked against
// the current object (nil if none or a delete marker) under the key's write
// lock, so a conditional write decides on the object it really replaces.
func (s *Service) putVersion(ctx context.Context, bucket, key string, o *object, extra []store.Op, cond func(old *object) error) error {
	_, err := s.mutate(ctx, bucket, key, func(versioning string, st keyState) (change, error) {
		if cond != nil {
			cur := st.cur
			if cur != nil && cur.DeleteMarker {
				cur = nil
			}
			if err := cond(cur); err != nil {
				return change{}, err
			}
		}
		s.versionFor(o, versioning)
		return change{state: st.pushed(o, versioning), extra: extra}, nil
	})
	return err
}

// deleteResult is what a delete did: the version removed or the delete
// marker created, and whether that was a delete marker.
type deleteResult struct {
	versionID string
	marker    bool
}

// deleteObject deletes a version (versionID set) or the key: for good in
// a bucket that was never versioned, else by a new delete marker. ifMatch,
// when set, must match the ETag of the version deleted (412 otherwise;
// NoSuchKey when there is none), checked under the key's lock.
func (s *Service) deleteObject(ctx context.Context, bucket, key, versionID, ifMatch string) (deleteResult, error) {
	if versionID != "" && !validVersionID(versionID) {
		return deleteResult{}, errInvalidVersionID(versionID)
	}
	var res deleteResult
	_, err := s.mutate(ctx, bucket, key, func(versioning string, st keyState) (change, error) {
		if ifMatch != "" {
			o := st.cur
			if versionID != "" {
				o, _ = st.find(versionID)
			}
			if o == nil || o.DeleteMarker {
				return change{}, errNoSuchKey(key)
			}
			if !etagIn(o.ETag, ifMatch) {
				return change{}, errPreconditionFailed("If-Match")
			}
		}
		if versionID != "" {
			res.versionID = versionID
			o, i := st.find(versionID)
			if o == nil {
				return change{state: st}, nil
			}
			res.marker = o.DeleteMarker
			return change{state: st.without(i)}, nil
		}
		if versioning == "" {
			return change{}, nil
		}
		m := &object{Bucket: bucket, Key: key, DeleteMarker: true, LastModified: s.now()}
		s.versionFor(m, versioning)
		res = deleteResult{versionID: m.VersionID, marker: true}
		return change{state: st.pushed(m, versioning)}, nil
	})
	return res, err
}

// lookup returns the current object at bucket/key, NoSuchBucket or
// NoSuchKey (with the delete marker's headers if that is current).
func (s *Service) lookup(bucket, key string) (*object, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.mu.buckets[bucket]
	if b == nil {
		return nil, errNoSuchBucket(bucket)
	}
	o := b.objects[key]
	if o == nil {
		return nil, errNoSuchKey(key)
	}
	if o.DeleteMarker {
		return nil, errDeleteMarker(o)
	}
	return o, nil
}

// PutObject streams the body to a file (never whole in memory), checks
// Content-MD5, and then makes the object visible; a failed or interrupted
// upload leaves nothing.
func (s *Service) PutObject(ctx context.Context, in *s3api.PutObjectRequest) (*s3api.PutObjectOutput, error) {
	bucket, key := str(in.Bucket), str(in.Key)
	if in.Body != nil {
		defer in.Body.Close()
	}
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	b, err := s.bucketInfo(bucket)
	if err != nil {
		return nil, err
	}
	if err := checkStorageClass(in.StorageClass); err != nil {
		return nil, err
	}
	cond, err := writeCondition(ctx, key)
	if err != nil {
		return nil, err
	}
	tags, err := parseTaggingHeader(in.Tagging)
	if err != nil {
		return nil, err
	}
	objACL, err := parseACL(aclHeaders{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead,
		readACP: in.GrantReadACP, writeACP: in.GrantWriteACP}, b.Config.ownership())
	if err != nil {
		return nil, err
	}
	w, err := s.ingest(ctx, in.Body, in.ContentMD5, true)
	if err != nil {
		return nil, err
	}
	o := &object{
		Bucket: bucket, Key: key, Blob: w.id, Size: w.size,
		ETag:         `"` + hex.EncodeToString(w.md5) + `"`,
		LastModified: s.now(),
		Metadata:     in.Metadata,
		Content: contentHeaders{
			Type: str(in.ContentType), Encoding: str(in.ContentEncoding),
			Disposition: str(in.ContentDisposition), Language: str(in.ContentLanguage),
			CacheControl: str(in.CacheControl), Expires: in.Expires,
		},
		StorageClass: str(in.StorageClass),
		Tags:         tags,
		ACL:          objACL,
	}
	o.Content.Encoding = withoutAWSChunked(o.Content.Encoding)
	o.ChecksumAlgorithm, o.Checksum = w.ckAlg, w.ck
	if o.Content.Type == "" {
		o.Content.Type = "binary/octet-stream"
	}
	if err := s.putVersion(ctx, bucket, key, o, nil, cond); err != nil {
		s.blobs.remove(w.id)
		return nil, err
	}
	s.notify(ctx, created("Put", o))
	out := &s3api.PutObjectOutput{ETag: ptr(o.ETag), VersionId: writtenVersion(o), ServerSideEncryption: ptr(sseAlgorithm),
		Expiration: s.expirationHeader(bucket, o)}
	setChecksum(o.ChecksumAlgorithm, o.Checksum, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumSHA1, &out.ChecksumSHA256, &out.ChecksumCRC64NVME)
	out.ChecksumType = checksumType(o.ChecksumAlgorithm)
	return out, nil
}

// GetObject answers the body, or the byte range asked for (206).
func (s *Service) GetObject(ctx context.Context, in *s3api.GetObjectRequest) (*s3api.GetObjectOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	o, err := s.lookupVersion(str(in.Bucket), str(in.Key), str(in.VersionId))
	if err != nil {
		return nil, err
	}
	if archived(o) {
		return nil, errArchived(o)
	}
	if err := preconditions(o, in.IfMatch, in.IfNoneMatch, in.IfModifiedSince, in.IfUnmodifiedSince, false, s.now()); err != nil {
		return nil, err
	}
	f, err := s.blobs.open(o.Blob)
	if err != nil {
		return nil, fmt.Errorf("opening body of %q: %w", o.Key, err)
	}
	out := &s3api.GetObjectOutput{
		AcceptRanges: ptr("bytes"), LastModified: ptr(o.LastModified), ETag: ptr(o.ETag),
		Metadata: o.Metadata, ContentLength: ptr(o.Size), VersionId: versionHeader(o),
		ServerSideEncryption: ptr(sseAlgorithm), TagCount: tagCount(o), Expiration: s.currentExpiration(in.VersionId, o),
		StorageClass: classHeader(o),
	}
	setContent(&out.ContentType, &out.ContentEncoding, &out.ContentDisposition, &out.ContentLanguage, &out.CacheControl, &out.Expires, o.Content)
	out.Body = f
	if str(in.ChecksumMode) == "ENABLED" && in.Range == nil {
		setChecksum(o.ChecksumAlgorithm, o.Checksum, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumSHA1, &out.ChecksumSHA256, &out.ChecksumCRC64NVME)
		out.ChecksumType = checksumType(o.ChecksumAlgorithm)
	}
	if r := str(in.Range); r != "" {
		start, end, ok, err := parseRange(r, o.Size)
		if err != nil {
			f.Close()
			return nil, err
		}
		if ok {
			if _, err := f.Seek(start, io.SeekStart); err != nil {
				f.Close()
				return nil, fmt.Errorf("seeking body of %q: %w", o.Key, err)
			}
			out.Body = readCloser{io.LimitReader(f, end-start+1), f}
			out.ContentLength = ptr(end - start + 1)
			out.ContentRange = ptr(fmt.Sprintf("bytes %d-%d/%d", start, end, o.Size))
		}
	}
	return out, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// HeadObject answers GetObject's headers; errors carry no body.
func (s *Service) HeadObject(ctx context.Context, in *s3api.HeadObjectRequest) (*s3api.HeadObjectOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	o, err := s.lookupVersion(str(in.Bucket), str(in.Key), str(in.VersionId))
	if err != nil {
		return nil, err
	}
	if err := preconditions(o, in.IfMatch, in.IfNoneMatch, in.IfModifiedSince, in.IfUnmodifiedSince, false, s.now()); err != nil {
		return nil, err
	}
	out := &s3api.HeadObjectOutput{
		AcceptRanges: ptr("bytes"), LastModified: ptr(o.LastModified), ETag: ptr(o.ETag),
		Metadata: o.Metadata, ContentLength: ptr(o.Size), VersionId: versionHeader(o),
		ServerSideEncryption: ptr(sseAlgorithm), Expiration: s.currentExpiration(in.VersionId, o),
		StorageClass: classHeader(o),
	}
	setContent(&out.ContentType, &out.ContentEncoding, &out.ContentDisposition, &out.ContentLanguage, &out.CacheControl, &out.Expires, o.Content)
	if str(in.ChecksumMode) == "ENABLED" {
		setChecksum(o.ChecksumAlgorithm, o.Checksum, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumSHA1, &out.ChecksumSHA256, &out.ChecksumCRC64NVME)
		out.ChecksumType = checksumType(o.ChecksumAlgorithm)
	}
	return out, nil
}

func setContent(typ, enc, disp, lang, cc **string, exp **time.Time, c contentHeaders) {
	set := func(p **string, v string) {
		if v != "" {
			*p = ptr(v)
		}
	}
	set(typ, c.Type)
	set(enc, c.Encoding)
	set(disp, c.Disposition)
	set(lang, c.Language)
	set(cc, c.CacheControl)
	*exp = c.Expires
}

// DeleteObject deletes a key (a delete marker in a versioned bucket) or
// one version; a missing key or version is success, as in AWS.
func (s *Service) DeleteObject(ctx context.Context, in *s3api.DeleteObjectRequest) (*s3api.DeleteObjectOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	var ifMatch string
	if r := call(ctx).Request; r != nil {
		// Conditional deletes: If-Match is checked against the current
		// version; the time and size conditions are directory-bucket
		// features general purpose buckets refuse (as recorded).
		for _, h := range []string{"x-amz-if-match-last-modified-time", "x-amz-if-match-size"} {
			if r.Header.Get(h) != "" {
				return nil, s3err("NotImplemented", http.StatusNotImplemented, "A header you provided implies functionality that is not implemented").With("Header", h)
			}
		}
		ifMatch = r.Header.Get("If-Match")
	}
	res, err := s.deleteObject(ctx, str(in.Bucket), str(in.Key), str(in.VersionId), ifMatch)
	if err != nil {
		return nil, err
	}
	s.notifyRemoved(ctx, str(in.Bucket), str(in.Key), str(in.VersionId), res, "ObjectRemoved")
	out := &s3api.DeleteObjectOutput{}
	if res.versionID != "" {
		out.VersionId = ptr(res.versionID)
	}
	if res.marker {
		out.DeleteMarker = ptr(true)
	}
	return out, nil
}

// DeleteObjects deletes up to 1000 keys, reporting each (unless Quiet).
func (s *Service) DeleteObjects(ctx context.Context, in *s3api.DeleteObjectsRequest) (*s3api.DeleteObjectsOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	bucket := str(in.Bucket)
	if _, err := s.bucketInfo(bucket); err != nil {
		return nil, err
	}
	if in.Delete == nil || len(in.Delete.Objects) == 0 {
		return nil, s3err("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema")
	}
	if len(in.Delete.Objects) > 1000 {
		return nil, s3err("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema")
	}
	quiet := in.Delete.Quiet != nil && *in.Delete.Quiet
	out := &s3api.DeleteObjectsOutput{}
	for _, id := range in.Delete.Objects {
		key := str(id.Key)
		// Unlike DeleteObject, DeleteObjects reports a version that does
		// not exist (or could not) as NoSuchVersion, as recorded.
		if v := str(id.VersionId); v != "" {
			if st, _ := s.keyVersions(bucket, key); !validVersionID(v) || func() bool { o, _ := st.find(v); return o == nil }() {
				out.Errors = append(out.Errors, &s3api.Error{Key: ptr(key), VersionId: id.VersionId, Code: ptr("NoSuchVersion"), Message: ptr("The specified version does not exist.")})
				continue
			}
		}
		res, err := s.deleteObject(ctx, bucket, key, str(id.VersionId), "")
		if err != nil {
			var ae *api.Error
			if !errors.As(err, &ae) {
				return nil, err
			}
			out.Errors = append(out.Errors, &s3api.Error{Key: ptr(key), VersionId: id.VersionId, Code: ptr(ae.Code), Message: ptr(ae.Message)})
			continue
		}
		s.notifyRemoved(ctx, bucket, key, str(id.VersionId), res, "ObjectRemoved")
		if !quiet {
			d := &s3api.DeletedObject{Key: ptr(key), VersionId: id.VersionId}
			if res.marker {
				d.DeleteMarker, d.DeleteMarkerVersionId = ptr(true), ptr(res.versionID)
			}
			out.Deleted = append(out.Deleted, d)
		}
	}
	return out, nil
}

// CopyObject copies an object, also across buckets. With the COPY
// directive (the default) metadata and content headers come from the
// source; with REPLACE from the request. Copying an object onto itself
// needs REPLACE.
func (s *Service) CopyObject(ctx context.Context, in *s3api.CopyObjectRequest) (*s3api.CopyObjectOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	bucket, key := str(in.Bucket), str(in.Key)
	if err := checkKey(key); err != nil {
		return nil, err
	}
	srcBucket, srcKey, srcVersion, err := parseCopySource(str(in.CopySource))
	if err != nil {
		return nil, err
	}
	dst, err := s.bucketInfo(bucket)
	if err != nil {
		return nil, err
	}
	cond, err := writeCondition(ctx, key)
	if err != nil {
		return nil, err
	}
	objACL, err := parseACL(aclHeaders{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead,
		readACP: in.GrantReadACP, writeACP: in.GrantWriteACP}, dst.Config.ownership())
	if err != nil {
		return nil, err
	}
	var tags []tag
	switch str(in.TaggingDirective) {
	case "", "COPY":
	case "REPLACE":
		if tags, err = parseTaggingHeader(in.Tagging); err != nil {
			return nil, err
		}
	default:
		return nil, errInvalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", str(in.TaggingDirective))
	}
	src, err := s.copySource(srcBucket, srcKey, srcVersion)
	if err != nil {
		return nil, err
	}
	if err := preconditions(src, in.CopySourceIfMatch, in.CopySourceIfNoneMatch, in.CopySourceIfModifiedSince, in.CopySourceIfUnmodifiedSince, true, s.now()); err != nil {
		return nil, err
	}
	directive := str(in.MetadataDirective)
	switch directive {
	case "", "COPY", "REPLACE":
	default:
		return nil, errInvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive)
	}
	// A copy onto itself must name something AWS counts as a change: the
	// metadata (REPLACE), a storage class other than the one the object was
	// given (STANDARD counts as a change for an object written without
	// one, as recorded), the website redirect or the encryption.
	changes := directive == "REPLACE" || in.StorageClass != nil && *in.StorageClass != src.StorageClass ||
		in.WebsiteRedirectLocation != nil || in.ServerSideEncryption != nil
	if srcBucket == bucket && srcKey == key && srcVersion == "" && !changes {
		return nil, s3err("InvalidRequest", 400, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	blob, err := s.blobs.clone(src.Blob)
	if err != nil {
		return nil, fmt.Errorf("copying %q: %w", srcKey, err)
	}
	o := *src
	o.Bucket, o.Key, o.Blob, o.LastModified = bucket, key, blob, s.now()
	if directive == "REPLACE" {
		o.Metadata = in.Metadata
		o.Content = contentHeaders{
			Type: str(in.ContentType), Encoding: str(in.ContentEncoding),
			Disposition: str(in.ContentDisposition), Language: str(in.ContentLanguage),
			CacheControl: str(in.CacheControl), Expires: in.Expires,
		}
		if o.Content.Type == "" {
			o.Content.Type = "binary/octet-stream"
		}
	}
	if err := checkStorageClass(in.StorageClass); err != nil {
		s.blobs.remove(blob)
		return nil, err
	}
	if in.StorageClass != nil {
		o.StorageClass = *in.StorageClass
	}
	if str(in.TaggingDirective) == "REPLACE" {
		o.Tags = tags
	}
	o.ACL = objACL
	o.NoncurrentSince = nil
	if err := s.putVersion(ctx, bucket, key, &o, nil, cond); err != nil {
		s.blobs.remove(blob)
		return nil, err
	}
	s.notify(ctx, created("Copy", &o))
	return &s3api.CopyObjectOutput{
		CopyObjectResult:     copyResult(&o),
		VersionId:            writtenVersion(&o),
		CopySourceVersionId:  versionHeader(src),
		ServerSideEncryption: ptr(sseAlgorithm),
	}, nil
}

// lookupVersion returns the object at bucket/key in version versionID
// ("" is the current one): NoSuchBucket, NoSuchKey, InvalidArgument for an
// id this server never issues, NoSuchVersion, or MethodNotAllowed for a
// delete marker's id.
func (s *Service) lookupVersion(bucket, key, versionID string) (*object, error) {
	if versionID == "" {
		return s.lookup(bucket, key)
	}
	st, err := s.keyVersions(bucket, key)
	if err != nil {
		return nil, err
	}
	if !validVersionID(versionID) {
		return nil, errInvalidVersionID(versionID)
	}
	o, _ := st.find(versionID)
	if o == nil {
		return nil, errNoSuchVersion(key, versionID)
	}
	if o.DeleteMarker {
		return nil, errMarkerByVersion(o)
	}
	return o, nil
}

// copySource is the object x-amz-copy-source names. A delete marker named
// by its version id is InvalidRequest, as AWS answers a copy.
func (s *Service) copySource(bucket, key, versionID string) (*object, error) {
	o, err := s.lookupVersion(bucket, key, versionID)
	if ae := (*api.Error)(nil); errors.As(err, &ae) && ae.Code == "MethodNotAllowed" {
		return nil, s3err("InvalidRequest", 400, "The source of a copy request may not specifically refer to a delete marker by version id.")
	}
	if err == nil && archived(o) {
		return nil, errArchived(o)
	}
	return o, err
}

// sseAlgorithm is the server-side encryption every object reports: S3
// encrypts every object with SSE-S3 by default (since January 2023).
const sseAlgorithm = "AES256"

func tagCount(o *object) *int32 {
	if len(o.Tags) == 0 {
		return nil
	}
	return ptr(int32(len(o.Tags)))
}

// notifyRemoved notifies a delete: DeleteMarkerCreated when it made a
// marker, else Delete (prefix "ObjectRemoved" or "LifecycleExpiration").
func (s *Service) notifyRemoved(ctx context.Context, bucket, key, asked string, res deleteResult, prefix string) {
	name := prefix + ":Delete"
	if res.marker && asked == "" {
		name = prefix + ":DeleteMarkerCreated"
	}
	vid := res.versionID
	if vid == nullVersion && asked == "" && !res.marker {
		vid = ""
	}
	s.notify(ctx, event{name: name, bucket: bucket, key: key, versionID: vid, version: "2.1"})
}

// copyResult is CopyObject's result: the copy keeps the source's checksum.
func copyResult(o *object) *s3api.CopyObjectResult {
	r := &s3api.CopyObjectResult{ETag: ptr(o.ETag), LastModified: ptr(o.LastModified), ChecksumType: checksumType(o.ChecksumAlgorithm)}
	setChecksum(o.ChecksumAlgorithm, o.Checksum, &r.ChecksumCRC32, &r.ChecksumCRC32C, &r.ChecksumSHA1, &r.ChecksumSHA256, &r.ChecksumCRC64NVME)
	return r
}
