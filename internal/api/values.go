package api

import "time"

// Pointer helpers for the optional members of generated structs.

// String returns a pointer to v.
func String(v string) *string { return &v }

// Int32 returns a pointer to v.
func Int32(v int32) *int32 { return &v }

// Int64 returns a pointer to v.
func Int64(v int64) *int64 { return &v }

// Bool returns a pointer to v.
func Bool(v bool) *bool { return &v }

// Float64 returns a pointer to v.
func Float64(v float64) *float64 { return &v }

// Time returns a pointer to v.
func Time(v time.Time) *time.Time { return &v }

// ToString returns *p, or "" when p is nil.
func ToString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// ToInt32 returns *p, or 0 when p is nil.
func ToInt32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// ToInt64 returns *p, or 0 when p is nil.
func ToInt64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// ToBool returns *p, or false when p is nil.
func ToBool(p *bool) bool { return p != nil && *p }
