package sns

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// Message archiving and replay (FIFO topics). A topic's ArchivePolicy
// {"MessageRetentionPeriod": days} makes every message published to it a
// record, kept for that many days (by the service clock); the topic
// reports BeginningArchiveTime. A subscription's ReplayPolicy
// {"PointType":"Timestamp","StartingPoint":…[,"EndingPoint":…]} replays the
// archived messages published in that window to it, through its filter
// policy, when the policy is set; its ReplayStatus then reads Completed.
//
// Records: sns|v|<topic ARN>|<20-digit sequence number> → archived.

const kindArchive = "v"

func archiveKey(topicARN, seq string) []byte { return store.Key("sns", kindArchive, topicARN, seq) }

// archived is one archived message.
type archived struct {
	Note    *note     `json:"note"`
	Expires time.Time `json:"expires"`
}

// archiveDays is the retention of the topic's ArchivePolicy, 0 for none.
func archiveDays(policy string) int {
	if policy == "" {
		return 0
	}
	var p struct {
		MessageRetentionPeriod json.RawMessage `json:"MessageRetentionPeriod"`
	}
	if json.Unmarshal([]byte(policy), &p) != nil || len(p.MessageRetentionPeriod) == 0 {
		return 0
	}
	days, err := strconv.Atoi(strings.Trim(string(p.MessageRetentionPeriod), `"`))
	if err != nil {
		return 0
	}
	return days
}

// checkArchivePolicy checks an ArchivePolicy value ("" or "{}" removes it).
func checkArchivePolicy(v string) error {
	if v == "" || v == "{}" {
		return nil
	}
	if err := jsonError("ArchivePolicy", v); err != nil {
		return err
	}
	if d := archiveDays(v); d < 1 || d > 365 {
		return invalidParam("Attributes Reason: ArchivePolicy: MessageRetentionPeriod must be a number of days from 1 to 365")
	}
	return nil
}

// replayPolicy is a parsed ReplayPolicy.
type replayPolicy struct {
	PointType     string `json:"PointType"`
	StartingPoint string `json:"StartingPoint"`
	EndingPoint   string `json:"EndingPoint,omitempty"`
	start, end    time.Time
}

func parseReplayPolicy(v string) (*replayPolicy, error) {
	if err := jsonError("ReplayPolicy", v); err != nil {
		return nil, err
	}
	var p replayPolicy
	_ = json.Unmarshal([]byte(v), &p)
	if p.PointType != "Timestamp" {
		return nil, invalidParam("ReplayPolicy: PointType must be Timestamp")
	}
	var err error
	if p.start, err = time.Parse(time.RFC3339Nano, p.StartingPoint); err != nil {
		return nil, invalidParam("ReplayPolicy: StartingPoint must be an ISO 8601 timestamp")
	}
	if p.EndingPoint != "" {
		if p.end, err = time.Parse(time.RFC3339Nano, p.EndingPoint); err != nil || p.end.Before(p.start) {
			return nil, invalidParam("ReplayPolicy: EndingPoint must be an ISO 8601 timestamp after StartingPoint")
		}
	}
	return &p, nil
}

// checkReplayPolicy checks a ReplayPolicy for a subscription to t.
func checkReplayPolicy(v string, t *topic, protocol string) error {
	if v == "" {
		return nil
	}
	if !t.Fifo || archiveDays(t.Attrs["ArchivePolicy"]) == 0 {
		return invalidParam("ReplayPolicy: the topic must be a FIFO topic with an ArchivePolicy")
	}
	if protocol != "sqs" {
		return invalidParam("ReplayPolicy: replay is only supported for sqs subscriptions")
	}
	_, err := parseReplayPolicy(v)
	return err
}

// archiveLocked adds n's archive record to b when t archives (s.mu held).
func (s *Service) archiveLocked(b *store.Batch, t *topic, n *note, now time.Time) error {
	days := archiveDays(t.Attrs["ArchivePolicy"])
	if !t.Fifo || days == 0 {
		return nil
	}
	return putJSON(b, archiveKey(t.ARN, n.Seq), &archived{Note: n, Expires: now.Add(time.Duration(days) * 24 * time.Hour)})
}

// replay delivers t's archived messages in sub's ReplayPolicy window to
// sub (SQS), in publish order, and records ReplayStatus Completed. Expired
// archive records met on the way are deleted.
func (s *Service) replay(ctx context.Context, live *subscription) error {
	s.mu.RLock()
	snap := *live
	s.mu.RUnlock()
	sub := &snap
	p, err := parseReplayPolicy(sub.Attrs["ReplayPolicy"])
	if err != nil {
		return err
	}
	now := s.now()
	prefix := store.KeyPrefix("sns", kindArchive, sub.TopicARN)
	var notes []*note
	var stale store.Batch
	err = s.env.Store.Scan(ctx, prefix, store.PrefixEnd(prefix), func(k, v []byte) error {
		var a archived
		if err := json.Unmarshal(v, &a); err != nil {
			return fmt.Errorf("decoding archived message: %w", err)
		}
		switch {
		case now.After(a.Expires):
			stale.Delete(append([]byte(nil), k...))
		case a.Note.Timestamp.Before(p.start), !p.end.IsZero() && a.Note.Timestamp.After(p.end):
		default:
			notes = append(notes, a.Note)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sns: reading the archive: %w", err)
	}
	if stale.Len() > 0 {
		if err := s.apply(ctx, &stale); err != nil {
			return err
		}
	}
	for _, n := range notes {
		if matches(sub, n) {
			s.deliverSQS(ctx, sub, n)
		}
	}
	return s.updateSub(ctx, live, func(c *subscription) { c.ReplayStatus = "Completed" })
}
