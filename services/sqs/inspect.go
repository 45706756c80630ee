package sqs

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
)

// GET /_fogbank/sqs/messages?QueueUrl=… lists a queue's messages, in any
// state, without receiving them: no receive count, visibility or receipt
// handle changes (like LocalStack's /_aws/sqs/messages). The queue is found
// by the URL's account and name, in the Region parameter's region, else the
// one the URL's host names (sqs.<region>.…), else any region.

type inspectedMessage struct {
	MessageID         string                     `json:"MessageId"`
	Body              string                     `json:"Body"`
	MD5OfBody         string                     `json:"MD5OfBody"`
	State             string                     `json:"State"`
	Attributes        map[string]string          `json:"Attributes"`
	MessageAttributes map[string]json.RawMessage `json:"MessageAttributes,omitempty"`
}

func (s *Service) serveMessages(w http.ResponseWriter, r *http.Request) {
	u := r.URL.Query().Get("QueueUrl")
	account, name, region, ok := parseQueueURL(u)
	if !ok {
		http.Error(w, `{"error":"QueueUrl must be a queue URL"}`, http.StatusBadRequest)
		return
	}
	if rg := r.URL.Query().Get("Region"); rg != "" {
		region = rg
	}
	var q *queue
	s.mu.RLock()
	for k, c := range s.mu.queues {
		if k.account == account && k.name == name && (region == "" || k.region == region) {
			q = c
			break
		}
	}
	s.mu.RUnlock()
	if q == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "The specified queue does not exist."})
		return
	}
	sel := newSelection([]string{"All"}, nil, []string{"All"})
	now := s.now()
	q.mu.Lock()
	expired := q.advanceLocked(now)
	type snap struct {
		r     received
		state msgState
	}
	snaps := make([]snap, 0, len(q.mu.msgs))
	for _, m := range q.mu.msgs {
		snaps = append(snaps, snap{received{m.b, m.status}, m.state})
	}
	q.mu.Unlock()
	if len(expired) > 0 {
		s.dropExpired(q, expired)
	}
	sort.Slice(snaps, func(i, j int) bool {
		a, b := snaps[i].r.b, snaps[j].r.b
		if a.SentAt != b.SentAt {
			return a.SentAt < b.SentAt
		}
		if a.Seq != b.Seq {
			return a.Seq < b.Seq
		}
		return a.Key < b.Key // send order within the millisecond
	})
	out := struct {
		Messages []inspectedMessage `json:"Messages"`
	}{Messages: []inspectedMessage{}}
	for _, sn := range snaps {
		m := s.renderMessage(q, sn.r, sel)
		im := inspectedMessage{MessageID: sn.r.b.ID, Body: sn.r.b.Body, MD5OfBody: sn.r.b.MD5Body,
			State: sn.state.String(), Attributes: m.Attributes}
		if im.Attributes == nil {
			im.Attributes = map[string]string{}
		}
		im.Attributes["VisibleAt"] = strconv.FormatInt(sn.r.st.VisibleAt, 10)
		for k, v := range sn.r.b.Attrs {
			if im.MessageAttributes == nil {
				im.MessageAttributes = map[string]json.RawMessage{}
			}
			raw, _ := json.Marshal(v)
			im.MessageAttributes[k] = raw
		}
		out.Messages = append(out.Messages, im)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
