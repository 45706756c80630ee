package s3

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// chunkedReader decodes an aws-chunked body (Content-Encoding: aws-chunked,
// x-amz-content-sha256: STREAMING-…): chunks of
//
//	<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n
//
// ending with a zero-size chunk, then optional trailer lines
// ("x-amz-checksum-crc32:<base64>") and an empty line. Newer SDKs send
// this by default for streaming uploads with a trailing checksum. Chunk
// signatures are not checked (requests are not authenticated yet). A body
// that ends before its final chunk is an error, so a cut-off upload is
// never stored.
type chunkedReader struct {
	r       *bufio.Reader
	left    int64 // bytes left in the current chunk
	done    bool
	trailer http.Header
}

var errBadChunk = errors.New("s3: malformed aws-chunked body")

func newChunkedReader(r io.Reader) *chunkedReader {
	return &chunkedReader{r: bufio.NewReaderSize(r, 64<<10), trailer: http.Header{}}
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	for c.left == 0 {
		if c.done {
			return 0, io.EOF
		}
		if err := c.next(); err != nil {
			return 0, err
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left == 0 && err == nil {
		err = c.crlf()
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// next reads a chunk header; a zero-size chunk reads the trailer.
func (c *chunkedReader) next() error {
	line, err := c.line()
	if err != nil {
		return err
	}
	size, _, _ := strings.Cut(line, ";")
	n, err := strconv.ParseInt(strings.TrimSpace(size), 16, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("%w: chunk size %q", errBadChunk, line)
	}
	if n > 0 {
		c.left = n
		return nil
	}
	c.done = true
	for {
		line, err := c.line()
		if err == io.ErrUnexpectedEOF && line == "" {
			return nil // no final empty line: tolerated
		}
		if err != nil || line == "" {
			return err
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return fmt.Errorf("%w: trailer %q", errBadChunk, line)
		}
		c.trailer.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
}

func (c *chunkedReader) line() (string, error) {
	s, err := c.r.ReadString('\n')
	if err == io.EOF {
		return strings.TrimRight(s, "\r\n"), io.ErrUnexpectedEOF
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

func (c *chunkedReader) crlf() error {
	var b [2]byte
	if _, err := io.ReadFull(c.r, b[:]); err != nil {
		return io.ErrUnexpectedEOF
	}
	if b != [2]byte{'\r', '\n'} {
		return fmt.Errorf("%w: chunk not followed by CRLF", errBadChunk)
	}
	return nil
}

// isChunked reports whether the request's body is aws-chunked.
func isChunked(h http.Header) bool {
	return strings.HasPrefix(h.Get("X-Amz-Content-Sha256"), "STREAMING-") ||
		strings.Contains(h.Get("Content-Encoding"), "aws-chunked")
}

// withoutAWSChunked drops "aws-chunked" from a Content-Encoding list: it
// describes the transfer, not the object.
func withoutAWSChunked(enc string) string {
	var keep []string
	for _, e := range strings.Split(enc, ",") {
		if e = strings.TrimSpace(e); e != "" && e != "aws-chunked" {
			keep = append(keep, e)
		}
	}
	return strings.Join(keep, ",")
}
