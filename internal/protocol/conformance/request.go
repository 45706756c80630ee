package conformance

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// defaultHost is the host a request is sent to when neither the case nor its
// suite names one; it matches the suites' "clientEndpoint" when they have one.
const defaultHost = "example.com"

// buildRequest turns an input case's "serialized" into the request a server
// receives: method, request URI (path and query string as sent), headers,
// body and Host. The URI is kept verbatim in RequestURI and URL.RawPath so a
// codec sees percent-encoding exactly as the client wrote it.
func buildRequest(s *serialized, clientEndpoint string) (*http.Request, []byte, error) {
	if s == nil {
		return nil, nil, fmt.Errorf("case has no serialized request")
	}
	host := s.Host
	if host == "" && clientEndpoint != "" {
		if u, err := url.Parse(clientEndpoint); err == nil {
			host = u.Host
		}
	}
	if host == "" {
		host = defaultHost
	}
	method := s.Method
	if method == "" {
		method = http.MethodPost
	}
	uri := s.URI
	if uri == "" {
		uri = "/"
	}
	if !strings.HasPrefix(uri, "/") {
		uri = "/" + uri
	}
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing uri %q: %w", uri, err)
	}
	u.Scheme = "https"
	u.Host = host
	body := []byte(s.Body)
	r := &http.Request{
		Method:        method,
		URL:           u,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        make(http.Header, len(s.Headers)+1),
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Host:          host,
		RequestURI:    uri,
		RemoteAddr:    "192.0.2.1:1234",
	}
	for k, v := range s.Headers {
		r.Header.Set(k, v)
	}
	if len(body) > 0 || r.Header.Get("Content-Length") != "" {
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return r, body, nil
}
