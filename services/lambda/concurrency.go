package lambda

import (
	"context"
	"sync"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
)

// AWS's default account limits.
const (
	accountConcurrency = 1000
	minUnreserved      = 100
	totalCodeSize      = 80530636800
)

// concurrency counts executions in flight, per function and per account's
// unreserved pool, so reserved concurrency and the account limit really cap
// parallel invokes. mu is a leaf lock.
type concurrency struct {
	mu struct {
		sync.Mutex
		byFn       map[fnKey]int
		unreserved map[string]int // in flight of functions without a reservation, by account
		reserved   map[string]int // sum of reservations, by account
	}
}

func (c *concurrency) init() {
	c.mu.byFn = map[fnKey]int{}
	c.mu.unreserved = map[string]int{}
	c.mu.reserved = map[string]int{}
}

// acquire takes one execution slot for f or answers TooManyRequests; the
// returned func gives it back.
func (c *concurrency) acquire(f *function) (func(), *api.Error) {
	k := f.key()
	c.mu.Lock()
	defer c.mu.Unlock()
	if f.Reserved != nil {
		if c.mu.byFn[k] >= int(*f.Reserved) {
			return nil, throttled("ReservedFunctionConcurrentInvocationLimitExceeded", "Rate Exceeded.")
		}
		c.mu.byFn[k]++
		return func() {
			c.mu.Lock()
			c.mu.byFn[k]--
			c.mu.Unlock()
		}, nil
	}
	pool := accountConcurrency - c.mu.reserved[k.account]
	if c.mu.unreserved[k.account] >= pool {
		return nil, throttled("ConcurrentInvocationLimitExceeded", "Rate Exceeded.")
	}
	c.mu.unreserved[k.account]++
	c.mu.byFn[k]++
	return func() {
		c.mu.Lock()
		c.mu.unreserved[k.account]--
		c.mu.byFn[k]--
		c.mu.Unlock()
	}, nil
}

// recountReserved recomputes an account's sum of reservations.
func (s *Service) recountReserved(account string) int {
	s.mu.RLock()
	sum := 0
	for k, f := range s.mu.fns {
		if k.account == account && f.Reserved != nil {
			sum += int(*f.Reserved)
		}
	}
	s.mu.RUnlock()
	s.conc.mu.Lock()
	s.conc.mu.reserved[account] = sum
	s.conc.mu.Unlock()
	return sum
}

// unqualifiedOnly answers AWS's refusal of a version or alias where only a
// function is meant.
func unqualifiedOnly(r fnRef) *api.Error {
	if r.qualifier != "" {
		return invalidParam("This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.")
	}
	return nil
}

// PutFunctionConcurrency implements lambdaapi.Handler.
func (s *Service) PutFunctionConcurrency(ctx context.Context, in *lambdaapi.PutFunctionConcurrencyRequest) (*lambdaapi.Concurrency, error) {
	r, err := ref(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	if s.lookup(r.key()) == nil {
		return nil, fnNotFound(r.latestARN())
	}
	if e := unqualifiedOnly(r); e != nil {
		return nil, e
	}
	n := api.ToInt32(in.ReservedConcurrentExecutions)
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		others := s.recountReserved(r.account)
		if f.Reserved != nil {
			others -= int(*f.Reserved)
		}
		if accountConcurrency-others-int(n) < minUnreserved {
			return invalidParam("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].", minUnreserved)
		}
		f.Reserved = api.Int32(n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.recountReserved(r.account)
	return &lambdaapi.Concurrency{ReservedConcurrentExecutions: api.Int32(n)}, nil
}

// GetFunctionConcurrency implements lambdaapi.Handler.
func (s *Service) GetFunctionConcurrency(ctx context.Context, in *lambdaapi.GetFunctionConcurrencyRequest) (*lambdaapi.GetFunctionConcurrencyResponse, error) {
	_, f, err := s.existing(ctx, in.FunctionName, nil, missingARN)
	if err != nil {
		return nil, err
	}
	return &lambdaapi.GetFunctionConcurrencyResponse{ReservedConcurrentExecutions: f.Reserved}, nil
}

// DeleteFunctionConcurrency implements lambdaapi.Handler.
func (s *Service) DeleteFunctionConcurrency(ctx context.Context, in *lambdaapi.DeleteFunctionConcurrencyRequest) (*lambdaapi.DeleteFunctionConcurrencyOutput, error) {
	r, err := ref(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	if e := unqualifiedOnly(r); e != nil {
		return nil, e
	}
	if _, err := s.change(ctx, r, func(f *function) *api.Error { f.Reserved = nil; return nil }); err != nil {
		return nil, err
	}
	s.recountReserved(r.account)
	return &lambdaapi.DeleteFunctionConcurrencyOutput{}, nil
}

// GetAccountSettings implements lambdaapi.Handler.
func (s *Service) GetAccountSettings(ctx context.Context, _ *lambdaapi.GetAccountSettingsRequest) (*lambdaapi.GetAccountSettingsResponse, error) {
	c := call(ctx)
	reserved := s.recountReserved(c.Account)
	var count, size int64
	s.mu.RLock()
	for k, f := range s.mu.fns {
		if k.account != c.Account || k.region != c.Region {
			continue
		}
		count++
		for _, v := range append([]*fnVersion{f.Latest}, f.Versions...) {
			size += api.ToInt64(v.Config.CodeSize)
		}
	}
	s.mu.RUnlock()
	return &lambdaapi.GetAccountSettingsResponse{
		AccountLimit: &lambdaapi.AccountLimit{
			TotalCodeSize:                  api.Int64(totalCodeSize),
			CodeSizeUnzipped:               api.Int64(maxUnzipped),
			CodeSizeZipped:                 api.Int64(maxZipped),
			ConcurrentExecutions:           api.Int32(accountConcurrency),
			UnreservedConcurrentExecutions: api.Int32(int32(accountConcurrency - reserved)),
		},
		AccountUsage: &lambdaapi.AccountUsage{TotalCodeSize: api.Int64(size), FunctionCount: api.Int64(count)},
	}, nil
}
