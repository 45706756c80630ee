package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/lambdaruntime"
)

// Invoke payload limits.
const (
	maxSyncPayload  = 6 << 20   // 6291456
	maxAsyncPayload = 256 << 10 // 262144
	logTail         = 4 << 10
)

// invocation is one resolved invoke.
type invocation struct {
	f        *function
	v        *fnVersion
	payload  []byte
	clientCx string
	tail     bool
}

// resolve finds what an invoke of name/qualifier runs. A version still
// Pending (only ever for a while when transitions say so) is refused as AWS
// refuses it.
func (s *Service) resolve(ctx context.Context, name, qualifier *string) (fnRef, *function, *fnVersion, error) {
	r, err := ref(ctx, name, qualifier)
	if err != nil {
		return r, nil, nil, err
	}
	f := s.lookup(r.key())
	if f == nil {
		return r, nil, nil, fnNotFound(r.qarn())
	}
	v, e := s.target(f, r)
	if e != nil {
		return r, nil, nil, e
	}
	if api.ToString(v.Config.State) == lambdaapi.StatePending {
		return r, nil, nil, pendingConflict()
	}
	return r, f, v, nil
}

// checkPayload refuses what is not JSON, as AWS does.
func checkPayload(p []byte) *api.Error {
	if len(p) == 0 || json.Valid(p) {
		return nil
	}
	return user(lambdaapi.NewInvalidRequestContentException("Could not parse request body into json: Could not parse payload into json: Unexpected character: expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"))
}

// Invoke implements lambdaapi.Handler.
func (s *Service) Invoke(ctx context.Context, in *lambdaapi.InvocationRequest) (*lambdaapi.InvocationResponse, error) {
	r, f, v, err := s.resolve(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	typ := api.ToString(in.InvocationType)
	switch typ {
	case "DryRun":
		return &lambdaapi.InvocationResponse{StatusCode: api.Int32(204)}, nil
	case "Event":
		if len(in.Payload) > maxAsyncPayload {
			return nil, tooLarge(fmt.Sprintf("%d byte payload is too large for the Event invocation type (limit %d bytes)", len(in.Payload), maxAsyncPayload))
		}
		if e := checkPayload(in.Payload); e != nil {
			return nil, e
		}
		if f.Reserved != nil && *f.Reserved == 0 {
			return nil, throttled("ReservedFunctionConcurrentInvocationLimitExceeded", "Rate Exceeded.")
		}
		if err := s.enqueue(ctx, r, v, in.Payload, call(ctx).RequestID); err != nil {
			return nil, err
		}
		return &lambdaapi.InvocationResponse{StatusCode: api.Int32(202)}, nil
	}
	if len(in.Payload) > maxSyncPayload {
		return nil, tooLarge(fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", maxSyncPayload))
	}
	if e := checkPayload(in.Payload); e != nil {
		return nil, e
	}
	res, err := s.run(ctx, invocation{f: f, v: v, payload: in.Payload, clientCx: api.ToString(in.ClientContext)}, call(ctx).RequestID, nil)
	if err != nil {
		return nil, err
	}
	out := &lambdaapi.InvocationResponse{
		StatusCode:      api.Int32(200),
		Payload:         res.Payload,
		ExecutedVersion: v.Config.Version,
	}
	if out.Payload == nil {
		out.Payload = []byte("null")
	}
	if res.FunctionError != "" {
		out.FunctionError = api.String(res.FunctionError)
	}
	if api.ToString(in.LogType) == "Tail" {
		out.LogResult = api.String(tailLog(res.Log))
	}
	return out, nil
}

// tailLog is the last 4 KB of an invocation's log, base64.
func tailLog(log []byte) string {
	if len(log) > logTail {
		log = log[len(log)-logTail:]
	}
	return base64.StdEncoding.EncodeToString(log)
}

// run executes one invocation within the function's concurrency.
func (s *Service) run(ctx context.Context, inv invocation, requestID string, stream interface{ Write([]byte) (int, error) }) (lambdaruntime.Result, error) {
	if s.engine == nil {
		return lambdaruntime.Result{}, lambdaapi.NewServiceException("Lambda is not started.")
	}
	release, e := s.conc.acquire(inv.f)
	if e != nil {
		return lambdaruntime.Result{}, e
	}
	defer release()
	return s.runAcquired(ctx, inv, requestID, stream)
}

// runAcquired executes an invocation whose concurrency slot is taken.
func (s *Service) runAcquired(ctx context.Context, inv invocation, requestID string, stream interface{ Write([]byte) (int, error) }) (lambdaruntime.Result, error) {
	payload := inv.payload
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	li := lambdaruntime.Invocation{RequestID: requestID, Payload: payload, ClientContext: inv.clientCx}
	if stream != nil {
		li.Stream = stream
	}
	res, err := s.engine.Invoke(ctx, inv.v.rt, li)
	if err != nil {
		if errors.Is(err, lambdaruntime.ErrRuntimeUnavailable) {
			return res, user(lambdaapi.NewInvalidRuntimeException(err.Error()))
		}
		if ctx.Err() != nil {
			return res, fmt.Errorf("lambda: invoke %s: %w", inv.v.rt.ARN, ctx.Err())
		}
		return res, fmt.Errorf("lambda: invoke %s: %w", inv.v.rt.ARN, err)
	}
	return res, nil
}
