package lambda

import (
	"context"

	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
)

// wire is what the pipeline calls: the Service, except that the model's
// InvokeAsync operation (deprecated) is served here, because
// Service.InvokeAsync is the in-process call other services make.
type wire struct{ *Service }

var _ lambdaapi.Handler = wire{}

// InvokeAsync implements lambdaapi.Handler (the deprecated operation).
func (w wire) InvokeAsync(ctx context.Context, in *lambdaapi.InvokeAsyncRequest) (*lambdaapi.InvokeAsyncResponse, error) {
	return w.invokeAsyncAPI(ctx, in)
}
