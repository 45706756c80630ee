package lambda

import (
	"context"
	"fmt"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
)

// InvokeWithResponseStream implements lambdaapi.Handler: the response head
// is written once the invoke is admitted (throttling answers 429 before
// it), then the function's output goes out as PayloadChunk events as the
// engine produces it, and an InvokeComplete event ends the stream (with the
// error and the log tail when asked). A handler that does not stream has
// its whole response sent as one chunk, as AWS does.
func (s *Service) InvokeWithResponseStream(ctx context.Context, in *lambdaapi.InvokeWithResponseStreamRequest) (*lambdaapi.InvokeWithResponseStreamResponse, error) {
	_, f, v, err := s.resolve(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if api.ToString(in.InvocationType) == "DryRun" {
		return &lambdaapi.InvokeWithResponseStreamResponse{StatusCode: api.Int32(204)}, nil
	}
	if len(in.Payload) > maxSyncPayload {
		return nil, tooLarge(fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", maxSyncPayload))
	}
	if e := checkPayload(in.Payload); e != nil {
		return nil, e
	}
	if s.engine == nil {
		return nil, lambdaapi.NewServiceException("Lambda is not started.")
	}
	release, e := s.conc.acquire(f)
	if e != nil {
		return nil, e
	}
	c := call(ctx)
	inv := invocation{f: f, v: v, payload: in.Payload, clientCx: api.ToString(in.ClientContext)}
	tail := api.ToString(in.LogType) == "Tail"
	c.Events = func(emit func(any) error) error {
		defer release()
		chunks := 0
		w := writerFunc(func(p []byte) (int, error) {
			chunks++
			b := append([]byte(nil), p...)
			if err := emit(&lambdaapi.InvokeWithResponseStreamResponseEvent{PayloadChunk: &lambdaapi.InvokeResponseStreamUpdate{Payload: b}}); err != nil {
				return 0, err
			}
			return len(p), nil
		})
		res, err := s.runAcquired(ctx, inv, c.RequestID, w)
		done := &lambdaapi.InvokeWithResponseStreamCompleteEvent{}
		switch {
		case err != nil:
			ae := api.AsError(err)
			done.ErrorCode, done.ErrorDetails = api.String(ae.Code), api.String(ae.Message)
		case res.FunctionError != "":
			done.ErrorCode, done.ErrorDetails = api.String(res.FunctionError), api.String(string(res.Payload))
		case chunks == 0 && len(res.Payload) > 0:
			if err := emit(&lambdaapi.InvokeWithResponseStreamResponseEvent{PayloadChunk: &lambdaapi.InvokeResponseStreamUpdate{Payload: res.Payload}}); err != nil {
				return err
			}
		}
		if tail {
			done.LogResult = api.String(tailLog(res.Log))
		}
		return emit(&lambdaapi.InvokeWithResponseStreamResponseEvent{InvokeComplete: done})
	}
	return &lambdaapi.InvokeWithResponseStreamResponse{StatusCode: api.Int32(200), ExecutedVersion: v.Config.Version}, nil
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
