package jsonrpc_test

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/protocol/conformance"
	"github.com/fogbank/fogbank/internal/protocol/conformance/suites"
	"github.com/fogbank/fogbank/internal/protocol/jsonrpc"
)

// fuzzOps are the operations FuzzJSONDecode decodes into: SQS's, and every
// operation of the botocore json suites, which between them use every shape
// type (documents, unions, timestamps in each format, nested maps…).
func fuzzOps() []*api.Operation {
	ops := append([]*api.Operation(nil), sqs.Service.Operations...)
	var keys []string
	for k := range suites.Cases {
		if strings.HasPrefix(k, "input/json.json#") || strings.HasPrefix(k, "input/json_1_0.json#") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if op := suites.Cases[k]; op.Input != nil {
			ops = append(ops, op)
		}
	}
	return ops
}

// suiteBodies returns the request bodies of the botocore input suite file.
func suiteBodies(t testing.TB, file string) []string {
	dir, err := conformance.ProtocolsDir()
	if err != nil {
		t.Skip(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "input", file))
	if err != nil {
		t.Skip(err)
	}
	var ss []struct {
		Cases []struct {
			Serialized struct{ Body string } `json:"serialized"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &ss); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range ss {
		for _, c := range s.Cases {
			out = append(out, c.Serialized.Body)
		}
	}
	return out
}

// FuzzJSONDecode checks that no body makes the codec panic, that every
// failure is an *api.Error, and that whatever decodes encodes back to JSON
// that decodes again.
func FuzzJSONDecode(f *testing.F) {
	ops := fuzzOps()
	seeds := append(suiteBodies(f, "json.json"), suiteBodies(f, "json_1_0.json")...)
	seeds = append(seeds, sendMessageBody, deleteBatchBody(), `{"a":"\ud83d\ude00\ud800"}`, `{"DelaySeconds":1e400}`)
	for i, s := range seeds {
		f.Add(uint16(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint16, body []byte) {
		op := ops[int(which)%len(ops)]
		svc := &api.Service{Name: "fuzz", TargetPrefix: "Fuzz", Operations: []*api.Operation{op}}
		c := &api.Call{Service: svc, Op: op, Request: httptest.NewRequest("POST", "/", nil), Body: body}
		in := reflect.New(op.Input.GoType).Interface()
		err := jsonrpc.Codec{}.Decode(c, in)
		if err != nil {
			var ae *api.Error
			if !errors.As(err, &ae) {
				t.Fatalf("non-API error %T: %v", err, err)
			}
			return
		}
		// Round trip: encode the decoded input as if it were an output.
		eop := *op
		eop.Output = op.Input
		c.Op = &eop
		w := httptest.NewRecorder()
		if err := (jsonrpc.Codec{}).Encode(w, c, in); err != nil {
			return // documents holding values JSON cannot carry
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("encoded invalid JSON %q from %q", w.Body.String(), body)
		}
		c.Op, c.Body = op, w.Body.Bytes()
		again := reflect.New(op.Input.GoType).Interface()
		if err := (jsonrpc.Codec{}).Decode(c, again); err != nil {
			t.Fatalf("re-decoding %q: %v", w.Body.String(), err)
		}
	})
}
