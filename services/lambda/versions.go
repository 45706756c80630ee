package lambda

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/uuid"
)

// sameCode reports whether $LATEST is what version v froze: AWS publishes
// nothing new then and answers with v.
func sameCode(latest, v *fnVersion) bool {
	strip := func(c lambdaapi.FunctionConfiguration) string {
		c.Version, c.FunctionArn, c.RevisionId, c.LastModified, c.Description = nil, nil, nil, nil, nil
		c.State, c.StateReason, c.StateReasonCode = nil, nil, nil
		c.LastUpdateStatus, c.LastUpdateStatusReason, c.LastUpdateStatusReasonCode = nil, nil, nil
		b, _ := json.Marshal(c)
		return string(b)
	}
	return latest.Sha == v.Sha && slices.Equal(latest.LayerShas, v.LayerShas) && strip(*latest.Config) == strip(*v.Config)
}

// publishVersion freezes $LATEST as the next version (or returns the last
// one if nothing changed since).
func (f *function) publishVersion(desc string, now time.Time) *fnVersion {
	if n := len(f.Versions); n > 0 && sameCode(f.Latest, f.Versions[n-1]) {
		return f.Versions[n-1]
	}
	f.LastVersion++
	n := strconv.Itoa(f.LastVersion)
	c := *f.Latest.Config
	c.Version = api.String(n)
	c.FunctionArn = api.String(f.arn() + ":" + n)
	c.RevisionId = api.String(uuid.New())
	c.LastModified = api.String(timestamp(now))
	c.State, c.StateReason, c.StateReasonCode = api.String(lambdaapi.StateActive), nil, nil
	c.LastUpdateStatus, c.LastUpdateStatusReason, c.LastUpdateStatusReasonCode = api.String(lambdaapi.LastUpdateStatusSuccessful), nil, nil
	if desc != "" {
		c.Description = api.String(desc)
	}
	v := &fnVersion{Config: &c, Sha: f.Latest.Sha, LayerShas: slices.Clone(f.Latest.LayerShas), ImageURI: f.Latest.ImageURI}
	f.Versions = append(f.Versions, v)
	return v
}

// PublishVersion implements lambdaapi.Handler.
func (s *Service) PublishVersion(ctx context.Context, in *lambdaapi.PublishVersionRequest) (*lambdaapi.FunctionConfiguration, error) {
	r, err := ref(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	var out *lambdaapi.FunctionConfiguration
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		c := f.Latest.Config
		if in.RevisionId != nil && *in.RevisionId != api.ToString(c.RevisionId) {
			return revisionMismatch("GetFunction/GetAlias")
		}
		if in.CodeSha256 != nil && *in.CodeSha256 != api.ToString(c.CodeSha256) {
			return invalidParam("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.", *in.CodeSha256, api.ToString(c.CodeSha256))
		}
		if e := f.busy(); e != nil {
			return e
		}
		out = f.publishVersion(api.ToString(in.Description), s.now()).Config
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListVersionsByFunction implements lambdaapi.Handler: $LATEST, then each
// version in order.
func (s *Service) ListVersionsByFunction(ctx context.Context, in *lambdaapi.ListVersionsByFunctionRequest) (*lambdaapi.ListVersionsByFunctionResponse, error) {
	_, f, err := s.existing(ctx, in.FunctionName, nil, missingARN)
	if err != nil {
		return nil, err
	}
	items := []*lambdaapi.FunctionConfiguration{listed(f.Latest.Config, f.arn()+":$LATEST")}
	for _, v := range f.Versions {
		items = append(items, listed(v.Config, ""))
	}
	page, next, perr := paginate(items, in.Marker, in.MaxItems, 50)
	if perr != nil {
		return nil, perr
	}
	return &lambdaapi.ListVersionsByFunctionResponse{Versions: page, NextMarker: next}, nil
}

// checkRouting applies AWS's rules to an alias's target and routing.
func checkRouting(f *function, r fnRef, version string, rc *lambdaapi.AliasRoutingConfiguration) *api.Error {
	if rc != nil && len(rc.AdditionalVersionWeights) > 1 {
		return invalidParam("Number of items in AdditionalVersionWeights cannot be greater than 1")
	}
	if rc != nil {
		for v, w := range rc.AdditionalVersionWeights {
			if w < 0 || w > 1 {
				return validation("1 validation error detected: Value '{%s=%s}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]", v, javaDouble(w))
			}
			if !isVersionNumber(v) {
				return validation("1 validation error detected: Value '{%s=%s}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]", v, javaDouble(w))
			}
		}
	}
	if version != "$LATEST" && f.version(version) == nil {
		return fnNotFound(r.arn() + ":" + version)
	}
	if rc != nil {
		for v := range rc.AdditionalVersionWeights {
			if v == version {
				return invalidParam("Invalid function version %s. Function version %s is already included in routing configuration.", v, v)
			}
			if f.version(v) == nil {
				return fnNotFound(r.arn() + ":" + v)
			}
		}
		if version == "$LATEST" && len(rc.AdditionalVersionWeights) > 0 {
			return &api.Error{Code: "InvalidParameterValueException", Status: 400, Sender: true, Message: "$LATEST is not supported for an alias pointing to more than 1 version", Shape: lambdaapi.Service.Errors["InvalidParameterValueException"], Value: &lambdaapi.InvalidParameterValueException{Message: api.String("$LATEST is not supported for an alias pointing to more than 1 version")}}
		}
	}
	return nil
}

// javaDouble prints a weight as AWS's Java front end does ("0.5", "2.0").
func javaDouble(w float64) string {
	s := strconv.FormatFloat(w, 'f', -1, 64)
	for _, c := range s {
		if c == '.' || c == 'e' {
			return s
		}
	}
	return s + ".0"
}

func aliasOut(a *lambdaapi.AliasConfiguration) *lambdaapi.AliasConfiguration {
	c := *a
	if c.RoutingConfig != nil && len(c.RoutingConfig.AdditionalVersionWeights) == 0 {
		c.RoutingConfig = nil
	}
	return &c
}

// CreateAlias implements lambdaapi.Handler.
func (s *Service) CreateAlias(ctx context.Context, in *lambdaapi.CreateAliasRequest) (*lambdaapi.AliasConfiguration, error) {
	r, err := ref(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	name := api.ToString(in.Name)
	if isVersionNumber(name) {
		// The model's pattern has a look-ahead RE2 cannot run, so the
		// validator leaves this part of it to us.
		return nil, validation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)", name)
	}
	var out *lambdaapi.AliasConfiguration
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		version := api.ToString(in.FunctionVersion)
		if e := checkRouting(f, r, version, in.RoutingConfig); e != nil {
			return e
		}
		if f.Aliases[name] != nil {
			return conflict("Alias already exists: %s", r.arn()+":"+name)
		}
		a := &lambdaapi.AliasConfiguration{
			AliasArn:        api.String(r.arn() + ":" + name),
			Name:            api.String(name),
			FunctionVersion: api.String(version),
			Description:     api.String(api.ToString(in.Description)),
			RoutingConfig:   in.RoutingConfig,
			RevisionId:      api.String(uuid.New()),
		}
		if f.Aliases == nil {
			f.Aliases = map[string]*lambdaapi.AliasConfiguration{}
		}
		f.Aliases[name] = a
		out = aliasOut(a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetAlias implements lambdaapi.Handler.
func (s *Service) GetAlias(ctx context.Context, in *lambdaapi.GetAliasRequest) (*lambdaapi.AliasConfiguration, error) {
	r, f, err := s.existing(ctx, in.FunctionName, nil, missingARN)
	if err != nil {
		return nil, err
	}
	a := f.Aliases[api.ToString(in.Name)]
	if a == nil {
		return nil, aliasNotFound(r.arn() + ":" + api.ToString(in.Name))
	}
	return aliasOut(a), nil
}

// UpdateAlias implements lambdaapi.Handler.
func (s *Service) UpdateAlias(ctx context.Context, in *lambdaapi.UpdateAliasRequest) (*lambdaapi.AliasConfiguration, error) {
	r, err := ref(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	name := api.ToString(in.Name)
	var out *lambdaapi.AliasConfiguration
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		a := f.Aliases[name]
		if a == nil {
			return notFound("Alias not found: %s", r.arn()+":"+name)
		}
		if in.RevisionId != nil && *in.RevisionId != api.ToString(a.RevisionId) {
			return revisionMismatch("GetFunction/GetAlias")
		}
		version := api.ToString(a.FunctionVersion)
		if in.FunctionVersion != nil {
			version = *in.FunctionVersion
		}
		rc := a.RoutingConfig
		if in.RoutingConfig != nil {
			rc = in.RoutingConfig
		}
		if e := checkRouting(f, r, version, rc); e != nil {
			return e
		}
		a.FunctionVersion = api.String(version)
		a.RoutingConfig = rc
		if in.Description != nil {
			a.Description = in.Description
		}
		a.RevisionId = api.String(uuid.New())
		out = aliasOut(a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteAlias implements lambdaapi.Handler; a missing alias is no error.
func (s *Service) DeleteAlias(ctx context.Context, in *lambdaapi.DeleteAliasRequest) (*lambdaapi.DeleteAliasOutput, error) {
	r, err := ref(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	name := api.ToString(in.Name)
	if f := s.lookup(r.key()); f != nil && f.Aliases[name] == nil {
		return &lambdaapi.DeleteAliasOutput{}, nil
	}
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		delete(f.Aliases, name)
		delete(f.Provisioned, name)
		delete(f.EventConfigs, name)
		delete(f.Policies, name)
		delete(f.URLs, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.DeleteAliasOutput{}, nil
}

// ListAliases implements lambdaapi.Handler.
func (s *Service) ListAliases(ctx context.Context, in *lambdaapi.ListAliasesRequest) (*lambdaapi.ListAliasesResponse, error) {
	_, f, err := s.existing(ctx, in.FunctionName, nil, missingARN)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(f.Aliases))
	for n := range f.Aliases {
		names = append(names, n)
	}
	sort.Strings(names)
	items := []*lambdaapi.AliasConfiguration{}
	for _, n := range names {
		a := f.Aliases[n]
		if in.FunctionVersion != nil && api.ToString(a.FunctionVersion) != *in.FunctionVersion {
			continue
		}
		items = append(items, aliasOut(a))
	}
	page, next, perr := paginate(items, in.Marker, in.MaxItems, 50)
	if perr != nil {
		return nil, perr
	}
	return &lambdaapi.ListAliasesResponse{Aliases: page, NextMarker: next}, nil
}

// target resolves what an invoke of r runs: the version, and for an alias
// the version its routing picks (weights are honoured per invoke).
func (s *Service) target(f *function, r fnRef) (*fnVersion, *api.Error) {
	q := r.qualifier
	if q == "" || q == "$LATEST" || isVersionNumber(q) {
		v := f.version(q)
		if v == nil {
			return nil, fnNotFound(r.qarn())
		}
		return v, nil
	}
	a := f.Aliases[q]
	if a == nil {
		return nil, fnNotFound(r.qarn())
	}
	ver := api.ToString(a.FunctionVersion)
	if a.RoutingConfig != nil {
		x := rand.Float64()
		for v, w := range a.RoutingConfig.AdditionalVersionWeights {
			if x < w {
				ver = v
				break
			}
			x -= w
		}
	}
	v := f.version(ver)
	if v == nil {
		return nil, fnNotFound(r.arn() + ":" + ver)
	}
	return v, nil
}
