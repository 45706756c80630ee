package lambda

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/api"
	lambdaapi "github.com/fogbank/fogbank/internal/api/lambda"
	"github.com/fogbank/fogbank/internal/uuid"
)

// policy is a resource policy: statements in the order added, and the
// revision id GetPolicy reports (and AddPermission's RevisionId checks).
type policy struct {
	Statements []statement `json:"statements"`
	RevisionID string      `json:"revisionId"`
}

// statement is one policy statement; field order is AWS's.
type statement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal json.RawMessage              `json:"Principal"`
	Action    string                       `json:"Action"`
	Resource  string                       `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
	// order keeps condition keys in AWS's order when rendered.
	Order []string `json:"order,omitempty"`
}

// MarshalJSON renders the statement as AWS does, condition keys in order.
func (st statement) render() string {
	var b strings.Builder
	w := func(k string, v any) {
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('{')
	w("Sid", st.Sid)
	b.WriteByte(',')
	w("Effect", st.Effect)
	b.WriteByte(',')
	b.WriteString(`"Principal":`)
	b.Write(st.Principal)
	b.WriteByte(',')
	w("Action", st.Action)
	b.WriteByte(',')
	w("Resource", st.Resource)
	if len(st.Condition) > 0 {
		b.WriteString(`,"Condition":{`)
		ops := []string{"StringEquals", "ArnLike"}
		first := true
		for _, op := range ops {
			m := st.Condition[op]
			if len(m) == 0 {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			opb, _ := json.Marshal(op)
			b.Write(opb)
			b.WriteString(":{")
			keys := make([]string, 0, len(m))
			for _, k := range st.Order {
				if _, ok := m[k]; ok {
					keys = append(keys, k)
				}
			}
			for k := range m {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
			for i, k := range keys {
				if i > 0 {
					b.WriteByte(',')
				}
				w(k, m[k])
			}
			b.WriteByte('}')
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.String()
}

func (p *policy) find(sid string) int {
	for i, st := range p.Statements {
		if st.Sid == sid {
			return i
		}
	}
	return -1
}

// document is the policy JSON GetPolicy returns.
func (p *policy) document(_ string) string {
	parts := make([]string, len(p.Statements))
	for i, st := range p.Statements {
		parts[i] = st.render()
	}
	return `{"Version":"2012-10-17","Id":"default","Statement":[` + strings.Join(parts, ",") + `]}`
}

var accountRE = regexp.MustCompile(`^\d{12}$`)

// principalJSON renders a principal as AWS stores it.
func principalJSON(p string) json.RawMessage {
	var v any
	switch {
	case p == "*":
		v = "*"
	case accountRE.MatchString(p):
		v = map[string]string{"AWS": "arn:aws:iam::" + p + ":root"}
	case strings.HasPrefix(p, "arn:"):
		v = map[string]string{"AWS": p}
	default:
		v = map[string]string{"Service": p}
	}
	b, _ := json.Marshal(v)
	return b
}

func validPrincipal(p string) bool {
	return p == "*" || accountRE.MatchString(p) || strings.HasPrefix(p, "arn:") ||
		strings.HasSuffix(p, ".amazonaws.com") || strings.HasSuffix(p, ".amazon.com") || strings.HasSuffix(p, ".amazonaws.com.cn")
}

// policyTarget resolves the qualifier a permission applies to: "" for the
// function, a version or an alias, with AWS's errors.
func policyTarget(f *function, r fnRef) *api.Error {
	q := r.qualifier
	switch {
	case q == "":
		return nil
	case q == "$LATEST":
		return invalidParam("We currently do not support adding policies for $LATEST.")
	case isVersionNumber(q):
		if f.version(q) == nil {
			return fnNotFound(r.qarn())
		}
	default:
		if f.Aliases[q] == nil {
			return aliasNotFound(r.qarn())
		}
	}
	return nil
}

// AddPermission implements lambdaapi.Handler.
func (s *Service) AddPermission(ctx context.Context, in *lambdaapi.AddPermissionRequest) (*lambdaapi.AddPermissionResponse, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if r.qualifier == "$LATEST" {
		return nil, invalidParam("We currently do not support adding policies for $LATEST.")
	}
	principal := api.ToString(in.Principal)
	if !validPrincipal(principal) {
		return nil, invalidParam("The provided principal was invalid. Please check the principal and try again.")
	}
	var out string
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		if e := policyTarget(f, r); e != nil {
			return e
		}
		if f.Policies == nil {
			f.Policies = map[string]*policy{}
		}
		p := f.Policies[r.qualifier]
		if p == nil {
			p = &policy{}
		}
		if in.RevisionId != nil {
			if p.RevisionID == "" || *in.RevisionId != p.RevisionID {
				return revisionMismatch("GetPolicy")
			}
		}
		sid := api.ToString(in.StatementId)
		if p.find(sid) >= 0 {
			return conflict("The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", sid)
		}
		st := statement{Sid: sid, Effect: "Allow", Principal: principalJSON(principal), Action: api.ToString(in.Action), Resource: r.qarn()}
		cond := map[string]map[string]string{}
		add := func(op, k string, v *string) {
			if v == nil {
				return
			}
			if cond[op] == nil {
				cond[op] = map[string]string{}
			}
			cond[op][k] = *v
			st.Order = append(st.Order, k)
		}
		add("StringEquals", "AWS:SourceAccount", in.SourceAccount)
		add("StringEquals", "lambda:FunctionUrlAuthType", in.FunctionUrlAuthType)
		add("StringEquals", "aws:PrincipalOrgID", in.PrincipalOrgID)
		add("StringEquals", "lambda:EventSourceToken", in.EventSourceToken)
		add("ArnLike", "AWS:SourceArn", in.SourceArn)
		if len(cond) > 0 {
			st.Condition = cond
		}
		p.Statements = append(p.Statements, st)
		p.RevisionID = uuid.New()
		f.Policies[r.qualifier] = p
		out = st.render()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.AddPermissionResponse{Statement: api.String(out)}, nil
}

// GetPolicy implements lambdaapi.Handler.
func (s *Service) GetPolicy(ctx context.Context, in *lambdaapi.GetPolicyRequest) (*lambdaapi.GetPolicyResponse, error) {
	r, f, err := s.existing(ctx, in.FunctionName, in.Qualifier, func(r fnRef) *api.Error { return resourceMissing() })
	if err != nil {
		return nil, err
	}
	p := f.Policies[r.qualifier]
	if p == nil || len(p.Statements) == 0 {
		return nil, resourceMissing()
	}
	return &lambdaapi.GetPolicyResponse{Policy: api.String(p.document(r.qarn())), RevisionId: api.String(p.RevisionID)}, nil
}

// RemovePermission implements lambdaapi.Handler.
func (s *Service) RemovePermission(ctx context.Context, in *lambdaapi.RemovePermissionRequest) (*lambdaapi.RemovePermissionOutput, error) {
	r, err := ref(ctx, in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if s.lookup(r.key()) == nil {
		return nil, notFound("No policy found for: %s", r.qarn())
	}
	_, err = s.change(ctx, r, func(f *function) *api.Error {
		if r.qualifier != "" && r.qualifier != "$LATEST" {
			if e := policyTarget(f, r); e != nil {
				return e
			}
		}
		p := f.Policies[r.qualifier]
		if p == nil || len(p.Statements) == 0 {
			return notFound("No policy is associated with the given resource.")
		}
		if in.RevisionId != nil && *in.RevisionId != p.RevisionID {
			return revisionMismatch("GetPolicy")
		}
		i := p.find(api.ToString(in.StatementId))
		if i < 0 {
			return notFound("Statement %s is not found in resource policy.", api.ToString(in.StatementId))
		}
		p.Statements = slices.Delete(p.Statements, i, i+1)
		p.RevisionID = uuid.New()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &lambdaapi.RemovePermissionOutput{}, nil
}
