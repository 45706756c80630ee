package lambda

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/lambdaruntime"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/uuid"
)

// function is one function with everything attached to it; its JSON form is
// the store record. A value that is in Service.mu.fns is never changed:
// changes go to a clone (change).
type function struct {
	Account string     `json:"account"`
	Region  string     `json:"region"`
	Name    string     `json:"name"`
	Latest  *fnVersion `json:"latest"`
	// Versions are the published versions, in ascending order.
	Versions    []*fnVersion                             `json:"versions,omitempty"`
	LastVersion int                                      `json:"lastVersion,omitempty"`
	Aliases     map[string]*lambdaapi.AliasConfiguration `json:"aliases,omitempty"`
	Tags        map[string]string                        `json:"tags,omitempty"`
	// Policies are resource policies by qualifier ("" for the function).
	Policies map[string]*policy `json:"policies,omitempty"`
	Reserved *int32             `json:"reserved,omitempty"`
	// URLs, EventConfigs and Provisioned are by qualifier ("" or
	// "$LATEST" for the unqualified function, as AWS keys each).
	URLs         map[string]*lambdaapi.FunctionUrlConfig         `json:"urls,omitempty"`
	EventConfigs map[string]*lambdaapi.FunctionEventInvokeConfig `json:"eventConfigs,omitempty"`
	Provisioned  map[string]*provisioned                         `json:"provisioned,omitempty"`
	RuntimeMgmt  map[string]string                               `json:"runtimeMgmt,omitempty"`
}

// fnVersion is $LATEST or a published version.
type fnVersion struct {
	Config *lambdaapi.FunctionConfiguration `json:"config"`
	// Sha is the hex SHA-256 of the code zip (its directory under code/).
	Sha string `json:"sha"`
	// LayerShas are the layers' zips, in the function's order.
	LayerShas []string `json:"layerShas,omitempty"`
	// ImageURI is the image of a PackageType Image function (Sha is then
	// the SHA-256 of the URI, standing in for the image digest).
	ImageURI string `json:"imageUri,omitempty"`

	// rt is what the engine runs, built by prepare.
	rt *lambdaruntime.Function
}

func (f *function) key() fnKey  { return fnKey{f.Account, f.Region, f.Name} }
func (f *function) arn() string { return fnARN(f.Account, f.Region, f.Name) }
func (f *function) ref() fnRef  { return fnRef{account: f.Account, region: f.Region, name: f.Name} }

// version returns $LATEST ("" or "$LATEST") or a published version, or nil.
func (f *function) version(q string) *fnVersion {
	if q == "" || q == "$LATEST" {
		return f.Latest
	}
	for _, v := range f.Versions {
		if api.ToString(v.Config.Version) == q {
			return v
		}
	}
	return nil
}

// clone deep-copies f through its record form.
func (s *Service) clone(f *function) *function {
	b, err := json.Marshal(f)
	if err != nil {
		panic(fmt.Sprintf("lambda: encoding function: %v", err)) // plain data: cannot fail
	}
	var c function
	if err := json.Unmarshal(b, &c); err != nil {
		panic(fmt.Sprintf("lambda: decoding function: %v", err))
	}
	return &c
}

// settle finishes transitions a restart interrupted.
func (f *function) settle() {
	for _, v := range append([]*fnVersion{f.Latest}, f.Versions...) {
		settleConfig(v.Config)
	}
}

// settleConfig moves Pending to Active and InProgress to Successful; it
// reports whether anything changed.
func settleConfig(c *lambdaapi.FunctionConfiguration) bool {
	changed := false
	if api.ToString(c.State) == lambdaapi.StatePending {
		c.State, c.StateReason, c.StateReasonCode = api.String(lambdaapi.StateActive), nil, nil
		changed = true
	}
	if api.ToString(c.LastUpdateStatus) == lambdaapi.LastUpdateStatusInProgress || (changed && c.LastUpdateStatus == nil) {
		c.LastUpdateStatus, c.LastUpdateStatusReason, c.LastUpdateStatusReasonCode = api.String(lambdaapi.LastUpdateStatusSuccessful), nil, nil
		changed = true
	}
	if changed {
		c.RevisionId = api.String(uuid.New())
	}
	return changed
}

// busy reports the conflict a change of $LATEST meets while a create or
// update is still being applied.
func (f *function) busy() *api.Error {
	c := f.Latest.Config
	if api.ToString(c.State) == lambdaapi.StatePending {
		return pendingConflict()
	}
	if api.ToString(c.LastUpdateStatus) == lambdaapi.LastUpdateStatusInProgress {
		return updateInProgress(f.arn())
	}
	return nil
}

// pendingConflict is AWS's answer to an operation on a function still
// being created.
func pendingConflict() *api.Error {
	return conflict("The operation cannot be performed at this time. The function is currently in the following state: Pending")
}

// prepare builds what the engine runs for every version of f.
func (s *Service) prepare(f *function) {
	for _, v := range append([]*fnVersion{f.Latest}, f.Versions...) {
		v.rt = s.runtimeFunction(f, v)
		for _, sha := range append([]string{v.Sha}, v.LayerShas...) {
			if err := s.ensureUnpacked(sha); err != nil {
				s.env.Logger.Warn("lambda: code not available", "function", f.arn(), "err", err)
			}
		}
	}
}

func (s *Service) runtimeFunction(f *function, v *fnVersion) *lambdaruntime.Function {
	c := v.Config
	rt := &lambdaruntime.Function{
		ARN:          f.arn() + ":" + api.ToString(c.Version),
		Name:         f.Name,
		Version:      api.ToString(c.Version),
		Runtime:      api.ToString(c.Runtime),
		Handler:      api.ToString(c.Handler),
		CodeDir:      s.codeDir(v.Sha),
		MemoryMB:     int(deref32(c.MemorySize, 128)),
		Timeout:      time.Duration(deref32(c.Timeout, 3)) * time.Second,
		EphemeralMB:  512,
		Architecture: "x86_64",
		Account:      f.Account,
		Region:       f.Region,
		LogGroup:     "/aws/lambda/" + f.Name,
		AccessKey:    f.Account,
		SecretKey:    "fogbank",
	}
	if c.EphemeralStorage != nil && c.EphemeralStorage.Size != nil {
		rt.EphemeralMB = int(*c.EphemeralStorage.Size)
	}
	if len(c.Architectures) > 0 {
		rt.Architecture = c.Architectures[0]
	}
	if c.LoggingConfig != nil && c.LoggingConfig.LogGroup != nil {
		rt.LogGroup = *c.LoggingConfig.LogGroup
	}
	if c.Environment != nil {
		rt.Environment = c.Environment.Variables
	}
	for _, sha := range v.LayerShas {
		rt.Layers = append(rt.Layers, s.codeDir(sha))
	}
	// The pool key: everything that changes what runs, not the state
	// machine's RevisionId churn.
	h := sha256.New()
	b, _ := json.Marshal(struct {
		Sha, Runtime, Handler string
		Layers                []string
		Env                   map[string]string
		Mem, Eph              int
		T                     time.Duration
		Arch, LogGroup        string
	}{v.Sha, rt.Runtime, rt.Handler, v.LayerShas, rt.Environment, rt.MemoryMB, rt.EphemeralMB, rt.Timeout, rt.Architecture, rt.LogGroup})
	h.Write(b)
	rt.Revision = hex.EncodeToString(h.Sum(nil))[:16]
	rt.Image, rt.Revision = engineImage(v, rt.Revision)
	return rt
}

func deref32(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

// write puts f's record (or its deletion, when del) durably.
func (s *Service) write(ctx context.Context, f *function, del bool) error {
	var b store.Batch
	if del {
		b.Delete(fnRecordKey(f.key()))
	} else {
		v, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("lambda: encoding function %q: %w", f.Name, err)
		}
		b.Put(fnRecordKey(f.key()), v)
	}
	return s.apply(ctx, &b)
}

// publish makes f the current snapshot (nil deletes).
func (s *Service) publish(k fnKey, f *function) {
	s.mu.Lock()
	s.indexURLs(s.mu.fns[k], f)
	if f == nil {
		delete(s.mu.fns, k)
	} else {
		s.mu.fns[k] = f
	}
	s.mu.Unlock()
}

// change edits a clone of the function r names under ctl, writes it and
// publishes it. edit returns the error to answer (nothing is written then).
func (s *Service) change(ctx context.Context, r fnRef, edit func(f *function) *api.Error) (*function, error) {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	cur := s.lookup(r.key())
	if cur == nil {
		return nil, fnNotFound(r.arn())
	}
	f := s.clone(cur)
	if e := edit(f); e != nil {
		return nil, e
	}
	s.prepare(f)
	if err := s.write(ctx, f, false); err != nil {
		return nil, err
	}
	s.publish(r.key(), f)
	return f, nil
}

// answer returns what a create or update of f answers with: out as it is
// now, Pending or InProgress. When the transition takes no time (d == 0,
// see transitions), f — not yet stored — is settled, so it is stored Active
// and Successful while the answer still reports the state AWS reports.
func (s *Service) answer(f *function, out *lambdaapi.FunctionConfiguration, d time.Duration) *lambdaapi.FunctionConfiguration {
	if d > 0 {
		return out
	}
	cp := *out // settling reassigns fields of the configurations f holds, which out may be
	f.settle()
	return &cp
}

// settleLater schedules the end of the create or update just made; with
// d == 0 answer has already settled it.
func (s *Service) settleLater(k fnKey, d time.Duration) {
	if d == 0 {
		return
	}
	t := s.env.Clock.AfterFunc(d, func() { s.settle(k) })
	s.mu.Lock()
	if old := s.mu.timers[k]; old != nil {
		old.Stop()
	}
	s.mu.timers[k] = t
	s.mu.Unlock()
}

func (s *Service) settle(k fnKey) {
	if s.ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	delete(s.mu.timers, k)
	s.mu.Unlock()
	_, err := s.change(s.ctx, fnRef{account: k.account, region: k.region, name: k.name}, func(f *function) *api.Error {
		changed := false
		for _, v := range append([]*fnVersion{f.Latest}, f.Versions...) {
			if settleConfig(v.Config) {
				changed = true
			}
		}
		if !changed {
			return &api.Error{Code: "unchanged"}
		}
		return nil
	})
	if err != nil && s.env.Logger != nil {
		if ae, ok := err.(*api.Error); !ok || (ae.Code != "unchanged" && ae.Code != "ResourceNotFoundException") {
			s.env.Logger.Warn("lambda: finishing an update", "function", k.name, "err", err)
		}
	}
}

// Runtimes whose environment variables and defaults follow the model's enum.
const (
	defaultTimeout = 3
	defaultMemory  = 128
	maxEnvBytes    = 4096
	maxTags        = 50
	maxLayers      = 5
)

// reservedEnv are the variables Lambda sets itself and refuses to take.
var reservedEnv = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_DEFAULT_REGION",
	"AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_NAME",
	"AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
	"AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "AWS_REGION", "AWS_SECRET_ACCESS_KEY",
	"AWS_SESSION_TOKEN", "LAMBDA_RUNTIME_DIR", "LAMBDA_TASK_ROOT",
}

// checkEnv refuses reserved variables and applies AWS's 4 KB limit on the
// variables' JSON form.
func checkEnv(env *lambdaapi.Environment) *api.Error {
	if env == nil || len(env.Variables) == 0 {
		return nil
	}
	var used []string
	for _, k := range reservedEnv {
		if _, ok := env.Variables[k]; ok {
			used = append(used, k)
		}
	}
	if len(used) > 0 {
		return invalidParam("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s", strings.Join(used, ","))
	}
	// AWS measures the JSON object in the order given; Go maps have none,
	// so sorted keys stand in (the size is the same).
	keys := make([]string, 0, len(env.Variables))
	for k := range env.Variables {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(env.Variables[k])
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	if b.Len() > maxEnvBytes {
		return invalidParam("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %s", b.String())
	}
	return nil
}

// CreateFunction implements lambdaapi.Handler.
func (s *Service) CreateFunction(ctx context.Context, in *lambdaapi.CreateFunctionRequest) (*lambdaapi.FunctionConfiguration, error) {
	r, err := ref(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	if len(r.name) > 64 {
		return nil, invalidParam("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64", r.name)
	}
	pkg := api.ToString(in.PackageType)
	if pkg == "" {
		pkg = lambdaapi.PackageTypeZip
	}
	image := pkg == lambdaapi.PackageTypeImage
	if image && (in.Code == nil || in.Code.ImageUri == nil) {
		return nil, invalidParam("Please provide ImageUri when creating a function with packageType Image.")
	}
	if !image && in.Code != nil && in.Code.ImageUri != nil {
		return nil, invalidParam("Please don't provide ImageUri when creating a function with packageType Zip.")
	}
	if !image && (in.Runtime == nil || in.Handler == nil) {
		return nil, invalidParam("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
	}
	if e := checkEnv(in.Environment); e != nil {
		return nil, e
	}
	if len(in.Tags) > maxTags {
		return nil, invalidParam("Number of tags exceeds resource tag limit.")
	}
	if !image && (in.Code == nil || (in.Code.ZipFile == nil && in.Code.S3Bucket == nil)) {
		return nil, invalidParam("Please provide a source for function code.")
	}
	layerShas, layers, lerr := s.resolveLayers(r, in.Layers)
	if lerr != nil {
		return nil, lerr
	}
	if s.lookup(r.key()) != nil {
		return nil, conflict("Function already exist: %s", r.name)
	}
	var code storedCode
	if image {
		var ierr *api.Error
		if code, ierr = s.resolveImage(ctx, *in.Code.ImageUri); ierr != nil {
			return nil, ierr
		}
	} else {
		var cerr *api.Error
		code, cerr = s.storeCode(ctx, in.Code.ZipFile, in.Code.S3Bucket, in.Code.S3Key, in.Code.S3ObjectVersion)
		if cerr != nil {
			return nil, cerr
		}
	}
	now := s.now()
	arch := in.Architectures
	if len(arch) == 0 {
		arch = []string{lambdaapi.ArchitectureX8664}
	}
	eph := in.EphemeralStorage
	if eph == nil {
		eph = &lambdaapi.EphemeralStorage{Size: api.Int32(512)}
	}
	tracing := "PassThrough"
	if in.TracingConfig != nil && in.TracingConfig.Mode != nil {
		tracing = *in.TracingConfig.Mode
	}
	logging := &lambdaapi.LoggingConfig{LogFormat: api.String("Text"), LogGroup: api.String("/aws/lambda/" + r.name)}
	if lc := in.LoggingConfig; lc != nil {
		mergeLogging(logging, lc)
	}
	cfg := &lambdaapi.FunctionConfiguration{
		FunctionName:     api.String(r.name),
		FunctionArn:      api.String(r.arn()),
		Runtime:          in.Runtime,
		Role:             in.Role,
		Handler:          in.Handler,
		CodeSize:         api.Int64(code.size),
		CodeSha256:       api.String(code.sha256),
		Description:      api.String(api.ToString(in.Description)),
		Timeout:          api.Int32(deref32(in.Timeout, defaultTimeout)),
		MemorySize:       api.Int32(deref32(in.MemorySize, defaultMemory)),
		LastModified:     api.String(timestamp(now)),
		Version:          api.String("$LATEST"),
		RevisionId:       api.String(uuid.New()),
		State:            api.String(lambdaapi.StatePending),
		StateReason:      api.String("The function is being created."),
		StateReasonCode:  api.String("Creating"),
		PackageType:      api.String(pkg),
		Architectures:    arch,
		EphemeralStorage: eph,
		TracingConfig:    &lambdaapi.TracingConfigResponse{Mode: api.String(tracing)},
		LoggingConfig:    logging,
		SnapStart:        &lambdaapi.SnapStartResponse{ApplyOn: api.String("None"), OptimizationStatus: api.String("Off")},
		RuntimeVersionConfig: &lambdaapi.RuntimeVersionConfig{
			RuntimeVersionArn: api.String(runtimeVersionARN(r.region, api.ToString(in.Runtime))),
		},
		Layers:           layers,
		DeadLetterConfig: in.DeadLetterConfig,
		KMSKeyArn:        in.KMSKeyArn,
	}
	if in.Environment != nil {
		vars := in.Environment.Variables
		if vars == nil {
			vars = map[string]string{}
		}
		cfg.Environment = &lambdaapi.EnvironmentResponse{Variables: vars}
	}
	if image {
		cfg.CodeSha256, cfg.RuntimeVersionConfig = api.String(code.hex), nil
		if in.ImageConfig != nil {
			cfg.ImageConfigResponse = &lambdaapi.ImageConfigResponse{ImageConfig: in.ImageConfig}
		}
	}
	if in.VpcConfig != nil && (len(in.VpcConfig.SubnetIds) > 0 || len(in.VpcConfig.SecurityGroupIds) > 0) {
		cfg.VpcConfig = &lambdaapi.VpcConfigResponse{SubnetIds: in.VpcConfig.SubnetIds, SecurityGroupIds: in.VpcConfig.SecurityGroupIds, VpcId: api.String("vpc-fogbank")}
	}
	f := &function{
		Account: r.account, Region: r.region, Name: r.name,
		Latest: &fnVersion{Config: cfg, Sha: code.hex, LayerShas: layerShas, ImageURI: api.ToString(in.Code.ImageUri)},
		Tags:   in.Tags,
	}
	var out *lambdaapi.FunctionConfiguration = cfg
	if api.ToBool(in.Publish) {
		// AWS answers with the new version still Pending, under the
		// unqualified ARN (recorded: test_publish_version_on_create).
		v := *f.publishVersion(api.ToString(in.Description), now).Config
		v.FunctionArn, v.State, v.StateReason, v.StateReasonCode = cfg.FunctionArn, cfg.State, cfg.StateReason, cfg.StateReasonCode
		v.LastUpdateStatus = nil
		out = &v
	}
	out = s.answer(f, out, s.trans.pending)
	s.ctl.Lock()
	if s.lookup(r.key()) != nil {
		s.ctl.Unlock()
		return nil, conflict("Function already exist: %s", r.name)
	}
	s.prepare(f)
	if err := s.write(ctx, f, false); err != nil {
		s.ctl.Unlock()
		return nil, err
	}
	s.publish(r.key(), f)
	s.ctl.Unlock()
	s.settleLater(r.key(), s.trans.pending)
	return out, nil
}

func mergeLogging(dst *lambdaapi.LoggingConfig, lc *lambdaapi.LoggingConfig) {
	setIf(&dst.LogFormat, lc.LogFormat)
	setIf(&dst.LogGroup, lc.LogGroup)
	setIf(&dst.ApplicationLogLevel, lc.ApplicationLogLevel)
	setIf(&dst.SystemLogLevel, lc.SystemLogLevel)
	if api.ToString(dst.LogFormat) == "JSON" {
		if dst.ApplicationLogLevel == nil {
			dst.ApplicationLogLevel = api.String("INFO")
		}
		if dst.SystemLogLevel == nil {
			dst.SystemLogLevel = api.String("INFO")
		}
	} else {
		dst.ApplicationLogLevel, dst.SystemLogLevel = nil, nil
	}
}

// runtimeVersionARN is a stable stand-in for AWS's runtime version ARN.
func runtimeVersionARN(region, runtime string) string {
	h := sha256.Sum256([]byte(runtime))
	return "arn:aws:lambda:" + region + "::runtime:" + hex.EncodeToString(h[:])
}

// configFor returns what GetFunctionConfiguration answers for q: $LATEST,
// a version, or (through an alias) the version it points at, with the
// FunctionArn qualified as asked.
func (s *Service) configFor(f *function, r fnRef) (*lambdaapi.FunctionConfiguration, error) {
	q := r.qualifier
	if a := f.Aliases[q]; a != nil && !isVersionNumber(q) && q != "$LATEST" {
		v := f.version(api.ToString(a.FunctionVersion))
		if v == nil {
			return nil, fnNotFound(r.qarn())
		}
		c := *v.Config
		c.FunctionArn = api.String(r.arn() + ":" + q)
		return &c, nil
	}
	v := f.version(q)
	if v == nil {
		return nil, fnNotFound(r.qarn())
	}
	c := *v.Config
	if q != "" {
		c.FunctionArn = api.String(r.qarn())
	}
	return &c, nil
}

// GetFunctionConfiguration implements lambdaapi.Handler.
func (s *Service) GetFunctionConfiguration(ctx context.Context, in *lambdaapi.GetFunctionConfigurationRequest) (*lambdaapi.FunctionConfiguration, error) {
	r, f, err := s.existing(ctx, in.FunctionName, in.Qualifier, missingQARN)
	if err != nil {
		return nil, err
	}
	return s.configFor(f, r)
}

// GetFunction implements lambdaapi.Handler.
func (s *Service) GetFunction(ctx context.Context, in *lambdaapi.GetFunctionRequest) (*lambdaapi.GetFunctionResponse, error) {
	r, f, err := s.existing(ctx, in.FunctionName, in.Qualifier, missingQARN)
	if err != nil {
		return nil, err
	}
	c, err := s.configFor(f, r)
	if err != nil {
		return nil, err
	}
	v := f.version(api.ToString(c.Version))
	if v == nil {
		v = f.Latest
	}
	out := &lambdaapi.GetFunctionResponse{
		Configuration: c,
		Code:          &lambdaapi.FunctionCodeLocation{RepositoryType: api.String("S3"), Location: api.String(s.codeURL(v.Sha))},
	}
	if v.ImageURI != "" {
		repo, _, _ := strings.Cut(v.ImageURI, ":")
		out.Code = &lambdaapi.FunctionCodeLocation{RepositoryType: api.String("ECR"), ImageUri: api.String(v.ImageURI), ResolvedImageUri: api.String(repo + "@sha256:" + v.Sha)}
	}
	if len(f.Tags) > 0 {
		out.Tags = f.Tags
	}
	if f.Reserved != nil {
		out.Concurrency = &lambdaapi.Concurrency{ReservedConcurrentExecutions: f.Reserved}
	}
	return out, nil
}

// listed strips what list operations leave out of a configuration.
func listed(c *lambdaapi.FunctionConfiguration, arn string) *lambdaapi.FunctionConfiguration {
	o := *c
	o.State, o.StateReason, o.StateReasonCode = nil, nil, nil
	o.LastUpdateStatus, o.LastUpdateStatusReason, o.LastUpdateStatusReasonCode = nil, nil, nil
	o.RuntimeVersionConfig = nil
	if arn != "" {
		o.FunctionArn = api.String(arn)
	}
	return &o
}

// ListFunctions implements lambdaapi.Handler: $LATEST of every function in
// the scope by name (every version too with FunctionVersion ALL).
func (s *Service) ListFunctions(ctx context.Context, in *lambdaapi.ListFunctionsRequest) (*lambdaapi.ListFunctionsResponse, error) {
	c := call(ctx)
	s.mu.RLock()
	var fns []*function
	for k, f := range s.mu.fns {
		if k.account == c.Account && k.region == c.Region {
			fns = append(fns, f)
		}
	}
	s.mu.RUnlock()
	sort.Slice(fns, func(i, j int) bool { return fns[i].Name < fns[j].Name })
	all := api.ToString(in.FunctionVersion) == "ALL"
	var items []*lambdaapi.FunctionConfiguration
	for _, f := range fns {
		items = append(items, listed(f.Latest.Config, ""))
		if all {
			items[len(items)-1].FunctionArn = api.String(f.arn() + ":$LATEST")
			for _, v := range f.Versions {
				items = append(items, listed(v.Config, ""))
			}
		}
	}
	page, next, err := paginate(items, in.Marker, in.MaxItems, 50)
	if err != nil {
		return nil, err
	}
	return &lambdaapi.ListFunctionsResponse{Functions: page, NextMarker: next}, nil
}

// paginate pages items with an opaque marker (the index of the next item).
func paginate[T any](items []T, marker *string, maxItems *int32, def int) ([]T, *string, error) {
	start := 0
	if m := api.ToString(marker); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 0 || n > len(items) {
			return nil, nil, invalidParam("Invalid marker: %s", m)
		}
		start = n
	}
	limit := def
	if maxItems != nil && *maxItems > 0 && int(*maxItems) < limit {
		limit = int(*maxItems)
	}
	end := min(start+limit, len(items))
	page := items[start:end]
	if page == nil {
		page = []T{}
	}
	if end < len(items) {
		return page, api.String(strconv.Itoa(end)), nil
	}
	return page, nil, nil
}

// DeleteFunction implements lambdaapi.Handler: the whole function, or one
// published version.
func (s *Service) DeleteFunction(ctx context.Context, in *lambdaapi.DeleteFunctionRequest) (*lambdaapi.DeleteFunctionOutput, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if r.qualifier == "$LATEST" {
		return nil, invalidParam("$LATEST version cannot be deleted without deleting the function.")
	}
	if r.qualifier != "" {
		var gone *fnVersion
		_, err := s.change(ctx, r, func(f *function) *api.Error {
			for i, v := range f.Versions {
				if api.ToString(v.Config.Version) == r.qualifier {
					var users []string
					for name, a := range f.Aliases {
						if api.ToString(a.FunctionVersion) == r.qualifier {
							users = append(users, name)
						}
						if a.RoutingConfig != nil {
							if _, ok := a.RoutingConfig.AdditionalVersionWeights[r.qualifier]; ok {
								users = append(users, name)
							}
						}
					}
					if len(users) > 0 {
						sort.Strings(users)
						return conflict("Unable to delete version because the following aliases reference it: [%s]", strings.Join(users, ", "))
					}
					gone = v
					f.Versions = append(f.Versions[:i:i], f.Versions[i+1:]...)
					delete(f.Provisioned, r.qualifier)
					delete(f.EventConfigs, r.qualifier)
					delete(f.Policies, r.qualifier)
					return nil
				}
			}
			return &api.Error{Code: "absent"}
		})
		if ae, ok := err.(*api.Error); ok && ae.Code == "absent" {
			return &lambdaapi.DeleteFunctionOutput{}, nil // AWS: deleting a missing version succeeds
		}
		if err != nil {
			if ae, ok := err.(*api.Error); ok && ae.Code == "ResourceNotFoundException" {
				return nil, fnNotFound(r.arn())
			}
			return nil, err
		}
		if gone != nil && s.engine != nil {
			s.engine.Retire(gone.rt.ARN)
		}
		return &lambdaapi.DeleteFunctionOutput{}, nil
	}
	s.ctl.Lock()
	cur := s.lookup(r.key())
	if cur == nil {
		s.ctl.Unlock()
		return nil, fnNotFound(r.arn())
	}
	if err := s.write(ctx, cur, true); err != nil {
		s.ctl.Unlock()
		return nil, err
	}
	s.publish(r.key(), nil)
	s.mu.Lock()
	if t := s.mu.timers[r.key()]; t != nil {
		t.Stop()
		delete(s.mu.timers, r.key())
	}
	s.mu.Unlock()
	s.ctl.Unlock()
	s.retire(cur)
	return &lambdaapi.DeleteFunctionOutput{}, nil
}

// retire drops every environment of f.
func (s *Service) retire(f *function) {
	if s.engine == nil {
		return
	}
	for _, v := range append([]*fnVersion{f.Latest}, f.Versions...) {
		if v.rt != nil {
			s.engine.Retire(v.rt.ARN)
		}
	}
}

// UpdateFunctionCode implements lambdaapi.Handler.
func (s *Service) UpdateFunctionCode(ctx context.Context, in *lambdaapi.UpdateFunctionCodeRequest) (*lambdaapi.FunctionConfiguration, error) {
	r, err := ref(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	cur := s.lookup(r.key())
	if cur == nil {
		return nil, fnNotFound(r.arn())
	}
	image := cur.Latest.ImageURI != ""
	switch {
	case image && in.ImageUri == nil:
		return nil, invalidParam("Please provide ImageUri when updating a function with packageType Image.")
	case !image && in.ImageUri != nil:
		return nil, invalidParam("Please don't provide ImageUri when updating a function with packageType Zip.")
	case !image && in.ZipFile == nil && in.S3Bucket == nil:
		return nil, invalidParam("Please provide a source for function code.")
	}
	if e := cur.busy(); e != nil {
		return nil, e
	}
	var code storedCode
	if image {
		var ierr *api.Error
		if code, ierr = s.resolveImage(ctx, *in.ImageUri); ierr != nil {
			return nil, ierr
		}
	} else {
		var cerr *api.Error
		code, cerr = s.storeCode(ctx, in.ZipFile, in.S3Bucket, in.S3Key, in.S3ObjectVersion)
		if cerr != nil {
			return nil, cerr
		}
	}
	if api.ToBool(in.DryRun) {
		f := s.lookup(r.key())
		if f == nil {
			return nil, fnNotFound(r.arn())
		}
		c := *f.Latest.Config
		c.CodeSha256, c.CodeSize = api.String(code.sha256), api.Int64(code.size)
		return &c, nil
	}
	var out *lambdaapi.FunctionConfiguration
	f, err := s.change(ctx, r, func(f *function) *api.Error {
		if e := f.busy(); e != nil {
			return e
		}
		c := f.Latest.Config
		if in.RevisionId != nil && *in.RevisionId != api.ToString(c.RevisionId) {
			return revisionMismatch("GetFunction/GetAlias")
		}
		c.CodeSha256, c.CodeSize = api.String(code.sha256), api.Int64(code.size)
		f.Latest.Sha = code.hex
		if image {
			c.CodeSha256 = api.String(code.hex)
			f.Latest.ImageURI = api.ToString(in.ImageUri)
		}
		if len(in.Architectures) > 0 {
			c.Architectures = in.Architectures
		}
		startUpdate(c, s.now())
		out = c
		if api.ToBool(in.Publish) {
			out = f.publishVersion("", s.now()).Config
		}
		out = s.answer(f, out, s.trans.updating)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.settleLater(f.key(), s.trans.updating)
	return out, nil
}

// startUpdate marks $LATEST as being updated, as AWS reports it (the reason
// words are what AWS records, odd as they are).
func startUpdate(c *lambdaapi.FunctionConfiguration, now time.Time) {
	c.LastUpdateStatus = api.String(lambdaapi.LastUpdateStatusInProgress)
	c.LastUpdateStatusReason = api.String("The function is being created.")
	c.LastUpdateStatusReasonCode = api.String("Creating")
	c.LastModified = api.String(timestamp(now))
	c.RevisionId = api.String(uuid.New())
}

// UpdateFunctionConfiguration implements lambdaapi.Handler.
func (s *Service) UpdateFunctionConfiguration(ctx context.Context, in *lambdaapi.UpdateFunctionConfigurationRequest) (*lambdaapi.FunctionConfiguration, error) {
	r, err := ref(ctx, in.FunctionName, nil)
	if err != nil {
		return nil, err
	}
	if e := checkEnv(in.Environment); e != nil {
		return nil, e
	}
	var layerShas []string
	var layers []*lambdaapi.Layer
	if in.Layers != nil {
		var lerr *api.Error
		layerShas, layers, lerr = s.resolveLayers(r, in.Layers)
		if lerr != nil {
			return nil, lerr
		}
	}
	var out *lambdaapi.FunctionConfiguration
	f, err := s.change(ctx, r, func(f *function) *api.Error {
		if e := f.busy(); e != nil {
			return e
		}
		c := f.Latest.Config
		if in.RevisionId != nil && *in.RevisionId != api.ToString(c.RevisionId) {
			return revisionMismatch("GetFunction/GetAlias")
		}
		setIf(&c.Role, in.Role)
		setIf(&c.Handler, in.Handler)
		setIf(&c.Description, in.Description)
		setIf(&c.Timeout, in.Timeout)
		setIf(&c.MemorySize, in.MemorySize)
		if in.Runtime != nil {
			c.Runtime = in.Runtime
			c.RuntimeVersionConfig = &lambdaapi.RuntimeVersionConfig{RuntimeVersionArn: api.String(runtimeVersionARN(r.region, *in.Runtime))}
		}
		if in.Environment != nil {
			vars := in.Environment.Variables
			if vars == nil {
				vars = map[string]string{}
			}
			c.Environment = &lambdaapi.EnvironmentResponse{Variables: vars}
		}
		setIf(&c.DeadLetterConfig, in.DeadLetterConfig)
		setIf(&c.KMSKeyArn, in.KMSKeyArn)
		if in.TracingConfig != nil && in.TracingConfig.Mode != nil {
			c.TracingConfig = &lambdaapi.TracingConfigResponse{Mode: in.TracingConfig.Mode}
		}
		if in.Layers != nil {
			c.Layers = layers
			f.Latest.LayerShas = layerShas
		}
		setIf(&c.EphemeralStorage, in.EphemeralStorage)
		if in.ImageConfig != nil {
			c.ImageConfigResponse = &lambdaapi.ImageConfigResponse{ImageConfig: in.ImageConfig}
		}
		if in.LoggingConfig != nil {
			if c.LoggingConfig == nil {
				c.LoggingConfig = &lambdaapi.LoggingConfig{}
			}
			mergeLogging(c.LoggingConfig, in.LoggingConfig)
		}
		if in.VpcConfig != nil {
			if len(in.VpcConfig.SubnetIds) == 0 && len(in.VpcConfig.SecurityGroupIds) == 0 {
				c.VpcConfig = nil
			} else {
				c.VpcConfig = &lambdaapi.VpcConfigResponse{SubnetIds: in.VpcConfig.SubnetIds, SecurityGroupIds: in.VpcConfig.SecurityGroupIds, VpcId: api.String("vpc-fogbank")}
			}
		}
		startUpdate(c, s.now())
		out = s.answer(f, c, s.trans.updating)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.settleLater(f.key(), s.trans.updating)
	return out, nil
}

// setIf sets *dst to v when v is given (a partial update).
func setIf[T any](dst **T, v *T) {
	if v != nil {
		*dst = v
	}
}
