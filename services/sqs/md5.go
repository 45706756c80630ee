package sqs

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"unicode/utf8"

	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// The digests in this file are what SDKs check every SendMessage,
// SendMessageBatch and ReceiveMessage answer against (aws-sdk-go v1
// service/sqs/checksums.go, aws-sdk-go-v2 cust_checksum_validation.go, the Java
// SDK's MessageMD5ChecksumInterceptor). A single wrong byte makes the client
// reject a message the queue has already stored, so each function follows the
// algorithm in "Calculating the MD5 message digest for message attributes"
// (SQS Developer Guide) byte for byte, and md5_test.go pins it to digests real
// AWS returned.

// Transport type bytes of the attribute digest: which value member carries the
// data, not the DataType ("Number.float" is sent as a string).
const (
	transportString     byte = 1
	transportBinary     byte = 2
	transportStringList byte = 3
	transportBinaryList byte = 4
)

// md5ScratchSize is the digest input that fits on the stack. Attribute sets
// of that size or smaller (nearly all of them) cost one allocation, the
// returned string; larger ones cost one more for the buffer.
const md5ScratchSize = 1024

// md5Hex returns the lower-case hex MD5 of s: MD5OfMessageBody and MD5OfBody.
func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hexDigest(&sum)
}

// md5OfMessageAttributes returns MD5OfMessageAttributes for attrs, or "" when
// there are none (AWS then omits the member).
func md5OfMessageAttributes(attrs map[string]*sqsapi.MessageAttributeValue) string {
	return attributesDigest(attrs, func(v *sqsapi.MessageAttributeValue) *sqsapi.MessageAttributeValue { return v })
}

// md5OfSystemAttributes returns MD5OfMessageSystemAttributes for attrs (today
// only AWSTraceHeader), or "" when there are none. AWS digests system
// attributes exactly as it digests user attributes.
func md5OfSystemAttributes(attrs map[string]*sqsapi.MessageSystemAttributeValue) string {
	// The two generated structs have identical fields, so the pointer
	// conversion is free; if the generator ever makes them differ this stops
	// compiling instead of digesting the wrong bytes.
	return attributesDigest(attrs, func(v *sqsapi.MessageSystemAttributeValue) *sqsapi.MessageAttributeValue {
		return (*sqsapi.MessageAttributeValue)(v)
	})
}

// attributesDigest digests attrs sorted by name: for each, the name, the data
// type, the transport byte and the value, every string or byte slice preceded
// by its length as a 4-byte big-endian integer. Nil values are skipped.
func attributesDigest[V any](attrs map[string]*V, view func(*V) *sqsapi.MessageAttributeValue) string {
	if len(attrs) == 0 {
		return ""
	}
	// SendMessage allows 10 attributes; a larger map (from a caller that has
	// not validated yet) just spills to the heap.
	var namesArr [10]string
	names := namesArr[:0]
	size := 0
	for name, v := range attrs {
		if v == nil {
			continue
		}
		names = append(names, name)
		size += 4 + len(name) + attributeValueSize(view(v)) + 4 + 1
	}
	if len(names) == 0 {
		return ""
	}
	slices.SortFunc(names, compareUTF16)

	var scratch [md5ScratchSize]byte
	b := scratch[:0]
	if size > len(scratch) {
		b = make([]byte, 0, size)
	}
	for _, name := range names {
		v := view(attrs[name])
		b = appendLengthPrefixed(b, name)
		dataType := ""
		if v.DataType != nil {
			dataType = *v.DataType
		}
		b = appendLengthPrefixed(b, dataType)
		// The member that is set decides the transport type, in the order the
		// Java SDK checks them; String and Number both travel as strings.
		switch {
		case v.StringValue != nil:
			b = append(b, transportString)
			b = appendLengthPrefixed(b, *v.StringValue)
		case v.BinaryValue != nil:
			b = append(b, transportBinary)
			b = appendLengthPrefixed(b, v.BinaryValue)
		case len(v.StringListValues) > 0:
			b = append(b, transportStringList)
			for _, s := range v.StringListValues {
				b = appendLengthPrefixed(b, s)
			}
		case len(v.BinaryListValues) > 0:
			b = append(b, transportBinaryList)
			for _, s := range v.BinaryListValues {
				b = appendLengthPrefixed(b, s)
			}
		}
	}
	sum := md5.Sum(b)
	return hexDigest(&sum)
}

// attributeValueSize bounds the digest bytes of v's data type and value, so
// the buffer is sized once.
func attributeValueSize(v *sqsapi.MessageAttributeValue) int {
	n := 0
	if v.DataType != nil {
		n += len(*v.DataType)
	}
	if v.StringValue != nil {
		n += 4 + len(*v.StringValue)
	}
	n += 4 + len(v.BinaryValue)
	for _, s := range v.StringListValues {
		n += 4 + len(s)
	}
	for _, s := range v.BinaryListValues {
		n += 4 + len(s)
	}
	return n
}

func appendLengthPrefixed[S string | []byte](b []byte, s S) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func hexDigest(sum *[md5.Size]byte) string {
	var out [2 * md5.Size]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}

// compareUTF16 orders strings by their UTF-16 code units, as Java's
// String.compareTo (and so the TreeMap AWS and the Java SDK sort attribute
// names with) does. It differs from Go's byte order only when one name has a
// character above U+FFFF where the other has one in U+E000..U+FFFF: UTF-16
// puts the surrogate pair first.
func compareUTF16(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) || i == len(b) {
		return len(a) - len(b)
	}
	for i > 0 && !utf8.RuneStart(a[i]) {
		i--
	}
	ra, _ := utf8.DecodeRuneInString(a[i:])
	rb, _ := utf8.DecodeRuneInString(b[i:])
	return int(utf16Key(ra)) - int(utf16Key(rb))
}

// utf16Key maps r so that comparing keys compares r's UTF-16 encodings: a
// supplementary character sorts as its high surrogate (0xD800..0xDBFF),
// refined by its offset to keep two such characters in code point order.
func utf16Key(r rune) int64 {
	if r < 0x10000 {
		return int64(r) << 20
	}
	return int64(0xD800+(r-0x10000)>>10)<<20 | int64(r&0x3FF)<<10 | 0x3FF
}
