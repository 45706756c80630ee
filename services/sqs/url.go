package sqs

import (
	"context"
	"net/url"
	"strings"
)

// Queue URLs are http://<host the request came in on>/<account>/<name>, so a
// client reaching Fogbank as localhost:4566, as sqs.us-east-1.localhost:4566
// or through a container network name gets URLs it can use. A URL in a
// request is resolved by account and name only (the host is ignored), in the
// request's region; a host of the form sqs.<region>.… names the region when
// the signing region has no such queue.

// queueURL is q's URL as seen by the request in ctx.
func queueURL(ctx context.Context, k queueKey) string {
	c := call(ctx)
	host, scheme := "localhost:4566", "http"
	if c.Request != nil {
		if c.Request.Host != "" {
			host = c.Request.Host
		}
		if c.Request.TLS != nil {
			scheme = "https"
		}
	}
	return scheme + "://" + host + "/" + k.account + "/" + k.name
}

// queueARN is q's ARN.
func queueARN(k queueKey) string {
	return "arn:" + partition(k.region) + ":sqs:" + k.region + ":" + k.account + ":" + k.name
}

func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// parseQueueURL returns the account, name and (if the host says) region of
// a queue URL; ok is false if it has no /<account>/<name> path.
func parseQueueURL(raw string) (account, name, region string, ok bool) {
	path := raw
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		path = u.Path
		if h := u.Hostname(); strings.HasPrefix(h, "sqs.") {
			if r, _, found := strings.Cut(strings.TrimPrefix(h, "sqs."), "."); found {
				region = r
			}
		}
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 {
		return "", "", "", false
	}
	account, name = parts[len(parts)-2], parts[len(parts)-1]
	if account == "" || name == "" {
		return "", "", "", false
	}
	return account, name, region, true
}

// queueForURL finds the queue a request's QueueUrl names.
func (s *Service) queueForURL(ctx context.Context, u *string) (*queue, error) {
	c := call(ctx)
	if u == nil {
		return nil, newMissingParameter("QueueUrl")
	}
	account, name, region, ok := parseQueueURL(*u)
	if !ok {
		return nil, queueDoesNotExist(c.Protocol)
	}
	if q := s.lookup(queueKey{account, c.Region, name}); q != nil {
		return q, nil
	}
	if region != "" && region != c.Region {
		if q := s.lookup(queueKey{account, region, name}); q != nil {
			return q, nil
		}
	}
	return nil, queueDoesNotExist(c.Protocol)
}

// queueForARN finds a queue by ARN.
func (s *Service) queueForARN(arn string) *queue {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[2] != "sqs" {
		return nil
	}
	return s.lookup(queueKey{f[4], f[3], f[5]})
}

func (s *Service) lookup(k queueKey) *queue {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.mu.queues[k]
}
