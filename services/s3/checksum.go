package s3

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"net/http"
	"strings"
)

// Additional checksums (x-amz-checksum-<algorithm>): a client sends one in a
// header or, with aws-chunked bodies, in the trailer it names in
// x-amz-trailer. The server computes it while the body streams to its
// file, refuses a mismatch with BadDigest (nothing stored), keeps it with
// the object and returns it on PUT and, with ChecksumMode ENABLED, on GET
// and HEAD. A PUT without a checksum gets a CRC64NVME, and a completed
// multipart upload a full-object CRC64NVME, as AWS computes them by default.

// crc64NVME is CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, as
// hash/crc64 wants it; init and xorout all ones, which crc64 does).
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// checksumAlgorithms are the algorithms S3 knows, in its spelling.
var checksumAlgorithms = []string{"CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"}

func newChecksum(alg string) hash.Hash {
	switch alg {
	case "CRC32":
		return crc32.NewIEEE()
	case "CRC32C":
		return crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case "SHA1":
		return sha1.New()
	case "SHA256":
		return sha256.New()
	case "CRC64NVME":
		return crc64.New(crc64NVME)
	}
	return nil
}

// checksumRequest is the checksum a PUT asked for: the algorithm, and the
// expected value when it came in a header ("" when it comes in the trailer).
type checksumRequest struct {
	alg, want string
	trailer   bool
}

// requestedChecksum finds the checksum a request carries, if any.
func requestedChecksum(h http.Header) (checksumRequest, bool) {
	for _, alg := range checksumAlgorithms {
		if v := h.Get("X-Amz-Checksum-" + alg); v != "" {
			return checksumRequest{alg: alg, want: v}, true
		}
	}
	if t := h.Get("X-Amz-Trailer"); t != "" {
		alg := strings.ToUpper(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(t)), "x-amz-checksum-"))
		if newChecksum(alg) != nil {
			return checksumRequest{alg: alg, trailer: true}, true
		}
	}
	return checksumRequest{}, false
}

func encodeSum(h hash.Hash) string { return base64.StdEncoding.EncodeToString(h.Sum(nil)) }

func errChecksumMismatch(alg string) error {
	return s3err("BadDigest", 400, "The "+alg+" you specified did not match the calculated checksum.")
}

// checksumType is x-amz-checksum-type of an object with a checksum: every
// checksum kept here is of the whole object.
func checksumType(alg string) *string {
	if alg == "" {
		return nil
	}
	return ptr("FULL_OBJECT")
}

// setChecksum puts value into the output member for alg.
func setChecksum(alg, value string, crc32p, crc32cp, sha1p, sha256p, crc64p **string) {
	switch alg {
	case "CRC64NVME":
		*crc64p = ptr(value)
	case "CRC32":
		*crc32p = ptr(value)
	case "CRC32C":
		*crc32cp = ptr(value)
	case "SHA1":
		*sha1p = ptr(value)
	case "SHA256":
		*sha256p = ptr(value)
	}
}
