package xmlenc

import (
	"encoding/xml"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

func TestAppendText(t *testing.T) {
	tests := []struct{ in, text, attr string }{
		{"plain", "plain", "plain"},
		{`a<b>&"c"'`, `a&lt;b&gt;&amp;&quot;c&quot;'`, `a&lt;b&gt;&amp;&quot;c&quot;'`},
		{"cr\r\nlf\ttab", "cr&#xD;\nlf\ttab", "cr&#xD;&#xA;lf&#x9;tab"},
		{"nul\x00bel\x07", "nul\uFFFDbel\uFFFD", "nul\uFFFDbel\uFFFD"},
		{"bad\xffutf8", "bad\uFFFDutf8", "bad\uFFFDutf8"},
		{"émoji 😹 \uFFFE", "émoji 😹 \uFFFD", "émoji 😹 \uFFFD"},
	}
	for _, tt := range tests {
		if got := string(AppendText(nil, tt.in)); got != tt.text {
			t.Errorf("AppendText(%q) = %q, want %q", tt.in, got, tt.text)
		}
		if got := string(AppendAttr(nil, tt.in)); got != tt.attr {
			t.Errorf("AppendAttr(%q) = %q, want %q", tt.in, got, tt.attr)
		}
	}
}

// TestAppendTextRoundTrip checks that what AppendText writes, an XML parser
// reads back unchanged, for every XML Char class.
func TestAppendTextRoundTrip(t *testing.T) {
	in := "a\r\nb\rc\td &<>\"' \u00e9\u20ac\U0001F639\uE000\uFFFD"
	doc := "<a>" + string(AppendText(nil, in)) + "</a>"
	var got string
	if err := xml.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	if got != in {
		t.Fatalf("round trip = %q, want %q", got, in)
	}
}

func TestValidText(t *testing.T) {
	for s, want := range map[string]bool{"ok\t\r\n": true, "😹": true, "\x00": false, "\x1f": false, "\xff": false, "\uFFFF": false} {
		if got := ValidText(s); got != want {
			t.Errorf("ValidText(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	n, err := Parse([]byte(`<?xml version="1.0"?><r xmlns="u" a="1"><x>t&amp;<![CDATA[<c>]]></x><y/></r>`))
	if err != nil {
		t.Fatal(err)
	}
	if n.Name != "r" || n.Child("x").Text != "t&<c>" || n.Child("y") == nil || n.Child("z") != nil {
		t.Fatalf("unexpected tree %+v", n)
	}
	if v, ok := n.Attr("a"); !ok || v != "1" {
		t.Errorf("Attr(a) = %q, %v", v, ok)
	}
	if n, err := Parse([]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>")); err != nil || n.Text != "café" {
		t.Errorf("latin-1 document = %v, %v", n, err)
	}
	if n, err := Parse([]byte("  \n")); n != nil || err != nil {
		t.Errorf("empty document = %v, %v", n, err)
	}
	for _, bad := range []string{"<a>", "<a></b>", "<a/><b/>", "text", "<a>&undefined;</a>", `<?xml version="1.0" encoding="EBCDIC"?><a/>`, strings.Repeat("<a>", MaxDepth+1)} {
		if _, err := Parse([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%.20q) = %v, want ErrMalformed", bad, err)
		}
	}
}

func TestScalars(t *testing.T) {
	ts := &api.Shape{Type: api.TypeTimestamp}
	tests := []struct {
		name string
		ref  *api.Ref
		v    any // pointer to the Go value
		text string
	}{
		{"string", &api.Ref{}, api.String("a<b"), "a&lt;b"},
		{"int", &api.Ref{}, api.Int32(-3), "-3"},
		{"long", &api.Ref{}, api.Int64(1 << 40), "1099511627776"},
		{"bool", &api.Ref{}, api.Bool(true), "true"},
		{"double", &api.Ref{}, api.Float64(6.5), "6.5"},
		{"nan", &api.Ref{}, api.Float64(math.Inf(-1)), "-Infinity"},
		{"float", &api.Ref{}, func() *float32 { f := float32(5.5); return &f }(), "5.5"},
		{"iso", &api.Ref{Shape: ts}, api.Time(time.Unix(1398796238, 0).UTC()), "2014-04-29T18:30:38Z"},
		{"epoch", &api.Ref{Shape: ts, TimestampFormat: api.TimestampUnix}, api.Time(time.Unix(1398796238, 0).UTC()), "1398796238"},
		{"rfc822", &api.Ref{Shape: ts, TimestampFormat: api.TimestampRFC822}, api.Time(time.Unix(1398796238, 0).UTC()), "Tue, 29 Apr 2014 18:30:38 GMT"},
		{"blob", &api.Ref{}, &[]byte{'v', 'a', 'l', 'u', 'e'}, "dmFsdWU="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := reflect.ValueOf(tt.v)
			if v.Elem().Kind() == reflect.Slice {
				v = v.Elem()
			}
			got, ok := AppendScalar(nil, tt.ref, v, api.TimestampISO8601)
			if !ok || string(got) != tt.text {
				t.Fatalf("AppendScalar = %q, %v; want %q", got, ok, tt.text)
			}
			// And back (the escaped string excepted).
			if tt.name == "string" {
				return
			}
			dst := reflect.New(v.Type()).Elem()
			if err := SetScalar(tt.ref, dst, tt.text, api.TimestampISO8601); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(dst.Interface(), v.Interface()) {
				t.Fatalf("SetScalar = %v, want %v", dst, v)
			}
		})
	}
}

func TestSetScalarErrors(t *testing.T) {
	for _, tt := range []struct {
		v    any
		text string
	}{
		{new(*int32), "x"}, {new(*int32), "4294967296"}, {new(*int8), "300"}, {new(*bool), "yes"},
		{new(*float64), "1,5"}, {new(*time.Time), "soon"}, {new([]byte), "!!"},
	} {
		f := reflect.ValueOf(tt.v).Elem()
		if err := SetScalar(&api.Ref{Shape: &api.Shape{}}, f, tt.text, api.TimestampISO8601); !errors.Is(err, ErrBadValue) {
			t.Errorf("SetScalar(%T, %q) = %v, want ErrBadValue", tt.v, tt.text, err)
		}
	}
}
