package s3

import (
	"context"
	"fmt"
	"io"
)

// OpenObject reads an object in-process, for services that take code or
// data from S3 (Lambda's CreateFunction from S3Bucket/S3Key, …). The
// consumer declares the interface it needs:
//
//	type objectOpener interface {
//		OpenObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, int64, error)
//	}
//
// versionID "" is the current version. Errors are the *api.Error GetObject
// would return (NoSuchBucket, NoSuchKey, NoSuchVersion, InvalidObjectState
// for an archived object). The reader streams
// the body file; the caller closes it. An overwrite or delete after the open
// does not disturb a reader that is already open.
func (s *Service) OpenObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, int64, error) {
	o, err := s.lookupVersion(bucket, key, versionID)
	if err != nil {
		return nil, 0, err
	}
	if archived(o) {
		return nil, 0, errArchived(o)
	}
	f, err := s.blobs.open(o.Blob)
	if err != nil {
		return nil, 0, fmt.Errorf("s3: opening body of %s/%s: %w", bucket, key, err)
	}
	return f, o.Size, nil
}
