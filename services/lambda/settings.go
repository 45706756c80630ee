package lambda

import (
	"context"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/uuid"
)

// Tags, function URL configurations, event invoke configurations and
// provisioned concurrency: settings kept on the function record.

// tagTarget reads a tagged resource's ARN: functions only, unqualified.
func tagTarget(ctx context.Context, resource *string) (fnRef, *api.Error) {
	r, err := ref(ctx, resource, nil)
	if err != nil {
		return fnRef{}, api.AsError(err)
	}
	if r.qualifier != "" {
		return fnRef{}, invalidParam("Tags on function aliases and versions are not supported. Please specify a function ARN.")
	}
	return r, nil
}

// TagResource implements lambdaapi.Handler.
func (s *Service) TagResource(ctx context.Context, in *lambdaapi.TagResourceRequest) (*lambdaapi.TagResourceOutput, error) {
	r, e := tagTarget(ctx, in.Resource)
	if e != nil {
		return nil, e
	}
	if len(in.Tags) == 0 {
		return nil, invalidParam("An error occurred and the request cannot be processed.")
	}
	_, err := s.change(ctx, r, func(f *function) *api.Error {
		merged := map[string]string{}
		for k, v := range f.Tags {
			merged[k] = v
		}
		for k, v := range in.Tags {
			merged[k] = v
		}
		if len(merged) > maxTags {
			return invalidParam("Number of tags exceeds resource tag limit.")
		}
		f.Tags = merged
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.TagResourceOutput{}, nil
}

// UntagResource implements lambdaapi.Handler.
func (s *Service) UntagResource(ctx context.Context, in *lambdaapi.UntagResourceRequest) (*lambdaapi.UntagResourceOutput, error) {
	r, e := tagTarget(ctx, in.Resource)
	if e != nil {
		return nil, e
	}
	_, err := s.change(ctx, r, func(f *function) *api.Error {
		for _, k := range in.TagKeys {
			delete(f.Tags, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.UntagResourceOutput{}, nil
}

// ListTags implements lambdaapi.Handler.
func (s *Service) ListTags(ctx context.Context, in *lambdaapi.ListTagsRequest) (*lambdaapi.ListTagsResponse, error) {
	r, e := tagTarget(ctx, in.Resource)
	if e != nil {
		return nil, e
	}
	f := s.lookup(r.key())
	if f == nil {
		return nil, fnNotFound(r.arn())
	}
	tags := f.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return &lambdaapi.ListTagsResponse{Tags: tags}, nil
}

// urlTarget checks a URL configuration's qualifier: none or an alias.
func urlTarget(f *function, r fnRef) *api.Error {
	if r.qualifier != "" && f.Aliases[r.qualifier] == nil {
		return notFound("Function does not exist")
	}
	return nil
}

// functionURL is a new URL in AWS's form: a 32-character lower-case id.
func (s *Service) functionURL(r fnRef) string {
	id := strings.ReplaceAll(uuid.New(), "-", "")
	return "https://" + id + ".lambda-url." + r.region + ".on.aws/"
}

// CreateFunctionUrlConfig implements lambdaapi.Handler. The record keeps
// AWS's URL form (its first label is the URL id); answers carry the form
// served here (servedURL, url.go).
func (s *Service) CreateFunctionUrlConfig(ctx context.Context, in *lambdaapi.CreateFunctionUrlConfigRequest) (*lambdaapi.CreateFunctionUrlConfigResponse, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if s.lookup(r.key()) == nil {
		return nil, notFound("Function does not exist")
	}
	var out *lambdaapi.FunctionUrlConfig
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		if e := urlTarget(f, r); e != nil {
			return e
		}
		if f.URLs[r.qualifier] != nil {
			return conflict("Failed to create function url config for [functionArn = %s]. Error message:  FunctionUrlConfig exists for this Lambda function", r.qarn())
		}
		now := timestamp(s.now())
		mode := in.InvokeMode
		if mode == nil {
			mode = api.String("BUFFERED")
		}
		out = &lambdaapi.FunctionUrlConfig{
			FunctionUrl: api.String(s.functionURL(r)), FunctionArn: api.String(r.qarn()),
			CreationTime: api.String(now), LastModifiedTime: api.String(now),
			Cors: in.Cors, AuthType: in.AuthType, InvokeMode: mode,
		}
		if f.URLs == nil {
			f.URLs = map[string]*lambdaapi.FunctionUrlConfig{}
		}
		f.URLs[r.qualifier] = out
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.CreateFunctionUrlConfigResponse{FunctionUrl: s.servedURL(out.FunctionUrl), FunctionArn: out.FunctionArn, AuthType: out.AuthType, Cors: out.Cors, CreationTime: out.CreationTime, InvokeMode: out.InvokeMode}, nil
}

func (s *Service) urlConfig(ctx context.Context, name, qualifier *string) (fnRef, *lambdaapi.FunctionUrlConfig, error) {
	r, err := ref(ctx, name, qualifier)
	if err != nil {
		return r, nil, err
	}
	f := s.lookup(r.key())
	if f == nil || f.URLs[r.qualifier] == nil {
		return r, nil, resourceMissing()
	}
	return r, f.URLs[r.qualifier], nil
}

// GetFunctionUrlConfig implements lambdaapi.Handler.
func (s *Service) GetFunctionUrlConfig(ctx context.Context, in *lambdaapi.GetFunctionUrlConfigRequest) (*lambdaapi.GetFunctionUrlConfigResponse, error) {
	_, u, err := s.urlConfig(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	return &lambdaapi.GetFunctionUrlConfigResponse{FunctionUrl: s.servedURL(u.FunctionUrl), FunctionArn: u.FunctionArn, AuthType: u.AuthType, Cors: u.Cors, CreationTime: u.CreationTime, LastModifiedTime: u.LastModifiedTime, InvokeMode: u.InvokeMode}, nil
}

// UpdateFunctionUrlConfig implements lambdaapi.Handler.
func (s *Service) UpdateFunctionUrlConfig(ctx context.Context, in *lambdaapi.UpdateFunctionUrlConfigRequest) (*lambdaapi.UpdateFunctionUrlConfigResponse, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if s.lookup(r.key()) == nil {
		return nil, notFound("Function does not exist")
	}
	var u *lambdaapi.FunctionUrlConfig
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		if e := urlTarget(f, r); e != nil {
			return e
		}
		u = f.URLs[r.qualifier]
		if u == nil {
			return resourceMissing()
		}
		if in.AuthType != nil {
			u.AuthType = in.AuthType
		}
		if in.Cors != nil {
			u.Cors = in.Cors
		}
		if in.InvokeMode != nil {
			u.InvokeMode = in.InvokeMode
		}
		u.LastModifiedTime = api.String(timestamp(s.now()))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.UpdateFunctionUrlConfigResponse{FunctionUrl: s.servedURL(u.FunctionUrl), FunctionArn: u.FunctionArn, AuthType: u.AuthType, Cors: u.Cors, CreationTime: u.CreationTime, LastModifiedTime: u.LastModifiedTime, InvokeMode: u.InvokeMode}, nil
}

// DeleteFunctionUrlConfig implements lambdaapi.Handler.
func (s *Service) DeleteFunctionUrlConfig(ctx context.Context, in *lambdaapi.DeleteFunctionUrlConfigRequest) (*lambdaapi.DeleteFunctionUrlConfigOutput, error) {
	r, _, err := s.urlConfig(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if _, err := s.change(ctx, r, func(f *function) *api.Error { delete(f.URLs, r.qualifier); return nil }); err != nil {
		return nil, err
	}
	return &lambdaapi.DeleteFunctionUrlConfigOutput{}, nil
}

// ListFunctionUrlConfigs implements lambdaapi.Handler.
func (s *Service) ListFunctionUrlConfigs(ctx context.Context, in *lambdaapi.ListFunctionUrlConfigsRequest) (*lambdaapi.ListFunctionUrlConfigsResponse, error) {
	_, f, err := s.existing(ctx, in.FunctionName, nil, func(r fnRef) *api.Error { return notFound("Function does not exist") })
	if err != nil {
		return nil, err
	}
	items := sortedValues(f.URLs)
	for i, u := range items {
		items[i] = s.urlOut(u)
	}
	page, next, perr := paginate(items, in.Marker, in.MaxItems, 50)
	if perr != nil {
		return nil, perr
	}
	return &lambdaapi.ListFunctionUrlConfigsResponse{FunctionUrlConfigs: page, NextMarker: next}, nil
}

// eventQualifier is the key event invoke configurations are kept under.
func eventQualifier(r fnRef) string {
	if r.qualifier == "" {
		return "$LATEST"
	}
	return r.qualifier
}

func noEventConfig(r fnRef) *api.Error {
	return notFound("The function %s:%s doesn't have an EventInvokeConfig", r.arn(), eventQualifier(r))
}

// eventTarget checks that the qualifier exists.
func eventTarget(f *function, r fnRef) *api.Error {
	q := eventQualifier(r)
	if q == "$LATEST" || f.version(q) != nil || f.Aliases[q] != nil {
		return nil
	}
	return notFound("The function doesn't exist.")
}

func (s *Service) putEventConfig(ctx context.Context, name, qualifier *string, retries, age *int32, dest *lambdaapi.DestinationConfig, update bool) (*lambdaapi.FunctionEventInvokeConfig, error) {
	r, err := ref(ctx, name, qualifier)
	if err != nil {
		return nil, err
	}
	if s.lookup(r.key()) == nil {
		return nil, notFound("The function doesn't exist.")
	}
	if retries == nil && age == nil && dest == nil {
		return nil, invalidParam("You must specify at least one of error handling or destination setting.")
	}
	if dest != nil {
		var targets []*string
		if dest.OnSuccess != nil {
			targets = append(targets, dest.OnSuccess.Destination)
		}
		if dest.OnFailure != nil {
			targets = append(targets, dest.OnFailure.Destination)
		}
		for _, d := range targets {
			if d == nil {
				continue
			}
			if *d == r.arn() || strings.HasPrefix(*d, r.arn()+":") {
				return nil, invalidParam("You can't specify the function as a destination for itself.")
			}
		}
	}
	if e := s.checkDestinations(dest); e != nil {
		return nil, e
	}
	var out *lambdaapi.FunctionEventInvokeConfig
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		if e := eventTarget(f, r); e != nil {
			return e
		}
		q := eventQualifier(r)
		cur := f.EventConfigs[q]
		if update && cur == nil {
			return noEventConfig(r)
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		c := &lambdaapi.FunctionEventInvokeConfig{FunctionArn: api.String(r.arn() + ":" + q), LastModified: &now}
		if update && cur != nil {
			*c = *cur
			c.LastModified = &now
		}
		if retries != nil || !update {
			c.MaximumRetryAttempts = retries
		}
		if age != nil || !update {
			c.MaximumEventAgeInSeconds = age
		}
		if dest != nil || !update {
			c.DestinationConfig = dest
		}
		if c.DestinationConfig == nil {
			c.DestinationConfig = &lambdaapi.DestinationConfig{OnSuccess: &lambdaapi.OnSuccess{}, OnFailure: &lambdaapi.OnFailure{}}
		}
		if f.EventConfigs == nil {
			f.EventConfigs = map[string]*lambdaapi.FunctionEventInvokeConfig{}
		}
		f.EventConfigs[q] = c
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PutFunctionEventInvokeConfig implements lambdaapi.Handler.
func (s *Service) PutFunctionEventInvokeConfig(ctx context.Context, in *lambdaapi.PutFunctionEventInvokeConfigRequest) (*lambdaapi.FunctionEventInvokeConfig, error) {
	return s.putEventConfig(ctx, in.FunctionName, in.Qualifier, in.MaximumRetryAttempts, in.MaximumEventAgeInSeconds, in.DestinationConfig, false)
}

// UpdateFunctionEventInvokeConfig implements lambdaapi.Handler.
func (s *Service) UpdateFunctionEventInvokeConfig(ctx context.Context, in *lambdaapi.UpdateFunctionEventInvokeConfigRequest) (*lambdaapi.FunctionEventInvokeConfig, error) {
	return s.putEventConfig(ctx, in.FunctionName, in.Qualifier, in.MaximumRetryAttempts, in.MaximumEventAgeInSeconds, in.DestinationConfig, true)
}

// GetFunctionEventInvokeConfig implements lambdaapi.Handler.
func (s *Service) GetFunctionEventInvokeConfig(ctx context.Context, in *lambdaapi.GetFunctionEventInvokeConfigRequest) (*lambdaapi.FunctionEventInvokeConfig, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	f := s.lookup(r.key())
	if f == nil || f.EventConfigs[eventQualifier(r)] == nil {
		return nil, noEventConfig(r)
	}
	return f.EventConfigs[eventQualifier(r)], nil
}

// DeleteFunctionEventInvokeConfig implements lambdaapi.Handler.
func (s *Service) DeleteFunctionEventInvokeConfig(ctx context.Context, in *lambdaapi.DeleteFunctionEventInvokeConfigRequest) (*lambdaapi.DeleteFunctionEventInvokeConfigOutput, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	f := s.lookup(r.key())
	if f == nil || f.EventConfigs[eventQualifier(r)] == nil {
		return nil, noEventConfig(r)
	}
	if _, err := s.change(ctx, r, func(f *function) *api.Error { delete(f.EventConfigs, eventQualifier(r)); return nil }); err != nil {
		return nil, err
	}
	return &lambdaapi.DeleteFunctionEventInvokeConfigOutput{}, nil
}

// ListFunctionEventInvokeConfigs implements lambdaapi.Handler.
func (s *Service) ListFunctionEventInvokeConfigs(ctx context.Context, in *lambdaapi.ListFunctionEventInvokeConfigsRequest) (*lambdaapi.ListFunctionEventInvokeConfigsResponse, error) {
	_, f, err := s.existing(ctx, in.FunctionName, nil, func(r fnRef) *api.Error { return notFound("The function doesn't exist.") })
	if err != nil {
		return nil, err
	}
	items := sortedValues(f.EventConfigs)
	page, next, perr := paginate(items, in.Marker, in.MaxItems, 50)
	if perr != nil {
		return nil, perr
	}
	return &lambdaapi.ListFunctionEventInvokeConfigsResponse{FunctionEventInvokeConfigs: page, NextMarker: next}, nil
}

// GetRuntimeManagementConfig implements lambdaapi.Handler.
func (s *Service) GetRuntimeManagementConfig(ctx context.Context, in *lambdaapi.GetRuntimeManagementConfigRequest) (*lambdaapi.GetRuntimeManagementConfigResponse, error) {
	r, f, err := s.existing(ctx, in.FunctionName, in.Qualifier, missingQARN)
	if err != nil {
		return nil, err
	}
	mode := f.RuntimeMgmt[r.qualifier]
	if mode == "" {
		mode = "Auto"
	}
	return &lambdaapi.GetRuntimeManagementConfigResponse{UpdateRuntimeOn: api.String(mode), FunctionArn: api.String(r.qarn())}, nil
}

// PutRuntimeManagementConfig implements lambdaapi.Handler.
func (s *Service) PutRuntimeManagementConfig(ctx context.Context, in *lambdaapi.PutRuntimeManagementConfigRequest) (*lambdaapi.PutRuntimeManagementConfigResponse, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		if f.RuntimeMgmt == nil {
			f.RuntimeMgmt = map[string]string{}
		}
		f.RuntimeMgmt[r.qualifier] = api.ToString(in.UpdateRuntimeOn)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.PutRuntimeManagementConfigResponse{UpdateRuntimeOn: in.UpdateRuntimeOn, FunctionArn: api.String(r.qarn()), RuntimeVersionArn: in.RuntimeVersionArn}, nil
}

// GetFunctionCodeSigningConfig implements lambdaapi.Handler: code signing is
// not built, so no function has a configuration (AWS answers an empty 200,
// recorded). Infrastructure tools read it after every create.
func (s *Service) GetFunctionCodeSigningConfig(ctx context.Context, in *lambdaapi.GetFunctionCodeSigningConfigRequest) (*lambdaapi.GetFunctionCodeSigningConfigResponse, error) {
	if _, _, err := s.existing(ctx, in.FunctionName, nil, missingARN); err != nil {
		return nil, err
	}
	return &lambdaapi.GetFunctionCodeSigningConfigResponse{}, nil
}

// ListEventSourceMappings implements lambdaapi.Handler: mappings are not
// built yet, so there are none (tools list them before they change a
// function).
func (s *Service) ListEventSourceMappings(ctx context.Context, in *lambdaapi.ListEventSourceMappingsRequest) (*lambdaapi.ListEventSourceMappingsResponse, error) {
	if in.FunctionName != nil {
		if _, _, err := s.existing(ctx, in.FunctionName, nil, missingARN); err != nil {
			return nil, err
		}
	}
	return &lambdaapi.ListEventSourceMappingsResponse{EventSourceMappings: []*lambdaapi.EventSourceMappingConfiguration{}}, nil
}

// ListCodeSigningConfigs implements lambdaapi.Handler: none exist.
func (s *Service) ListCodeSigningConfigs(context.Context, *lambdaapi.ListCodeSigningConfigsRequest) (*lambdaapi.ListCodeSigningConfigsResponse, error) {
	return &lambdaapi.ListCodeSigningConfigsResponse{CodeSigningConfigs: []*lambdaapi.CodeSigningConfig{}}, nil
}
