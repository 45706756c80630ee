package xmlenc

import "github.com/fogbank/fogbank/internal/api"

// AppendErrorHead appends the part of an XML error envelope that the query
// and rest-xml protocols write alike,
//
//	<Error><Type>Sender|Receiver</Type><Code>code</Code><Message>…</Message>
//
// leaving <Error> open for the error shape's members. The message element is
// omitted when e has none. code is e's code in the caller's protocol.
func AppendErrorHead(dst []byte, e *api.Error, code string) []byte {
	dst = append(dst, "<Error><Type>"...)
	if e.Sender || e.HTTPStatus() < 500 {
		dst = append(dst, "Sender"...)
	} else {
		dst = append(dst, "Receiver"...)
	}
	dst = append(dst, "</Type><Code>"...)
	dst = AppendText(dst, code)
	dst = append(dst, "</Code>"...)
	if e.Message != "" {
		dst = append(dst, "<Message>"...)
		dst = AppendText(dst, e.Message)
		dst = append(dst, "</Message>"...)
	}
	return dst
}

// AppendErrorDetail appends e's Detail members, each as <Name>Value</Name>
// in order; a detail whose name is not an XML name is dropped rather than
// breaking the document.
func AppendErrorDetail(dst []byte, e *api.Error) []byte {
	for _, d := range e.Detail {
		if !isName(d.Name) {
			continue
		}
		dst = append(dst, '<')
		dst = append(dst, d.Name...)
		dst = append(dst, '>')
		dst = AppendText(dst, d.Value)
		dst = append(dst, "</"...)
		dst = append(dst, d.Name...)
		dst = append(dst, '>')
	}
	return dst
}

// isName reports whether s is a plain XML element name (ASCII letters,
// digits, '_', '-', '.', not starting with a digit, '-' or '.').
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9' || c == '-' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}
