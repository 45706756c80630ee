package s3

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestChunkedReader(t *testing.T) {
	for _, tc := range []struct {
		name, in, body, trailer string
		err                     error
	}{
		{name: "signed", in: "5;chunk-signature=ab\r\nhello\r\n6;chunk-signature=cd\r\n world\r\n0;chunk-signature=ef\r\n\r\n", body: "hello world"},
		{name: "trailer", in: "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n", body: "abc", trailer: "NSRBwg=="},
		{name: "trailer-no-final-crlf", in: "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n", body: "abc", trailer: "NSRBwg=="},
		{name: "empty", in: "0\r\n\r\n", body: ""},
		{name: "cut-in-data", in: "5\r\nhel", err: io.ErrUnexpectedEOF},
		{name: "cut-before-last-chunk", in: "3\r\nabc\r\n", err: io.ErrUnexpectedEOF},
		{name: "bad-size", in: "zz\r\nabc\r\n", err: errBadChunk},
		{name: "no-crlf-after-data", in: "3\r\nabcX\n0\r\n\r\n", err: errBadChunk},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newChunkedReader(strings.NewReader(tc.in))
			got, err := io.ReadAll(r)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || string(got) != tc.body {
				t.Fatalf("got %q, %v; want %q", got, err, tc.body)
			}
			if v := r.trailer.Get("X-Amz-Checksum-Crc32"); v != tc.trailer {
				t.Errorf("trailer = %q, want %q", v, tc.trailer)
			}
		})
	}
}

func TestChecksums(t *testing.T) {
	// Values for "abc" from the AWS documentation's algorithms.
	for alg, want := range map[string]string{
		"CRC32":  "NSRBwg==",
		"CRC32C": "Nks/tw==",
		"SHA1":   "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=",
		"SHA256": "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
	} {
		h := newChecksum(alg)
		h.Write([]byte("abc"))
		if got := encodeSum(h); got != want {
			t.Errorf("%s(abc) = %s, want %s", alg, got, want)
		}
	}
}
