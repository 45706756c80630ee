// Package s3 is Fogbank's Amazon S3: buckets and objects over the rest-xml
// protocol, path-style or virtual-host addressed (internal/router).
//
// # Shape
//
// Bucket names are global across every account of the server, as they are
// global per partition in AWS; each bucket records its owner account and
// region. Buckets and object metadata are plain Go values in memory
// (bucket.go, object.go) written through to the store (records.go); object
// bodies are files (blob.go), never held whole in memory.
//
// # Durability
//
// A write answers only once its record is durable. A PutObject streams the
// body to a temporary file, fsyncs it and renames it into place, and only
// then applies the object's record; a crash before the record leaves an
// unreferenced file that load deletes, so an interrupted upload is never
// visible.
//
// # Locks
//
// The order is upload.wmu → lifecycle → keyLocks[i] → mu (multipart.go
// holds an upload's writer lock while it completes into an object). mu guards the bucket map and
// every bucket's object map and is never held across I/O. lifecycle is held
// exclusively by CreateBucket and DeleteBucket across their Apply, and
// shared by object writes across theirs, so a bucket is never deleted under
// an object write that is about to insert into it. keyLocks serialize the
// writes of one key (a stripe of them) across their Apply, so the record the
// store keeps and the object memory shows are from the same write. These
// two are writer locks, held across an Apply on purpose (as SQS's lifecycle
// lock is); readers never take them.
package s3

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	s3api "github.com/fogbank/fogbank/internal/api/s3"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/internal/store"
)

// Info is S3's descriptor, listed in internal/services/all.go.
var Info = service.Info{Name: "s3", New: New}

// keyStripes is the number of per-key write locks.
const keyStripes = 64

// Service implements s3api.Handler; operations not built yet answer
// NotImplemented through the embedded Unimplemented.
type Service struct {
	s3api.Unimplemented
	env   service.Env
	blobs *blobStore

	lifecycle sync.RWMutex
	keyLocks  [keyStripes]sync.Mutex
	// seq numbers object versions in write order (versions.go).
	seq atomic.Uint64

	// lcMu guards the lifecycle sweep's timer (lifecycle.go).
	lcMu      sync.Mutex
	lcTimer   clock.Timer
	lcStopped bool

	mu struct {
		sync.RWMutex
		// buckets are the live buckets by name (global across accounts).
		buckets map[string]*bucket
		// uploads are the multipart uploads in progress by id (multipart.go).
		uploads map[string]*upload
	}
}

var (
	_ s3api.Handler    = (*Service)(nil)
	_ service.Resetter = (*Service)(nil)
	_ service.Stopper  = (*Service)(nil)
)

// New builds S3 and loads its buckets and objects. In memory mode the
// bodies go to a private temporary directory removed on Stop.
func New(env service.Env) (service.Service, error) {
	dir := env.DataDir
	temp := dir == ""
	if temp {
		d, err := os.MkdirTemp("", "fogbank-s3-")
		if err != nil {
			return nil, fmt.Errorf("s3: making body directory: %w", err)
		}
		dir = d
	} else {
		dir = filepath.Join(dir, "s3")
	}
	blobs, err := openBlobStore(dir, temp)
	if err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	s := &Service{env: env, blobs: blobs}
	s.mu.buckets = map[string]*bucket{}
	s.mu.uploads = map[string]*upload{}
	if err := s.load(context.Background()); err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	s.armLifecycle()
	return s, nil
}

// APIs implements service.Service.
func (s *Service) APIs() []service.Binding {
	return []service.Binding{{API: s3api.Service, Handler: s}}
}

// Stop implements service.Stopper: a temporary body directory is removed.
func (s *Service) Stop(context.Context) error {
	s.stopLifecycle()
	return s.blobs.close()
}

// Reset implements service.Resetter: every bucket and object is dropped,
// records first, then bodies.
func (s *Service) Reset(ctx context.Context) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	prefix := store.KeyPrefix("s3")
	var b store.Batch
	err := s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(k, _ []byte) error {
		b.Delete(append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return fmt.Errorf("s3: listing records: %w", err)
	}
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("s3: deleting records: %w", err)
	}
	s.mu.Lock()
	old := s.mu.buckets
	oldUploads := s.mu.uploads
	s.mu.buckets = map[string]*bucket{}
	s.mu.uploads = map[string]*upload{}
	s.mu.Unlock()
	for _, u := range oldUploads {
		for _, p := range u.parts {
			s.blobs.remove(p.Blob)
		}
	}
	for _, bk := range old {
		for _, o := range bk.objects {
			s.blobs.remove(o.Blob)
		}
		for _, vs := range bk.older {
			for _, o := range vs {
				s.blobs.remove(o.Blob)
			}
		}
	}
	return nil
}

// call returns the request's Call; a missing one is not a panic.
func call(ctx context.Context) *api.Call {
	if c := api.CallFrom(ctx); c != nil {
		return c
	}
	return &api.Call{Account: "000000000000", Region: "us-east-1"}
}

// now is the service's clock at S3's precision (seconds on the wire, but
// milliseconds kept).
func (s *Service) now() time.Time { return s.env.Clock.Now().UTC().Truncate(time.Millisecond) }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
