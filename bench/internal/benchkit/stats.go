package benchkit

import (
	"cmp"
	"slices"
)

// Median is the middle of xs, the upper one of the two middles when len(xs)
// is even (xs[len/2] once sorted), so it is always a value that was measured.
// xs is not reordered. Empty xs gives the zero value.
func Median[T cmp.Ordered](xs []T) T { return Percentile(xs, 50) }

// Percentile is the value at rank len(xs)*p/100 of xs sorted (p50 is
// Median, p99 of 100 values is the 100th), never past the last. xs is not
// reordered. Empty xs gives the zero value.
func Percentile[T cmp.Ordered](xs []T, p int) T {
	if len(xs) == 0 {
		var zero T
		return zero
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

// MedianBy is the element of xs whose key is the median key (as Median),
// for runs that carry more than the number they are ranked by: the other
// fields of the median run come with it. xs is not reordered. Empty xs
// gives the zero value.
func MedianBy[T any](xs []T, key func(T) float64) T {
	if len(xs) == 0 {
		var zero T
		return zero
	}
	s := slices.Clone(xs)
	slices.SortStableFunc(s, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	return s[len(s)/2]
}
