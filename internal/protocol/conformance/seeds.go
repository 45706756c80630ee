package conformance

import (
	"net/http"
)

// SeedRequest is the request of one input case, for fuzz seeds and codec
// tests that want realistic requests without a schema.
type SeedRequest struct {
	ID      string // the case id
	Method  string
	URI     string // path and query string, as sent
	Host    string // empty: the suite's client endpoint or example.com
	Headers map[string]string
	Body    string

	clientEndpoint string
}

// HTTPRequest builds the request a server would receive for s, and its body.
func (s SeedRequest) HTTPRequest() (*http.Request, []byte, error) {
	return buildRequest(&serialized{Method: s.Method, URI: s.URI, Host: s.Host, Headers: s.Headers, Body: s.Body}, s.clientEndpoint)
}

// SeedRequests returns the request of every input case of file (e.g.
// "query.json"), in file order, skip list or not: a fuzz seed need not pass.
func SeedRequests(file string) ([]SeedRequest, error) {
	dir, err := ProtocolsDir()
	if err != nil {
		return nil, err
	}
	ss, err := loadSuites(dir, "input", file)
	if err != nil {
		return nil, err
	}
	var out []SeedRequest
	for _, s := range ss {
		for _, c := range s.Cases {
			if c.Serialized == nil {
				continue
			}
			z := c.Serialized
			out = append(out, SeedRequest{ID: c.ID, Method: z.Method, URI: z.URI, Host: z.Host, Headers: z.Headers, Body: z.Body, clientEndpoint: s.ClientEndpoint})
		}
	}
	return out, nil
}
