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
