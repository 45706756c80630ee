// Package services is the one list of what is in the binary.
package services

import (
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/services/lambda"
	"github.com/fogbank/fogbank/services/logs"
	"github.com/fogbank/fogbank/services/s3"
	"github.com/fogbank/fogbank/services/sns"
	"github.com/fogbank/fogbank/services/sqs"
	"github.com/fogbank/fogbank/services/sts"
)

// All returns every service Fogbank serves, in start order (a service's
// peers come before it). It is a literal slice, not a registry that init
// functions write into, so two servers in one process never share one.
func All() []service.Info {
	return []service.Info{
		sts.Info,
		sqs.Info,
		logs.Info,
		lambda.Info,
		sns.Info,
		s3.Info,
	}
}
