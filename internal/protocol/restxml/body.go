package restxml

import (
	"errors"
	"net/http"
	"reflect"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/rest"
	"github.com/fogbank/fogbank/internal/protocol/xmlenc"
)

// body is rest-xml's rest.Body: structures as XML documents. root and ns
// name the document element of a response (requests are read whatever their
// root is called, as AWS reads them); valueRoot makes the root element carry
// the single body member's text itself (S3's GetBucketLocation).
type body struct {
	root      string
	ns        string
	valueRoot bool
}

var _ rest.Body = body{}

func (body) ContentType() string { return "application/xml" }

// Unmarshal reads a request body. With payload nil, the document element's
// children are s's body members; with a structure payload, the document
// element is the payload itself.
func (body) Unmarshal(data []byte, s *api.Shape, payload *api.Member, v reflect.Value) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = malformedXML()
		}
	}()
	root, err := xmlenc.Parse(data)
	if err != nil {
		return malformedXML()
	}
	if root == nil {
		return nil
	}
	if payload != nil {
		if v.Kind() == reflect.Interface {
			return nil // a document payload has no XML form
		}
		if err := xmlenc.DecodeValue(root, &payload.Ref, v); err != nil {
			return invalidValue(err)
		}
		return nil
	}
	if err := xmlenc.DecodeMembers(root, s, v); err != nil {
		return invalidValue(err)
	}
	return nil
}

// Marshal writes a response body: the document element (named as Codec
// chose, with the service's namespace unless the payload sets its own), its
// xmlAttribute members, then the body members.
func (b body) Marshal(dst []byte, s *api.Shape, payload *api.Member, v reflect.Value) ([]byte, error) {
	name, ns := b.root, &api.XMLNamespace{URI: b.ns}
	if payload != nil {
		name = xmlenc.RefName(&payload.Ref, payload.Name)
		if pn := payload.Ref.Namespace(); pn != nil {
			ns = pn
		}
	}
	dst = append(dst, xmlHeader...)
	dst = append(dst, '<')
	dst = append(dst, name...)
	dst = xmlenc.AppendNamespace(dst, ns)
	if b.valueRoot && payload == nil {
		return b.finishValue(dst, name, s, v), nil
	}
	return b.finish(dst, name, s, v), nil
}

func (body) finish(dst []byte, name string, s *api.Shape, v reflect.Value) []byte {
	dst = xmlenc.AppendAttrs(dst, s, v)
	dst = append(dst, '>')
	dst = xmlenc.AppendMembers(dst, s, v)
	dst = append(dst, "</"...)
	dst = append(dst, name...)
	return append(dst, '>')
}

// finishValue writes the first body member's text as the root's content.
func (body) finishValue(dst []byte, name string, s *api.Shape, v reflect.Value) []byte {
	dst = append(dst, '>')
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	for i := range s.Members {
		m := &s.Members[i]
		if m.Ref.Location != api.LocationBody {
			continue
		}
		dst, _ = xmlenc.AppendScalar(dst, &m.Ref, v.Field(m.Field), api.TimestampISO8601)
		break
	}
	dst = append(dst, "</"...)
	dst = append(dst, name...)
	return append(dst, '>')
}

func malformedXML() *api.Error {
	return &api.Error{Code: "MalformedXML", Status: http.StatusBadRequest, Sender: true,
		Message: "The XML you provided was not well-formed or did not validate against our published schema"}
}

// invalidValue reports a well-formed document holding a value that does not
// parse as its member's type; S3 calls that MalformedXML too.
func invalidValue(err error) *api.Error {
	e := malformedXML()
	if errors.Is(err, xmlenc.ErrBadValue) {
		e.Message += " (" + err.Error() + ")"
	}
	return e
}
