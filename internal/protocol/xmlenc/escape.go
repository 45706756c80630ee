package xmlenc

import (
	"unicode/utf8"
)

// AppendText appends s to dst escaped as XML character data.
//
// Besides the markup characters it escapes '\r' as "&#xD;", as AWS does: an
// XML parser normalises a literal CR (or CRLF) to LF, so a message body that
// carried "\r\n" would otherwise come back to the client as "\n". Runes XML
// 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/FFFF)
// and invalid UTF-8 become U+FFFD, so the document always stays well formed.
func AppendText(dst []byte, s string) []byte { return appendEscaped(dst, s, false) }

// AppendAttr appends s escaped for use inside a double-quoted attribute
// value; whitespace other than ' ' is escaped too, because attribute-value
// normalisation would turn it into spaces.
func AppendAttr(dst []byte, s string) []byte { return appendEscaped(dst, s, true) }

func appendEscaped(dst []byte, s string, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		width := 1
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				esc = "&amp;"
			case c == '<':
				esc = "&lt;"
			case c == '>':
				esc = "&gt;"
			case c == '"':
				esc = "&quot;"
			case c == '\r':
				esc = "&#xD;"
			case c == '\n':
				if attr {
					esc = "&#xA;"
				}
			case c == '\t':
				if attr {
					esc = "&#x9;"
				}
			case c < 0x20:
				esc = "\uFFFD"
			}
		} else {
			r, n := utf8.DecodeRuneInString(s[i:])
			width = n
			if r == utf8.RuneError && n == 1 || !validRune(r) {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			dst = append(dst, s[last:i]...)
			dst = append(dst, esc...)
			last = i + width
		}
		i += width
	}
	return append(dst, s[last:]...)
}

// validRune reports whether r (outside ASCII) is a Char in XML 1.0.
func validRune(r rune) bool {
	return r >= 0x80 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// ValidText reports whether s can be carried in an XML 1.0 document unchanged
// apart from escaping: it is valid UTF-8 and holds only XML Chars. Services
// such as SQS use it to reject message bodies AWS would reject.
func ValidText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !validRune(r) {
			return false
		}
		i += n
	}
	return true
}
