package benchkit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// ReplaceSection puts section in place of doc's section with the same
// heading, or appends it; section's first line is its heading ("## SNS").
// Every command owns one "## " section of bench/RESULTS.md, and the others'
// numbers must survive its run. The invariants:
//
//   - everything outside the replaced section is kept byte-for-byte: the
//     text before the heading, and every later section from its "## " line on;
//   - a section runs from its heading line to the next line starting "## "
//     (a "### " subsection is part of it) or to the end of doc;
//   - the heading matches a whole line only: "## SNS" is not "## SNSX";
//   - a replaced section is followed by exactly one blank line (trailing
//     newlines of section are folded to "\n\n"), so a section in place
//     replaced by the same text again is unchanged;
//   - an appended section is separated from what precedes it by one blank
//     line (a doc not ending in a newline gets one first) and kept as given.
func ReplaceSection(doc, section string) string {
	heading, _, _ := strings.Cut(section, "\n")
	start := -1
	if strings.HasPrefix(doc, heading+"\n") {
		start = 0
	} else if i := strings.Index(doc, "\n"+heading+"\n"); i >= 0 {
		start = i + 1
	}
	if start < 0 {
		if doc != "" && !strings.HasSuffix(doc, "\n") {
			doc += "\n"
		}
		return doc + "\n" + section
	}
	end := len(doc)
	if j := strings.Index(doc[start+len(heading):], "\n## "); j >= 0 {
		end = start + len(heading) + j + 1
	}
	return doc[:start] + strings.TrimRight(section, "\n") + "\n\n" + doc[end:]
}

// WriteSection replaces section in the file at path (see ReplaceSection),
// creating the file when it does not exist.
func WriteSection(path, section string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if err := os.WriteFile(path, []byte(ReplaceSection(string(old), section)), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
