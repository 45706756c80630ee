package fogbanktest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/fogbank/fogbank/fogbanktest"
)

func TestStart(t *testing.T) {
	a, b := fogbanktest.Start(t), fogbanktest.Start(t)
	if a.URL() == b.URL() {
		t.Fatal("two servers share a URL")
	}
	out, err := sts.NewFromConfig(a.AWSConfig()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(out.Account) != fogbanktest.TestAccount {
		t.Fatalf("GetCallerIdentity: %v %v", out, err)
	}
	before := a.Clock().Offset()
	a.Advance(t, time.Minute)
	if got := a.Clock().Offset() - before; got != time.Minute {
		t.Fatalf("offset moved %v", got)
	}
	if b.Clock().Offset() != 0 {
		t.Fatal("advancing one server's clock moved the other's")
	}
	a.Reset(t)
	resp, err := http.Get(b.URL() + "/_fogbank/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	resp.Body.Close()
}
