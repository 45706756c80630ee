package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/uuid"
)

// layer is a layer's versions; its JSON form is the store record. Like
// functions, a published value is never changed (changeLayer clones).
type layer struct {
	Account     string          `json:"account"`
	Region      string          `json:"region"`
	Name        string          `json:"name"`
	Versions    []*layerVersion `json:"versions"`
	LastVersion int64           `json:"lastVersion"`
}

type layerVersion struct {
	Info   *lambdaapi.PublishLayerVersionResponse `json:"info"`
	Sha    string                                 `json:"sha"`
	Policy *policy                                `json:"policy,omitempty"`
}

func (l *layer) key() fnKey { return fnKey{l.Account, l.Region, l.Name} }

func layerARN(account, region, name string) string {
	return "arn:aws:lambda:" + region + ":" + account + ":layer:" + name
}

func (l *layer) version(n int64) *layerVersion {
	for _, v := range l.Versions {
		if api.ToInt64(v.Info.Version) == n {
			return v
		}
	}
	return nil
}

var layerVersionARNRE = regexp.MustCompile(`^arn:[a-zA-Z0-9-]+:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d{1}):(\d{12}):layer:([a-zA-Z0-9-_]+):([0-9]+)$`)

// resolveLayers checks a function's layer list as AWS does and returns the
// layers' code shas and the configuration's Layers.
func (s *Service) resolveLayers(r fnRef, arns []string) ([]string, []*lambdaapi.Layer, *api.Error) {
	if len(arns) > maxLayers {
		return nil, nil, invalidParam("Cannot reference more than 5 layers.")
	}
	seen := map[string]string{}
	var shas []string
	layers := []*lambdaapi.Layer{}
	for _, a := range arns {
		m := layerVersionARNRE.FindStringSubmatch(a)
		if m == nil {
			return nil, nil, validation("1 validation error detected: Value '[%s]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]", a)
		}
		if m[1] != r.region {
			return nil, nil, invalidParam("Layers are not in the same region as the function. Layers are expected to be in region %s.", r.region)
		}
		base := layerARN(m[2], m[1], m[3])
		if prev, ok := seen[base]; ok {
			return nil, nil, invalidParam("Two different versions of the same layer are not allowed to be referenced in the same function. %s and %s", prev, a)
		}
		seen[base] = a
		n, _ := strconv.ParseInt(m[4], 10, 64)
		s.mu.RLock()
		l := s.mu.layers[fnKey{m[2], m[1], m[3]}]
		s.mu.RUnlock()
		var v *layerVersion
		if l != nil {
			v = l.version(n)
		}
		if v == nil {
			return nil, nil, invalidParam("Layer version %s does not exist.", a)
		}
		shas = append(shas, v.Sha)
		layers = append(layers, &lambdaapi.Layer{Arn: api.String(a), CodeSize: v.Info.Content.CodeSize})
	}
	if len(arns) == 0 {
		return nil, nil, nil
	}
	return shas, layers, nil
}

func (s *Service) writeLayer(ctx context.Context, l *layer, del bool) error {
	var b store.Batch
	if del {
		b.Delete(layerRecordKey(l.key()))
	} else {
		v, err := json.Marshal(l)
		if err != nil {
			return fmt.Errorf("lambda: encoding layer %q: %w", l.Name, err)
		}
		b.Put(layerRecordKey(l.key()), v)
	}
	return s.apply(ctx, &b)
}

func cloneLayer(l *layer) *layer {
	b, _ := json.Marshal(l)
	var c layer
	_ = json.Unmarshal(b, &c)
	return &c
}

// changeLayer edits a clone of layer k (a new one if create and absent).
func (s *Service) changeLayer(ctx context.Context, k fnKey, create bool, edit func(l *layer) *api.Error) (*layer, error) {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.mu.RLock()
	cur := s.mu.layers[k]
	s.mu.RUnlock()
	var l *layer
	switch {
	case cur != nil:
		l = cloneLayer(cur)
	case create:
		l = &layer{Account: k.account, Region: k.region, Name: k.name}
	default:
		return nil, resourceMissing()
	}
	if e := edit(l); e != nil {
		return nil, e
	}
	// A layer whose versions are all deleted keeps its record: AWS never
	// reuses a layer's version numbers.
	if err := s.writeLayer(ctx, l, false); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.mu.layers[k] = l
	s.mu.Unlock()
	return l, nil
}

// PublishLayerVersion implements lambdaapi.Handler.
func (s *Service) PublishLayerVersion(ctx context.Context, in *lambdaapi.PublishLayerVersionRequest) (*lambdaapi.PublishLayerVersionResponse, error) {
	c := call(ctx)
	name := api.ToString(in.LayerName)
	if m := regexp.MustCompile(`^arn:[a-zA-Z0-9-]+:lambda:[a-z0-9-]+:\d{12}:layer:([a-zA-Z0-9-_]+)$`).FindStringSubmatch(name); m != nil {
		name = m[1]
	}
	if in.Content == nil || (in.Content.ZipFile == nil && in.Content.S3Bucket == nil) {
		return nil, invalidParam("Please provide a source for layer content.")
	}
	code, cerr := s.storeCode(ctx, in.Content.ZipFile, in.Content.S3Bucket, in.Content.S3Key, in.Content.S3ObjectVersion)
	if cerr != nil {
		return nil, cerr
	}
	k := fnKey{c.Account, c.Region, name}
	var out *lambdaapi.PublishLayerVersionResponse
	_, err := s.changeLayer(ctx, k, true, func(l *layer) *api.Error {
		l.LastVersion++
		arn := layerARN(k.account, k.region, name)
		out = &lambdaapi.PublishLayerVersionResponse{
			Content: &lambdaapi.LayerVersionContentOutput{
				Location:   api.String(s.codeURL(code.hex)),
				CodeSha256: api.String(code.sha256),
				CodeSize:   api.Int64(code.size),
			},
			LayerArn:                api.String(arn),
			LayerVersionArn:         api.String(arn + ":" + strconv.FormatInt(l.LastVersion, 10)),
			Description:             api.String(api.ToString(in.Description)),
			CreatedDate:             api.String(timestamp(s.now())),
			Version:                 api.Int64(l.LastVersion),
			CompatibleRuntimes:      in.CompatibleRuntimes,
			LicenseInfo:             in.LicenseInfo,
			CompatibleArchitectures: in.CompatibleArchitectures,
		}
		if out.CompatibleRuntimes == nil {
			out.CompatibleRuntimes = []string{}
		}
		if out.CompatibleArchitectures == nil {
			out.CompatibleArchitectures = []string{}
		}
		l.Versions = append(l.Versions, &layerVersion{Info: out, Sha: code.hex})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// layerVersionOf finds a layer version in the caller's scope.
func (s *Service) layerVersionOf(ctx context.Context, name *string, n *int64) (*layer, *layerVersion, *api.Error) {
	c := call(ctx)
	if api.ToInt64(n) < 1 {
		return nil, nil, invalidParam("Layer Version Cannot be less than 1")
	}
	s.mu.RLock()
	l := s.mu.layers[fnKey{c.Account, c.Region, api.ToString(name)}]
	s.mu.RUnlock()
	if l == nil {
		return nil, nil, resourceMissing()
	}
	v := l.version(*n)
	if v == nil {
		return nil, nil, resourceMissing()
	}
	return l, v, nil
}

func layerOut(v *layerVersion) *lambdaapi.GetLayerVersionResponse {
	i := v.Info
	return &lambdaapi.GetLayerVersionResponse{
		Content: i.Content, LayerArn: i.LayerArn, LayerVersionArn: i.LayerVersionArn,
		Description: i.Description, CreatedDate: i.CreatedDate, Version: i.Version,
		CompatibleRuntimes: i.CompatibleRuntimes, LicenseInfo: i.LicenseInfo, CompatibleArchitectures: i.CompatibleArchitectures,
	}
}

// GetLayerVersion implements lambdaapi.Handler.
func (s *Service) GetLayerVersion(ctx context.Context, in *lambdaapi.GetLayerVersionRequest) (*lambdaapi.GetLayerVersionResponse, error) {
	_, v, e := s.layerVersionOf(ctx, in.LayerName, in.VersionNumber)
	if e != nil {
		return nil, e
	}
	return layerOut(v), nil
}

// GetLayerVersionByArn implements lambdaapi.Handler.
func (s *Service) GetLayerVersionByArn(ctx context.Context, in *lambdaapi.GetLayerVersionByArnRequest) (*lambdaapi.GetLayerVersionResponse, error) {
	m := layerVersionARNRE.FindStringSubmatch(api.ToString(in.Arn))
	if m == nil {
		return nil, resourceMissing()
	}
	n, _ := strconv.ParseInt(m[4], 10, 64)
	s.mu.RLock()
	l := s.mu.layers[fnKey{m[2], m[1], m[3]}]
	s.mu.RUnlock()
	if l == nil || l.version(n) == nil {
		return nil, resourceMissing()
	}
	return layerOut(l.version(n)), nil
}

func matchesCompat(i *lambdaapi.PublishLayerVersionResponse, runtime, arch *string) bool {
	if runtime != nil && !slices.Contains(i.CompatibleRuntimes, *runtime) {
		return false
	}
	if arch != nil && !slices.Contains(i.CompatibleArchitectures, *arch) {
		return false
	}
	return true
}

func listItem(i *lambdaapi.PublishLayerVersionResponse) *lambdaapi.LayerVersionsListItem {
	return &lambdaapi.LayerVersionsListItem{
		LayerVersionArn: i.LayerVersionArn, Version: i.Version, Description: i.Description,
		CreatedDate: i.CreatedDate, CompatibleRuntimes: i.CompatibleRuntimes, LicenseInfo: i.LicenseInfo,
		CompatibleArchitectures: i.CompatibleArchitectures,
	}
}

// ListLayerVersions implements lambdaapi.Handler: newest first.
func (s *Service) ListLayerVersions(ctx context.Context, in *lambdaapi.ListLayerVersionsRequest) (*lambdaapi.ListLayerVersionsResponse, error) {
	c := call(ctx)
	s.mu.RLock()
	l := s.mu.layers[fnKey{c.Account, c.Region, api.ToString(in.LayerName)}]
	s.mu.RUnlock()
	items := []*lambdaapi.LayerVersionsListItem{}
	if l != nil {
		for i := len(l.Versions) - 1; i >= 0; i-- {
			if v := l.Versions[i]; matchesCompat(v.Info, in.CompatibleRuntime, in.CompatibleArchitecture) {
				items = append(items, listItem(v.Info))
			}
		}
	}
	page, next, err := paginate(items, in.Marker, in.MaxItems, 50)
	if err != nil {
		return nil, err
	}
	return &lambdaapi.ListLayerVersionsResponse{LayerVersions: page, NextMarker: next}, nil
}

// ListLayers implements lambdaapi.Handler: each layer with its newest
// matching version.
func (s *Service) ListLayers(ctx context.Context, in *lambdaapi.ListLayersRequest) (*lambdaapi.ListLayersResponse, error) {
	c := call(ctx)
	s.mu.RLock()
	var ls []*layer
	for k, l := range s.mu.layers {
		if k.account == c.Account && k.region == c.Region {
			ls = append(ls, l)
		}
	}
	s.mu.RUnlock()
	sort.Slice(ls, func(i, j int) bool { return ls[i].Name < ls[j].Name })
	items := []*lambdaapi.LayersListItem{}
	for _, l := range ls {
		for i := len(l.Versions) - 1; i >= 0; i-- {
			if v := l.Versions[i]; matchesCompat(v.Info, in.CompatibleRuntime, in.CompatibleArchitecture) {
				items = append(items, &lambdaapi.LayersListItem{LayerName: api.String(l.Name), LayerArn: v.Info.LayerArn, LatestMatchingVersion: listItem(v.Info)})
				break
			}
		}
	}
	page, next, err := paginate(items, in.Marker, in.MaxItems, 50)
	if err != nil {
		return nil, err
	}
	return &lambdaapi.ListLayersResponse{Layers: page, NextMarker: next}, nil
}

// DeleteLayerVersion implements lambdaapi.Handler; deleting a missing
// version succeeds, as in AWS. Functions that use it keep their copy.
func (s *Service) DeleteLayerVersion(ctx context.Context, in *lambdaapi.DeleteLayerVersionRequest) (*lambdaapi.DeleteLayerVersionOutput, error) {
	c := call(ctx)
	n := api.ToInt64(in.VersionNumber)
	if n < 1 {
		return nil, invalidParam("Layer Version Cannot be less than 1")
	}
	k := fnKey{c.Account, c.Region, api.ToString(in.LayerName)}
	s.mu.RLock()
	l := s.mu.layers[k]
	s.mu.RUnlock()
	if l == nil || l.version(n) == nil {
		return &lambdaapi.DeleteLayerVersionOutput{}, nil
	}
	_, err := s.changeLayer(ctx, k, false, func(l *layer) *api.Error {
		l.Versions = slices.DeleteFunc(l.Versions, func(v *layerVersion) bool { return api.ToInt64(v.Info.Version) == n })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.DeleteLayerVersionOutput{}, nil
}

// layerForPolicy finds a layer version for the permission operations,
// whose not-found message names the version ARN.
func (s *Service) layerForPolicy(ctx context.Context, name *string, n *int64) (fnKey, *api.Error) {
	c := call(ctx)
	k := fnKey{c.Account, c.Region, api.ToString(name)}
	s.mu.RLock()
	l := s.mu.layers[k]
	s.mu.RUnlock()
	if l == nil || l.version(api.ToInt64(n)) == nil {
		return k, notFound("Layer version %s:%d does not exist.", layerARN(k.account, k.region, k.name), api.ToInt64(n))
	}
	return k, nil
}

// AddLayerVersionPermission implements lambdaapi.Handler.
func (s *Service) AddLayerVersionPermission(ctx context.Context, in *lambdaapi.AddLayerVersionPermissionRequest) (*lambdaapi.AddLayerVersionPermissionResponse, error) {
	k, e := s.layerForPolicy(ctx, in.LayerName, in.VersionNumber)
	if e != nil {
		return nil, e
	}
	n := api.ToInt64(in.VersionNumber)
	var out *lambdaapi.AddLayerVersionPermissionResponse
	_, err := s.changeLayer(ctx, k, false, func(l *layer) *api.Error {
		v := l.version(n)
		if v.Policy == nil {
			v.Policy = &policy{}
		}
		if in.RevisionId != nil && *in.RevisionId != v.Policy.RevisionID {
			return revisionMismatch("GetLayerPolicy")
		}
		sid := api.ToString(in.StatementId)
		if v.Policy.find(sid) >= 0 {
			return conflict("The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", sid)
		}
		st := statement{Sid: sid, Effect: "Allow", Principal: principalJSON(api.ToString(in.Principal)), Action: api.ToString(in.Action), Resource: api.ToString(v.Info.LayerVersionArn)}
		if in.OrganizationId != nil {
			st.Condition = map[string]map[string]string{"StringEquals": {"aws:PrincipalOrgID": *in.OrganizationId}}
		}
		v.Policy.Statements = append(v.Policy.Statements, st)
		v.Policy.RevisionID = uuid.New()
		out = &lambdaapi.AddLayerVersionPermissionResponse{Statement: api.String(st.render()), RevisionId: api.String(v.Policy.RevisionID)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetLayerVersionPolicy implements lambdaapi.Handler.
func (s *Service) GetLayerVersionPolicy(ctx context.Context, in *lambdaapi.GetLayerVersionPolicyRequest) (*lambdaapi.GetLayerVersionPolicyResponse, error) {
	k, e := s.layerForPolicy(ctx, in.LayerName, in.VersionNumber)
	if e != nil {
		return nil, e
	}
	s.mu.RLock()
	v := s.mu.layers[k].version(api.ToInt64(in.VersionNumber))
	s.mu.RUnlock()
	if v.Policy == nil || len(v.Policy.Statements) == 0 {
		return nil, notFound("No policy is associated with the given resource.")
	}
	return &lambdaapi.GetLayerVersionPolicyResponse{Policy: api.String(v.Policy.document(api.ToString(v.Info.LayerVersionArn))), RevisionId: api.String(v.Policy.RevisionID)}, nil
}

// RemoveLayerVersionPermission implements lambdaapi.Handler.
func (s *Service) RemoveLayerVersionPermission(ctx context.Context, in *lambdaapi.RemoveLayerVersionPermissionRequest) (*lambdaapi.RemoveLayerVersionPermissionOutput, error) {
	k, e := s.layerForPolicy(ctx, in.LayerName, in.VersionNumber)
	if e != nil {
		return nil, e
	}
	n := api.ToInt64(in.VersionNumber)
	_, err := s.changeLayer(ctx, k, false, func(l *layer) *api.Error {
		v := l.version(n)
		if v.Policy == nil {
			v.Policy = &policy{}
		}
		if in.RevisionId != nil && *in.RevisionId != v.Policy.RevisionID {
			return revisionMismatch("GetLayerPolicy")
		}
		i := v.Policy.find(api.ToString(in.StatementId))
		if i < 0 {
			return notFound("Statement %s is not found in resource policy.", api.ToString(in.StatementId))
		}
		v.Policy.Statements = slices.Delete(v.Policy.Statements, i, i+1)
		v.Policy.RevisionID = uuid.New()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.RemoveLayerVersionPermissionOutput{}, nil
}
