package codegen

import "strings"

// firstSentence returns the first sentence of an HTML documentation string as
// plain text, or "".
func firstSentence(doc string) string {
	var b strings.Builder
	in := false
	for _, r := range doc {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	// Tags became spaces; take back the ones before punctuation that
	// followed inline markup ("<code>QueueUrl</code>, …").
	s = strings.NewReplacer(" ,", ",", " .", ".", " )", ")", "( ", "(", " :", ":", " ;", ";").Replace(s)
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
