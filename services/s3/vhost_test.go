package s3_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestVirtualHost addresses buckets in the Host header, as SDKs do by
// default for DNS endpoints. *.localhost does not resolve here, so the
// client dials the server whatever the host.
func TestVirtualHost(t *testing.T) {
	ctx := context.Background()
	srv := start(t)
	u, _ := url.Parse(srv.URL())
	addr := u.Host
	_, port, _ := net.SplitHostPort(addr)
	cfg := srv.AWSConfig()
	cfg.BaseEndpoint = aws.String("http://s3.localhost:" + port)
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	var hosts []string
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.HTTPClient = hostRecorder{cfg.HTTPClient.(*http.Client), &hosts}
	})
	mustCreate(t, c, "vhost-bucket")
	mustPut(t, c, "vhost-bucket", "dir/key", "virtual")
	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vhost-bucket"), Key: aws.String("dir/key")})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if string(b) != "virtual" {
		t.Errorf("got %q", b)
	}
	l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vhost-bucket")})
	if err != nil || len(l.Contents) != 1 {
		t.Errorf("ListObjectsV2 = %+v, %v", l, err)
	}
	if len(hosts) == 0 {
		t.Fatal("no requests recorded")
	}
	for _, h := range hosts {
		if !strings.HasPrefix(h, "vhost-bucket.s3.localhost:") {
			t.Errorf("request went to %s, not virtual-host style", h)
		}
	}
}

type hostRecorder struct {
	c     *http.Client
	hosts *[]string
}

func (h hostRecorder) Do(r *http.Request) (*http.Response, error) {
	*h.hosts = append(*h.hosts, r.URL.Host)
	return h.c.Do(r)
}
