package s3

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
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
		return errInvalidArgument("Key must not be empty")
	case len(key) > maxKeyLen:
		return errKeyTooLong()
	case strings.IndexByte(key, 0) >= 0:
		return errInvalidArgument("Object key contains a NUL character")
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

// commit makes o the object at its key (or, with o.Blob == "" , deletes
// the key) durably, then in memory, and removes the body it replaced. The
// caller holds no lock. It reports whether an object was replaced.
func (s *Service) commit(ctx context.Context, bucket, key string, o *object) (bool, error) {
	return s.commitWith(ctx, bucket, key, o, nil, nil)
}

// commitWith is commit with more writes in the same batch (a completed
// multipart upload's records deleted with the object's creation).
// cond, when set, is checked against the object being replaced (nil if
// none) under the key's write lock, so a conditional write decides on the
// object it really replaces.
func (s *Service) commitWith(ctx context.Context, bucket, key string, o *object, extra []store.Op, cond func(old *object) error) (bool, error) {
	s.lifecycle.RLock()
	defer s.lifecycle.RUnlock()
	kl := s.keyLock(bucket, key)
	kl.Lock()
	defer kl.Unlock()

	s.mu.RLock()
	b := s.mu.buckets[bucket]
	var old *object
	if b != nil {
		old = b.objects[key]
	}
	s.mu.RUnlock()
	if b == nil {
		return false, errNoSuchBucket()
	}
	if cond != nil {
		if err := cond(old); err != nil {
			return false, err
		}
	}
	if o == nil && old == nil {
		return false, nil
	}
	var batch store.Batch
	if o == nil {
		batch.Delete(objectRecordKey(bucket, key))
	} else {
		v, err := json.Marshal(o)
		if err != nil {
			return false, fmt.Errorf("encoding object %q: %w", key, err)
		}
		batch.Put(objectRecordKey(bucket, key), v)
	}
	batch.Ops = append(batch.Ops, extra...)
	if err := s.env.Store.Apply(ctx, &batch); err != nil {
		return false, fmt.Errorf("writing object %q: %w", key, err)
	}
	s.mu.Lock()
	if o == nil {
		delete(b.objects, key)
	} else {
		b.objects[key] = o
	}
	s.mu.Unlock()
	if old != nil {
		s.blobs.remove(old.Blob)
	}
	return old != nil, nil
}

// lookup returns the object at bucket/key, NoSuchBucket or NoSuchKey.
func (s *Service) lookup(bucket, key string) (*object, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.mu.buckets[bucket]
	if b == nil {
		return nil, errNoSuchBucket()
	}
	o := b.objects[key]
	if o == nil {
		return nil, errNoSuchKey()
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
	if _, err := s.bucketInfo(bucket); err != nil {
		return nil, err
	}
	w, err := s.ingest(ctx, in.Body, in.ContentMD5)
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
	}
	o.Content.Encoding = withoutAWSChunked(o.Content.Encoding)
	o.ChecksumAlgorithm, o.Checksum = w.ckAlg, w.ck
	if o.Content.Type == "" {
		o.Content.Type = "binary/octet-stream"
	}
	if _, err := s.commitWith(ctx, bucket, key, o, nil, writeCondition(ctx)); err != nil {
		s.blobs.remove(w.id)
		return nil, err
	}
	out := &s3api.PutObjectOutput{ETag: ptr(o.ETag)}
	setChecksum(o.ChecksumAlgorithm, o.Checksum, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumSHA1, &out.ChecksumSHA256)
	return out, nil
}

// GetObject answers the body, or the byte range asked for (206).
func (s *Service) GetObject(ctx context.Context, in *s3api.GetObjectRequest) (*s3api.GetObjectOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	o, err := s.lookup(str(in.Bucket), str(in.Key))
	if err != nil {
		return nil, err
	}
	if err := preconditions(o, in.IfMatch, in.IfNoneMatch, in.IfModifiedSince, in.IfUnmodifiedSince); err != nil {
		return nil, err
	}
	f, err := s.blobs.open(o.Blob)
	if err != nil {
		return nil, fmt.Errorf("opening body of %q: %w", o.Key, err)
	}
	out := &s3api.GetObjectOutput{
		AcceptRanges: ptr("bytes"), LastModified: ptr(o.LastModified), ETag: ptr(o.ETag),
		Metadata: o.Metadata, ContentLength: ptr(o.Size),
	}
	setContent(&out.ContentType, &out.ContentEncoding, &out.ContentDisposition, &out.ContentLanguage, &out.CacheControl, &out.Expires, o.Content)
	out.Body = f
	if str(in.ChecksumMode) == "ENABLED" && in.Range == nil {
		setChecksum(o.ChecksumAlgorithm, o.Checksum, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumSHA1, &out.ChecksumSHA256)
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
	o, err := s.lookup(str(in.Bucket), str(in.Key))
	if err != nil {
		return nil, err
	}
	if err := preconditions(o, in.IfMatch, in.IfNoneMatch, in.IfModifiedSince, in.IfUnmodifiedSince); err != nil {
		return nil, err
	}
	out := &s3api.HeadObjectOutput{
		AcceptRanges: ptr("bytes"), LastModified: ptr(o.LastModified), ETag: ptr(o.ETag),
		Metadata: o.Metadata, ContentLength: ptr(o.Size),
	}
	setContent(&out.ContentType, &out.ContentEncoding, &out.ContentDisposition, &out.ContentLanguage, &out.CacheControl, &out.Expires, o.Content)
	if str(in.ChecksumMode) == "ENABLED" {
		setChecksum(o.ChecksumAlgorithm, o.Checksum, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumSHA1, &out.ChecksumSHA256)
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

// DeleteObject deletes a key; a missing key is success, as in AWS.
func (s *Service) DeleteObject(ctx context.Context, in *s3api.DeleteObjectRequest) (*s3api.DeleteObjectOutput, error) {
	if _, err := s.commit(ctx, str(in.Bucket), str(in.Key), nil); err != nil {
		return nil, err
	}
	return &s3api.DeleteObjectOutput{}, nil
}

// DeleteObjects deletes up to 1000 keys, reporting each (unless Quiet).
func (s *Service) DeleteObjects(ctx context.Context, in *s3api.DeleteObjectsRequest) (*s3api.DeleteObjectsOutput, error) {
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
		if _, err := s.commit(ctx, bucket, key, nil); err != nil {
			var ae *api.Error
			if !errors.As(err, &ae) {
				return nil, err
			}
			out.Errors = append(out.Errors, &s3api.Error{Key: ptr(key), Code: ptr(ae.Code), Message: ptr(ae.Message)})
			continue
		}
		if !quiet {
			out.Deleted = append(out.Deleted, &s3api.DeletedObject{Key: ptr(key)})
		}
	}
	return out, nil
}

// CopyObject copies an object, also across buckets. With the COPY
// directive (the default) metadata and content headers come from the
// source; with REPLACE from the request. Copying an object onto itself
// needs REPLACE.
func (s *Service) CopyObject(ctx context.Context, in *s3api.CopyObjectRequest) (*s3api.CopyObjectOutput, error) {
	bucket, key := str(in.Bucket), str(in.Key)
	if err := checkKey(key); err != nil {
		return nil, err
	}
	srcBucket, srcKey, err := parseCopySource(str(in.CopySource))
	if err != nil {
		return nil, err
	}
	if _, err := s.bucketInfo(bucket); err != nil {
		return nil, err
	}
	src, err := s.lookup(srcBucket, srcKey)
	if err != nil {
		return nil, err
	}
	if err := preconditions(src, in.CopySourceIfMatch, in.CopySourceIfNoneMatch, in.CopySourceIfModifiedSince, in.CopySourceIfUnmodifiedSince); err != nil {
		if ae := (*api.Error)(nil); errors.As(err, &ae) && ae.Status == 304 {
			return nil, errPreconditionFailed()
		}
		return nil, err
	}
	directive := str(in.MetadataDirective)
	switch directive {
	case "", "COPY", "REPLACE":
	default:
		return nil, errInvalidArgument("Unknown metadata directive.")
	}
	if srcBucket == bucket && srcKey == key && directive != "REPLACE" {
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
	if in.StorageClass != nil {
		o.StorageClass = *in.StorageClass
	}
	if _, err := s.commit(ctx, bucket, key, &o); err != nil {
		s.blobs.remove(blob)
		return nil, err
	}
	return &s3api.CopyObjectOutput{CopyObjectResult: &s3api.CopyObjectResult{ETag: ptr(o.ETag), LastModified: ptr(o.LastModified)}}, nil
}

// lookupVersion returns the object at bucket/key in version versionID
// ("" is the current one): NoSuchBucket, NoSuchKey or NoSuchVersion.
func (s *Service) lookupVersion(bucket, key, versionID string) (*object, error) {
	if versionID == "" {
		return s.lookup(bucket, key)
	}
	o, err := s.lookup(bucket, key)
	if err != nil {
		if _, berr := s.bucketInfo(bucket); berr != nil {
			return nil, berr
		}
		return nil, errNoSuchVersion()
	}
	if versionID != "null" {
		return nil, errNoSuchVersion()
	}
	return o, nil
}
