package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"
)

// ingested is a request body stored as a body file, named by no record yet:
// the caller either commits a record naming w.id or removes it.
type ingested struct {
	written
	ckAlg, ck string // the additional checksum the request carried, computed
}

// ingest streams a PutObject or UploadPart body into a new body file:
// aws-chunked decoding, the MD5 (for the ETag and Content-MD5) and any
// additional checksum are computed on the way. A mismatch removes the file
// and answers BadDigest; a short body answers IncompleteBody.
//
// With defaultCRC, a body that carries no checksum gets a CRC64NVME, as
// AWS computes one for every new object (PutObject).
func (s *Service) ingest(ctx context.Context, rc io.ReadCloser, contentMD5 *string, defaultCRC bool) (ingested, error) {
	var want []byte
	if contentMD5 != nil {
		d, err := base64.StdEncoding.DecodeString(*contentMD5)
		if err != nil || len(d) != md5.Size {
			return ingested{}, errInvalidDigest(*contentMD5)
		}
		want = d
	}
	var hdr http.Header
	if r := call(ctx).Request; r != nil {
		hdr = r.Header
		if err := checkBodyHeaders(r); err != nil {
			return ingested{}, err
		}
	}
	var body io.Reader = strings.NewReader("")
	if rc != nil {
		body = rc
	}
	var chunked *chunkedReader
	if isChunked(hdr) {
		chunked = newChunkedReader(body)
		body = chunked
	}
	ck, hasCk := requestedChecksum(hdr)
	if !hasCk && defaultCRC {
		ck, hasCk = checksumRequest{alg: "CRC64NVME"}, true
	}
	var ckh hash.Hash
	if hasCk {
		ckh = newChecksum(ck.alg)
		body = io.TeeReader(body, ckh)
	}
	w, err := s.blobs.write(body)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return ingested{}, errIncompleteBody()
	case errors.Is(err, errBadChunk):
		return ingested{}, s3err("InvalidArgument", 400, "The aws-chunked body is malformed")
	case err != nil:
		return ingested{}, fmt.Errorf("storing body: %w", err)
	}
	if want != nil && string(want) != string(w.md5) {
		s.blobs.remove(w.id)
		return ingested{}, errBadDigest()
	}
	out := ingested{written: w}
	if hasCk {
		out.ckAlg, out.ck = ck.alg, encodeSum(ckh)
		expect := ck.want
		if ck.trailer && chunked != nil {
			expect = chunked.trailer.Get("X-Amz-Checksum-" + ck.alg)
		}
		if expect != "" && expect != out.ck {
			s.blobs.remove(w.id)
			return ingested{}, errChecksumMismatch(ck.alg)
		}
	}
	return out, nil
}

// checkBodyHeaders refuses, before any byte is read, a body S3 would not
// take: no length (S3 takes no HTTP chunked bodies: MissingContentLength,
// 411; an aws-chunked one must announce its decoded length), more than one
// additional checksum, or a checksum header that cannot be the algorithm's
// digest (InvalidRequest).
func checkBodyHeaders(r *http.Request) error {
	if isChunked(r.Header) {
		if r.Header.Get("X-Amz-Decoded-Content-Length") == "" {
			return s3err("MissingContentLength", http.StatusLengthRequired, "You must provide the Content-Length HTTP header.")
		}
	} else if r.ContentLength < 0 {
		return s3err("MissingContentLength", http.StatusLengthRequired, "You must provide the Content-Length HTTP header.")
	}
	n := 0
	for _, alg := range checksumAlgorithms {
		v := r.Header.Get("X-Amz-Checksum-" + alg)
		if v == "" {
			continue
		}
		n++
		d, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(d) != newChecksum(alg).Size() {
			return s3err("InvalidRequest", http.StatusBadRequest, "Value for x-amz-checksum-"+strings.ToLower(alg)+" header is invalid.")
		}
	}
	if n > 1 {
		return s3err("InvalidRequest", http.StatusBadRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	}
	return nil
}
