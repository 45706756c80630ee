package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/router"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/internal/store/memstore"
	"github.com/fogbank/fogbank/services/sts"
)

// FuzzPipeline sends arbitrary bodies, targets, content types and
// Authorization headers through the real codecs to STS. The property: the
// pipeline never panics out, and never answers 500 (every bad request is a
// 4xx or 501 in AWS's form).
func FuzzPipeline(f *testing.F) {
	clk := clock.New()
	defer clk.Close()
	svc, err := sts.New(service.Env{Store: memstore.New(), Clock: clk, DefaultAccount: "000000000000"})
	if err != nil {
		f.Fatal(err)
	}
	handlers := map[*api.Service]any{}
	var apis []*api.Service
	for _, b := range svc.APIs() {
		handlers[b.API] = b.Handler
		apis = append(apis, b.API)
	}
	p := server.New(server.Config{
		Table:        router.NewTable(apis, "000000000000", nil),
		Codecs:       server.Codecs(),
		Handlers:     handlers,
		MaxBodyBytes: 4096,
	})
	form := "application/x-www-form-urlencoded"
	sig := "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00"
	f.Add("POST", "/", form, "", sig, "Action=GetCallerIdentity&Version=2011-06-15")
	f.Add("POST", "/", form, "", "", "Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::1:role/r&RoleSessionName=s1&DurationSeconds=99999999999")
	f.Add("POST", "/", form, "", sig, "Action=AssumeRole&Tags.member.1.Key=a&Tags.member.1.Key=b&PolicyArns.member.99999.arn=x")
	f.Add("POST", "/", "application/x-amz-json-1.0", "AWSSecurityTokenServiceV20110615.GetCallerIdentity", sig, "{")
	f.Add("GET", "/?Action=GetSessionToken&DurationSeconds=abc", "", "", "Bearer x", "")
	f.Add("PUT", "/bucket/key", "application/octet-stream", "", "AWS a:b", "data")
	f.Fuzz(func(t *testing.T, method, target, ctype, xtarget, authz, body string) {
		r, err := http.NewRequest(method, "http://127.0.0.1:4566"+target, bytes.NewReader([]byte(body)))
		if err != nil {
			return // not a request a client could send
		}
		r.Header.Set("Content-Type", ctype)
		r.Header.Set("X-Amz-Target", xtarget)
		r.Header.Set("Authorization", authz)
		r = r.WithContext(context.Background())
		w := httptest.NewRecorder()
		p.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != http.StatusNotImplemented {
			t.Fatalf("%s %s (%s, %q, %q) body %q: status %d: %s", method, target, ctype, xtarget, authz, body, w.Code, w.Body)
		}
	})
}
