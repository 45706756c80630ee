package sns

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/uuid"
)

// The outbox: what SNS would have sent by email, SMS or mobile push is
// recorded instead, durably and in order, and served as JSON at
// GET /_fogbank/sns/outbox (?protocol=email&endpoint=x@y to filter;
// DELETE empties it). An email subscription's confirmation is there too,
// with the SubscribeURL a user would click.

// outboxEntry is one recorded message.
type outboxEntry struct {
	Seq             uint64 `json:"seq"`
	Protocol        string `json:"protocol"`
	Endpoint        string `json:"endpoint"`
	Type            string `json:"type"` // Notification, SubscriptionConfirmation
	TopicArn        string `json:"topicArn,omitempty"`
	SubscriptionArn string `json:"subscriptionArn,omitempty"`
	MessageID       string `json:"messageId"`
	Subject         string `json:"subject,omitempty"`
	// From is an email's sender: the topic's DisplayName (AWS's "From"
	// name), else "AWS Notifications", at no-reply@sns.amazonaws.com.
	From         string            `json:"from,omitempty"`
	Message      string            `json:"message"`
	SubscribeURL string            `json:"subscribeUrl,omitempty"`
	Attributes   map[string]string `json:"attributes,omitempty"`
	Timestamp    string            `json:"timestamp"`
}

// addOutbox numbers e and adds its record to b; once b is durable the
// caller installs the returned entries with installOutbox.
func (s *Service) addOutbox(b *store.Batch, e outboxEntry) (outboxEntry, error) {
	s.mu.Lock()
	s.mu.outboxSeq++
	e.Seq = s.mu.outboxSeq
	s.mu.Unlock()
	return e, putJSON(b, outboxKey(e.Seq), &e)
}

// installOutbox makes durable entries visible, in sequence order.
func (s *Service) installOutbox(es []outboxEntry) {
	if len(es) == 0 {
		return
	}
	s.mu.Lock()
	s.mu.outbox = append(s.mu.outbox, es...)
	sort.SliceStable(s.mu.outbox, func(i, j int) bool { return s.mu.outbox[i].Seq < s.mu.outbox[j].Seq })
	s.mu.Unlock()
}

func (s *Service) confirmationOutbox(sub *subscription, t *topic) outboxEntry {
	link := s.subscribeURL(sub)
	msg := "You have chosen to subscribe to the topic:\n" + t.ARN + "\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n" + link
	if sub.Protocol == "email-json" {
		n := &note{MessageID: uuid.New(), TopicARN: t.ARN, Timestamp: s.now().UTC()}
		msg = string(s.envelope(sub, n, "SubscriptionConfirmation"))
	}
	return outboxEntry{Protocol: sub.Protocol, Endpoint: sub.Endpoint, Type: "SubscriptionConfirmation",
		TopicArn: t.ARN, SubscriptionArn: sub.ARN, MessageID: uuid.New(), Subject: "AWS Notification - Subscription Confirmation",
		Message: msg, SubscribeURL: link, Timestamp: timestamp(s.now()), From: s.emailFrom(t.ARN)}
}

func (s *Service) notificationOutbox(sub *subscription, n *note) outboxEntry {
	key := sub.Protocol
	if sub.Protocol == "application" {
		// A push's MessageStructure key is the platform (GCM, APNS, …),
		// the second part of the endpoint ARN's resource.
		if i := strings.Index(sub.Endpoint, ":endpoint/"); i >= 0 {
			key, _, _ = strings.Cut(sub.Endpoint[i+len(":endpoint/"):], "/")
		}
	}
	e := outboxEntry{Protocol: sub.Protocol, Endpoint: sub.Endpoint, Type: "Notification", TopicArn: n.TopicARN,
		SubscriptionArn: sub.ARN, MessageID: n.MessageID, Subject: n.Subject, Message: n.messageFor(key),
		Timestamp: timestamp(n.Timestamp)}
	if sub.Protocol == "email-json" {
		e.Message = string(s.envelope(sub, n, "Notification"))
	}
	if sub.Protocol == "email" && e.Subject == "" {
		e.Subject = "AWS Notification Message"
	}
	if sub.Protocol == "email" || sub.Protocol == "email-json" {
		e.From = s.emailFrom(n.TopicARN)
	}
	if len(n.Attrs) > 0 {
		e.Attributes = map[string]string{}
		for k, a := range envelopeAttrs(n.Attrs) {
			e.Attributes[k] = a.Value
		}
	}
	return e
}

// serveOutbox answers GET /_fogbank/sns/outbox.
func (s *Service) serveOutbox(w http.ResponseWriter, r *http.Request) {
	proto, ep := r.URL.Query().Get("protocol"), r.URL.Query().Get("endpoint")
	s.mu.RLock()
	out := []outboxEntry{}
	for _, e := range s.mu.outbox {
		if (proto == "" || e.Protocol == proto) && (ep == "" || e.Endpoint == ep) {
			out = append(out, e)
		}
	}
	s.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"messages": out})
}

// serveOutboxClear answers DELETE /_fogbank/sns/outbox.
func (s *Service) serveOutboxClear(w http.ResponseWriter, r *http.Request) {
	var b store.Batch
	s.mu.Lock()
	for _, e := range s.mu.outbox {
		b.Delete(outboxKey(e.Seq))
	}
	s.mu.Unlock()
	if err := s.apply(r.Context(), &b); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	s.mu.outbox = nil
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// serveDeliveries answers GET /_fogbank/sns/deliveries: the deliveries
// waiting for an attempt or a retry (http/https, lambda), so a test can see
// that a retry is scheduled before it advances the clock.
func (s *Service) serveDeliveries(w http.ResponseWriter, _ *http.Request) {
	type entry struct {
		ID              string `json:"id"`
		SubscriptionArn string `json:"subscriptionArn"`
		Type            string `json:"type"`
		MessageID       string `json:"messageId"`
		Attempts        int    `json:"attempts"`
		Next            string `json:"next,omitempty"`
		LastError       string `json:"lastError,omitempty"`
	}
	out := []entry{}
	for _, j := range s.jobs.Pending() {
		if j.Kind != jobKind {
			continue
		}
		var p jobPayload
		if json.Unmarshal(j.Payload, &p) != nil {
			continue
		}
		e := entry{ID: j.ID, SubscriptionArn: p.Sub, Type: p.Type, Attempts: j.Attempts, LastError: j.LastError}
		if p.Note != nil {
			e.MessageID = p.Note.MessageID
		}
		if !j.Next.IsZero() {
			e.Next = timestamp(j.Next)
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"deliveries": out})
}

// emailFrom is the From of emails for a topic.
func (s *Service) emailFrom(topicARN string) string {
	s.mu.RLock()
	name := ""
	if t := s.mu.topics[topicARN]; t != nil {
		name = t.Attrs["DisplayName"]
	}
	s.mu.RUnlock()
	if name == "" {
		name = "AWS Notifications"
	}
	return name + " <no-reply@sns.amazonaws.com>"
}
