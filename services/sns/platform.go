package sns

import (
	"context"
	"regexp"
	"sort"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	snsapi "github.com/fogbank/fogbank/internal/api/sns"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/uuid"
)

// Mobile push (platform applications and endpoints) and SMS settings are
// stored; what would be pushed or texted goes to the outbox.

type platformApp struct {
	ARN, Account, Region, Name, Platform string
	Attrs                                map[string]string
}

type platformEndpoint struct {
	ARN, AppARN string
	Attrs       map[string]string
}

// smsSettings are an account's SMS attributes in one region, and the
// numbers that opted out.
type smsSettings struct {
	Account, Region string
	Attrs           map[string]string
	OptedOut        []string
	Sandbox         map[string]string // phone number → status
}

var platforms = map[string]bool{"ADM": true, "APNS": true, "APNS_SANDBOX": true, "GCM": true,
	"BAIDU": true, "MPNS": true, "WNS": true, "APNS_VOIP": true, "APNS_VOIP_SANDBOX": true}

var appNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// CreatePlatformApplication stores an application.
func (s *Service) CreatePlatformApplication(ctx context.Context, in *snsapi.CreatePlatformApplicationInput) (*snsapi.CreatePlatformApplicationResponse, error) {
	c := call(ctx)
	name, platform := api.ToString(in.Name), api.ToString(in.Platform)
	switch {
	case name == "":
		return nil, invalidParam(" Reason: cannot be empty")
	case len(name) > 256:
		return nil, invalidParam("%s Reason: must be at most 256 characters long", name)
	case !appNameRE.MatchString(name):
		return nil, invalidParam("%s Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'", name)
	}
	if !platforms[platform] {
		return nil, invalidParam("Platform Reason: %s is not supported", platform)
	}
	if in.Attributes == nil {
		return nil, api.NewValidationError("1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null")
	}
	if err := checkAppAttrs(in.Attributes); err != nil {
		return nil, err
	}
	arn := "arn:" + partition(c.Region) + ":sns:" + c.Region + ":" + c.Account + ":app/" + platform + "/" + name
	a := &platformApp{ARN: arn, Account: c.Account, Region: c.Region, Name: name, Platform: platform, Attrs: map[string]string{"Enabled": "true"}}
	for k, v := range in.Attributes {
		if k != "PlatformCredential" && k != "PlatformPrincipal" {
			a.Attrs[k] = v
		}
	}
	var b store.Batch
	if err := putJSON(&b, appKey(arn), a); err != nil {
		return nil, err
	}
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.mu.apps[arn] = a
	s.mu.Unlock()
	return &snsapi.CreatePlatformApplicationResponse{PlatformApplicationArn: api.String(arn)}, nil
}

func checkAppAttrs(attrs map[string]string) error {
	_, cred := attrs["PlatformCredential"]
	_, princ := attrs["PlatformPrincipal"]
	switch {
	case princ && !cred:
		return invalidParam("Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential")
	case cred && !princ && len(attrs) > 1:
		return invalidParam("Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal")
	}
	return nil
}

func (s *Service) appFor(arn *string) (*platformApp, error) {
	a := api.ToString(arn)
	if _, err := arnParts("PlatformApplicationArn", a); err != nil {
		return nil, err
	}
	s.mu.RLock()
	app := s.mu.apps[a]
	s.mu.RUnlock()
	if app == nil {
		return nil, snsapi.NewNotFoundException("PlatformApplication does not exist")
	}
	return app, nil
}

// GetPlatformApplicationAttributes returns an application's attributes.
func (s *Service) GetPlatformApplicationAttributes(ctx context.Context, in *snsapi.GetPlatformApplicationAttributesInput) (*snsapi.GetPlatformApplicationAttributesResponse, error) {
	a, err := s.appFor(in.PlatformApplicationArn)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &snsapi.GetPlatformApplicationAttributesResponse{Attributes: copyMap(a.Attrs)}, nil
}

// SetPlatformApplicationAttributes changes an application's attributes.
func (s *Service) SetPlatformApplicationAttributes(ctx context.Context, in *snsapi.SetPlatformApplicationAttributesInput) (*snsapi.SetPlatformApplicationAttributesOutput, error) {
	a, err := s.appFor(in.PlatformApplicationArn)
	if err != nil {
		return nil, err
	}
	if err := checkAppAttrs(in.Attributes); err != nil {
		return nil, err
	}
	s.mu.RLock()
	cp := *a
	cp.Attrs = copyMap(a.Attrs)
	s.mu.RUnlock()
	for k, v := range in.Attributes {
		if k != "PlatformCredential" && k != "PlatformPrincipal" {
			cp.Attrs[k] = v
		}
	}
	var b store.Batch
	if err := putJSON(&b, appKey(a.ARN), &cp); err != nil {
		return nil, err
	}
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	a.Attrs = cp.Attrs
	s.mu.Unlock()
	return &snsapi.SetPlatformApplicationAttributesOutput{}, nil
}

// DeletePlatformApplication deletes an application and its endpoints.
func (s *Service) DeletePlatformApplication(ctx context.Context, in *snsapi.DeletePlatformApplicationInput) (*snsapi.DeletePlatformApplicationOutput, error) {
	a := api.ToString(in.PlatformApplicationArn)
	if _, err := arnParts("PlatformApplicationArn", a); err != nil {
		return nil, err
	}
	var b store.Batch
	b.Delete(appKey(a))
	s.mu.RLock()
	var eps []string
	for arn, e := range s.mu.eps {
		if e.AppARN == a {
			eps = append(eps, arn)
			b.Delete(endpointKey(arn))
		}
	}
	s.mu.RUnlock()
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	delete(s.mu.apps, a)
	for _, e := range eps {
		delete(s.mu.eps, e)
	}
	s.mu.Unlock()
	return &snsapi.DeletePlatformApplicationOutput{}, nil
}

// ListPlatformApplications lists the account's applications in the region.
func (s *Service) ListPlatformApplications(ctx context.Context, in *snsapi.ListPlatformApplicationsInput) (*snsapi.ListPlatformApplicationsResponse, error) {
	s.mu.RLock()
	arns := inScope(ctx, s.mu.apps, func(a *platformApp) (string, string) { return a.Account, a.Region })
	s.mu.RUnlock()
	page, next := paginate(arns, in.NextToken)
	out := &snsapi.ListPlatformApplicationsResponse{PlatformApplications: []*snsapi.PlatformApplication{}, NextToken: next}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, arn := range page {
		out.PlatformApplications = append(out.PlatformApplications, &snsapi.PlatformApplication{
			PlatformApplicationArn: api.String(arn), Attributes: copyMap(s.mu.apps[arn].Attrs)})
	}
	return out, nil
}

var endpointAttrNames = map[string]bool{"CustomUserData": true, "Enabled": true, "Token": true}

func checkEndpointAttrs(attrs map[string]string) error {
	for k, v := range attrs {
		if !endpointAttrNames[k] {
			return invalidParam("Attributes Reason: Invalid attribute name: %s", k)
		}
		if k == "CustomUserData" && len(v) > 2048 {
			return invalidParam("Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding")
		}
	}
	return nil
}

// CreatePlatformEndpoint stores a device endpoint; the same token with the
// same attributes returns the existing one.
func (s *Service) CreatePlatformEndpoint(ctx context.Context, in *snsapi.CreatePlatformEndpointInput) (*snsapi.CreateEndpointResponse, error) {
	a, err := s.appFor(in.PlatformApplicationArn)
	if err != nil {
		return nil, err
	}
	if err := checkEndpointAttrs(in.Attributes); err != nil {
		return nil, err
	}
	token := api.ToString(in.Token)
	attrs := map[string]string{"Enabled": "true", "Token": token}
	for k, v := range in.Attributes {
		attrs[k] = v
	}
	if in.CustomUserData != nil {
		attrs["CustomUserData"] = *in.CustomUserData
	}
	s.mu.RLock()
	for _, e := range s.mu.eps {
		if e.AppARN == a.ARN && e.Attrs["Token"] == token {
			same := len(e.Attrs) == len(attrs)
			for k, v := range attrs {
				if e.Attrs[k] != v {
					same = false
				}
			}
			arn := e.ARN
			s.mu.RUnlock()
			if !same {
				return nil, invalidParam("Token Reason: Endpoint %s already exists with the same Token, but different attributes.", arn)
			}
			return &snsapi.CreateEndpointResponse{EndpointArn: api.String(arn)}, nil
		}
	}
	s.mu.RUnlock()
	arn := "arn:" + partition(a.Region) + ":sns:" + a.Region + ":" + a.Account + ":endpoint/" + a.Platform + "/" + a.Name + "/" + uuid.New()
	e := &platformEndpoint{ARN: arn, AppARN: a.ARN, Attrs: attrs}
	var b store.Batch
	if err := putJSON(&b, endpointKey(arn), e); err != nil {
		return nil, err
	}
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.mu.eps[arn] = e
	s.mu.Unlock()
	return &snsapi.CreateEndpointResponse{EndpointArn: api.String(arn)}, nil
}

func (s *Service) endpointFor(arn *string) (*platformEndpoint, error) {
	a := api.ToString(arn)
	if _, err := arnParts("EndpointArn", a); err != nil {
		return nil, err
	}
	if i := strings.Index(a, ":endpoint/"); i < 0 || strings.Count(a[i:], "/") != 3 {
		return nil, invalidParam("EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.")
	}
	s.mu.RLock()
	e := s.mu.eps[a]
	s.mu.RUnlock()
	if e == nil {
		return nil, snsapi.NewNotFoundException("Endpoint does not exist")
	}
	return e, nil
}

// GetEndpointAttributes returns an endpoint's attributes.
func (s *Service) GetEndpointAttributes(ctx context.Context, in *snsapi.GetEndpointAttributesInput) (*snsapi.GetEndpointAttributesResponse, error) {
	e, err := s.endpointFor(in.EndpointArn)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &snsapi.GetEndpointAttributesResponse{Attributes: copyMap(e.Attrs)}, nil
}

// SetEndpointAttributes changes an endpoint's attributes.
func (s *Service) SetEndpointAttributes(ctx context.Context, in *snsapi.SetEndpointAttributesInput) (*snsapi.SetEndpointAttributesOutput, error) {
	e, err := s.endpointFor(in.EndpointArn)
	if err != nil {
		return nil, err
	}
	if err := checkEndpointAttrs(in.Attributes); err != nil {
		return nil, err
	}
	s.mu.RLock()
	cp := *e
	cp.Attrs = copyMap(e.Attrs)
	s.mu.RUnlock()
	for k, v := range in.Attributes {
		cp.Attrs[k] = v
	}
	var b store.Batch
	if err := putJSON(&b, endpointKey(e.ARN), &cp); err != nil {
		return nil, err
	}
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	e.Attrs = cp.Attrs
	s.mu.Unlock()
	return &snsapi.SetEndpointAttributesOutput{}, nil
}

// DeleteEndpoint deletes an endpoint; an unknown one is not an error.
func (s *Service) DeleteEndpoint(ctx context.Context, in *snsapi.DeleteEndpointInput) (*snsapi.DeleteEndpointOutput, error) {
	a := api.ToString(in.EndpointArn)
	var b store.Batch
	b.Delete(endpointKey(a))
	if err := s.apply(ctx, &b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	delete(s.mu.eps, a)
	s.mu.Unlock()
	return &snsapi.DeleteEndpointOutput{}, nil
}

// ListEndpointsByPlatformApplication lists an application's endpoints.
func (s *Service) ListEndpointsByPlatformApplication(ctx context.Context, in *snsapi.ListEndpointsByPlatformApplicationInput) (*snsapi.ListEndpointsByPlatformApplicationResponse, error) {
	a, err := s.appFor(in.PlatformApplicationArn)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	var arns []string
	for arn, e := range s.mu.eps {
		if e.AppARN == a.ARN {
			arns = append(arns, arn)
		}
	}
	s.mu.RUnlock()
	sort.Strings(arns)
	page, next := paginate(arns, in.NextToken)
	out := &snsapi.ListEndpointsByPlatformApplicationResponse{Endpoints: []*snsapi.Endpoint{}, NextToken: next}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, arn := range page {
		if e := s.mu.eps[arn]; e != nil {
			out.Endpoints = append(out.Endpoints, &snsapi.Endpoint{EndpointArn: api.String(arn), Attributes: copyMap(e.Attrs)})
		}
	}
	return out, nil
}

// publishEndpoint publishes to one device endpoint: recorded in the outbox.
func (s *Service) publishEndpoint(ctx context.Context, target string, e publishEntry) (*snsapi.PublishResponse, error) {
	s.mu.RLock()
	ep := s.mu.eps[target]
	s.mu.RUnlock()
	if ep == nil {
		return nil, invalidParam("TargetArn Reason: No endpoint found for the target arn specified")
	}
	if ep.Attrs["Enabled"] == "false" {
		return nil, snsapi.NewEndpointDisabledException("Endpoint is disabled")
	}
	n, err := s.prepare(&topic{ARN: target}, e, false)
	if err != nil {
		return nil, err
	}
	sub := &subscription{Protocol: "application", Endpoint: target}
	if err := s.recordOutbox(ctx, s.notificationOutbox(sub, n)); err != nil {
		return nil, err
	}
	return &snsapi.PublishResponse{MessageId: api.String(n.MessageID)}, nil
}

// publishSMS publishes to a phone number: recorded in the outbox.
func (s *Service) publishSMS(ctx context.Context, phone string, e publishEntry) (*snsapi.PublishResponse, error) {
	if !strings.HasPrefix(phone, "+") || !phoneRE.MatchString(phone) {
		return nil, invalidParam("PhoneNumber Reason: %s is not valid to publish to", phone)
	}
	n, err := s.prepare(&topic{}, e, false)
	if err != nil {
		return nil, err
	}
	sub := &subscription{Protocol: "sms", Endpoint: phone}
	if err := s.recordOutbox(ctx, s.notificationOutbox(sub, n)); err != nil {
		return nil, err
	}
	return &snsapi.PublishResponse{MessageId: api.String(n.MessageID)}, nil
}

func (s *Service) recordOutbox(ctx context.Context, e outboxEntry) error {
	var b store.Batch
	e, err := s.addOutbox(&b, e)
	if err != nil {
		return err
	}
	if err := s.apply(ctx, &b); err != nil {
		return err
	}
	s.installOutbox([]outboxEntry{e})
	return nil
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// SMS settings.

var smsAttrNames = map[string]bool{"MonthlySpendLimit": true, "DeliveryStatusIAMRole": true,
	"DeliveryStatusSuccessSamplingRate": true, "DefaultSenderID": true, "DefaultSMSType": true,
	"UsageReportS3Bucket": true}

var senderIDRE = regexp.MustCompile(`^[A-Za-z0-9]{1,11}$`)

func (s *Service) smsFor(ctx context.Context) smsSettings {
	c := call(ctx)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if m := s.mu.sms[c.Account+"/"+c.Region]; m != nil {
		cp := *m
		cp.Attrs = copyMap(m.Attrs)
		cp.OptedOut = append([]string(nil), m.OptedOut...)
		cp.Sandbox = copyMap(m.Sandbox)
		return cp
	}
	return smsSettings{Account: c.Account, Region: c.Region, Attrs: map[string]string{"MonthlySpendLimit": "1"}, Sandbox: map[string]string{}}
}

func (s *Service) saveSMS(ctx context.Context, m smsSettings) error {
	var b store.Batch
	if err := putJSON(&b, smsKey(m.Account, m.Region), &m); err != nil {
		return err
	}
	if err := s.apply(ctx, &b); err != nil {
		return err
	}
	s.mu.Lock()
	s.mu.sms[m.Account+"/"+m.Region] = &m
	s.mu.Unlock()
	return nil
}

// SetSMSAttributes sets account SMS attributes.
func (s *Service) SetSMSAttributes(ctx context.Context, in *snsapi.SetSMSAttributesInput) (*snsapi.SetSMSAttributesResponse, error) {
	for k, v := range in.Attributes {
		if !smsAttrNames[k] {
			return nil, invalidParamRaw(k + " is not a valid attribute")
		}
		switch k {
		case "DefaultSenderID":
			if !senderIDRE.MatchString(v) || strings.Trim(v, "0123456789") == "" {
				return nil, invalidParamRaw("DefaultSendID is not a valid attribute")
			}
		case "DefaultSMSType":
			if v != "Promotional" && v != "Transactional" {
				return nil, invalidParamRaw("DefaultSMSType is invalid")
			}
		}
	}
	m := s.smsFor(ctx)
	for k, v := range in.Attributes {
		m.Attrs[k] = v
	}
	if err := s.saveSMS(ctx, m); err != nil {
		return nil, err
	}
	return &snsapi.SetSMSAttributesResponse{}, nil
}

// GetSMSAttributes returns the named (or all) SMS attributes.
func (s *Service) GetSMSAttributes(ctx context.Context, in *snsapi.GetSMSAttributesInput) (*snsapi.GetSMSAttributesResponse, error) {
	m := s.smsFor(ctx)
	if len(in.Attributes) == 0 {
		return &snsapi.GetSMSAttributesResponse{Attributes: m.Attrs}, nil
	}
	out := map[string]string{}
	for _, k := range in.Attributes {
		if v, ok := m.Attrs[k]; ok {
			out[k] = v
		}
	}
	return &snsapi.GetSMSAttributesResponse{Attributes: out}, nil
}

// CheckIfPhoneNumberIsOptedOut reports whether a number opted out.
func (s *Service) CheckIfPhoneNumberIsOptedOut(ctx context.Context, in *snsapi.CheckIfPhoneNumberIsOptedOutInput) (*snsapi.CheckIfPhoneNumberIsOptedOutResponse, error) {
	p := api.ToString(in.PhoneNumber)
	if !phoneRE.MatchString(p) {
		return nil, invalidParam("PhoneNumber Reason: input incorrectly formatted")
	}
	m := s.smsFor(ctx)
	for _, o := range m.OptedOut {
		if o == p {
			return &snsapi.CheckIfPhoneNumberIsOptedOutResponse{IsOptedOut: api.Bool(true)}, nil
		}
	}
	return &snsapi.CheckIfPhoneNumberIsOptedOutResponse{IsOptedOut: api.Bool(false)}, nil
}

// ListPhoneNumbersOptedOut lists opted-out numbers.
func (s *Service) ListPhoneNumbersOptedOut(ctx context.Context, in *snsapi.ListPhoneNumbersOptedOutInput) (*snsapi.ListPhoneNumbersOptedOutResponse, error) {
	m := s.smsFor(ctx)
	return &snsapi.ListPhoneNumbersOptedOutResponse{PhoneNumbers: append([]string{}, m.OptedOut...)}, nil
}

// OptInPhoneNumber removes a number from the opted-out list.
func (s *Service) OptInPhoneNumber(ctx context.Context, in *snsapi.OptInPhoneNumberInput) (*snsapi.OptInPhoneNumberResponse, error) {
	p := api.ToString(in.PhoneNumber)
	if !phoneRE.MatchString(p) {
		return nil, invalidParam("PhoneNumber Reason: input incorrectly formatted")
	}
	m := s.smsFor(ctx)
	var keep []string
	for _, o := range m.OptedOut {
		if o != p {
			keep = append(keep, o)
		}
	}
	if len(keep) != len(m.OptedOut) {
		m.OptedOut = keep
		if err := s.saveSMS(ctx, m); err != nil {
			return nil, err
		}
	}
	return &snsapi.OptInPhoneNumberResponse{}, nil
}

// GetSMSSandboxAccountStatus: Fogbank accounts are out of the sandbox.
func (s *Service) GetSMSSandboxAccountStatus(ctx context.Context, _ *snsapi.GetSMSSandboxAccountStatusInput) (*snsapi.GetSMSSandboxAccountStatusResult, error) {
	return &snsapi.GetSMSSandboxAccountStatusResult{IsInSandbox: api.Bool(false)}, nil
}

// CreateSMSSandboxPhoneNumber adds a pending sandbox number; the one-time
// password that AWS would text is recorded in the outbox.
func (s *Service) CreateSMSSandboxPhoneNumber(ctx context.Context, in *snsapi.CreateSMSSandboxPhoneNumberInput) (*snsapi.CreateSMSSandboxPhoneNumberResult, error) {
	p := api.ToString(in.PhoneNumber)
	m := s.smsFor(ctx)
	m.Sandbox[p] = snsapi.SMSSandboxPhoneNumberVerificationStatusPending
	if err := s.saveSMS(ctx, m); err != nil {
		return nil, err
	}
	_ = s.recordOutbox(ctx, outboxEntry{Protocol: "sms", Endpoint: p, Type: "SandboxVerification", MessageID: uuid.New(),
		Message: "Your Amazon SNS verification code is 123456", Timestamp: timestamp(s.now())})
	return &snsapi.CreateSMSSandboxPhoneNumberResult{}, nil
}

// VerifySMSSandboxPhoneNumber verifies a sandbox number (code 123456).
func (s *Service) VerifySMSSandboxPhoneNumber(ctx context.Context, in *snsapi.VerifySMSSandboxPhoneNumberInput) (*snsapi.VerifySMSSandboxPhoneNumberResult, error) {
	p := api.ToString(in.PhoneNumber)
	m := s.smsFor(ctx)
	if _, ok := m.Sandbox[p]; !ok {
		return nil, snsapi.NewResourceNotFoundException("Phone number does not exist in the sandbox")
	}
	if api.ToString(in.OneTimePassword) != "123456" {
		return nil, snsapi.NewVerificationException("Invalid one-time password")
	}
	m.Sandbox[p] = snsapi.SMSSandboxPhoneNumberVerificationStatusVerified
	if err := s.saveSMS(ctx, m); err != nil {
		return nil, err
	}
	return &snsapi.VerifySMSSandboxPhoneNumberResult{}, nil
}

// DeleteSMSSandboxPhoneNumber removes a sandbox number.
func (s *Service) DeleteSMSSandboxPhoneNumber(ctx context.Context, in *snsapi.DeleteSMSSandboxPhoneNumberInput) (*snsapi.DeleteSMSSandboxPhoneNumberResult, error) {
	p := api.ToString(in.PhoneNumber)
	m := s.smsFor(ctx)
	if _, ok := m.Sandbox[p]; !ok {
		return nil, snsapi.NewResourceNotFoundException("Phone number does not exist in the sandbox")
	}
	delete(m.Sandbox, p)
	if err := s.saveSMS(ctx, m); err != nil {
		return nil, err
	}
	return &snsapi.DeleteSMSSandboxPhoneNumberResult{}, nil
}

// ListSMSSandboxPhoneNumbers lists sandbox numbers.
func (s *Service) ListSMSSandboxPhoneNumbers(ctx context.Context, in *snsapi.ListSMSSandboxPhoneNumbersInput) (*snsapi.ListSMSSandboxPhoneNumbersResult, error) {
	m := s.smsFor(ctx)
	var ps []string
	for p := range m.Sandbox {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	out := &snsapi.ListSMSSandboxPhoneNumbersResult{PhoneNumbers: []*snsapi.SMSSandboxPhoneNumber{}}
	for _, p := range ps {
		out.PhoneNumbers = append(out.PhoneNumbers, &snsapi.SMSSandboxPhoneNumber{PhoneNumber: api.String(p), Status: api.String(m.Sandbox[p])})
	}
	return out, nil
}

// ListOriginationNumbers: Fogbank owns no origination numbers.
func (s *Service) ListOriginationNumbers(ctx context.Context, _ *snsapi.ListOriginationNumbersRequest) (*snsapi.ListOriginationNumbersResult, error) {
	return &snsapi.ListOriginationNumbersResult{PhoneNumbers: []*snsapi.PhoneNumberInformation{}}, nil
}
