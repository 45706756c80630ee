package api

import "context"

type callKey struct{}

// WithCall returns a context that carries c, for handlers that need to know who
// called and how (account, region, the host the request came in on).
func WithCall(ctx context.Context, c *Call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

// CallFrom returns the Call carried by ctx, or nil.
func CallFrom(ctx context.Context) *Call {
	c, _ := ctx.Value(callKey{}).(*Call)
	return c
}
