package sns

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/fogbank/fogbank/internal/store"
)

// Record layout, every value JSON:
//
//	sns|t|<topic ARN>          topicRecord
//	sns|s|<subscription ARN>   subRecord
//	sns|a|<application ARN>    platformApp
//	sns|e|<endpoint ARN>       platformEndpoint
//	sns|m|<account>|<region>   smsSettings
//	sns|o|<n, 20 digits>       outboxEntry, in publish order
//	sns|k                      the signing key and certificate (sign.go)
//	sns|dlv|<job id>           pending deliveries (internal/delivery)
//
// ARNs never contain 0x00, so they are safe key parts.
const (
	kindTopic    = "t"
	kindSub      = "s"
	kindApp      = "a"
	kindEndpoint = "e"
	kindSMS      = "m"
	kindOutbox   = "o"
	kindDedup    = "f"
)

func dedupKey(topicARN, id string) []byte { return store.Key("sns", kindDedup, topicARN, id) }

func topicKey(arn string) []byte    { return store.Key("sns", kindTopic, arn) }
func subKey(arn string) []byte      { return store.Key("sns", kindSub, arn) }
func appKey(arn string) []byte      { return store.Key("sns", kindApp, arn) }
func endpointKey(arn string) []byte { return store.Key("sns", kindEndpoint, arn) }
func smsKey(account, region string) []byte {
	return store.Key("sns", kindSMS, account, region)
}
func outboxKey(n uint64) []byte {
	return store.Key("sns", kindOutbox, fmt.Sprintf("%020d", n))
}

func putJSON(b *store.Batch, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("sns: encoding record: %w", err)
	}
	b.Put(key, data)
	return nil
}

// load reads every record into memory.
func (s *Service) load(ctx context.Context) error {
	scan := func(kind string, fn func(k, v []byte) error) error {
		p := store.KeyPrefix("sns", kind)
		return s.env.Store.Scan(ctx, p, store.PrefixEnd(p), fn)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	err := scan(kindTopic, func(_, v []byte) error {
		t := &topic{}
		if err := json.Unmarshal(v, t); err != nil {
			return fmt.Errorf("decoding topic: %w", err)
		}
		t.init(s.now())
		s.mu.topics[t.ARN] = t
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(kindSub, func(_, v []byte) error {
		sub := &subscription{}
		if err := json.Unmarshal(v, sub); err != nil {
			return fmt.Errorf("decoding subscription: %w", err)
		}
		sub.compile()
		s.mu.subs[sub.ARN] = sub
		if t := s.mu.topics[sub.TopicARN]; t != nil {
			t.subs = append(t.subs, sub.ARN)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(kindApp, func(_, v []byte) error {
		a := &platformApp{}
		if err := json.Unmarshal(v, a); err != nil {
			return fmt.Errorf("decoding platform application: %w", err)
		}
		s.mu.apps[a.ARN] = a
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(kindEndpoint, func(_, v []byte) error {
		e := &platformEndpoint{}
		if err := json.Unmarshal(v, e); err != nil {
			return fmt.Errorf("decoding platform endpoint: %w", err)
		}
		s.mu.eps[e.ARN] = e
		return nil
	})
	if err != nil {
		return err
	}
	err = scan(kindSMS, func(_, v []byte) error {
		m := &smsSettings{}
		if err := json.Unmarshal(v, m); err != nil {
			return fmt.Errorf("decoding SMS settings: %w", err)
		}
		s.mu.sms[m.Account+"/"+m.Region] = m
		return nil
	})
	if err != nil {
		return err
	}
	type loaded struct {
		t  *topic
		id string
		d  dedupEntry
	}
	var dedups []loaded
	var stale store.Batch
	now := s.now()
	err = scan(kindDedup, func(k, v []byte) error {
		parts := bytes.Split(k, []byte{0})
		if len(parts) != 4 {
			return nil
		}
		var d dedupEntry
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("decoding deduplication record: %w", err)
		}
		t := s.mu.topics[string(parts[2])]
		if t == nil || now.After(d.Expires) {
			stale.Delete(append([]byte(nil), k...))
			return nil
		}
		if d.Seq > t.seq {
			t.seq = d.Seq
		}
		dedups = append(dedups, loaded{t, string(parts[3]), d})
		t.dedup[string(parts[3])] = d
		return nil
	})
	if err != nil {
		return err
	}
	// Expiry pops ids in the order they were added.
	sort.Slice(dedups, func(i, j int) bool { return dedups[i].d.Expires.Before(dedups[j].d.Expires) })
	for _, l := range dedups {
		l.t.dedupOrder = append(l.t.dedupOrder, l.id)
	}
	if stale.Len() > 0 {
		if err := s.env.Store.Apply(ctx, &stale); err != nil {
			return fmt.Errorf("deleting expired deduplication records: %w", err)
		}
	}
	return scan(kindOutbox, func(k, v []byte) error {
		e := outboxEntry{}
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("decoding outbox entry: %w", err)
		}
		s.mu.outbox = append(s.mu.outbox, e)
		if e.Seq > s.mu.outboxSeq {
			s.mu.outboxSeq = e.Seq
		}
		return nil
	})
}

// apply writes b, wrapping errors for the client as an internal error.
func (s *Service) apply(ctx context.Context, b *store.Batch) error {
	if err := s.env.Store.Apply(ctx, b); err != nil {
		return fmt.Errorf("sns: store: %w", err)
	}
	return nil
}
