package sqs

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/sharedfiles"
)

// wantErr is the error a rule must return. json is the __type (what boto3
// reports as QueryErrorCode for [sqs]), query the query protocol's code (and
// x-amzn-query-error, boto3's Code for [sqs]). recorded, when set, is the
// snapshot test id with its [sqs] variant and the snapshot key, e.g.
// "test_send_empty_message[sqs] send_empty_message"; TestRecordedRuleErrors
// checks the expectation against both recorded variants.
type wantErr struct {
	json, query, msg string
	recorded         string
}

const (
	ipvJSON  = "InvalidParameterValueException"
	ipvQuery = "InvalidParameterValue"
)

func ipv(msg string) *wantErr { return &wantErr{json: ipvJSON, query: ipvQuery, msg: msg} }

func recordedIPV(msg, recorded string) *wantErr {
	return &wantErr{json: ipvJSON, query: ipvQuery, msg: msg, recorded: recorded}
}

func checkErr(t *testing.T, err error, want *wantErr) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		return
	}
	var ae *api.Error
	if !errors.As(err, &ae) {
		t.Fatalf("got %v (%T), want *api.Error %s: %s", err, err, want.json, want.msg)
	}
	if ae.Code != want.json || ae.CodeFor("query") != want.query || ae.Message != want.msg {
		t.Errorf("got JSON %s / query %s: %q\nwant JSON %s / query %s: %q",
			ae.Code, ae.CodeFor("query"), ae.Message, want.json, want.query, want.msg)
	}
	if ae.HTTPStatus() != 400 || !ae.Sender {
		t.Errorf("status %d sender %v, want 400 Sender", ae.HTTPStatus(), ae.Sender)
	}
}

type bodyCase struct {
	name, body string
	want       *wantErr
}

func bodyCases() []bodyCase {
	invalidChars := func(hex string) *wantErr {
		// Unrecorded message; the code is what
		// test_send_message_with_invalid_payload_characters asserts.
		return &wantErr{json: "InvalidMessageContents", query: "InvalidMessageContents",
			msg: "Invalid binary character '#x" + hex + "' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]."}
	}
	return []bodyCase{
		{"empty", "", &wantErr{json: "MissingRequiredParameterException", query: "MissingParameter",
			msg: "The request must contain the parameter MessageBody.", recorded: "test_send_empty_message[sqs] send_empty_message"}},
		{"ascii", "test", nil},
		{"tab newline cr", "a\tb\nc\rd", nil},
		{"delete and tilde", "~\x7f", nil},
		{"latin and cjk", "øßä 日本語", nil},
		{"emoji", "\U0001F600 and \U0010FFFF", nil},
		{"private use and replacement", "\uE000\uFFFD", nil},
		{"test_send_message_with_invalid_payload_characters", "Invalid-\x00-\x08-\x13-\uFFFF", invalidChars("0")},
		{"nonchar FFFE", "ok\uFFFE", invalidChars("FFFE")},
		{"nonchar FFFF", "\uFFFF", invalidChars("FFFF")},
		{"control after an 8-byte ascii run", "abcdefgh\x01", invalidChars("1")},
		{"control at end of an 8-byte word", "abcdefg\x1f", invalidChars("1F")},
		{"escape", "x\x1b[0m", invalidChars("1B")},
		{"invalid utf-8 byte", "abc\xff", invalidChars("FF")},
		{"encoded surrogate", "\xed\xa0\x80", invalidChars("ED")},
		{"truncated rune", "\xe6\x97", invalidChars("E6")},
	}
}

func TestValidateMessageBody(t *testing.T) {
	for _, tt := range bodyCases() {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, validateMessageBody(tt.body), tt.want)
		})
	}
}

// naiveInvalidCharacter is the character rule without the ASCII fast path.
func naiveInvalidCharacter(s string) (int, rune) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i, rune(s[i])
		}
		ok := r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) ||
			(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
		if !ok {
			return i, r
		}
		i += size
	}
	return -1, 0
}

func FuzzInvalidCharacter(f *testing.F) {
	for _, s := range []string{"", "test", "abcdefgh\x01", "Invalid-\x00-\x08", "øßä\uFFFE", "\xed\xa0\x80", "\U0001F600\x7f\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gi, gr := invalidCharacter(s)
		wi, wr := naiveInvalidCharacter(s)
		if gi != wi || gr != wr {
			t.Errorf("invalidCharacter(%q) = %d, %#x; want %d, %#x", s, gi, gr, wi, wr)
		}
	})
}

type attributesCase struct {
	name  string
	attrs map[string]*sqsapi.MessageAttributeValue
	want  *wantErr
}

func attributesCases() []attributesCase {
	one := func(name string, v *sqsapi.MessageAttributeValue) map[string]*sqsapi.MessageAttributeValue {
		return map[string]*sqsapi.MessageAttributeValue{name: v}
	}
	valid := func(name string) map[string]*sqsapi.MessageAttributeValue {
		return one(name, strAttr("String", "Valid"))
	}
	const (
		reserved   = "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'."
		badChars   = "Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. "
		badType    = "The type of message (user) attribute 'Attribute_name' is invalid. You must use only the following supported type prefixes: Binary, Number, String."
		notANumber = "Can't cast the value of message (user) attribute 'n' to a number."
	)
	number := func(v string) map[string]*sqsapi.MessageAttributeValue { return one("n", strAttr("Number", v)) }
	eleven := map[string]*sqsapi.MessageAttributeValue{}
	for i := range 11 {
		eleven[string(rune('a'+i))] = strAttr("String", "v")
	}
	return []attributesCase{
		{"none", nil, nil},
		{"test_send_message_with_invalid_string_attributes baseline", one("attr.1øßä", strAttr("String", "Valida")), nil},
		{"custom types", map[string]*sqsapi.MessageAttributeValue{
			"f": strAttr("Number.float", "3.14"), "p": binAttr("Binary.png", []byte{0x89}), "s": strAttr("String.json", "{}")}, nil},
		{"test_send_message_with_empty_string_attribute", one("ErrorDetails", strAttr("String", "")),
			recordedIPV("Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
				"test_send_message_with_empty_string_attribute[sqs] empty-string-attr")},
		// The cases below are the rejections test_send_message_with_invalid_string_attributes
		// shows AWS makes; AWS's messages were not recorded.
		{"non-printable value", one("attr1", strAttr("String", "Invalid-\x08,\x0b")),
			ipv("Invalid binary character '#x8' was found in the message attribute 'attr1' value, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].")},
		{"prefix aWs.", valid("aWs.-Invalid-attr"), ipv(reserved)},
		{"prefix AMAZON.", valid("AMAZON.-Invalid-attr"), ipv(reserved)},
		{"prefix .", valid(".-Invalid-attr"), ipv(reserved)},
		{"ends with .", valid("Invalid."), ipv(reserved)},
		{"double period", valid("Invalid..Name"), ipv(reserved)},
		{"AWS without period is fine", valid("AWSome"), nil},
		{"char !", valid("Invalid-!-attr"), ipv(badChars)},
		{`char "`, valid(`Invalid-"-attr`), ipv(badChars)},
		{"char §", valid("Invalid-§-attr"), ipv(badChars)},
		{"char (", valid("Invalid-(-attr"), ipv(badChars)},
		{"char ?", valid("Invalid-?-attr"), ipv(badChars)},
		{"char space", valid("a b"), ipv(badChars)},
		{"name of 257", valid(strings.Repeat("L", 257)), ipv("Message (user) attribute names must be shorter than 256 Bytes")},
		{"name of 256", valid(strings.Repeat("L", 256)), nil},
		{"type Invalid", one("Attribute_name", strAttr("Invalid", "Valid")), ipv(badType)},
		{"type is case sensitive", one("Attribute_name", strAttr("string", "Valid")), ipv(badType)},
		{"type prefix without period", one("Attribute_name", strAttr("Stringy", "Valid")), ipv(badType)},
		{"type too long", one("Attribute_name", strAttr("Number."+strings.Repeat("L", 256), "1")),
			ipv("Message (user) attribute types must be shorter than 256 Bytes")},
		{"no type", one("t", &sqsapi.MessageAttributeValue{StringValue: new("v")}),
			ipv("The message (user) attribute 't' must contain a non-empty message attribute type.")},
		{"nil value", one("t", nil), ipv("The message (user) attribute 't' must contain a non-empty message attribute type.")},
		{"eleven attributes", eleven, ipv("Number of message attributes [11] exceeds the allowed maximum [10].")},
		{"no value", one("v", &sqsapi.MessageAttributeValue{DataType: new("String")}),
			ipv("Message (user) attribute 'v' must contain a non-empty value of type 'String'.")},
		{"empty binary", one("b", binAttr("Binary", []byte{})),
			ipv("Message (user) attribute 'b' must contain a non-empty value of type 'Binary'.")},
		{"two values", one("b", &sqsapi.MessageAttributeValue{DataType: new("String"), StringValue: new("s"), BinaryValue: []byte{1}}),
			ipv("Message (user) attribute 'b' must have a single value.")},
		{"binary in a string", one("s", binAttr("String", []byte{1})),
			ipv("Message (user) attribute 's' with type 'String' must use field 'String'.")},
		{"string in a binary", one("b", strAttr("Binary.png", "x")),
			ipv("Message (user) attribute 'b' with type 'Binary' must use field 'Binary'.")},
		{"number", number("1.5"), nil},
		{"negative zero with fraction", number("-0.000"), nil},
		{"integer with sign", number("+42"), nil},
		{"exponent", number("1e5"), nil},
		{"leading point", number(".5"), nil},
		{"trailing point", number("5."), nil},
		{"38 digits", number(strings.Repeat("9", 38)), nil},
		{"38 significant digits and zeros", number("0.000" + strings.Repeat("9", 38) + "000"), nil},
		{"39 digits", number(strings.Repeat("9", 39)), ipv(notANumber)},
		{"just below 10^126", number("9.99e125"), nil},
		{"10^126", number("1e126"), ipv(notANumber)},
		{"10^-128", number("1e-128"), nil},
		{"10^-129", number("0.1e-128"), ipv(notANumber)},
		{"huge exponent", number("1e99999999999999999999"), ipv(notANumber)},
		{"letters", number("abc"), ipv(notANumber)},
		{"sign only", number("-"), ipv(notANumber)},
		{"point only", number("."), ipv(notANumber)},
		{"dangling exponent", number("1e"), ipv(notANumber)},
		{"hex", number("0x10"), ipv(notANumber)},
		{"inner space", number("1 2"), ipv(notANumber)},
		{"NaN", number("NaN"), ipv(notANumber)},
	}
}

func TestValidateMessageAttributes(t *testing.T) {
	for _, tt := range attributesCases() {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, validateMessageAttributes(tt.attrs), tt.want)
		})
	}
}

func TestValidateSystemAttributes(t *testing.T) {
	trace := func(dataType, value string) map[string]*sqsapi.MessageSystemAttributeValue {
		return map[string]*sqsapi.MessageSystemAttributeValue{awsTraceHeader: {DataType: &dataType, StringValue: &value}}
	}
	// All unrecorded: test_aws_trace_header_propagation only sends a valid one.
	tests := []struct {
		name  string
		attrs map[string]*sqsapi.MessageSystemAttributeValue
		want  *wantErr
	}{
		{"none", nil, nil},
		{"test_aws_trace_header_propagation", trace("String", "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1"), nil},
		{"other name", map[string]*sqsapi.MessageSystemAttributeValue{"Other": {DataType: new("String"), StringValue: new("x")}},
			ipv("Message system attribute name 'Other' is invalid.")},
		{"binary type", trace("Binary", "x"),
			ipv("The type of message (system) attribute 'AWSTraceHeader' is invalid. You must use only the following supported type prefixes: String.")},
		{"empty value", trace("String", ""),
			ipv("Message (system) attribute 'AWSTraceHeader' must contain a non-empty value of type 'String'.")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, validateSystemAttributes(tt.attrs), tt.want)
		})
	}
}

func TestMessageSize(t *testing.T) {
	k := map[string]*sqsapi.MessageAttributeValue{"k": strAttr("String", "x")}
	tests := []struct {
		name  string
		body  string
		attrs map[string]*sqsapi.MessageAttributeValue
		want  int
	}{
		{"body only", "abc", nil, 3},
		{"utf-8 counts bytes", "ø", nil, 2},
		{"string attribute", "a", k, 1 + len("k") + len("String") + len("x")},
		{"binary attribute", "", map[string]*sqsapi.MessageAttributeValue{"bin": binAttr("Binary", make([]byte, 10))}, 3 + 6 + 10},
		// test_send_message_batch_with_oversized_contents: a body of
		// 1048576-len("kStringx") bytes with that attribute, plus a message
		// "a", is reported as "You have sent 1048577 bytes."
		{"test_send_message_batch_with_oversized_contents", strings.Repeat("a", 1048576-8), k, 1048576},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := messageSize(tt.body, tt.attrs); got != tt.want {
				t.Errorf("messageSize = %d, want %d", got, tt.want)
			}
		})
	}
}

type batchCase struct {
	name string
	ids  []string
	want *wantErr
}

func batchCases() []batchCase {
	ids := func(n int) []string {
		s := make([]string, n)
		for i := range s {
			s[i] = string(rune('a' + i))
		}
		return s
	}
	invalidID := func(recorded string) *wantErr {
		return &wantErr{json: "InvalidBatchEntryId", query: "AWS.SimpleQueueService.InvalidBatchEntryId",
			msg: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.", recorded: recorded}
	}
	tooMany := func(recorded string) *wantErr {
		return &wantErr{json: "TooManyEntriesInBatchRequest", query: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
			msg: "Maximum number of entries per request are 10. You have sent 20.", recorded: recorded}
	}
	return []batchCase{
		{"one", []string{"1"}, nil},
		{"ten", ids(10), nil},
		{"80 chars", []string{strings.Repeat("a", 80)}, nil},
		{"all allowed characters", []string{"AZaz09-_"}, nil},
		{"test_too_many_entries_in_batch_request", ids(20), tooMany("test_too_many_entries_in_batch_request[sqs] test_too_many_entries_in_batch_request")},
		{"test_delete_message_batch_with_too_large_batch", ids(20), tooMany("test_delete_message_batch_with_too_large_batch[sqs] error_response")},
		{"test_change_message_visibility_batch_with_too_large_batch", ids(20), tooMany("test_change_message_visibility_batch_with_too_large_batch[sqs] error_response")},
		{"test_delete_message_batch_invalid_msg_id empty", []string{""}, invalidID("test_delete_message_batch_invalid_msg_id[sqs-] error_response")},
		{"test_delete_message_batch_invalid_msg_id long", []string{strings.Repeat("testLongId", 10)},
			invalidID("test_delete_message_batch_invalid_msg_id[sqs-testLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongId] error_response")},
		{"test_delete_message_batch_invalid_msg_id colon", []string{"invalid:id"}, invalidID("test_delete_message_batch_invalid_msg_id[sqs-invalid:id] error_response")},
		{"test_invalid_batch_id", []string{"ok", "a.b"}, invalidID("test_invalid_batch_id[sqs] test_invalid_batch_id")},
		{"81 chars", []string{strings.Repeat("a", 81)}, invalidID("")},
		{"non-ascii letter", []string{"ø"}, invalidID("")},
		// Unrecorded.
		{"empty batch", nil, &wantErr{json: "EmptyBatchRequest", query: "AWS.SimpleQueueService.EmptyBatchRequest",
			msg: "There should be at least one SendMessageBatchRequestEntry in the request."}},
		{"duplicate", []string{"1", "2", "1"}, &wantErr{json: "BatchEntryIdsNotDistinct", query: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
			msg: "Id 1 repeated."}},
		{"first fault in request order wins", []string{"1", "1", "bad:id"}, &wantErr{json: "BatchEntryIdsNotDistinct", query: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
			msg: "Id 1 repeated."}},
	}
}

func TestValidateBatchEntryIDs(t *testing.T) {
	for _, tt := range batchCases() {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, validateBatchEntryIDs(tt.ids), tt.want)
		})
	}
}

func TestValidateBatchEntriesEmpty(t *testing.T) {
	for _, entry := range []string{sendBatchEntry, deleteBatchEntry, visibilityBatchEntry} {
		t.Run(entry, func(t *testing.T) {
			checkErr(t, validateBatchEntries(entry, []string{}), &wantErr{json: "EmptyBatchRequest", query: "AWS.SimpleQueueService.EmptyBatchRequest",
				msg: "There should be at least one " + entry + " in the request."})
		})
	}
}

func TestValidateQueueName(t *testing.T) {
	// Unrecorded messages.
	std := ipv("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
	fifo := ipv("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length")
	tests := []struct {
		name, queue string
		want        *wantErr
	}{
		{"one char", "a", nil},
		{"allowed characters", "Queue_name-09", nil},
		{"80 chars", strings.Repeat("q", 80), nil},
		{"fifo", "a.fifo", nil},
		{"fifo of 80 with suffix", strings.Repeat("q", 75) + ".fifo", nil},
		{"empty", "", std},
		{"81 chars", strings.Repeat("q", 81), std},
		{"period", "a.b", std},
		{"space", "a b", std},
		{"non-ascii", "queueø", std},
		{"fifo of 81 with suffix", strings.Repeat("q", 76) + ".fifo", fifo},
		{"suffix only", ".fifo", fifo},
		{"period before suffix", "a.b.fifo", fifo},
		{"upper-case suffix is not fifo", "a.FIFO", std},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, validateQueueName(tt.queue), tt.want)
		})
	}
}

// TestRecordedRuleErrors checks every expectation above that cites a
// recording against the recording itself, in both protocols: for [sqs]
// boto3's Code is the query code and QueryErrorCode the __type; for
// [sqs_query] Code is the query code.
func TestRecordedRuleErrors(t *testing.T) {
	var wants []*wantErr
	for _, c := range bodyCases() {
		wants = append(wants, c.want)
	}
	for _, c := range attributesCases() {
		wants = append(wants, c.want)
	}
	for _, c := range batchCases() {
		wants = append(wants, c.want)
	}
	snap := loadSnapshot(t)
	seen := 0
	for _, w := range wants {
		if w == nil || w.recorded == "" {
			continue
		}
		seen++
		test, key, _ := strings.Cut(w.recorded, " ")
		for _, variant := range []string{"[sqs", "[sqs_query"} {
			id := strings.Replace(test, "[sqs", variant, 1)
			got, ok := snap.errorAt(id, key)
			if !ok {
				t.Errorf("%s %s: no recorded error", id, key)
				continue
			}
			wantCode, wantQueryErrorCode := w.query, w.json
			if variant == "[sqs_query" {
				wantQueryErrorCode = got.QueryErrorCode // the query protocol has none; some recordings used JSON
			}
			if got.Code != wantCode || got.QueryErrorCode != wantQueryErrorCode || got.Message != w.msg {
				t.Errorf("%s %s: recorded Code %s QueryErrorCode %s %q\nrule gives %s / %s %q",
					id, key, got.Code, got.QueryErrorCode, got.Message, wantCode, wantQueryErrorCode, w.msg)
			}
		}
	}
	if seen == 0 {
		t.Error("no recorded expectations were checked")
	}
}

type recordedError struct {
	Code, QueryErrorCode, Message string
}

type snapshot map[string]struct {
	RecordedContent map[string]json.RawMessage `json:"recorded-content"`
}

// errorAt returns the Error recorded under key by the test whose id ends in
// "::"+test.
func (s snapshot) errorAt(test, key string) (recordedError, bool) {
	for id, v := range s {
		if !strings.HasSuffix(id, "::"+test) {
			continue
		}
		var resp struct{ Error *recordedError }
		if raw, ok := v.RecordedContent[key]; ok && json.Unmarshal(raw, &resp) == nil && resp.Error != nil {
			return *resp.Error, true
		}
	}
	return recordedError{}, false
}

// loadSnapshot reads shared/conformance/aws-recorded/sqs/test_sqs.snapshot.json.
func loadSnapshot(t *testing.T) snapshot {
	path := filepath.Join(sharedfiles.Dir(t, "conformance/aws-recorded/sqs"), "test_sqs.snapshot.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	return s
}

func BenchmarkValidateMessageBody(b *testing.B) {
	bodies := []struct{ name, body string }{
		{"ascii/64B", strings.Repeat("a", 64)},
		{"ascii/4KiB", strings.Repeat(`{"event":"order.created","id":12345}`, 4096/36)},
		{"ascii/256KiB", strings.Repeat("abcdefgh", 256<<10/8)},
		{"utf8/4KiB", strings.Repeat("øßä 日本語 ", 4096/19)},
	}
	for _, bb := range bodies {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bb.body)))
			for b.Loop() {
				if err := validateMessageBody(bb.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkValidateMessageAttributes(b *testing.B) {
	attrs := map[string]*sqsapi.MessageAttributeValue{
		"trace-id": strAttr("String", "4bf92f3577b34da6a3ce929d0e0e4736"),
		"count":    strAttr("Number", "42"),
		"payload":  binAttr("Binary", []byte{1, 2, 3}),
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := validateMessageAttributes(attrs); err != nil {
			b.Fatal(err)
		}
	}
}
