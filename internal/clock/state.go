package clock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// State is what GET /_fogbank/clock reports.
type State struct {
	Now    time.Time
	Offset time.Duration
}

// stateJSON is State on the wire: {"now": RFC 3339 in UTC, "offset": a Go
// duration string such as "1m30s"}.
type stateJSON struct {
	Now    string `json:"now"`
	Offset string `json:"offset"`
}

// MarshalJSON implements json.Marshaler.
func (s State) MarshalJSON() ([]byte, error) {
	return json.Marshal(stateJSON{
		Now:    s.Now.UTC().Format(time.RFC3339Nano),
		Offset: s.Offset.String(),
	})
}

// UnmarshalJSON implements json.Unmarshaler (for clients and tests).
func (s *State) UnmarshalJSON(b []byte) error {
	var w stateJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("clock state: %w", err)
	}
	now, err := time.Parse(time.RFC3339Nano, w.Now)
	if err != nil {
		return fmt.Errorf("clock state now: %w", err)
	}
	off, err := time.ParseDuration(w.Offset)
	if err != nil {
		return fmt.Errorf("clock state offset: %w", err)
	}
	s.Now, s.Offset = now, off
	return nil
}

// StateOf returns c's current time and offset. Now and Offset are read one
// after the other, so under a concurrent Advance they may straddle it.
func StateOf(c Clock) State { return State{Now: c.Now(), Offset: c.Offset()} }

// MarshalState returns the JSON body of GET /_fogbank/clock:
// {"now":"2026-11-30T01:02:03.456Z","offset":"1m30s"}.
func (p *Process) MarshalState() ([]byte, error) { return json.Marshal(StateOf(p)) }

// ParseAdvance reads the body of POST /_fogbank/clock, {"advance": "90s"},
// where the value is a Go duration string ("1h30m", "250ms"). Unknown fields,
// a missing or empty "advance", trailing data and negative durations are
// errors: the clock never goes back. The caller passes the result to Advance.
func ParseAdvance(body []byte) (time.Duration, error) {
	var req struct {
		Advance *string `json:"advance"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return 0, fmt.Errorf("clock request: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return 0, errors.New(`clock request: trailing data after the JSON object`)
	}
	if req.Advance == nil || *req.Advance == "" {
		return 0, errors.New(`clock request: missing "advance" (a Go duration such as "90s")`)
	}
	d, err := time.ParseDuration(*req.Advance)
	if err != nil {
		return 0, fmt.Errorf("clock request advance: %w", err)
	}
	if d < 0 {
		return 0, fmt.Errorf("clock request advance %s: %w", *req.Advance, ErrBackwards)
	}
	return d, nil
}
