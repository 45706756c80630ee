package s3

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	s3api "github.com/fogbank/fogbank/internal/api/s3"
	"github.com/fogbank/fogbank/internal/store"
)

// Multipart uploads. An upload is a record (uploadRecord) and one record per
// part (partRecord), each part's body a file like an object's. Complete
// concatenates the chosen parts into a new body file (streamed, part by
// part), then in one batch creates the object and deletes the upload's
// records; the part files are removed after. The ETag is AWS's:
// hex(md5(md5(part1) ‖ … ‖ md5(partN))) + "-N".
//
// Each upload has a writer lock (upload.wmu) held across the Apply of a part,
// a Complete or an Abort, so a part is never added to an upload being
// completed; memory (the upload map and parts) is under Service.mu.

// minPartSize is the least size of every part but the last.
const minPartSize = 5 << 20

type upload struct {
	uploadRecord
	wmu   sync.Mutex
	parts map[int32]*partRecord // guarded by Service.mu
	gone  bool                  // completed or aborted; guarded by wmu
}

type uploadRecord struct {
	ID        string    `json:"id"`
	Bucket    string    `json:"bucket"`
	Key       string    `json:"key"`
	Initiated time.Time `json:"initiated"`
	// Object holds the metadata the object will get (Blob, Size, ETag unset).
	Object object `json:"object"`
	// KeySeq is the Seq of the key's current object when the upload began
	// (0: none), to detect a write in between (conditional completes).
	KeySeq uint64 `json:"keySeq,omitempty"`
}

// seqOf is the Seq of a current object, 0 for none.
func seqOf(o *object) uint64 {
	if o == nil {
		return 0
	}
	return o.Seq
}

type partRecord struct {
	Number       int32     `json:"n"`
	Blob         string    `json:"blob"`
	Size         int64     `json:"size"`
	MD5          string    `json:"md5"` // hex
	LastModified time.Time `json:"lastModified"`
}

func uploadRecordKey(id string) []byte { return store.Key("s3", kindUpload, id) }
func partRecordKey(id string, n int32) []byte {
	return store.Key("s3", kindPart, id, fmt.Sprintf("%05d", n))
}

func errNoSuchUpload(id string) error {
	return s3api.NewNoSuchUpload("The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").With("UploadId", id)
}

// CreateMultipartUpload starts an upload with the object's metadata.
func (s *Service) CreateMultipartUpload(ctx context.Context, in *s3api.CreateMultipartUploadRequest) (*s3api.CreateMultipartUploadOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	bucket, key := str(in.Bucket), str(in.Key)
	if err := checkKey(key); err != nil {
		return nil, err
	}
	bk, err := s.bucketInfo(bucket)
	if err != nil {
		return nil, err
	}
	if err := checkStorageClass(in.StorageClass); err != nil {
		return nil, err
	}
	tags, err := parseTaggingHeader(in.Tagging)
	if err != nil {
		return nil, err
	}
	objACL, err := parseACL(aclHeaders{canned: in.ACL, fullControl: in.GrantFullControl, read: in.GrantRead,
		readACP: in.GrantReadACP, writeACP: in.GrantWriteACP}, bk.Config.ownership())
	if err != nil {
		return nil, err
	}
	var keySeq uint64
	if st, _ := s.keyVersions(bucket, key); st.cur != nil && !st.cur.DeleteMarker {
		keySeq = st.cur.Seq
	}
	u := &upload{uploadRecord: uploadRecord{ID: newID(), Bucket: bucket, Key: key, Initiated: s.now(), KeySeq: keySeq,
		Object: object{Bucket: bucket, Key: key, Metadata: in.Metadata, StorageClass: str(in.StorageClass),
			Content: contentHeaders{Type: str(in.ContentType), Encoding: str(in.ContentEncoding),
				Disposition: str(in.ContentDisposition), Language: str(in.ContentLanguage),
				CacheControl: str(in.CacheControl), Expires: in.Expires},
			Tags: tags, ACL: objACL}},
		parts: map[int32]*partRecord{}}
	if u.Object.Content.Type == "" {
		u.Object.Content.Type = "binary/octet-stream"
	}
	v, err := json.Marshal(&u.uploadRecord)
	if err != nil {
		return nil, fmt.Errorf("encoding upload: %w", err)
	}
	var b store.Batch
	b.Put(uploadRecordKey(u.ID), v)
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return nil, fmt.Errorf("creating upload: %w", err)
	}
	s.mu.Lock()
	s.mu.uploads[u.ID] = u
	s.mu.Unlock()
	return &s3api.CreateMultipartUploadOutput{Bucket: in.Bucket, Key: in.Key, UploadId: ptr(u.ID), ServerSideEncryption: ptr(sseAlgorithm)}, nil
}

// findUpload returns the upload for bucket/key/id, or NoSuchUpload.
func (s *Service) findUpload(bucket, key, id string) (*upload, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.mu.buckets[bucket] == nil {
		return nil, errNoSuchBucket(bucket)
	}
	u := s.mu.uploads[id]
	if u == nil || u.Bucket != bucket || u.Key != key {
		return nil, errNoSuchUpload(id)
	}
	return u, nil
}

// UploadPart stores one part (1–10000); a part number uploaded again
// replaces the earlier part.
func (s *Service) UploadPart(ctx context.Context, in *s3api.UploadPartRequest) (*s3api.UploadPartOutput, error) {
	if in.Body != nil {
		defer in.Body.Close()
	}
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	n, err := partNumber(in.PartNumber)
	if err != nil {
		return nil, err
	}
	u, err := s.findUpload(str(in.Bucket), str(in.Key), str(in.UploadId))
	if err != nil {
		return nil, err
	}
	w, err := s.ingest(ctx, in.Body, in.ContentMD5, false)
	if err != nil {
		return nil, err
	}
	p, err := s.storePart(ctx, u, n, w.written)
	if err != nil {
		return nil, err
	}
	out := &s3api.UploadPartOutput{ETag: ptr(`"` + p.MD5 + `"`), ServerSideEncryption: ptr(sseAlgorithm)}
	setChecksum(w.ckAlg, w.ck, &out.ChecksumCRC32, &out.ChecksumCRC32C, &out.ChecksumSHA1, &out.ChecksumSHA256, &out.ChecksumCRC64NVME)
	return out, nil
}

// storePart makes the body file w part n of u, replacing an earlier part
// n. On error w is removed.
func (s *Service) storePart(ctx context.Context, u *upload, n int32, w written) (*partRecord, error) {
	p := &partRecord{Number: n, Blob: w.id, Size: w.size, MD5: hex.EncodeToString(w.md5), LastModified: s.now()}
	v, err := json.Marshal(p)
	if err != nil {
		s.blobs.remove(w.id)
		return nil, fmt.Errorf("encoding part: %w", err)
	}
	u.wmu.Lock()
	defer u.wmu.Unlock()
	if u.gone {
		s.blobs.remove(w.id)
		return nil, errNoSuchUpload(u.ID)
	}
	var b store.Batch
	b.Put(partRecordKey(u.ID, n), v)
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		s.blobs.remove(w.id)
		return nil, fmt.Errorf("storing part %d: %w", n, err)
	}
	s.mu.Lock()
	old := u.parts[n]
	u.parts[n] = p
	s.mu.Unlock()
	if old != nil {
		s.blobs.remove(old.Blob)
	}
	return p, nil
}

func partNumber(p *int32) (int32, error) {
	if p == nil || *p < 1 || *p > 10000 {
		v := ""
		if p != nil {
			v = strconv.Itoa(int(*p))
		}
		return 0, errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", v)
	}
	return *p, nil
}

// UploadPartCopy makes (a byte range of) an existing object a part.
func (s *Service) UploadPartCopy(ctx context.Context, in *s3api.UploadPartCopyRequest) (*s3api.UploadPartCopyOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	n, err := partNumber(in.PartNumber)
	if err != nil {
		return nil, err
	}
	u, err := s.findUpload(str(in.Bucket), str(in.Key), str(in.UploadId))
	if err != nil {
		return nil, err
	}
	srcBucket, srcKey, srcVersion, err := parseCopySource(str(in.CopySource))
	if err != nil {
		return nil, err
	}
	src, err := s.copySource(srcBucket, srcKey, srcVersion)
	if err != nil {
		return nil, err
	}
	if err := preconditions(src, in.CopySourceIfMatch, in.CopySourceIfNoneMatch, in.CopySourceIfModifiedSince, in.CopySourceIfUnmodifiedSince, true, s.now()); err != nil {
		return nil, err
	}
	f, err := s.blobs.open(src.Blob)
	if err != nil {
		return nil, fmt.Errorf("opening source body: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if rng := str(in.CopySourceRange); rng != "" {
		start, end, ok := parseCopyRange(rng)
		if !ok || end >= src.Size {
			return nil, errInvalidArgument(fmt.Sprintf("Range specified is not valid for source object of size: %d", src.Size), "x-amz-copy-source-range", rng)
		}
		if _, err := f.Seek(start, io.SeekStart); err != nil {
			return nil, fmt.Errorf("seeking source body: %w", err)
		}
		r = io.LimitReader(f, end-start+1)
	}
	w, err := s.blobs.write(r)
	if err != nil {
		return nil, fmt.Errorf("copying part: %w", err)
	}
	p, err := s.storePart(ctx, u, n, w)
	if err != nil {
		return nil, err
	}
	return &s3api.UploadPartCopyOutput{CopyPartResult: &s3api.CopyPartResult{ETag: ptr(`"` + p.MD5 + `"`), LastModified: ptr(p.LastModified)}, ServerSideEncryption: ptr(sseAlgorithm)}, nil
}

// ListMultipartUploads lists uploads in progress by key, then initiation
// (paged by key and upload id markers); a delimiter rolls keys up into
// CommonPrefixes.
func (s *Service) ListMultipartUploads(ctx context.Context, in *s3api.ListMultipartUploadsRequest) (*s3api.ListMultipartUploadsOutput, error) {
	bucket := str(in.Bucket)
	if err := checkEncodingType(in.EncodingType); err != nil {
		return nil, err
	}
	maxUploads, err := maxKeysOf(in.MaxUploads)
	if err != nil {
		return nil, err
	}
	prefix, delim := str(in.Prefix), str(in.Delimiter)
	keyMarker, idMarker := str(in.KeyMarker), str(in.UploadIdMarker)
	s.mu.RLock()
	if s.mu.buckets[bucket] == nil {
		s.mu.RUnlock()
		return nil, errNoSuchBucket(bucket)
	}
	var us []uploadRecord
	for _, u := range s.mu.uploads {
		if u.Bucket == bucket && strings.HasPrefix(u.Key, prefix) {
			us = append(us, u.uploadRecord)
		}
	}
	s.mu.RUnlock()
	sort.Slice(us, func(i, j int) bool {
		if us[i].Key != us[j].Key {
			return us[i].Key < us[j].Key
		}
		return us[i].Initiated.Before(us[j].Initiated) || us[i].Initiated.Equal(us[j].Initiated) && us[i].ID < us[j].ID
	})
	out := &s3api.ListMultipartUploadsOutput{Bucket: in.Bucket, KeyMarker: ptr(keyMarker), UploadIdMarker: ptr(idMarker),
		Prefix: in.Prefix, Delimiter: in.Delimiter, MaxUploads: ptr(int32(maxUploads)), IsTruncated: ptr(false), EncodingType: in.EncodingType}
	passed := keyMarker == ""
	n, lastPrefix := 0, ""
	own := owner(call(ctx).Account)
	for _, u := range us {
		if !passed {
			if u.Key < keyMarker || (u.Key == keyMarker && (idMarker == "" || u.ID <= idMarker)) {
				if u.Key == keyMarker && u.ID == idMarker {
					passed = true
				}
				continue
			}
			passed = true
		}
		if delim != "" {
			if i := strings.Index(u.Key[len(prefix):], delim); i >= 0 {
				cp := u.Key[:len(prefix)+i+len(delim)]
				if cp == lastPrefix {
					continue
				}
				if n == maxUploads {
					out.IsTruncated = ptr(true)
					break
				}
				out.CommonPrefixes = append(out.CommonPrefixes, &s3api.CommonPrefix{Prefix: ptr(cp)})
				lastPrefix = cp
				n++
				continue
			}
		}
		if n == maxUploads {
			out.IsTruncated = ptr(true)
			break
		}
		out.Uploads = append(out.Uploads, &s3api.MultipartUpload{UploadId: ptr(u.ID), Key: ptr(u.Key), Initiated: ptr(u.Initiated),
			StorageClass: ptr(storageClass(&u.Object)), Owner: own, Initiator: &s3api.Initiator{ID: own.ID, DisplayName: own.DisplayName}})
		out.NextKeyMarker, out.NextUploadIdMarker = ptr(u.Key), ptr(u.ID)
		n++
	}
	return out, nil
}

// CompleteMultipartUpload makes the listed parts, in ascending order, the
// object. Errors are AWS's: InvalidPartOrder, InvalidPart (missing or ETag
// mismatch), EntityTooSmall (a part but the last under 5 MiB).
func (s *Service) CompleteMultipartUpload(ctx context.Context, in *s3api.CompleteMultipartUploadRequest) (*s3api.CompleteMultipartUploadOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	bucket, key := str(in.Bucket), str(in.Key)
	u, err := s.findUpload(bucket, key, str(in.UploadId))
	if err != nil {
		return nil, err
	}
	if in.MultipartUpload == nil {
		return nil, errMalformedXML()
	}
	if len(in.MultipartUpload.Parts) == 0 {
		return nil, s3err("InvalidRequest", 400, "You must specify at least one part")
	}
	cond, err := writeCondition(ctx, key)
	if err != nil {
		return nil, err
	}
	if cond != nil {
		condition := "If-Match"
		if r := call(ctx).Request; r != nil && r.Header.Get("If-None-Match") != "" {
			condition = "If-None-Match"
		}
		// A conditional complete also fails when the key was written or
		// deleted since the upload began (ConditionalRequestConflict, 409,
		// as recorded): the precondition is checked first.
		pre, keySeq := cond, u.KeySeq
		cond = func(old *object) error {
			if err := pre(old); err != nil {
				return err
			}
			if seqOf(old) != keySeq {
				return s3err("ConditionalRequestConflict", 409, "The conditional request cannot succeed due to a conflicting operation against this resource.").
					With("Condition", condition).With("Key", key)
			}
			return nil
		}
	}
	u.wmu.Lock()
	defer u.wmu.Unlock()
	if u.gone {
		return nil, errNoSuchUpload(str(in.UploadId))
	}
	s.mu.RLock()
	parts := make([]*partRecord, 0, len(in.MultipartUpload.Parts))
	var perr error
	last := int32(0)
	for _, cp := range in.MultipartUpload.Parts {
		n := int32(0)
		if cp.PartNumber != nil {
			n = *cp.PartNumber
		}
		if n <= last {
			perr = s3err("InvalidPartOrder", 400, "The list of parts was not in ascending order. Parts must be ordered by part number.").
				With("UploadId", str(in.UploadId))
			break
		}
		last = n
		p := u.parts[n]
		if p == nil || (cp.ETag != nil && !etagIn(`"`+p.MD5+`"`, *cp.ETag)) {
			perr = s3err("InvalidPart", 400, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.").
				With("UploadId", str(in.UploadId)).With("PartNumber", strconv.Itoa(int(n))).With("ETag", strings.Trim(str(cp.ETag), `"`))
			break
		}
		parts = append(parts, p)
	}
	s.mu.RUnlock()
	if perr != nil {
		return nil, perr
	}
	for i, p := range parts[:len(parts)-1] {
		if p.Size < minPartSize {
			cp := in.MultipartUpload.Parts[i]
			return nil, s3err("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed size").
				With("ProposedSize", strconv.FormatInt(p.Size, 10)).With("MinSizeAllowed", strconv.Itoa(minPartSize)).
				With("PartNumber", strconv.Itoa(int(*cp.PartNumber))).With("ETag", p.MD5)
		}
	}

	var files []blob
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	readers := make([]io.Reader, 0, len(parts))
	sums := md5.New()
	for _, p := range parts {
		f, err := s.blobs.open(p.Blob)
		if err != nil {
			return nil, fmt.Errorf("opening part %d: %w", p.Number, err)
		}
		files = append(files, f)
		readers = append(readers, f)
		d, _ := hex.DecodeString(p.MD5)
		sums.Write(d)
	}
	// The object gets the full-object CRC64NVME AWS computes by default.
	crc := newChecksum("CRC64NVME")
	w, err := s.blobs.write(io.TeeReader(io.MultiReader(readers...), crc))
	if err != nil {
		return nil, fmt.Errorf("joining parts: %w", err)
	}
	o := u.Object
	o.Blob, o.Size, o.LastModified = w.id, w.size, s.now()
	o.ETag = `"` + hex.EncodeToString(sums.Sum(nil)) + "-" + strconv.Itoa(len(parts)) + `"`
	o.ChecksumAlgorithm, o.Checksum = "CRC64NVME", encodeSum(crc)
	extra := []store.Op{{Key: uploadRecordKey(u.ID), Delete: true}}
	s.mu.RLock()
	all := make([]*partRecord, 0, len(u.parts))
	for _, p := range u.parts {
		all = append(all, p)
	}
	s.mu.RUnlock()
	for _, p := range all {
		extra = append(extra, store.Op{Key: partRecordKey(u.ID, p.Number), Delete: true})
	}
	if err := s.putVersion(ctx, bucket, key, &o, extra, cond); err != nil {
		s.blobs.remove(w.id)
		return nil, err
	}
	s.dropUploadLocked(u, all)
	s.notify(ctx, created("CompleteMultipartUpload", &o))
	return &s3api.CompleteMultipartUploadOutput{Bucket: in.Bucket, Key: in.Key, ETag: ptr(o.ETag),
		Location: ptr("/" + bucket + "/" + key), VersionId: writtenVersion(&o), ServerSideEncryption: ptr(sseAlgorithm),
		ChecksumCRC64NVME: ptr(o.Checksum), ChecksumType: checksumType(o.ChecksumAlgorithm)}, nil
}

// dropUploadLocked forgets a completed or aborted upload and removes its
// part files. u.wmu must be held.
func (s *Service) dropUploadLocked(u *upload, parts []*partRecord) {
	u.gone = true
	s.mu.Lock()
	delete(s.mu.uploads, u.ID)
	s.mu.Unlock()
	for _, p := range parts {
		s.blobs.remove(p.Blob)
	}
}

// AbortMultipartUpload deletes an upload and its parts.
func (s *Service) AbortMultipartUpload(ctx context.Context, in *s3api.AbortMultipartUploadRequest) (*s3api.AbortMultipartUploadOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	u, err := s.findUpload(str(in.Bucket), str(in.Key), str(in.UploadId))
	if err != nil {
		return nil, err
	}
	if err := s.abort(ctx, u); err != nil {
		return nil, err
	}
	return &s3api.AbortMultipartUploadOutput{}, nil
}

// abort deletes an upload and its parts (AbortMultipartUpload, lifecycle's
// AbortIncompleteMultipartUpload).
func (s *Service) abort(ctx context.Context, u *upload) error {
	u.wmu.Lock()
	defer u.wmu.Unlock()
	if u.gone {
		return errNoSuchUpload(u.ID)
	}
	s.mu.RLock()
	all := make([]*partRecord, 0, len(u.parts))
	for _, p := range u.parts {
		all = append(all, p)
	}
	s.mu.RUnlock()
	var b store.Batch
	b.Delete(uploadRecordKey(u.ID))
	for _, p := range all {
		b.Delete(partRecordKey(u.ID, p.Number))
	}
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("aborting upload: %w", err)
	}
	s.dropUploadLocked(u, all)
	return nil
}

// ListParts lists an upload's parts by number, paged by PartNumberMarker.
func (s *Service) ListParts(ctx context.Context, in *s3api.ListPartsRequest) (*s3api.ListPartsOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	u, err := s.findUpload(str(in.Bucket), str(in.Key), str(in.UploadId))
	if err != nil {
		return nil, err
	}
	maxParts := int32(1000)
	if in.MaxParts != nil && *in.MaxParts >= 0 && *in.MaxParts < maxParts {
		maxParts = *in.MaxParts
	}
	marker := int32(0)
	if in.PartNumberMarker != nil {
		marker = *in.PartNumberMarker
	}
	s.mu.RLock()
	var ps []*partRecord
	for n, p := range u.parts {
		if n > marker {
			ps = append(ps, p)
		}
	}
	s.mu.RUnlock()
	sort.Slice(ps, func(i, j int) bool { return ps[i].Number < ps[j].Number })
	out := &s3api.ListPartsOutput{Bucket: in.Bucket, Key: in.Key, UploadId: in.UploadId,
		PartNumberMarker: ptr(marker), MaxParts: ptr(maxParts), IsTruncated: ptr(false),
		StorageClass: ptr(storageClass(&u.Object))}
	if int32(len(ps)) > maxParts {
		ps = ps[:maxParts]
		out.IsTruncated = ptr(true)
		out.NextPartNumberMarker = ptr(ps[len(ps)-1].Number)
	}
	for _, p := range ps {
		out.Parts = append(out.Parts, &s3api.Part{PartNumber: ptr(p.Number), LastModified: ptr(p.LastModified),
			ETag: ptr(`"` + p.MD5 + `"`), Size: ptr(p.Size)})
	}
	return out, nil
}

// parseCopyRange reads x-amz-copy-source-range, which unlike Range must be
// "bytes=first-last" with both ends given.
func parseCopyRange(h string) (start, end int64, ok bool) {
	spec, found := strings.CutPrefix(h, "bytes=")
	a, b, found2 := strings.Cut(spec, "-")
	if !found || !found2 {
		return 0, 0, false
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	end, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || start < 0 || end < start {
		return 0, 0, false
	}
	return start, end, true
}
