package jsonenc

import (
	"math/rand/v2"
	"testing"
)

// special reports whether c ends a run of plain string content.
func special(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }

// checkPlainRun holds plainRun to its contract on b: a multiple of 8, only
// plain bytes before it, and a special byte in the word where it stopped.
func checkPlainRun(t *testing.T, b []byte) {
	t.Helper()
	n := plainRun(b)
	if n%8 != 0 || n > len(b) {
		t.Fatalf("plainRun(%q) = %d: not a multiple of 8 within the input", b, n)
	}
	for i, c := range b[:n] {
		if special(c) {
			t.Fatalf("plainRun(%q) = %d, but byte %d (%#x) is special", b, n, i, c)
		}
	}
	if n+8 <= len(b) {
		found := false
		for _, c := range b[n : n+8] {
			found = found || special(c)
		}
		if !found {
			t.Fatalf("plainRun(%q) = %d stopped at a word with no special byte", b, n)
		}
	}
}

func TestPlainRun(t *testing.T) {
	for _, s := range []string{
		"", "abc", "abcdefgh", "abcdefgh\"", "abcdefghijklmnop\"rest",
		"abcdefg\\nxyzxyzxy", "\x1fbcdefgh", "abcdefg\x00", "ÿÿÿÿÿÿÿÿÿÿ\"", "\x80\x81\x82\x83\x84\x85\x86\x87\x20",
		"!!!!!!!!!!!!!!!!", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x1f",
	} {
		checkPlainRun(t, []byte(s))
	}
	// Every byte value at every position of a word, among plain neighbours
	// that sit just above and below the thresholds (borrows must not flag
	// them, nor hide the special byte).
	for _, fill := range []byte{' ', '!', '#', '[', ']', 0x7f, 0x80, 0xff} {
		for pos := range 8 {
			for c := range 256 {
				b := []byte{fill, fill, fill, fill, fill, fill, fill, fill, fill, fill, fill, fill, fill, fill, fill, fill}
				b[8+pos] = byte(c)
				checkPlainRun(t, b)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			if r.IntN(10) == 0 {
				b[i] = byte(r.IntN(256))
			} else {
				b[i] = byte(' ' + r.IntN(95))
			}
		}
		checkPlainRun(t, b)
	}
}

func FuzzPlainRun(f *testing.F) {
	f.Add([]byte("abcdefghij\"k"))
	f.Fuzz(func(t *testing.T, b []byte) { checkPlainRun(t, b) })
}

// BenchmarkReadLongString scans a 1 MiB string token, the shape of a
// base64 Lambda zip or a large SQS body.
func BenchmarkReadLongString(b *testing.B) {
	data := make([]byte, 1<<20+2)
	for i := range data {
		data[i] = 'A' + byte(i%26)
	}
	data[0], data[len(data)-1] = '"', '"'
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		d := scanner{data: data}
		if s, err := d.readString(); err != nil || len(s) != 1<<20 {
			b.Fatal(len(s), err)
		}
	}
}
