// Package sts is Fogbank's AWS Security Token Service: who am I
// (GetCallerIdentity, GetAccessKeyInfo) and temporary credentials
// (AssumeRole, GetSessionToken, GetFederationToken).
//
// With auth off nothing is verified, but identity is still consistent: a key
// issued here answers GetCallerIdentity as the identity it was issued for,
// and requests signed with it act in that identity's account (the router asks
// AccountForKey). Issued credentials are kept in the store so they survive a
// restart, as real ones outlive any one connection.
//
// Invariant: every key in mu.keys has a record under credentialKey(key) in
// the store; the record is written (and durable) before the key is returned
// to a client or inserted in mu.keys.
package sts

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/fogbank/fogbank/internal/api"
	stsapi "github.com/fogbank/fogbank/internal/api/sts"
	"github.com/fogbank/fogbank/internal/service"
	"github.com/fogbank/fogbank/internal/store"
)

// Info is STS's descriptor, listed in internal/services/all.go.
var Info = service.Info{Name: "sts", New: New}

// Service implements the generated stsapi.Handler; operations it does not
// implement answer NotImplemented through the embedded Unimplemented.
type Service struct {
	stsapi.Unimplemented
	env service.Env

	mu struct {
		sync.RWMutex
		// keys are the credentials issued here, by access key id.
		keys map[string]*issued
	}
}

var (
	_ stsapi.Handler   = (*Service)(nil)
	_ service.Resetter = (*Service)(nil)
)

// issued is a credential STS handed out and the identity it stands for; its
// JSON form is the store record.
type issued struct {
	AccessKeyID string `json:"accessKeyId"`
	Secret      string `json:"secret"`
	Token       string `json:"token"`
	Expiration  int64  `json:"expiration"` // Unix seconds
	Account     string `json:"account"`
	Arn         string `json:"arn"`
	UserID      string `json:"userId"`
	// Session is set for role and federation sessions: those cannot call
	// GetSessionToken, as in AWS.
	Session bool `json:"session"`
}

// New builds STS and loads the credentials it issued before.
func New(env service.Env) (service.Service, error) {
	s := &Service{env: env}
	s.mu.keys = map[string]*issued{}
	prefix := store.Key("sts", "credential", "")
	err := env.Store.Scan(context.Background(), prefix, store.PrefixEnd(prefix), func(_, v []byte) error {
		var c issued
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("decoding credential record: %w", err)
		}
		s.mu.keys[c.AccessKeyID] = &c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sts: loading issued credentials: %w", err)
	}
	return s, nil
}

// APIs implements service.Service.
func (s *Service) APIs() []service.Binding {
	return []service.Binding{{API: stsapi.Service, Handler: s}}
}

// AccountForKey implements router.KeyOwner: the account a key issued here
// acts in.
func (s *Service) AccountForKey(ak string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if c := s.mu.keys[ak]; c != nil {
		return c.Account, true
	}
	return "", false
}

// Reset implements service.Resetter: every issued credential is forgotten.
func (s *Service) Reset(ctx context.Context) error {
	prefix := store.Key("sts", "credential", "")
	var b store.Batch
	err := s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(k, _ []byte) error {
		b.Delete(append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return fmt.Errorf("sts: listing credentials: %w", err)
	}
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("sts: deleting credentials: %w", err)
	}
	s.mu.Lock()
	s.mu.keys = map[string]*issued{}
	s.mu.Unlock()
	return nil
}

func credentialKey(ak string) []byte { return store.Key("sts", "credential", ak) }

// save makes c durable, then visible. The lock is not held across Apply.
func (s *Service) save(ctx context.Context, c *issued) error {
	v, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("sts: encoding credential: %w", err)
	}
	var b store.Batch
	b.Put(credentialKey(c.AccessKeyID), v)
	if err := s.env.Store.Apply(ctx, &b); err != nil {
		return fmt.Errorf("sts: saving credential: %w", err)
	}
	s.mu.Lock()
	s.mu.keys[c.AccessKeyID] = c
	s.mu.Unlock()
	return nil
}

// lookup returns the credential issued for ak, or nil.
func (s *Service) lookup(ak string) *issued {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.mu.keys[ak]
}

// call returns the request's Call; handlers are only reached through the
// pipeline, which always sets one, but a missing one is not a panic.
func call(ctx context.Context) *api.Call {
	if c := api.CallFrom(ctx); c != nil {
		return c
	}
	return &api.Call{Account: "000000000000", Region: "us-east-1"}
}
