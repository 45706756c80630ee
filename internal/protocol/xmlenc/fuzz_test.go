package xmlenc

import (
	"encoding/xml"
	"strings"
	"testing"
)

// FuzzAppendText checks the escaping property SQS relies on: any text that
// ValidText accepts comes back from a real XML parser exactly as it went in,
// both as element text and as an attribute value; any other text still
// yields a well-formed document.
func FuzzAppendText(f *testing.F) {
	for _, s := range []string{"", "a&b", "\r\n", "<![CDATA[x]]>", "]]>", "\x00", "\xff\xfe", "😹\uFFFE", "\t \n\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := `<a b="` + string(AppendAttr(nil, s)) + `">` + string(AppendText(nil, s)) + `</a>`
		var v struct {
			B    string `xml:"b,attr"`
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("escaped %q is not well formed: %v (%q)", s, err, doc)
		}
		if !ValidText(s) {
			return
		}
		if v.Text != s {
			t.Fatalf("text round trip %q → %q", s, v.Text)
		}
		if v.B != s {
			t.Fatalf("attribute round trip %q → %q", s, v.B)
		}
		if n, err := Parse([]byte(doc)); err != nil || n.Text != s || !strings.EqualFold(n.Name, "a") {
			t.Fatalf("Parse(%q) = %+v, %v", doc, n, err)
		}
	})
}
