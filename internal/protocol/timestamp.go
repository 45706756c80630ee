// Package protocol holds what the wire protocol codecs share: timestamp
// formats and helpers for reading and writing scalar values as text.
package protocol

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/api"
)

// FormatTimestamp renders t in the named format (api.TimestampISO8601,
// api.TimestampRFC822 or api.TimestampUnix). ISO 8601 uses UTC with
// millisecond precision only when the time has a fraction, as the SDKs do.
func FormatTimestamp(t time.Time, format string) string {
	t = t.UTC()
	switch format {
	case api.TimestampRFC822:
		return t.Format("Mon, 02 Jan 2006 15:04:05 GMT")
	case api.TimestampUnix:
		return FormatUnix(t)
	default:
		if t.Nanosecond() != 0 {
			return t.Format("2006-01-02T15:04:05.000Z")
		}
		return t.Format("2006-01-02T15:04:05Z")
	}
}

// FormatUnix renders t as seconds since the epoch, with up to three decimals.
func FormatUnix(t time.Time) string {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.FormatInt(ms/1000, 10)
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
}

// ParseTimestamp reads s in the named format, falling back to the other
// formats AWS front ends also accept (a client may send epoch seconds where
// ISO 8601 is the default, and the reverse).
func ParseTimestamp(s, format string) (time.Time, error) {
	s = strings.TrimSpace(s)
	try := []string{format, api.TimestampISO8601, api.TimestampUnix, api.TimestampRFC822}
	var firstErr error
	for _, f := range try {
		t, err := parseAs(s, f)
		if err == nil {
			return t, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return time.Time{}, firstErr
}

func parseAs(s, format string) (time.Time, error) {
	switch format {
	case api.TimestampRFC822:
		for _, layout := range []string{time.RFC1123, time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 GMT", time.RFC850, time.ANSIC} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Parse(time.RFC1123, s)
	case api.TimestampUnix:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, err
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return time.Time{}, strconv.ErrRange
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC(), nil
	default:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			// Some clients omit the zone designator.
			if t2, err2 := time.Parse("2006-01-02T15:04:05.999999999", s); err2 == nil {
				return t2.UTC(), nil
			}
			return time.Time{}, err
		}
		return t.UTC(), nil
	}
}
