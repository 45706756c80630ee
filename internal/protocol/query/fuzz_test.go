package query

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/conformance"
	"github.com/fogbank/fogbank/internal/protocol/conformance/suites"
)

// querySuites returns the services of the botocore query input suites, plus
// the SQS-like test service, in a stable order.
func querySuites() []*api.Service {
	var keys []string
	for k := range suites.Suites {
		if strings.HasPrefix(k, "input/query.json#") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := []*api.Service{testService()}
	for _, k := range keys {
		out = append(out, suites.Suites[k])
	}
	return out
}

// FuzzQueryDecode feeds arbitrary form bodies to Resolve and Decode for
// every query suite's operations. The property: no panic, and every failure
// is an *api.Error.
func FuzzQueryDecode(f *testing.F) {
	if dir, err := conformance.ProtocolsDir(); err == nil {
		for _, file := range []string{"input/query.json", "legacy/input/query.json"} {
			b, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				continue
			}
			var ss []struct {
				Cases []struct {
					Serialized struct{ Body string } `json:"serialized"`
				} `json:"cases"`
			}
			if json.Unmarshal(b, &ss) == nil {
				for _, s := range ss {
					for _, c := range s.Cases {
						f.Add(c.Serialized.Body)
					}
				}
			}
		}
	}
	f.Add("Action=SendMessage&MessageAttribute.1.Name=a&MessageAttribute.1.Value.BinaryValue=AQI%3D&AttributeName.99999999999999999999=x")
	f.Add("Action=SendMessage&Nested.Nested.Nested.Wrapped.member.1=a&Tag.entry.0.Key=&DelaySeconds=%")
	svcs := querySuites()
	f.Fuzz(func(t *testing.T, body string) {
		// Each input also arrives in two pieces, as parameters split between
		// the URL's query string and the form body (in the manner of NATS's
		// split-buffer fuzzing): the merge must be as robust as either half.
		half := len(body) / 2
		for _, svc := range svcs {
			for i, op := range svc.Operations {
				r := httptest.NewRequest("POST", "/", strings.NewReader(""))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				form := "Action=" + op.Name + "&" + body
				if i%2 == 1 {
					r.URL.RawQuery = body[:half]
					form = "Action=" + op.Name + "&" + body[half:]
				}
				c := &api.Call{Service: svc, Request: r, Body: []byte(form)}
				if err := (Codec{}).Resolve(c); err != nil {
					var ae *api.Error
					if !errors.As(err, &ae) {
						t.Fatalf("Resolve: %T %v is not an *api.Error", err, err)
					}
					continue
				}
				var in any
				if c.Op.NewInput != nil {
					in = c.Op.NewInput()
				}
				if err := (Codec{}).Decode(c, in); err != nil {
					var ae *api.Error
					if !errors.As(err, &ae) {
						t.Fatalf("Decode: %T %v is not an *api.Error", err, err)
					}
				}
			}
		}
	})
}
