package s3

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	s3api "github.com/fogbank/fogbank/internal/api/s3"
)

// Storage classes. Any class S3 has is kept and reported; an object in an
// archive class (GLACIER, DEEP_ARCHIVE) cannot be read — GetObject is
// InvalidObjectState (403) — as in AWS before a restore, which Fogbank
// does not implement. A class S3 does not take is InvalidStorageClass.

var storageClasses = map[string]bool{
	"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true, "ONEZONE_IA": true,
	"INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "GLACIER_IR": true,
}

func checkStorageClass(c *string) error {
	if c == nil || *c == "" || storageClasses[*c] {
		return nil
	}
	return s3err("InvalidStorageClass", http.StatusBadRequest, "The storage class you specified is not valid").With("StorageClassRequested", *c)
}

func archived(o *object) bool { return o.StorageClass == "GLACIER" || o.StorageClass == "DEEP_ARCHIVE" }

func errArchived(o *object) error {
	e := s3err("InvalidObjectState", http.StatusForbidden, "The operation is not valid for the object's storage class").With("StorageClass", o.StorageClass)
	e.Header = http.Header{"X-Amz-Storage-Class": {o.StorageClass}}
	return e
}

// classHeader is x-amz-storage-class of GET and HEAD: absent for STANDARD.
func classHeader(o *object) *string {
	if o.StorageClass == "" || o.StorageClass == "STANDARD" {
		return nil
	}
	return ptr(o.StorageClass)
}

// GetObjectAttributes answers the attributes asked for: ETag (unquoted, as
// AWS answers it here), Checksum, ObjectParts (the part count of a
// multipart object), StorageClass, ObjectSize.
func (s *Service) GetObjectAttributes(ctx context.Context, in *s3api.GetObjectAttributesRequest) (*s3api.GetObjectAttributesOutput, error) {
	if err := s.checkPresigned(ctx); err != nil {
		return nil, err
	}
	o, err := s.lookupVersion(str(in.Bucket), str(in.Key), str(in.VersionId))
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, a := range in.ObjectAttributes {
		for _, f := range strings.Split(a, ",") {
			want[strings.TrimSpace(f)] = true
		}
	}
	out := &s3api.GetObjectAttributesOutput{LastModified: ptr(o.LastModified), VersionId: versionHeader(o)}
	if want["ETag"] {
		out.ETag = ptr(strings.Trim(o.ETag, `"`))
	}
	if want["Checksum"] && o.ChecksumAlgorithm != "" {
		ck := &s3api.Checksum{}
		setChecksum(o.ChecksumAlgorithm, o.Checksum, &ck.ChecksumCRC32, &ck.ChecksumCRC32C, &ck.ChecksumSHA1, &ck.ChecksumSHA256, &ck.ChecksumCRC64NVME)
		ck.ChecksumType = checksumType(o.ChecksumAlgorithm)
		out.Checksum = ck
	}
	if want["ObjectParts"] {
		if _, n, ok := strings.Cut(strings.Trim(o.ETag, `"`), "-"); ok {
			if parts, err := strconv.Atoi(n); err == nil {
				out.ObjectParts = &s3api.GetObjectAttributesParts{TotalPartsCount: ptr(int32(parts))}
			}
		}
	}
	if want["StorageClass"] {
		out.StorageClass = ptr(storageClass(o))
	}
	if want["ObjectSize"] {
		out.ObjectSize = ptr(o.Size)
	}
	return out, nil
}
