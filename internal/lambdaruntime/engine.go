package lambdaruntime

import (
	"context"
	"fmt"
)

type engineState struct{}

func (e *Engine) init() {}

func (e *Engine) invoke(ctx context.Context, fn *Function, inv Invocation) (Result, error) {
	return Result{}, fmt.Errorf("%w: engine not implemented yet", ErrRuntimeUnavailable)
}
func (e *Engine) prewarm(ctx context.Context, fn *Function, n int) error {
	return fmt.Errorf("%w: engine not implemented yet", ErrRuntimeUnavailable)
}
func (e *Engine) retire(fnARN string)             {}
func (e *Engine) close(ctx context.Context) error { return nil }
