package restxml

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

// FuzzRestXMLDecode feeds arbitrary bodies to Decode for every operation of
// the botocore rest-xml input suites and the S3-like test schema. The
// property: no panic, and every failure is an *api.Error.
func FuzzRestXMLDecode(f *testing.F) {
	if dir, err := conformance.ProtocolsDir(); err == nil {
		for _, file := range []string{"input/rest-xml.json", "legacy/input/rest-xml.json"} {
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
						if c.Serialized.Body != "" {
							f.Add(c.Serialized.Body)
						}
					}
				}
			}
		}
	}
	f.Add(`<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet></Delete>`)
	f.Add(`<Tagging xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><TagSet><Tag xsi:type="x"><Key/></Tag></TagSet></Tagging>`)
	f.Add(`<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`)

	var svcs []*api.Service
	var keys []string
	for k := range suites.Suites {
		if strings.HasPrefix(k, "input/rest-xml.json#") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	svcs = append(svcs, s3Service())
	for _, k := range keys {
		svcs = append(svcs, suites.Suites[k])
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, svc := range svcs {
			for _, op := range svc.Operations {
				if op.Input == nil || op.NewInput == nil {
					continue
				}
				r := httptest.NewRequest("POST", "/", strings.NewReader(body))
				c := &api.Call{Service: svc, Op: op, Request: r, Body: []byte(body), Protocol: Protocol}
				if err := (Codec{}).Decode(c, op.NewInput()); err != nil {
					var ae *api.Error
					if !errors.As(err, &ae) {
						t.Fatalf("%s: %T %v is not an *api.Error", op.Name, err, err)
					}
				}
			}
		}
	})
}
