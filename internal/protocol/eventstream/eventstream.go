// Package eventstream writes the AWS event stream framing
// (application/vnd.amazon.eventstream) that operations with an event-stream
// output use (Lambda's InvokeWithResponseStream, S3 SelectObjectContent, …).
//
// A message is: total length (4 bytes), headers length (4), CRC-32 of those
// eight bytes (4), the headers, the payload, and a CRC-32 of everything
// before it (4); integers big-endian, CRC-32 IEEE. Each header is a name
// length (1), the name, a value type (1; 7 = string), a value length (2) and
// the value. Only string headers are written: events need no others.
package eventstream

import (
	"encoding/binary"
	"hash/crc32"
)

// ContentType is the media type of an event stream.
const ContentType = "application/vnd.amazon.eventstream"

// Header is one string header of a message.
type Header struct{ Name, Value string }

// AppendMessage appends one framed message to dst.
func AppendMessage(dst []byte, headers []Header, payload []byte) []byte {
	hlen := 0
	for _, h := range headers {
		hlen += 1 + len(h.Name) + 1 + 2 + len(h.Value)
	}
	total := 12 + hlen + len(payload) + 4
	start := len(dst)
	dst = binary.BigEndian.AppendUint32(dst, uint32(total))
	dst = binary.BigEndian.AppendUint32(dst, uint32(hlen))
	dst = binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:start+8]))
	for _, h := range headers {
		dst = append(dst, byte(len(h.Name)))
		dst = append(dst, h.Name...)
		dst = append(dst, 7)
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(h.Value)))
		dst = append(dst, h.Value...)
	}
	dst = append(dst, payload...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// AppendEvent appends an event message: :message-type event, :event-type
// and :content-type.
func AppendEvent(dst []byte, eventType, contentType string, payload []byte) []byte {
	return AppendMessage(dst, []Header{
		{":event-type", eventType},
		{":content-type", contentType},
		{":message-type", "event"},
	}, payload)
}
