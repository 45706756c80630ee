package jsonenc

import (
	"encoding/binary"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/fogbank/fogbank/internal/api"
)

// maxDepth bounds nesting so that hostile input ("[[[[…") cannot grow the
// stack without limit; Go aborts the process, unrecoverably, on stack
// exhaustion. AWS services reject far shallower documents than this.
const maxDepth = 1000

// scanner is a JSON tokenizer over a whole body. It never allocates for
// strings without escapes: readString returns a slice of the input, valid
// until the next call only when it came from scratch.
type scanner struct {
	data    []byte
	pos     int
	depth   int
	scratch []byte
	// Slabs that optional scalar members are allocated from (newFromSlab).
	strs   []string
	int32s []int32
}

func (d *scanner) errorf(format string, args ...any) error {
	msg := "Unexpected input at offset " + strconv.Itoa(d.pos)
	if format != "" {
		msg = format
		if len(args) > 0 {
			return api.NewSerializationError(format+" (offset %d)", append(args, d.pos)...)
		}
		msg += " (offset " + strconv.Itoa(d.pos) + ")"
	}
	return api.NewSerializationError("%s", msg)
}

func (d *scanner) skipWS() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (d *scanner) peek() byte {
	d.skipWS()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

func (d *scanner) expect(c byte) error {
	if d.peek() != c {
		return d.errorf("expected %q", string(c))
	}
	d.pos++
	return nil
}

// literal consumes word (true, false, null) if it is next.
func (d *scanner) literal(word string) bool {
	d.skipWS()
	if len(d.data)-d.pos >= len(word) && string(d.data[d.pos:d.pos+len(word)]) == word {
		d.pos += len(word)
		return true
	}
	return false
}

// readString reads a string token. The result aliases the input or the
// scanner's scratch buffer: copy it before the next read if it must live on.
func (d *scanner) readString() ([]byte, error) {
	if d.peek() != '"' {
		return nil, d.errorf("expected a string")
	}
	d.pos++
	start := d.pos
	for i := start + plainRun(d.data[start:]); i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return d.data[start:i], nil
		case c == '\\':
			d.pos = i
			return d.readEscaped(start)
		case c < 0x20:
			d.pos = i
			return nil, d.errorf("control character in string")
		}
	}
	d.pos = len(d.data)
	return nil, d.errorf("unterminated string")
}

// Word-at-a-time constants for plainRun.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainRun returns a length, a multiple of 8, of leading bytes of b that
// are all plain string content: no '"', no '\\', no control character. It
// tests eight bytes at a time (the has-zero-byte and has-less-than tricks on
// a little-endian word), so a long string value (a Lambda zip in base64, an
// SQS message body) is scanned several times faster than byte by byte; the
// caller finishes byte by byte from there. A word is only ever flagged
// because it holds one of those bytes, since a borrow starts at a true hit.
func plainRun(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ (ones * '"')
		bs := x ^ (ones * '\\')
		if ((x-ones*0x20)&^x|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
			break
		}
	}
	return i
}

func (d *scanner) readEscaped(start int) ([]byte, error) {
	// Size the buffer for the whole raw string, an upper bound of its
	// unescaped length, so a long escaped string (an SQS message body
	// holding JSON) is copied once instead of grown step by step.
	end := d.pos
	for end < len(d.data) && d.data[end] != '"' {
		if d.data[end] == '\\' {
			end++
		}
		end++
	}
	b := d.scratch[:0]
	if cap(b) < end-start {
		b = make([]byte, 0, min(end, len(d.data))-start)
	}
	b = append(b, d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			d.scratch = b
			return b, nil
		case c < 0x20:
			return nil, d.errorf("control character in string")
		case c != '\\':
			b = append(b, c)
			d.pos++
			continue
		}
		d.pos++
		if d.pos >= len(d.data) {
			break
		}
		e := d.data[d.pos]
		d.pos++
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return nil, d.errorf("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
					save := d.pos
					d.pos += 2
					var ok2 bool
					if r2, ok2 = d.hex4(); !ok2 {
						d.pos = save
						r2 = -1
					}
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
				} else {
					if r2 >= 0 {
						d.pos -= 6
					}
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return nil, d.errorf("invalid escape")
		}
	}
	return nil, d.errorf("unterminated string")
}

func (d *scanner) hex4() (rune, bool) {
	if len(d.data)-d.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range d.data[d.pos : d.pos+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	d.pos += 4
	return r, true
}

// readNumber reads a number token and returns its text (aliasing the input).
func (d *scanner) readNumber() ([]byte, error) {
	d.skipWS()
	start := d.pos
	i := d.pos
	n := len(d.data)
	if i < n && d.data[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < n && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < n && d.data[i] == '0' {
		i++
	} else if !digits() {
		return nil, d.errorf("expected a number")
	}
	if i < n && d.data[i] == '.' {
		i++
		if !digits() {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
	}
	if i < n && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < n && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if !digits() {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
	}
	d.pos = i
	return d.data[start:i], nil
}

// skipValue consumes any JSON value, checking its syntax.
func (d *scanner) skipValue() error {
	switch d.peek() {
	case '{':
		return d.eachMember(func([]byte) error { return d.skipValue() })
	case '[':
		return d.eachElem(d.skipValue)
	case '"':
		_, err := d.readString()
		return err
	case 't':
		if d.literal("true") {
			return nil
		}
	case 'f':
		if d.literal("false") {
			return nil
		}
	case 'n':
		if d.literal("null") {
			return nil
		}
	default:
		_, err := d.readNumber()
		return err
	}
	return d.errorf("")
}

// eachMember reads an object, calling f with each key (valid only during
// the call) with the scanner positioned at the member's value.
func (d *scanner) eachMember(f func(key []byte) error) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	if d.depth++; d.depth > maxDepth {
		return d.errorf("nesting too deep")
	}
	if d.peek() == '}' {
		d.pos++
		d.depth--
		return nil
	}
	for {
		key, err := d.readString()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		if err := f(key); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			d.depth--
			return nil
		default:
			return d.errorf("expected ',' or '}'")
		}
	}
}

// eachElem reads an array, calling f with the scanner at each element.
func (d *scanner) eachElem(f func() error) error {
	if err := d.expect('['); err != nil {
		return err
	}
	if d.depth++; d.depth > maxDepth {
		return d.errorf("nesting too deep")
	}
	if d.peek() == ']' {
		d.pos++
		d.depth--
		return nil
	}
	for {
		if err := f(); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			d.depth--
			return nil
		default:
			return d.errorf("expected ',' or ']'")
		}
	}
}
