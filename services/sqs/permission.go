package sqs

import (
	"context"
	"encoding/json"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
)

// AddPermission and RemovePermission edit the queue's Policy attribute the
// way AWS does: one statement per label (its Sid), in a policy with Id
// "<queue ARN>/SQSDefaultPolicy"; removing the last statement removes the
// policy (recorded: test_sqs_permission_lifecycle). Policies are stored and
// returned; they are enforced once auth lands.

type policyDoc struct {
	Version   string            `json:"Version"`
	ID        string            `json:"Id,omitempty"`
	Statement []json.RawMessage `json:"Statement"`
}

type permissionStatement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal"`
	Action    any            `json:"Action"`
	Resource  string         `json:"Resource"`
}

// statementSid returns a raw statement's Sid.
func statementSid(raw json.RawMessage) string {
	var s struct{ Sid string }
	_ = json.Unmarshal(raw, &s)
	return s.Sid
}

// AddPermission adds a statement allowing accounts to call actions.
func (s *Service) AddPermission(ctx context.Context, in *sqsapi.AddPermissionRequest) (*sqsapi.AddPermissionOutput, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	label := api.ToString(in.Label)
	var principals []string
	for _, a := range in.AWSAccountIds {
		principals = append(principals, "arn:"+partition(q.key.region)+":iam::"+a+":root")
	}
	var actions []string
	for _, a := range in.Actions {
		actions = append(actions, "SQS:"+a)
	}
	st := permissionStatement{Sid: label, Effect: "Allow", Resource: q.arn, Principal: map[string]any{}}
	if len(principals) == 1 {
		st.Principal["AWS"] = principals[0]
	} else {
		st.Principal["AWS"] = principals
	}
	if len(actions) == 1 {
		st.Action = actions[0]
	} else {
		st.Action = actions
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	var refused error
	err = s.updateQueue(ctx, q, func() {
		doc := policyDoc{Version: "2008-10-17", ID: q.arn + "/SQSDefaultPolicy"}
		if p := q.mu.attrs["Policy"]; p != "" {
			_ = json.Unmarshal([]byte(p), &doc)
		}
		for _, x := range doc.Statement {
			if statementSid(x) == label {
				refused = invalidParam(label, "Label", "Already exists.")
				return
			}
		}
		doc.Statement = append(doc.Statement, raw)
		v, _ := json.Marshal(doc)
		q.setAttrsLocked(map[string]string{"Policy": string(v)})
	})
	if refused != nil {
		return nil, refused
	}
	if err != nil {
		return nil, err
	}
	return &sqsapi.AddPermissionOutput{}, nil
}

// RemovePermission removes the statement with the label.
func (s *Service) RemovePermission(ctx context.Context, in *sqsapi.RemovePermissionRequest) (*sqsapi.RemovePermissionOutput, error) {
	q, err := s.queueForURL(ctx, in.QueueUrl)
	if err != nil {
		return nil, err
	}
	label := api.ToString(in.Label)
	var refused error
	err = s.updateQueue(ctx, q, func() {
		var doc policyDoc
		if p := q.mu.attrs["Policy"]; p != "" {
			_ = json.Unmarshal([]byte(p), &doc)
		}
		kept := doc.Statement[:0:0]
		for _, x := range doc.Statement {
			if statementSid(x) != label {
				kept = append(kept, x)
			}
		}
		if len(kept) == len(doc.Statement) {
			refused = invalidParam(label, "Label", "can't find label.")
			return
		}
		if len(kept) == 0 {
			q.setAttrsLocked(map[string]string{"Policy": ""})
			return
		}
		doc.Statement = kept
		v, _ := json.Marshal(doc)
		q.setAttrsLocked(map[string]string{"Policy": string(v)})
	})
	if refused != nil {
		return nil, refused
	}
	if err != nil {
		return nil, err
	}
	return &sqsapi.RemovePermissionOutput{}, nil
}
