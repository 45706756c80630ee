package sqs

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// The binary message and state records (layout in records.go). Each begins
// with a version byte so the format can change; decoding rejects versions it
// does not know. Integers are varints (binary.AppendVarint / AppendUvarint),
// strings and byte slices a uvarint length then the bytes. Nothing needs
// field tags: a new field means a new version.
const (
	bodyRecordV1   = 1
	statusRecordV1 = 1
	dedupRecordV1  = 1
)

// Flags of a message attribute value: which optional parts are present, so
// a nil pointer or slice decodes as nil and an empty one as empty, as the
// JSON records did.
const (
	attrNil = 1 << iota
	attrString
	attrDataType
	attrBinary
	attrStringList
	attrBinaryList
)

var errBadRecord = errors.New("sqs: malformed record")

// encodeBody returns m's message record.
func encodeBody(m *body) []byte {
	return appendBody(make([]byte, 0, bodySize(m)), m)
}

// bodySize is at least the length of m's message record.
func bodySize(m *body) int {
	n := 1 + 6*binary.MaxVarintLen64 + 10*binary.MaxVarintLen32 +
		len(m.ID) + len(m.Body) + len(m.TraceHeader) + len(m.SenderID) + len(m.GroupID) +
		len(m.DedupID) + len(m.DLQSource) + len(m.MD5Body) + len(m.MD5Attrs) + len(m.MD5Sys)
	for k, v := range m.Attrs {
		n += len(k) + 8 + 3*binary.MaxVarintLen32
		if v != nil {
			n += len(api.ToString(v.StringValue)) + len(api.ToString(v.DataType)) + len(v.BinaryValue)
		}
	}
	return n
}

// appendBody appends m's message record to b.
func appendBody(b []byte, m *body) []byte {
	b = append(b, bodyRecordV1)
	b = appendString(b, m.ID)
	b = appendString(b, m.Body)
	b = appendString(b, m.TraceHeader)
	b = binary.AppendVarint(b, m.SentAt)
	b = appendString(b, m.SenderID)
	b = appendString(b, m.GroupID)
	b = appendString(b, m.DedupID)
	b = binary.AppendUvarint(b, m.Seq)
	b = appendString(b, m.DLQSource)
	b = binary.AppendVarint(b, m.VisibleAt)
	b = appendString(b, m.MD5Body)
	b = appendString(b, m.MD5Attrs)
	b = appendString(b, m.MD5Sys)
	b = binary.AppendUvarint(b, uint64(len(m.Attrs)))
	for k, v := range m.Attrs {
		b = appendString(b, k)
		b = appendAttr(b, v)
	}
	return b
}

func appendAttr(b []byte, v *sqsapi.MessageAttributeValue) []byte {
	if v == nil {
		return append(b, attrNil)
	}
	var f byte
	if v.StringValue != nil {
		f |= attrString
	}
	if v.DataType != nil {
		f |= attrDataType
	}
	if v.BinaryValue != nil {
		f |= attrBinary
	}
	if v.StringListValues != nil {
		f |= attrStringList
	}
	if v.BinaryListValues != nil {
		f |= attrBinaryList
	}
	b = append(b, f)
	if v.StringValue != nil {
		b = appendString(b, *v.StringValue)
	}
	if v.DataType != nil {
		b = appendString(b, *v.DataType)
	}
	if v.BinaryValue != nil {
		b = appendBytes(b, v.BinaryValue)
	}
	if v.StringListValues != nil {
		b = binary.AppendUvarint(b, uint64(len(v.StringListValues)))
		for _, s := range v.StringListValues {
			b = appendString(b, s)
		}
	}
	if v.BinaryListValues != nil {
		b = binary.AppendUvarint(b, uint64(len(v.BinaryListValues)))
		for _, s := range v.BinaryListValues {
			b = appendBytes(b, s)
		}
	}
	return b
}

// decodeBody decodes a message record.
func decodeBody(v []byte) (*body, error) {
	if len(v) == 0 || v[0] != bodyRecordV1 {
		return nil, errBadRecord
	}
	d := decoder{b: v[1:]}
	m := &body{}
	m.ID = d.string()
	m.Body = d.string()
	m.TraceHeader = d.string()
	m.SentAt = d.varint()
	m.SenderID = d.string()
	m.GroupID = d.string()
	m.DedupID = d.string()
	m.Seq = d.uvarint()
	m.DLQSource = d.string()
	m.VisibleAt = d.varint()
	m.MD5Body = d.string()
	m.MD5Attrs = d.string()
	m.MD5Sys = d.string()
	if n := d.count(); n > 0 {
		m.Attrs = make(map[string]*sqsapi.MessageAttributeValue, n)
		for range n {
			k := d.string()
			m.Attrs[k] = d.attr()
		}
	}
	if d.err || len(d.b) != 0 {
		return nil, errBadRecord
	}
	return m, nil
}

func (d *decoder) attr() *sqsapi.MessageAttributeValue {
	f := d.byte()
	if f&attrNil != 0 {
		return nil
	}
	v := &sqsapi.MessageAttributeValue{}
	if f&attrString != 0 {
		s := d.string()
		v.StringValue = &s
	}
	if f&attrDataType != 0 {
		s := d.string()
		v.DataType = &s
	}
	if f&attrBinary != 0 {
		v.BinaryValue = d.bytes()
	}
	if f&attrStringList != 0 {
		n := d.count()
		v.StringListValues = make([]string, n)
		for i := range n {
			v.StringListValues[i] = d.string()
		}
	}
	if f&attrBinaryList != 0 {
		n := d.count()
		v.BinaryListValues = make([][]byte, n)
		for i := range n {
			v.BinaryListValues[i] = d.bytes()
		}
	}
	return v
}

// encodeStatus returns st's state record.
func encodeStatus(st msgStatus) []byte {
	return appendStatus(make([]byte, 0, statusSize(st)), st)
}

// statusSize is at least the length of st's state record.
func statusSize(st msgStatus) int {
	return 1 + 3*binary.MaxVarintLen64 + binary.MaxVarintLen32 + len(st.Token)
}

// appendStatus appends st's state record to b.
func appendStatus(b []byte, st msgStatus) []byte {
	b = append(b, statusRecordV1)
	b = binary.AppendUvarint(b, uint64(st.ReceiveCount))
	b = binary.AppendVarint(b, st.FirstReceive)
	b = binary.AppendVarint(b, st.VisibleAt)
	return appendString(b, st.Token)
}

// decodeStatus decodes a state record.
func decodeStatus(v []byte) (msgStatus, error) {
	if len(v) == 0 || v[0] != statusRecordV1 {
		return msgStatus{}, errBadRecord
	}
	d := decoder{b: v[1:]}
	st := msgStatus{
		ReceiveCount: int(d.uvarint()),
		FirstReceive: d.varint(),
		VisibleAt:    d.varint(),
		Token:        d.string(),
	}
	if d.err || len(d.b) != 0 {
		return msgStatus{}, errBadRecord
	}
	return st, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b []byte, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decoder reads a record; after the first error every read returns a zero
// value and err stays set.
type decoder struct {
	b   []byte
	err bool
}

func (d *decoder) byte() byte {
	if d.err || len(d.b) == 0 {
		d.err = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	if d.err {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length and checks that at least that many bytes remain
// (every counted item takes one or more), so a corrupt count cannot make a
// huge allocation.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = true
		return 0
	}
	return int(n)
}

func (d *decoder) raw() []byte {
	n := d.count()
	if d.err {
		return nil
	}
	s := d.b[:n:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) string() string { return string(d.raw()) }

// bytes returns a copy: the store's value buffer is not ours to keep.
func (d *decoder) bytes() []byte {
	r := d.raw()
	if d.err {
		return nil
	}
	return append(make([]byte, 0, len(r)), r...)
}

// encodeDedup returns the deduplication record of key: expiry (Unix ms),
// sequence number, message id, key.
func encodeDedup(key string, e dedupEntry) []byte {
	b := make([]byte, 0, 1+2*binary.MaxVarintLen64+2*binary.MaxVarintLen32+len(e.id)+len(key))
	b = append(b, dedupRecordV1)
	b = binary.AppendVarint(b, e.expires.UnixMilli())
	b = binary.AppendUvarint(b, e.seq)
	b = appendString(b, e.id)
	return appendString(b, key)
}

// decodeDedup decodes a deduplication record (its n is the record's key).
func decodeDedup(v []byte) (string, dedupEntry, error) {
	d := decoder{b: v}
	if d.byte() != dedupRecordV1 {
		return "", dedupEntry{}, errBadRecord
	}
	var e dedupEntry
	e.expires = time.UnixMilli(d.varint())
	e.seq = d.uvarint()
	e.id = d.string()
	key := d.string()
	if d.err || len(d.b) != 0 {
		return "", dedupEntry{}, errBadRecord
	}
	return key, e, nil
}
