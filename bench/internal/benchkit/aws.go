package benchkit

import (
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// AWSConfig is an aws-sdk-go-v2 config for the server at endpoint, as an
// application would configure it for callers concurrent callers, so that
// the figures are what such an application sees: the standard retryer (on
// fast loopback about 1% of calls fail client-side with "use of closed
// network connection" when retries are off, LIBRARIES.md) without its
// client-side retry quota, which would otherwise turn a burst of retries
// into failures the server never caused, and 2 × callers idle connections
// per host so that workers do not reconnect. Region us-east-1, static
// credentials "test".
func AWSConfig(endpoint string, callers int) aws.Config {
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConns = 2 * callers
		tr.MaxIdleConnsPerHost = 2 * callers
	})
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   hc,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.RateLimiter = ratelimit.None })
		},
	}
}
