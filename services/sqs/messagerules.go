package sqs

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// This file holds the rules SQS applies to what a producer sends, before any
// queue is touched: message bodies, message and system attributes, batch entry
// ids and queue names. Each returns nil or the *api.Error AWS returns, in
// AWS's words.
//
// Where the words come from: messages quoted with a snapshot key were recorded
// from real AWS (shared/conformance/aws-recorded/sqs/test_sqs.snapshot.json)
// and are pinned by messagerules_test.go. AWS's validated test suite also
// shows which inputs AWS rejects (test_send_message_with_invalid_string_attributes,
// test_send_message_with_invalid_payload_characters) without recording the
// message; for those the wording is the best public evidence we have (the
// body message as production SQS returns it, the rest as other emulators
// reproduce AWS) and is marked "unrecorded".

// Limits from the SendMessage and CreateQueue API references.
const (
	maxMessageAttributes   = 10
	maxAttributeNameLength = 256 // characters, "Name" in MessageAttributeValue
	maxAttributeTypeLength = 256 // characters, DataType with its custom label
	maxBatchEntries        = 10
	maxBatchEntryIDLength  = 80
	maxQueueNameLength     = 80 // including ".fifo"
	fifoSuffix             = ".fifo"

	// Number attributes: "up to 38 digits of precision, and between 10^-128
	// and 10^+126".
	maxNumberPrecision = 38
	minNumberMagnitude = -128 // the leading digit's power of ten
	maxNumberMagnitude = 125  // so the value stays below 10^126
)

// allowedCharacters is how AWS spells the character set it accepts in bodies
// and string attribute values (as production SQS writes it in
// InvalidMessageContents).
const allowedCharacters = "#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]"

// newInvalidParameterValue returns SQS's InvalidParameterValue. The SQS model
// has no shape for it: over JSON AWS sends __type
// InvalidParameterValueException with x-amzn-query-error InvalidParameterValue,
// over query the code InvalidParameterValue (recorded: every [sqs] error with
// "QueryErrorCode": "InvalidParameterValueException", e.g.
// test_send_message_with_empty_string_attribute).
func newInvalidParameterValue(format string, args ...any) *api.Error {
	return &api.Error{Code: "InvalidParameterValueException", QueryCode: "InvalidParameterValue",
		Status: 400, Sender: true, Message: fmt.Sprintf(format, args...)}
}

// newMissingParameter returns SQS's MissingParameter for the named request
// parameter: __type MissingRequiredParameterException over JSON, code
// MissingParameter over query (recorded: test_send_empty_message
// "send_empty_message").
func newMissingParameter(name string) *api.Error {
	return &api.Error{Code: "MissingRequiredParameterException", QueryCode: "MissingParameter",
		Status: 400, Sender: true, Message: "The request must contain the parameter " + name + "."}
}

// validateMessageBody checks a SendMessage body: present and made only of the
// characters XML 1.0 allows (#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
// #x10000-#x10FFFF). Bytes that are not UTF-8 are rejected too: the body is
// stored and digested as the bytes received, and a JSON answer could not give
// them back unchanged.
func validateMessageBody(body string) error {
	if body == "" {
		// Recorded: test_send_empty_message "send_empty_message".
		return newMissingParameter("MessageBody")
	}
	if i, r := invalidCharacter(body); i >= 0 {
		// Unrecorded; the text production SQS returns (test
		// test_send_message_with_invalid_payload_characters shows the code).
		return sqsapi.NewInvalidMessageContents(fmt.Sprintf(
			"Invalid binary character '#x%X' was found in the message body, the set of allowed characters is %s.",
			r, allowedCharacters))
	}
	return nil
}

// invalidCharacter returns the byte offset and value of the first character
// of s that SQS does not accept, or -1. For a byte that does not start valid
// UTF-8 the value is that byte.
//
// Bodies are usually ASCII text and are checked on every send, so the loop
// first skips eight printable-ASCII bytes at a time and decodes UTF-8 only
// where it finds a byte that is not.
func invalidCharacter(s string) (int, rune) {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for i < len(s) {
		if i+8 <= len(s) {
			w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			// No byte has its high bit set, and no byte is below 0x20
			// (the "has a byte less than n" trick, valid for n <= 128).
			if w&highs == 0 && (w-0x20*ones)&^w&highs == 0 {
				i += 8
				continue
			}
		}
		// Check the characters that start in the next eight bytes one by
		// one, then try a whole word again: text that is not ASCII pays for
		// one failed word test per eight bytes, not per character.
		for end := min(i+8, len(s)); i < end; {
			c := s[i]
			if c < utf8.RuneSelf {
				if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
					return i, rune(c)
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return i, rune(c)
			}
			if !allowedRune(r) {
				return i, r
			}
			i += size
		}
	}
	return -1, 0
}

// allowedRune reports whether r is in AWS's character set. r comes from
// decoding valid UTF-8, so it is never a surrogate.
func allowedRune(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	case r < 0x10000:
		return false
	default:
		return r <= utf8.MaxRune
	}
}

// validateMessageAttributes checks a message's user attributes: how many,
// their names, data types and values. Attributes are checked in name order so
// that a request with several faults always gets the same answer.
func validateMessageAttributes(attrs map[string]*sqsapi.MessageAttributeValue) error {
	if len(attrs) > maxMessageAttributes {
		// Unrecorded.
		return newInvalidParameterValue("Number of message attributes [%d] exceeds the allowed maximum [%d].",
			len(attrs), maxMessageAttributes)
	}
	var namesArr [maxMessageAttributes]string
	names := sortedNames(namesArr[:0], attrs)
	for _, name := range names {
		if err := validateAttributeName(name); err != nil {
			return err
		}
		if err := validateAttributeValue("(user)", name, attrs[name]); err != nil {
			return err
		}
	}
	return nil
}

// awsTraceHeader is the only message system attribute SQS accepts.
const awsTraceHeader = "AWSTraceHeader"

// validateSystemAttributes checks MessageSystemAttributes: only AWSTraceHeader,
// of type String, with a value. All messages are unrecorded.
func validateSystemAttributes(attrs map[string]*sqsapi.MessageSystemAttributeValue) error {
	if len(attrs) == 0 {
		return nil
	}
	var namesArr [1]string
	names := sortedNames(namesArr[:0], attrs)
	for _, name := range names {
		if name != awsTraceHeader {
			return newInvalidParameterValue("Message system attribute name '%s' is invalid.", name)
		}
		v := attrs[name]
		if v != nil && v.DataType != nil && *v.DataType != "" && *v.DataType != "String" {
			return newInvalidParameterValue(
				"The type of message (system) attribute '%s' is invalid. You must use only the following supported type prefixes: String.", name)
		}
		if err := validateAttributeValue("(system)", name, (*sqsapi.MessageAttributeValue)(v)); err != nil {
			return err
		}
	}
	return nil
}

// sortedNames appends the keys of m to dst in byte order.
func sortedNames[V any](dst []string, m map[string]V) []string {
	for name := range m {
		dst = append(dst, name)
	}
	// Insertion sort: at most ten names, and no closure or interface to
	// allocate on the send path.
	for i := 1; i < len(dst); i++ {
		for j := i; j > 0 && dst[j] < dst[j-1]; j-- {
			dst[j], dst[j-1] = dst[j-1], dst[j]
		}
	}
	return dst
}

// validateAttributeName applies AWS's naming rules: up to 256 letters, digits,
// '_', '-' and '.', not starting with "AWS." or "Amazon." in any case, not
// starting or ending with '.', and no "..". Letters and digits are Unicode
// ones: AWS accepts "attr.1øßä" and rejects "§" (both in
// test_send_message_with_invalid_string_attributes). All messages are
// unrecorded.
func validateAttributeName(name string) error {
	if name == "" {
		return newInvalidParameterValue("The request must contain non-empty message (user) attribute names.")
	}
	if utf8.RuneCountInString(name) > maxAttributeNameLength {
		return newInvalidParameterValue("Message (user) attribute names must be shorter than %d Bytes", maxAttributeNameLength)
	}
	for _, r := range name {
		if r == '_' || r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			continue
		}
		return newInvalidParameterValue("Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ")
	}
	if hasPrefixFold(name, "aws.") || hasPrefixFold(name, "amazon.") ||
		name[0] == '.' || name[len(name)-1] == '.' || strings.Contains(name, "..") {
		return newInvalidParameterValue("You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. " +
			"These strings are reserved for internal use. Additionally, they cannot start or end with '.'.")
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// attributeBase is the logical type a DataType starts with: String, Number or
// Binary, optionally followed by "." and a custom label ("Number.float").
type attributeBase int

const (
	baseInvalid attributeBase = iota
	baseString
	baseNumber
	baseBinary
)

func parseDataType(dataType string) attributeBase {
	base, _, _ := strings.Cut(dataType, ".")
	switch base {
	case "String":
		return baseString
	case "Number":
		return baseNumber
	case "Binary":
		return baseBinary
	}
	return baseInvalid
}

// validateAttributeValue checks the data type and value of the attribute
// called name; kind is "(user)" or "(system)" as AWS words it.
func validateAttributeValue(kind, name string, v *sqsapi.MessageAttributeValue) error {
	if v == nil || v.DataType == nil || *v.DataType == "" {
		// Unrecorded.
		return newInvalidParameterValue("The message %s attribute '%s' must contain a non-empty message attribute type.", kind, name)
	}
	dataType := *v.DataType
	base := parseDataType(dataType)
	if base == baseInvalid {
		// Unrecorded; the rejection itself is in
		// test_send_message_with_invalid_string_attributes.
		return newInvalidParameterValue(
			"The type of message %s attribute '%s' is invalid. You must use only the following supported type prefixes: Binary, Number, String.", kind, name)
	}
	if utf8.RuneCountInString(dataType) > maxAttributeTypeLength {
		return newInvalidParameterValue("Message %s attribute types must be shorter than %d Bytes", kind, maxAttributeTypeLength)
	}
	values := 0
	if v.StringValue != nil {
		values++
	}
	if v.BinaryValue != nil {
		values++
	}
	if len(v.StringListValues) > 0 {
		values++
	}
	if len(v.BinaryListValues) > 0 {
		values++
	}
	if (v.StringValue != nil && *v.StringValue == "") || (v.BinaryValue != nil && len(v.BinaryValue) == 0) || values == 0 {
		// Recorded: test_send_message_with_empty_string_attribute "empty-string-attr".
		return newInvalidParameterValue("Message %s attribute '%s' must contain a non-empty value of type '%s'.", kind, name, dataType)
	}
	if values > 1 {
		return newInvalidParameterValue("Message %s attribute '%s' must have a single value.", kind, name)
	}
	switch base {
	case baseString, baseNumber:
		if v.StringValue == nil {
			return newInvalidParameterValue("Message %s attribute '%s' with type '%s' must use field 'String'.", kind, name, dataType)
		}
		if i, r := invalidCharacter(*v.StringValue); i >= 0 {
			// AWS answers InvalidParameterValue here, not the body's
			// InvalidMessageContents.
			return newInvalidParameterValue(
				"Invalid binary character '#x%X' was found in the message attribute '%s' value, the set of allowed characters is %s.",
				r, name, allowedCharacters)
		}
		if base == baseNumber && !validNumber(*v.StringValue) {
			return newInvalidParameterValue("Can't cast the value of message %s attribute '%s' to a number.", kind, name)
		}
	case baseBinary:
		if v.BinaryValue == nil {
			return newInvalidParameterValue("Message %s attribute '%s' with type 'Binary' must use field 'Binary'.", kind, name)
		}
	}
	return nil
}

// validNumber reports whether s is a decimal number SQS stores: an optional
// sign, digits with an optional fraction, an optional exponent, at most 38
// significant digits, and zero or a magnitude from 10^-128 up to but not
// including 10^126.
func validNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	// Digits are seen as one run, the point falling after intDigits of them.
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intDigits := i - intStart
	fracStart, fracEnd := i, i
	if i < len(s) && s[i] == '.' {
		i++
		fracStart = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		fracEnd = i
	}
	if intDigits == 0 && fracEnd == fracStart {
		return false
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		j := i
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j == len(s) {
			return false
		}
		// Out-of-range exponents fail the magnitude test below either way,
		// so clamp rather than reject so that "1e-99999999999" is a range
		// error, not a syntax one.
		e, err := strconv.Atoi(s[i:])
		if err != nil {
			ne, ok := err.(*strconv.NumError)
			if !ok || ne.Err != strconv.ErrRange {
				return false
			}
			e = 1 << 20
			if s[i] == '-' {
				e = -e
			}
		}
		exp = max(min(e, 1<<20), -(1 << 20))
		i = len(s)
	}
	if i != len(s) {
		return false
	}
	digit := func(k int) byte { // k-th digit of int part then fraction
		if k < intDigits {
			return s[intStart+k]
		}
		return s[fracStart+k-intDigits]
	}
	n := intDigits + (fracEnd - fracStart)
	first := 0
	for first < n && digit(first) == '0' {
		first++
	}
	if first == n {
		return true // zero
	}
	last := n - 1
	for digit(last) == '0' {
		last--
	}
	if last-first+1 > maxNumberPrecision {
		return false
	}
	magnitude := intDigits - first - 1 + exp
	return magnitude >= minNumberMagnitude && magnitude <= maxNumberMagnitude
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// messageSize returns the bytes of a message that count toward the queue's
// MaximumMessageSize and the 1 MiB batch limit: the body plus, for each
// attribute, its name, data type and value. Recorded:
// test_send_message_batch_with_oversized_contents counts an attribute
// {"k": String "x"} as len("k")+len("String")+len("x") and reports
// 1048577 bytes for that message plus a one-byte body.
func messageSize(body string, attrs map[string]*sqsapi.MessageAttributeValue) int {
	n := len(body)
	for name, v := range attrs {
		n += len(name)
		if v == nil {
			continue
		}
		if v.DataType != nil {
			n += len(*v.DataType)
		}
		if v.StringValue != nil {
			n += len(*v.StringValue)
		}
		n += len(v.BinaryValue)
		for _, s := range v.StringListValues {
			n += len(s)
		}
		for _, b := range v.BinaryListValues {
			n += len(b)
		}
	}
	return n
}

// Batch entry types, as AWS names them in EmptyBatchRequest.
const (
	sendBatchEntry       = "SendMessageBatchRequestEntry"
	deleteBatchEntry     = "DeleteMessageBatchRequestEntry"
	visibilityBatchEntry = "ChangeMessageVisibilityBatchRequestEntry"
)

// validateBatchEntryIDs checks the Id of every entry of a batch request: at
// least one and at most ten entries, each id 1 to 80 of [A-Za-z0-9_-], no id
// twice. An empty batch is reported with SendMessageBatch's wording; the
// other batch operations call validateBatchEntries with their entry type.
func validateBatchEntryIDs(ids []string) error {
	return validateBatchEntries(sendBatchEntry, ids)
}

// validateBatchEntries is validateBatchEntryIDs for the batch whose entries
// are of type entryType (sendBatchEntry, deleteBatchEntry,
// visibilityBatchEntry). The first bad id, in request order, is the one
// reported.
func validateBatchEntries(entryType string, ids []string) error {
	if len(ids) == 0 {
		// Unrecorded.
		return sqsapi.NewEmptyBatchRequest("There should be at least one " + entryType + " in the request.")
	}
	if len(ids) > maxBatchEntries {
		// Recorded: test_too_many_entries_in_batch_request,
		// test_delete_message_batch_with_too_large_batch,
		// test_change_message_visibility_batch_with_too_large_batch.
		return sqsapi.NewTooManyEntriesInBatchRequest(fmt.Sprintf(
			"Maximum number of entries per request are %d. You have sent %d.", maxBatchEntries, len(ids)))
	}
	for i, id := range ids {
		if !validBatchEntryID(id) {
			// Recorded: test_invalid_batch_id,
			// test_delete_message_batch_invalid_msg_id (empty, 100 chars, "invalid:id").
			return sqsapi.NewInvalidBatchEntryId(
				"A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
		}
		for _, prev := range ids[:i] {
			if prev == id {
				// Unrecorded.
				return sqsapi.NewBatchEntryIdsNotDistinct("Id " + id + " repeated.")
			}
		}
	}
	return nil
}

func validBatchEntryID(id string) bool {
	return len(id) >= 1 && len(id) <= maxBatchEntryIDLength && allNameChars(id)
}

// allNameChars reports whether s is only ASCII letters, digits, '-' and '_'.
func allNameChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validateQueueName checks a CreateQueue name: 1 to 80 of [A-Za-z0-9_-], or
// for a FIFO queue the same followed by ".fifo", which counts toward the 80.
// Whether the FifoQueue attribute agrees with the suffix is CreateQueue's
// business. Both messages are unrecorded.
func validateQueueName(name string) error {
	if base, ok := strings.CutSuffix(name, fifoSuffix); ok {
		if base == "" || len(name) > maxQueueNameLength || !allNameChars(base) {
			return newInvalidParameterValue("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length")
		}
		return nil
	}
	if name == "" || len(name) > maxQueueNameLength || !allNameChars(name) {
		return newInvalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
	}
	return nil
}
