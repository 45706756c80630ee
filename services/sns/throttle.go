package sns

import (
	"encoding/json"
	"sync"
	"time"
)

// The delivery policy's throttle: a subscription's
// throttlePolicy.maxReceivesPerSecond (or its topic's
// defaultThrottlePolicy) spaces HTTP/HTTPS deliveries 1/rate apart. An
// attempt that comes early waits on the service clock for its turn (so
// advancing the clock releases it), holding one of the delivery queue's
// attempt slots.

// throttle hands out delivery times per subscription.
type throttle struct {
	mu   sync.Mutex
	next map[string]time.Time // subscription ARN → earliest next delivery
}

// reserve books the next delivery of key at rate per second and returns
// how long to wait for it (0 when it may go now).
func (th *throttle) reserve(key string, rate int, now time.Time) time.Duration {
	th.mu.Lock()
	defer th.mu.Unlock()
	if th.next == nil {
		th.next = map[string]time.Time{}
	}
	at := now
	if n, ok := th.next[key]; ok && n.After(now) {
		at = n
	}
	th.next[key] = at.Add(time.Second / time.Duration(rate))
	return at.Sub(now)
}

// throttleRateLocked is the maxReceivesPerSecond in force for an HTTP
// subscription, 0 for none.
func (s *Service) throttleRateLocked(sub *subscription) int {
	type policy struct {
		MaxReceivesPerSecond int `json:"maxReceivesPerSecond"`
	}
	rate, disable := 0, false
	if t := s.mu.topics[sub.TopicARN]; t != nil && t.Attrs["DeliveryPolicy"] != "" {
		var tp struct {
			HTTP *struct {
				DefaultThrottlePolicy        *policy `json:"defaultThrottlePolicy"`
				DisableSubscriptionOverrides bool    `json:"disableSubscriptionOverrides"`
			} `json:"http"`
		}
		if json.Unmarshal([]byte(t.Attrs["DeliveryPolicy"]), &tp) == nil && tp.HTTP != nil {
			if tp.HTTP.DefaultThrottlePolicy != nil {
				rate = tp.HTTP.DefaultThrottlePolicy.MaxReceivesPerSecond
			}
			disable = tp.HTTP.DisableSubscriptionOverrides
		}
	}
	if !disable && sub.Attrs["DeliveryPolicy"] != "" {
		var sp struct {
			ThrottlePolicy *policy `json:"throttlePolicy"`
		}
		if json.Unmarshal([]byte(sub.Attrs["DeliveryPolicy"]), &sp) == nil && sp.ThrottlePolicy != nil && sp.ThrottlePolicy.MaxReceivesPerSecond > 0 {
			rate = sp.ThrottlePolicy.MaxReceivesPerSecond
		}
	}
	return max(rate, 0)
}
