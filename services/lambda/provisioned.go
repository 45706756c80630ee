package lambda

import (
	"context"
	"sort"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
)

// provisioned is a provisioned concurrency configuration of a version or
// alias. Put records it IN_PROGRESS and asks the engine to start that many
// environments (Prewarm); it becomes READY once they are up.
type provisioned struct {
	Requested    int32  `json:"requested"`
	Allocated    int32  `json:"allocated"`
	Status       string `json:"status"`
	Reason       string `json:"reason,omitempty"`
	LastModified string `json:"lastModified"`
}

func (p *provisioned) out() *lambdaapi.GetProvisionedConcurrencyConfigResponse {
	o := &lambdaapi.GetProvisionedConcurrencyConfigResponse{
		RequestedProvisionedConcurrentExecutions: api.Int32(p.Requested),
		AvailableProvisionedConcurrentExecutions: api.Int32(p.Allocated),
		AllocatedProvisionedConcurrentExecutions: api.Int32(p.Allocated),
		Status:                                   api.String(p.Status),
		LastModified:                             api.String(p.LastModified),
	}
	if p.Reason != "" {
		o.StatusReason = api.String(p.Reason)
	}
	return o
}

// provisionedTarget checks the qualifier of a provisioned concurrency call.
func provisionedTarget(f *function, r fnRef, put bool) *api.Error {
	q := r.qualifier
	switch {
	case q == "" || q == "$LATEST":
		if put {
			return invalidParam("Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
		}
		return invalidParam("The function resource provided must be an alias or a published version.")
	case isVersionNumber(q):
		if f == nil || f.version(q) == nil {
			return fnNotFound(r.qarn())
		}
	default:
		if f == nil || f.Aliases[q] == nil {
			return aliasNotFound(r.qarn())
		}
	}
	return nil
}

// PutProvisionedConcurrencyConfig implements lambdaapi.Handler.
func (s *Service) PutProvisionedConcurrencyConfig(ctx context.Context, in *lambdaapi.PutProvisionedConcurrencyConfigRequest) (*lambdaapi.PutProvisionedConcurrencyConfigResponse, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	n := api.ToInt32(in.ProvisionedConcurrentExecutions)
	if e := provisionedTarget(s.lookup(r.key()), r, true); e != nil {
		return nil, e
	}
	var p *provisioned
	f, err := s.change(ctx, r, func(f *function) *api.Error {
		if e := provisionedTarget(f, r, true); e != nil {
			return e
		}
		// One configuration per version: an alias may not cover a version
		// that has its own, nor the other way round.
		target := r.qualifier
		if a := f.Aliases[target]; a != nil {
			target = api.ToString(a.FunctionVersion)
			if f.Provisioned[target] != nil {
				return conflict("Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version")
			}
		} else {
			for name, a := range f.Aliases {
				if api.ToString(a.FunctionVersion) == target && f.Provisioned[name] != nil {
					return conflict("Version is pointed by a Provisioned Concurrency alias")
				}
			}
		}
		total := int(n)
		for q, pc := range f.Provisioned {
			if q != r.qualifier {
				total += int(pc.Requested)
			}
		}
		if f.Reserved != nil && total > int(*f.Reserved) {
			return invalidParam(" ReservedConcurrentExecutions  %d should not be lower than function's total provisioned concurrency [%d].", *f.Reserved, total)
		}
		if f.Reserved == nil {
			// Without a reservation, provisioned environments come out of
			// the account's unreserved pool, which keeps at least 100.
			unreserved := accountConcurrency - s.recountReserved(r.account)
			if total > unreserved {
				return invalidParam("Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [%d].", unreserved)
			}
			if unreserved-total < minUnreserved {
				return invalidParam("Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].", minUnreserved)
			}
		}
		p = &provisioned{Requested: n, Status: "IN_PROGRESS", LastModified: timestamp(s.now())}
		if f.Provisioned == nil {
			f.Provisioned = map[string]*provisioned{}
		}
		f.Provisioned[r.qualifier] = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	v, _ := s.target(f, r)
	s.wg.Add(1)
	go s.prewarm(r, v, n)
	o := p.out()
	return &lambdaapi.PutProvisionedConcurrencyConfigResponse{
		RequestedProvisionedConcurrentExecutions: o.RequestedProvisionedConcurrentExecutions,
		AvailableProvisionedConcurrentExecutions: o.AvailableProvisionedConcurrentExecutions,
		AllocatedProvisionedConcurrentExecutions: o.AllocatedProvisionedConcurrentExecutions,
		Status:                                   o.Status, LastModified: o.LastModified,
	}, nil
}

// prewarm starts the environments and records the outcome.
func (s *Service) prewarm(r fnRef, v *fnVersion, n int32) {
	defer s.wg.Done()
	status, reason := "READY", ""
	if v == nil || s.engine == nil {
		status, reason = "FAILED", "The function version is not available."
	} else if err := s.engine.Prewarm(s.ctx, v.rt, int(n)); err != nil {
		status, reason = "FAILED", err.Error()
	}
	if s.ctx.Err() != nil {
		return
	}
	_, _ = s.change(s.ctx, r, func(f *function) *api.Error {
		p := f.Provisioned[r.qualifier]
		if p == nil || p.Requested != n || p.Status != "IN_PROGRESS" {
			return &api.Error{Code: "superseded"}
		}
		p.Status, p.Reason = status, reason
		if status == "READY" {
			p.Allocated = n
		}
		return nil
	})
}

// GetProvisionedConcurrencyConfig implements lambdaapi.Handler.
func (s *Service) GetProvisionedConcurrencyConfig(ctx context.Context, in *lambdaapi.GetProvisionedConcurrencyConfigRequest) (*lambdaapi.GetProvisionedConcurrencyConfigResponse, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	f := s.lookup(r.key())
	if e := provisionedTarget(f, r, false); e != nil {
		return nil, e
	}
	p := f.Provisioned[r.qualifier]
	if p == nil {
		return nil, user(lambdaapi.NewProvisionedConcurrencyConfigNotFoundException("No Provisioned Concurrency Config found for this function"))
	}
	return p.out(), nil
}

// DeleteProvisionedConcurrencyConfig implements lambdaapi.Handler.
func (s *Service) DeleteProvisionedConcurrencyConfig(ctx context.Context, in *lambdaapi.DeleteProvisionedConcurrencyConfigRequest) (*lambdaapi.DeleteProvisionedConcurrencyConfigOutput, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if e := provisionedTarget(s.lookup(r.key()), r, false); e != nil {
		return nil, e
	}
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		delete(f.Provisioned, r.qualifier)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.DeleteProvisionedConcurrencyConfigOutput{}, nil
}

// ListProvisionedConcurrencyConfigs implements lambdaapi.Handler.
func (s *Service) ListProvisionedConcurrencyConfigs(ctx context.Context, in *lambdaapi.ListProvisionedConcurrencyConfigsRequest) (*lambdaapi.ListProvisionedConcurrencyConfigsResponse, error) {
	r, f, err := s.existing(ctx, in.FunctionName, nil, missingARN)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(f.Provisioned))
	for k := range f.Provisioned {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	items := []*lambdaapi.ProvisionedConcurrencyConfigListItem{}
	for _, k := range keys {
		o := f.Provisioned[k].out()
		items = append(items, &lambdaapi.ProvisionedConcurrencyConfigListItem{
			FunctionArn:                              api.String(r.arn() + ":" + k),
			RequestedProvisionedConcurrentExecutions: o.RequestedProvisionedConcurrentExecutions,
			AvailableProvisionedConcurrentExecutions: o.AvailableProvisionedConcurrentExecutions,
			AllocatedProvisionedConcurrentExecutions: o.AllocatedProvisionedConcurrentExecutions,
			Status:                                   o.Status, StatusReason: o.StatusReason, LastModified: o.LastModified,
		})
	}
	page, next, perr := paginate(items, in.Marker, in.MaxItems, 50)
	if perr != nil {
		return nil, perr
	}
	return &lambdaapi.ListProvisionedConcurrencyConfigsResponse{ProvisionedConcurrencyConfigs: page, NextMarker: next}, nil
}
