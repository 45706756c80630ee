package restjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/protocol/conformance"
	"github.com/fogbank/fogbank/internal/protocol/conformance/suites"
	"github.com/fogbank/fogbank/internal/protocol/restjson"
)

// fuzzOps are the operations of the botocore rest-json input suites, which
// use every binding: labels (greedy too), query lists and maps, headers and
// prefix headers, blob, string, structure, union and document payloads.
func fuzzOps() []*api.Operation {
	var keys []string
	for k := range suites.Cases {
		if strings.HasPrefix(k, "input/rest-json.json#") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var ops []*api.Operation
	for _, k := range keys {
		ops = append(ops, suites.Cases[k])
	}
	return ops
}

type seed struct {
	Method  string            `json:"method"`
	URI     string            `json:"uri"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func suiteSeeds(t testing.TB) []seed {
	dir, err := conformance.ProtocolsDir()
	if err != nil {
		t.Skip(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "input", "rest-json.json"))
	if err != nil {
		t.Skip(err)
	}
	var ss []struct {
		Cases []struct {
			Serialized seed `json:"serialized"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &ss); err != nil {
		t.Fatal(err)
	}
	var out []seed
	for _, s := range ss {
		for _, c := range s.Cases {
			out = append(out, c.Serialized)
		}
	}
	return out
}

// FuzzRestJSONDecode checks that no request makes the rest-json codec
// panic and that every failure to resolve or decode is an *api.Error.
// Headers arrive as "Name: value" lines.
func FuzzRestJSONDecode(f *testing.F) {
	ops := fuzzOps()
	for i, s := range suiteSeeds(f) {
		var h strings.Builder
		for k, v := range s.Headers {
			h.WriteString(k + ": " + v + "\n")
		}
		f.Add(uint16(i), s.Method, s.URI, h.String(), []byte(s.Body))
	}
	f.Fuzz(func(t *testing.T, which uint16, method, uri, headers string, body []byte) {
		op := ops[int(which)%len(ops)]
		req, err := http.NewRequest(method, "http://example.com"+uri, bytes.NewReader(body))
		if err != nil || !strings.HasPrefix(uri, "/") {
			return
		}
		for _, line := range strings.Split(headers, "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok {
				req.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			}
		}
		svc := &api.Service{Name: "fuzz", Protocols: []string{"rest-json"}, Operations: []*api.Operation{op}}
		c := &api.Call{Service: svc, Request: req, Body: body}
		check := func(what string, err error) {
			var ae *api.Error
			if err != nil && !errors.As(err, &ae) {
				t.Fatalf("%s: non-API error %T: %v", what, err, err)
			}
		}
		check("Resolve", restjson.Codec{}.Resolve(c))
		// Decode even when nothing matched: the binding must cope with
		// missing labels too.
		c.Op = op
		in := new(struct{})
		var inAny any = in
		if op.Input != nil {
			inAny = reflect.New(op.Input.GoType).Interface()
		}
		check("Decode", restjson.Codec{}.Decode(c, inAny))
		w := httptest.NewRecorder()
		restjson.Codec{}.EncodeError(w, c, api.NewSerializationError("x"))
	})
}
