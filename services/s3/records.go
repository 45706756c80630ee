package s3

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/fogbank/fogbank/internal/store"
)

// Record layout (store.Key parts, JSON values):
//
//	s3|b|bucket          bucketRecord
//	s3|o|bucket|key      object: the key's current version (the body is the file blobs.path(Blob))
//	s3|v|bucket|key|vid  object: a noncurrent version
//	s3|u|uploadID        uploadRecord (multipart upload in progress)
//	s3|p|uploadID|00042  partRecord (part number, zero-padded)
//
// Bucket names cannot contain 0x00, and keys containing it are refused
// (InvalidArgument), so keys never collide. Object records sort by key
// within a bucket, which is the order listings need.

const (
	kindBucket  = "b"
	kindObject  = "o"
	kindVersion = "v"
	kindUpload  = "u"
	kindPart    = "p"
)

func bucketRecordKey(name string) []byte { return store.Key("s3", kindBucket, name) }
func objectRecordKey(bucket, key string) []byte {
	return store.Key("s3", kindObject, bucket, key)
}
func versionRecordKey(bucket, key, versionID string) []byte {
	return store.Key("s3", kindVersion, bucket, key, versionID)
}

// load reads every bucket and object back and deletes body files no object
// names (bodies of uploads whose record never became durable).
func (s *Service) load(ctx context.Context) error {
	bp := store.KeyPrefix("s3", kindBucket)
	err := s.env.Store.Scan(ctx, bp, store.PrefixEnd(bp), func(k, v []byte) error {
		var b bucket
		if err := json.Unmarshal(v, &b.bucketRecord); err != nil {
			return fmt.Errorf("decoding bucket record %q: %w", k, err)
		}
		b.objects = map[string]*object{}
		b.older = map[string][]*object{}
		b.keys = newKeyIndex()
		s.mu.buckets[b.Name] = &b
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading buckets: %w", err)
	}
	live := map[string]bool{}
	op := store.KeyPrefix("s3", kindObject)
	err = s.env.Store.Scan(ctx, op, store.PrefixEnd(op), func(k, v []byte) error {
		o := &object{}
		if err := json.Unmarshal(v, o); err != nil {
			return fmt.Errorf("decoding object record %q: %w", k, err)
		}
		b := s.mu.buckets[o.Bucket]
		if b == nil {
			return nil // a bucket's deletion removes its (empty) object set
		}
		b.objects[o.Key] = o
		live[o.Blob] = true
		s.seq.Store(max(s.seq.Load(), o.Seq))
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading objects: %w", err)
	}
	vp := store.KeyPrefix("s3", kindVersion)
	err = s.env.Store.Scan(ctx, vp, store.PrefixEnd(vp), func(k, v []byte) error {
		o := &object{}
		if err := json.Unmarshal(v, o); err != nil {
			return fmt.Errorf("decoding version record %q: %w", k, err)
		}
		b := s.mu.buckets[o.Bucket]
		if b == nil {
			return nil
		}
		b.older[o.Key] = append(b.older[o.Key], o)
		live[o.Blob] = true
		s.seq.Store(max(s.seq.Load(), o.Seq))
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading versions: %w", err)
	}
	for _, b := range s.mu.buckets {
		for k, vs := range b.older {
			sort.Slice(vs, func(i, j int) bool { return vs[i].Seq > vs[j].Seq })
			b.keys.ReplaceOrInsert(k)
		}
		for k := range b.objects {
			b.keys.ReplaceOrInsert(k)
		}
	}
	up := store.KeyPrefix("s3", kindUpload)
	err = s.env.Store.Scan(ctx, up, store.PrefixEnd(up), func(k, v []byte) error {
		u := &upload{parts: map[int32]*partRecord{}}
		if err := json.Unmarshal(v, &u.uploadRecord); err != nil {
			return fmt.Errorf("decoding upload record %q: %w", k, err)
		}
		s.mu.uploads[u.ID] = u
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading uploads: %w", err)
	}
	pp := store.KeyPrefix("s3", kindPart)
	err = s.env.Store.Scan(ctx, pp, store.PrefixEnd(pp), func(k, v []byte) error {
		parts := bytes.Split(k[len(pp):], []byte{0})
		u := s.mu.uploads[string(parts[0])]
		if u == nil {
			return nil
		}
		p := &partRecord{}
		if err := json.Unmarshal(v, p); err != nil {
			return fmt.Errorf("decoding part record %q: %w", k, err)
		}
		u.parts[p.Number] = p
		live[p.Blob] = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("loading parts: %w", err)
	}
	return s.blobs.sweep(live)
}
