package s3

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	s3api "github.com/fogbank/fogbank/internal/api/s3"
)

// Lifecycle. Rules are validated as AWS does and applied for real: every
// expiry AWS computes falls on a midnight UTC (a creation time plus Days,
// rounded up to the next midnight; a Date must be a midnight), so one timer
// on the service clock fires at each midnight and sweeps the buckets that
// have rules — Expiration (Days, Date, ExpiredObjectDeleteMarker),
// NoncurrentVersionExpiration (NoncurrentDays, NewerNoncurrentVersions) and
// AbortIncompleteMultipartUpload. A sweep also runs right after a
// configuration is put, for objects already past their date. Objects that
// an Expiration rule covers answer x-amz-expiration on PUT, and on GET and
// HEAD of the current version without a version id (as recorded).
// Transitions are accepted and stored; storage classes do not change.

func errNoSuchLifecycle(bucket string) error {
	return errNoSuchConfig("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", bucket)
}

// PutBucketLifecycleConfiguration validates and stores the rules, then
// sweeps the bucket.
func (s *Service) PutBucketLifecycleConfiguration(ctx context.Context, in *s3api.PutBucketLifecycleConfigurationRequest) (*s3api.PutBucketLifecycleConfigurationOutput, error) {
	if _, err := s.bucketInfo(str(in.Bucket)); err != nil {
		return nil, err
	}
	if in.LifecycleConfiguration == nil {
		return nil, errMalformedXML()
	}
	rules := in.LifecycleConfiguration.Rules
	if err := checkLifecycle(rules); err != nil {
		return nil, err
	}
	if err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error { c.Lifecycle = rules; return nil }); err != nil {
		return nil, err
	}
	s.env.Clock.AfterFunc(0, s.sweepLifecycle)
	return &s3api.PutBucketLifecycleConfigurationOutput{}, nil
}

func checkLifecycle(rules []*s3api.LifecycleRule) error {
	if len(rules) == 0 || len(rules) > 1000 {
		return errMalformedXML()
	}
	ids := map[string]bool{}
	for _, r := range rules {
		if r == nil {
			return errMalformedXML()
		}
		switch str(r.Status) {
		case "Enabled", "Disabled":
		default:
			return errMalformedXML()
		}
		// A rule without an ID, or with neither Filter nor Prefix, is
		// MalformedXML, as recorded.
		if r.ID == nil || r.Filter == nil && r.Prefix == nil {
			return errMalformedXML()
		}
		if f := r.Filter; f != nil {
			n := 0
			for _, set := range []bool{f.Prefix != nil, f.Tag != nil, f.And != nil, f.ObjectSizeGreaterThan != nil || f.ObjectSizeLessThan != nil} {
				if set {
					n++
				}
			}
			if n > 1 {
				return errMalformedXML()
			}
			if f.And != nil {
				seen := map[string]bool{}
				for _, t := range f.And.Tags {
					if t == nil || seen[str(t.Key)] {
						return s3err("InvalidRequest", 400, "Duplicate Tag Keys are not allowed.")
					}
					seen[str(t.Key)] = true
				}
			}
		}
		if id := str(r.ID); id != "" {
			if len(id) > 255 {
				return errInvalidArgument("ID length should not exceed allowed limit of 255", "ID", id)
			}
			if ids[id] {
				return errInvalidArgument("RuleId must be unique. Found same ID for more than one rule", "ID", id)
			}
			ids[id] = true
		}
		if r.Prefix != nil && r.Filter != nil {
			return errMalformedXML()
		}
		if r.Expiration == nil && r.NoncurrentVersionExpiration == nil && r.AbortIncompleteMultipartUpload == nil &&
			len(r.Transitions) == 0 && len(r.NoncurrentVersionTransitions) == 0 {
			return s3err("InvalidRequest", 400, "At least one action needs to be specified in a rule")
		}
		if e := r.Expiration; e != nil {
			n := 0
			for _, set := range []bool{e.Days != nil, e.Date != nil, e.ExpiredObjectDeleteMarker != nil} {
				if set {
					n++
				}
			}
			if n != 1 {
				return errMalformedXML()
			}
			if e.Days != nil && *e.Days <= 0 {
				return errInvalidArgument("'Days' for Expiration action must be a positive integer", "Days", strconv.Itoa(int(*e.Days)))
			}
			if e.Date != nil && !e.Date.UTC().Equal(e.Date.UTC().Truncate(24*time.Hour)) {
				return errInvalidArgument("'Date' must be at midnight GMT", "Date", e.Date.UTC().Format(time.RFC3339))
			}
			if e.ExpiredObjectDeleteMarker != nil && hasTagFilter(r) {
				return errInvalidArgument("ExpiredObjectDeleteMarker cannot be specified with tags.", "ExpiredObjectDeleteMarker", "true")
			}
		}
		if nv := r.NoncurrentVersionExpiration; nv != nil {
			if nv.NoncurrentDays == nil {
				return errMalformedXML()
			}
			if *nv.NoncurrentDays <= 0 {
				return errInvalidArgument("'NoncurrentDays' in NoncurrentVersionExpiration action must be a positive integer", "NoncurrentDays", strconv.Itoa(int(*nv.NoncurrentDays)))
			}
			if nv.NewerNoncurrentVersions != nil && (*nv.NewerNoncurrentVersions <= 0 || *nv.NewerNoncurrentVersions > 100) {
				return errInvalidArgument("'NewerNoncurrentVersions' in NoncurrentVersionExpiration action must be between 1 and 100", "NewerNoncurrentVersions", strconv.Itoa(int(*nv.NewerNoncurrentVersions)))
			}
		}
		if a := r.AbortIncompleteMultipartUpload; a != nil {
			if a.DaysAfterInitiation == nil || *a.DaysAfterInitiation <= 0 {
				return errInvalidArgumentName("'DaysAfterInitiation' in AbortIncompleteMultipartUpload action must be a positive integer", "DaysAfterInitiation")
			}
			if hasTagFilter(r) {
				return s3err("InvalidRequest", 400, "AbortIncompleteMultipartUpload cannot be specified with Tags.")
			}
		}
	}
	return nil
}

func hasTagFilter(r *s3api.LifecycleRule) bool {
	f := r.Filter
	return f != nil && (f.Tag != nil || f.And != nil && len(f.And.Tags) > 0)
}

func (s *Service) GetBucketLifecycleConfiguration(ctx context.Context, in *s3api.GetBucketLifecycleConfigurationRequest) (*s3api.GetBucketLifecycleConfigurationOutput, error) {
	b, err := s.bucketInfo(str(in.Bucket))
	if err != nil {
		return nil, err
	}
	if len(b.Config.Lifecycle) == 0 {
		return nil, errNoSuchLifecycle(str(in.Bucket))
	}
	return &s3api.GetBucketLifecycleConfigurationOutput{Rules: b.Config.Lifecycle, TransitionDefaultMinimumObjectSize: ptr("all_storage_classes_128K")}, nil
}

func (s *Service) DeleteBucketLifecycle(ctx context.Context, in *s3api.DeleteBucketLifecycleRequest) (*s3api.DeleteBucketLifecycleOutput, error) {
	if err := s.setConfig(ctx, str(in.Bucket), func(c *bucketConfig) error { c.Lifecycle = nil; return nil }); err != nil {
		return nil, err
	}
	return &s3api.DeleteBucketLifecycleOutput{}, nil
}

// ruleMatches reports whether a rule's filter selects the key (and, for
// objects, its size and tags; o is nil for multipart uploads).
func ruleMatches(r *s3api.LifecycleRule, key string, o *object) bool {
	prefix := str(r.Prefix)
	var tags []*s3api.Tag
	var gt, lt *int64
	if f := r.Filter; f != nil {
		prefix = str(f.Prefix)
		if f.Tag != nil {
			tags = append(tags, f.Tag)
		}
		gt, lt = f.ObjectSizeGreaterThan, f.ObjectSizeLessThan
		if a := f.And; a != nil {
			prefix = str(a.Prefix)
			tags = append(tags, a.Tags...)
			gt, lt = a.ObjectSizeGreaterThan, a.ObjectSizeLessThan
		}
	}
	if !strings.HasPrefix(key, prefix) {
		return false
	}
	if o == nil {
		return true
	}
	if gt != nil && o.Size <= *gt || lt != nil && o.Size >= *lt {
		return false
	}
	for _, t := range tags {
		found := false
		for _, ot := range o.Tags {
			found = found || ot.Key == str(t.Key) && ot.Value == str(t.Value)
		}
		if !found {
			return false
		}
	}
	return true
}

// afterDays is AWS's expiry: t plus days, rounded up to the next midnight UTC.
func afterDays(t time.Time, days int32) time.Time {
	d := t.UTC().Add(time.Duration(days) * 24 * time.Hour)
	m := d.Truncate(24 * time.Hour)
	if m.Equal(d) {
		return m
	}
	return m.Add(24 * time.Hour)
}

// expiryOf returns when the first enabled Expiration rule covering the
// current object o expires it, and the rule's id.
func expiryOf(rules []*s3api.LifecycleRule, o *object) (time.Time, string, bool) {
	for _, r := range rules {
		if str(r.Status) != "Enabled" || r.Expiration == nil || !ruleMatches(r, o.Key, o) {
			continue
		}
		switch e := r.Expiration; {
		case e.Days != nil:
			return afterDays(o.LastModified, *e.Days), str(r.ID), true
		case e.Date != nil:
			return e.Date.UTC(), str(r.ID), true
		}
	}
	return time.Time{}, "", false
}

// expirationHeader is x-amz-expiration for o in bucket b (nil if no rule
// covers it).
func (s *Service) expirationHeader(bucket string, o *object) *string {
	b, err := s.bucketInfo(bucket)
	if err != nil || len(b.Config.Lifecycle) == 0 {
		return nil
	}
	t, id, ok := expiryOf(b.Config.Lifecycle, o)
	if !ok {
		return nil
	}
	return ptr(fmt.Sprintf(`expiry-date="%s", rule-id="%s"`, t.Format(http.TimeFormat), id))
}

// currentExpiration is x-amz-expiration of a GET or HEAD: only when no
// version id was asked for.
func (s *Service) currentExpiration(versionID *string, o *object) *string {
	if versionID != nil {
		return nil
	}
	return s.expirationHeader(o.Bucket, o)
}

// armLifecycle sets the timer for the next midnight UTC on the service
// clock. The service's lcMu guards the timer against Stop.
func (s *Service) armLifecycle() {
	s.lcMu.Lock()
	defer s.lcMu.Unlock()
	if s.lcStopped {
		return
	}
	now := s.env.Clock.Now().UTC()
	next := now.Truncate(24 * time.Hour).Add(24 * time.Hour)
	s.lcTimer = s.env.Clock.AfterFunc(next.Sub(now), func() {
		s.sweepLifecycle()
		s.armLifecycle()
	})
}

func (s *Service) stopLifecycle() {
	s.lcMu.Lock()
	defer s.lcMu.Unlock()
	s.lcStopped = true
	if s.lcTimer != nil {
		s.lcTimer.Stop()
	}
}

// sweepLifecycle applies every bucket's enabled rules as of now. A failed
// write is logged and retried at the next sweep.
func (s *Service) sweepLifecycle() {
	ctx := context.Background()
	now := s.env.Clock.Now().UTC()
	type work struct {
		bucket string
		rules  []*s3api.LifecycleRule
		keys   []keyState
	}
	var jobs []work
	var uploads []*upload
	s.mu.RLock()
	for name, b := range s.mu.buckets {
		if len(b.Config.Lifecycle) == 0 {
			continue
		}
		w := work{bucket: name, rules: b.Config.Lifecycle}
		for k, o := range b.objects {
			w.keys = append(w.keys, keyState{cur: o, older: b.older[k]})
		}
		jobs = append(jobs, w)
		for _, u := range s.mu.uploads {
			if u.Bucket != name {
				continue
			}
			for _, r := range w.rules {
				if a := r.AbortIncompleteMultipartUpload; a != nil && str(r.Status) == "Enabled" && ruleMatches(r, u.Key, nil) &&
					!afterDays(u.Initiated, *a.DaysAfterInitiation).After(now) {
					uploads = append(uploads, u)
					break
				}
			}
		}
	}
	s.mu.RUnlock()
	for _, u := range uploads {
		if err := s.abort(ctx, u); err != nil {
			s.env.Logger.Warn("s3 lifecycle: aborting upload", "upload", u.ID, "err", err)
		}
	}
	for _, j := range jobs {
		for _, st := range j.keys {
			if err := s.expireKey(ctx, j.bucket, j.rules, st, now); err != nil {
				s.env.Logger.Warn("s3 lifecycle: expiring", "bucket", j.bucket, "key", st.cur.Key, "err", err)
			}
		}
	}
}

// expireKey applies the rules to one key, if its versions are still the
// ones the sweep saw.
func (s *Service) expireKey(ctx context.Context, bucket string, rules []*s3api.LifecycleRule, seen keyState, now time.Time) error {
	key := seen.cur.Key
	var events []event
	ev := func(name string, o *object) {
		events = append(events, event{name: "LifecycleExpiration:" + name, bucket: bucket, key: key, versionID: o.VersionID, version: "2.1"})
	}
	_, err := s.mutate(ctx, bucket, key, func(versioning string, st keyState) (change, error) {
		events = nil
		if st.cur != seen.cur {
			return change{state: st}, nil // written since: the next sweep decides
		}
		changed := false
		// Noncurrent versions first: they do not depend on the current one.
		for _, r := range rules {
			nv := r.NoncurrentVersionExpiration
			if str(r.Status) != "Enabled" || nv == nil {
				continue
			}
			keep := 0
			if nv.NewerNoncurrentVersions != nil {
				keep = int(*nv.NewerNoncurrentVersions)
			}
			var older []*object
			n := 0
			for _, o := range st.older {
				if ruleMatches(r, key, o) {
					n++
					if n > keep && o.NoncurrentSince != nil && !afterDays(*o.NoncurrentSince, *nv.NoncurrentDays).After(now) {
						changed = true
						ev("Delete", o)
						continue
					}
				}
				older = append(older, o)
			}
			st.older = older
		}
		cur := st.cur
		if cur.DeleteMarker {
			for _, r := range rules {
				if str(r.Status) == "Enabled" && r.Expiration != nil && r.Expiration.ExpiredObjectDeleteMarker != nil &&
					*r.Expiration.ExpiredObjectDeleteMarker && len(st.older) == 0 && ruleMatches(r, key, nil) {
					ev("Delete", cur)
					return change{state: keyState{}}, nil
				}
			}
		} else if t, _, ok := expiryOf(rules, cur); ok && !t.After(now) {
			if versioning == "" {
				ev("Delete", cur)
				return change{state: keyState{older: st.older}}, nil
			}
			m := &object{Bucket: bucket, Key: key, DeleteMarker: true, LastModified: s.now()}
			s.versionFor(m, versioning)
			ev("DeleteMarkerCreated", m)
			return change{state: st.pushed(m, versioning)}, nil
		}
		if !changed {
			return change{state: seen}, nil
		}
		return change{state: st}, nil
	})
	if err != nil {
		return err
	}
	for _, e := range events {
		s.notify(ctx, e)
	}
	return nil
}
