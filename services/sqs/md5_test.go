package sqs

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// snapshot keys below are test ids in
// shared/conformance/aws-recorded/sqs/test_sqs.snapshot.json; every digest was
// returned by real AWS, identically for [sqs] and [sqs_query].

func strAttr(dataType, value string) *sqsapi.MessageAttributeValue {
	return &sqsapi.MessageAttributeValue{DataType: &dataType, StringValue: &value}
}

func binAttr(dataType string, value []byte) *sqsapi.MessageAttributeValue {
	return &sqsapi.MessageAttributeValue{DataType: &dataType, BinaryValue: value}
}

func TestMD5Hex(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		// Also the vector of aws-sdk-go v1 service/sqs/checksums_test.go and
		// aws-sdk-go-v2 service/sqs cust_checksum_validation_test.go.
		{"test_send_message_with_binary_attributes binary-attrs-msg", "test", "098f6bcd4621d373cade4e832627b4f6"},
		{"test_receive_message_message_attribute_names_filters send_message_response", "msg", "6e2baaf3b97dbeef01c0043275f9a0e7"},
		{"test_dead_letter_queue_message_attributes rec-pre-dlq", "message-1", "3d6b824fd8c1520e9a047d21fee6fb1f"},
		{"test_send_message_batch_with_oversized_contents_with_updated_maximum_message_size", strings.Repeat("a", 2048-len("k")-len("String")-len("x")), "f44facf5a7ee0af446ecf3e0f854441e"},
		{"empty", "", "d41d8cd98f00b204e9800998ecf8427e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := md5Hex(tt.body); got != tt.want {
				t.Errorf("md5Hex = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestMD5OfMessageAttributes(t *testing.T) {
	kenobi := func(names ...string) map[string]*sqsapi.MessageAttributeValue {
		all := map[string]string{"General": "Kenobi", "Hello": "There", "Help.Me": "Me"}
		m := map[string]*sqsapi.MessageAttributeValue{}
		for _, n := range names {
			m[n] = strAttr("String", all[n])
		}
		return m
	}
	tests := []struct {
		name  string
		attrs map[string]*sqsapi.MessageAttributeValue
		want  string
	}{
		{"test_send_message_batch_with_oversized_contents_with_updated_maximum_message_size send_oversized_message_batch",
			map[string]*sqsapi.MessageAttributeValue{"k": strAttr("String", "x")}, "a45daa70926828a2f0a1db3418e6feb4"},
		{"test_send_message_with_binary_attributes binary-attrs-msg",
			map[string]*sqsapi.MessageAttributeValue{"attr1": binAttr("Binary", []byte("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"))},
			"8cbe4db156db8a94db8b801b7addb984"},
		{"test_dead_letter_queue_message_attributes rec-pre-dlq",
			map[string]*sqsapi.MessageAttributeValue{"MyAttribute": strAttr("String", "foobar")}, "adb59cd4678ea5a855436b949cd07ab6"},
		{"test_receive_message_attribute_names_filters all_system_and_message_attributes",
			map[string]*sqsapi.MessageAttributeValue{"Foo": strAttr("String", "Bar")}, "ae7155c6026991b6d54b11589678bf9c"},
		{"test_receive_message_message_attribute_names_filters all_name", kenobi("Hello", "General", "Help.Me"), "4c360f3fdafd970e05fae2f149d997f5"},
		{"test_receive_message_message_attribute_names_filters only_existing", kenobi("Hello", "General"), "fca026605781cb4126a1e9044df24232"},
		{"test_receive_message_message_attribute_names_filters existing_and_non_existing", kenobi("Hello"), "a311262e065454b75da111d535b8dacd"},
		{"test_receive_message_message_attribute_names_filters prefix_filter", kenobi("Help.Me", "Hello"), "83fee93c1bcd8b9a5a923ffacdc636c7"},
		{"none", nil, ""},
		{"only nil values", map[string]*sqsapi.MessageAttributeValue{"a": nil}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := md5OfMessageAttributes(tt.attrs); got != tt.want {
				t.Errorf("md5OfMessageAttributes = %s, want %s", got, tt.want)
			}
			if tt.want != "" {
				if got := referenceDigest(tt.attrs); got != tt.want {
					t.Errorf("reference digest = %s, want %s: the test's model of the algorithm is wrong", got, tt.want)
				}
			}
		})
	}
}

// referenceDigest is the documented algorithm written as plainly as possible,
// streaming into an md5 hash (no stack buffer, no size precomputation), to
// check the cases AWS recorded nothing for: list values, the buffer growing
// past md5ScratchSize, names that sort differently in UTF-16.
func referenceDigest(attrs map[string]*sqsapi.MessageAttributeValue) string {
	var names []string
	for n, v := range attrs {
		if v != nil {
			names = append(names, n)
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		ua, ub := utf16Units(a), utf16Units(b)
		return slices.Compare(ua, ub)
	})
	h := md5.New()
	put := func(b []byte) {
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(b)))
		h.Write(l[:])
		h.Write(b)
	}
	for _, n := range names {
		v := attrs[n]
		put([]byte(n))
		put([]byte(*v.DataType))
		switch {
		case v.StringValue != nil:
			h.Write([]byte{1})
			put([]byte(*v.StringValue))
		case v.BinaryValue != nil:
			h.Write([]byte{2})
			put(v.BinaryValue)
		case len(v.StringListValues) > 0:
			h.Write([]byte{3})
			for _, s := range v.StringListValues {
				put([]byte(s))
			}
		case len(v.BinaryListValues) > 0:
			h.Write([]byte{4})
			for _, b := range v.BinaryListValues {
				put(b)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func utf16Units(s string) []uint16 {
	var u []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			u = append(u, uint16(0xD800+r>>10), uint16(0xDC00+r&0x3FF))
			continue
		}
		u = append(u, uint16(r))
	}
	return u
}

func TestMD5OfMessageAttributesUnrecorded(t *testing.T) {
	numberType := "Number.float"
	tests := []struct {
		name  string
		attrs map[string]*sqsapi.MessageAttributeValue
	}{
		{"number with custom type", map[string]*sqsapi.MessageAttributeValue{"n": strAttr(numberType, "1.5")}},
		{"string list", map[string]*sqsapi.MessageAttributeValue{"l": {DataType: new("String"), StringListValues: []string{"a", "bc"}}}},
		{"binary list", map[string]*sqsapi.MessageAttributeValue{"l": {DataType: new("Binary"), BinaryListValues: [][]byte{{0}, {1, 2}}}}},
		{"past the stack buffer", map[string]*sqsapi.MessageAttributeValue{
			"big": binAttr("Binary", make([]byte, 3*md5ScratchSize)), "small": strAttr("String", "x")}},
		{"ten attributes", func() map[string]*sqsapi.MessageAttributeValue {
			m := map[string]*sqsapi.MessageAttributeValue{}
			for _, n := range []string{"j", "i", "h", "g", "f", "e", "d", "c", "b", "a"} {
				m[n] = strAttr("String", n+n)
			}
			return m
		}()},
		// U+FF21 (fullwidth A) is above U+1D400 (math bold A) in Go's byte
		// order but below it in UTF-16, which is the order AWS sorts in.
		{"supplementary vs BMP private-use-area name", map[string]*sqsapi.MessageAttributeValue{
			"\uFF21": strAttr("String", "1"), "\U0001D400": strAttr("String", "2")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := md5OfMessageAttributes(tt.attrs), referenceDigest(tt.attrs)
			if got != want {
				t.Errorf("md5OfMessageAttributes = %s, reference %s", got, want)
			}
		})
	}
}

func TestMD5OfSystemAttributes(t *testing.T) {
	header := "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
	sys := map[string]*sqsapi.MessageSystemAttributeValue{
		awsTraceHeader: {DataType: new("String"), StringValue: &header},
	}
	user := map[string]*sqsapi.MessageAttributeValue{awsTraceHeader: strAttr("String", header)}
	got := md5OfSystemAttributes(sys)
	if want := referenceDigest(user); got != want {
		t.Errorf("md5OfSystemAttributes = %s, want the user-attribute digest %s", got, want)
	}
	if got := md5OfSystemAttributes(nil); got != "" {
		t.Errorf("md5OfSystemAttributes(nil) = %q, want empty", got)
	}
}

func TestCompareUTF16(t *testing.T) {
	tests := []struct {
		a, b string
		want int // sign
	}{
		{"a", "b", -1},
		{"Hello", "Help.Me", -1},
		{"General", "Hello", -1},
		{"ab", "a", 1},
		{"same", "same", 0},
		{"\uFF21", "\U0001D400", 1}, // byte order says -1
		{"\U0001D400", "\U0001D401", -1},
		{"\U0001D7FF", "\U0001D800", -1}, // next high surrogate
		{"x\u00e9", "x\u00ea", -1},       // differ inside a multi-byte rune
	}
	for _, tt := range tests {
		got := compareUTF16(tt.a, tt.b)
		sign := 0
		if got < 0 {
			sign = -1
		} else if got > 0 {
			sign = 1
		}
		if want := slices.Compare(utf16Units(tt.a), utf16Units(tt.b)); want != tt.want {
			t.Fatalf("test case %q vs %q: want %d, UTF-16 says %d", tt.a, tt.b, tt.want, want)
		}
		if sign != tt.want {
			t.Errorf("compareUTF16(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func BenchmarkMD5OfMessageAttributes(b *testing.B) {
	for _, n := range []int{1, 10} {
		attrs := map[string]*sqsapi.MessageAttributeValue{}
		for i := range n {
			attrs[string(rune('a'+i))+"-attribute"] = strAttr("String", "some value of moderate length")
		}
		b.Run(fmt.Sprintf("attrs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				md5OfMessageAttributes(attrs)
			}
		})
	}
}
