package s3

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/http"
	"slices"

	"github.com/fogbank/fogbank/internal/api"
	s3api "github.com/fogbank/fogbank/internal/api/s3"
	"github.com/fogbank/fogbank/internal/store"
)

// Versioning. A bucket's Versioning is "" (never enabled), "Enabled" or
// "Suspended"; once set it never returns to "". Every key has a current
// version (bucket.objects, possibly a delete marker) and noncurrent
// versions (bucket.older, newest first). Objects written while versioning
// was never enabled have VersionID ""; in a suspended bucket they get
// "null"; both are the one "null" version a key may have, which a later
// null write replaces.
//
// Version ids are 32 URL-safe characters: 26 random, then 6 of a CRC of
// those, so an id this server could never have issued is InvalidArgument
// ("Invalid version id specified") while a well-formed unknown one is
// NoSuchVersion, as AWS tells the two apart.

const (
	versioningEnabled   = "Enabled"
	versioningSuspended = "Suspended"
	nullVersion         = "null"
)

func newVersionID() string {
	var r [20]byte
	_, _ = rand.Read(r[:])
	body := base64.RawURLEncoding.EncodeToString(r[:])[:26]
	return body + versionCheck(body)
}

func versionCheck(body string) string {
	var c [4]byte
	sum := crc32.ChecksumIEEE([]byte(body))
	c[0], c[1], c[2], c[3] = byte(sum>>24), byte(sum>>16), byte(sum>>8), byte(sum)
	return base64.RawURLEncoding.EncodeToString(c[:])[:6]
}

// validVersionID reports whether id is "null" or an id this server issues.
func validVersionID(id string) bool {
	if id == nullVersion {
		return true
	}
	return len(id) == 32 && versionCheck(id[:26]) == id[26:]
}

func errInvalidVersionID(versionID string) *api.Error {
	return errInvalidArgument("Invalid version id specified", "versionId", versionID)
}

func isNull(o *object) bool { return o.VersionID == "" || o.VersionID == nullVersion }

// wireVersion is the version id as clients see it ("null" for an object
// written before versioning).
func wireVersion(o *object) string {
	if o.VersionID == "" {
		return nullVersion
	}
	return o.VersionID
}

// versionHeader is x-amz-version-id of an object's responses: absent in a
// bucket that never had versioning.
func versionHeader(o *object) *string {
	if o.VersionID == "" {
		return nil
	}
	return ptr(o.VersionID)
}

// keyState is one key's versions: cur (nil: none) and older, newest first.
type keyState struct {
	cur   *object
	older []*object
}

// all returns every version, newest first.
func (k keyState) all() []*object {
	out := make([]*object, 0, 1+len(k.older))
	if k.cur != nil {
		out = append(out, k.cur)
	}
	return append(out, k.older...)
}

// find returns the version with wire id v.
func (k keyState) find(v string) (*object, int) {
	for i, o := range k.all() {
		if wireVersion(o) == v {
			return o, i
		}
	}
	return nil, -1
}

// without returns the state with version index i (in all()) removed; the
// newest noncurrent version becomes current if i was the current one.
func (k keyState) without(i int) keyState {
	all := k.all()
	all = slices.Delete(slices.Clone(all), i, i+1)
	if len(all) == 0 {
		return keyState{}
	}
	if k.cur != nil && i == 0 {
		// The next newest becomes current again: it is no longer noncurrent.
		c := *all[0]
		c.NoncurrentSince = nil
		return keyState{cur: &c, older: all[1:]}
	}
	if k.cur == nil {
		return keyState{older: all}
	}
	return keyState{cur: all[0], older: all[1:]}
}

// pushed returns the state with o as the new current version, per the
// bucket's versioning: the old current becomes noncurrent when versioned,
// and a null version o replaces is dropped.
func (k keyState) pushed(o *object, versioning string) keyState {
	if versioning == "" {
		return keyState{cur: o}
	}
	var older []*object
	if k.cur != nil && !(isNull(k.cur) && isNull(o)) {
		c := *k.cur
		c.NoncurrentSince = ptr(o.LastModified)
		older = append(older, &c)
	}
	for _, v := range k.older {
		if !(isNull(v) && isNull(o)) {
			older = append(older, v)
		}
	}
	return keyState{cur: o, older: older}
}

// versionFor gives o the version id its bucket's versioning assigns.
func (s *Service) versionFor(o *object, versioning string) {
	switch versioning {
	case versioningEnabled:
		o.VersionID = newVersionID()
	case versioningSuspended:
		o.VersionID = nullVersion
	default:
		o.VersionID = ""
	}
	o.Seq = s.seq.Add(1)
}

// change is what a mutation of one key decided.
type change struct {
	state keyState
	extra []store.Op
}

// mutate changes one key's versions durably, then in memory, under the
// key's write lock: f sees the bucket's versioning and the key's versions
// and returns the new state. Records of versions no longer present are
// deleted, new ones written, and bodies no version names any more removed
// after the Apply.
func (s *Service) mutate(ctx context.Context, bucket, key string, f func(versioning string, st keyState) (change, error)) (keyState, error) {
	s.lifecycle.RLock()
	defer s.lifecycle.RUnlock()
	kl := s.keyLock(bucket, key)
	kl.Lock()
	defer kl.Unlock()

	s.mu.RLock()
	b := s.mu.buckets[bucket]
	var old keyState
	var versioning string
	if b != nil {
		old = keyState{cur: b.objects[key], older: b.older[key]}
		versioning = b.Versioning
	}
	s.mu.RUnlock()
	if b == nil {
		return keyState{}, errNoSuchBucket(bucket)
	}
	ch, err := f(versioning, old)
	if err != nil {
		return old, err
	}
	nw := ch.state
	var batch store.Batch
	if nw.cur != old.cur {
		if nw.cur == nil {
			batch.Delete(objectRecordKey(bucket, key))
		} else if err := putRecord(&batch, objectRecordKey(bucket, key), nw.cur); err != nil {
			return old, err
		}
	}
	kept := map[*object]bool{}
	for _, o := range old.older {
		kept[o] = true
	}
	newIDs := map[string]bool{}
	for _, o := range nw.older {
		newIDs[wireVersion(o)] = true
		if !kept[o] {
			if err := putRecord(&batch, versionRecordKey(bucket, key, wireVersion(o)), o); err != nil {
				return old, err
			}
		}
	}
	for _, o := range old.older {
		if !newIDs[wireVersion(o)] {
			batch.Delete(versionRecordKey(bucket, key, wireVersion(o)))
		}
	}
	batch.Ops = append(batch.Ops, ch.extra...)
	if len(batch.Ops) > 0 {
		if err := s.env.Store.Apply(ctx, &batch); err != nil {
			return old, fmt.Errorf("writing object %q: %w", key, err)
		}
	}
	s.mu.Lock()
	if nw.cur == nil {
		delete(b.objects, key)
	} else {
		b.objects[key] = nw.cur
	}
	if len(nw.older) == 0 {
		delete(b.older, key)
	} else {
		b.older[key] = nw.older
	}
	if nw.cur == nil && len(nw.older) == 0 {
		b.keys.Delete(key)
	} else {
		b.keys.ReplaceOrInsert(key)
	}
	s.mu.Unlock()
	live := map[string]bool{}
	for _, o := range nw.all() {
		live[o.Blob] = true
	}
	for _, o := range old.all() {
		if !live[o.Blob] {
			s.blobs.remove(o.Blob)
		}
	}
	return nw, nil
}

func putRecord(b *store.Batch, k []byte, o *object) error {
	v, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encoding object %q: %w", o.Key, err)
	}
	b.Put(k, v)
	return nil
}

// keyVersions returns a key's versions (a snapshot).
func (s *Service) keyVersions(bucket, key string) (keyState, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.mu.buckets[bucket]
	if b == nil {
		return keyState{}, errNoSuchBucket(bucket)
	}
	return keyState{cur: b.objects[key], older: b.older[key]}, nil
}

// errDeleteMarker is GET/HEAD of a key whose current version is a delete
// marker: NoSuchKey, with the marker's headers.
func errDeleteMarker(m *object) *api.Error {
	e := errNoSuchKey(m.Key)
	e.Header = http.Header{"X-Amz-Delete-Marker": {"true"}, "X-Amz-Version-Id": {wireVersion(m)}}
	return e
}

// errMarkerByVersion is GET/HEAD naming a delete marker's version id.
func errMarkerByVersion(m *object) *api.Error {
	e := errMethodNotAllowed(http.MethodGet)
	e.Header = http.Header{"X-Amz-Delete-Marker": {"true"}, "X-Amz-Version-Id": {wireVersion(m)},
		"Last-Modified": {m.LastModified.UTC().Format(http.TimeFormat)}}
	return e
}

// PutBucketVersioning sets Enabled or Suspended; anything else is
// MalformedXML and no status at all IllegalVersioningConfigurationException,
// as recorded.
func (s *Service) PutBucketVersioning(ctx context.Context, in *s3api.PutBucketVersioningRequest) (*s3api.PutBucketVersioningOutput, error) {
	var status string
	if in.VersioningConfiguration != nil {
		status = str(in.VersioningConfiguration.Status)
	}
	err := s.updateBucket(ctx, str(in.Bucket), func(r *bucketRecord) error {
		switch status {
		case versioningEnabled, versioningSuspended:
		case "":
			return s3err("IllegalVersioningConfigurationException", 400, "The Versioning element must be specified")
		default:
			return errMalformedXML()
		}
		r.Versioning = status
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &s3api.PutBucketVersioningOutput{}, nil
}

// GetBucketVersioning answers the status, none for a never-versioned bucket.
func (s *Service) GetBucketVersioning(ctx context.Context, in *s3api.GetBucketVersioningRequest) (*s3api.GetBucketVersioningOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	out := &s3api.GetBucketVersioningOutput{}
	if b.Versioning != "" {
		out.Status = ptr(b.Versioning)
	}
	return out, nil
}

// replaced returns the state with version index i (in all()) replaced by o
// (the same version with other tags or ACL).
func (k keyState) replaced(i int, o *object) keyState {
	if k.cur != nil {
		if i == 0 {
			return keyState{cur: o, older: k.older}
		}
		i--
	}
	older := slices.Clone(k.older)
	older[i] = o
	return keyState{cur: k.cur, older: older}
}

// writtenVersion is x-amz-version-id of a write's response: the new id in
// a versioned bucket, and none for a null version (AWS omits it on a PUT
// to a suspended bucket, though GET and DELETE answer "null").
func writtenVersion(o *object) *string {
	if isNull(o) {
		return nil
	}
	return ptr(o.VersionID)
}
