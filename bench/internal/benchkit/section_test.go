package benchkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplaceSection(t *testing.T) {
	const doc = "# Fogbank benchmarks\n\nintro\n\n## Router\n\nr\n\n### Sub\n\ns\n\n## Lambda\n\nold lambda\n\n\n## SNS\n\nold sns\n\n## S3\n\nold s3\n"
	for _, tc := range []struct{ name, old, section, want string }{
		// The cases snsbench and s3bench were tested with before sharing this.
		{"append", "# R\n\n## SQS\nx\n", "## SNS\nnew\n", "# R\n\n## SQS\nx\n\n## SNS\nnew\n"},
		{"replace last", "# R\n\n## SNS\nold\nold2\n", "## SNS\nnew\n", "# R\n\n## SNS\nnew\n\n"},
		{"replace middle", "# R\n## SNS\nold\n## Lambda\ny\n", "## SNS\nnew\n", "# R\n## SNS\nnew\n\n## Lambda\ny\n"},
		{"not a prefix", "## SNSX\nz\n", "## SNS\nnew\n", "## SNSX\nz\n\n## SNS\nnew\n"},
		// lambdabench's body ends in a blank line already: kept as it is.
		{"blank line kept", "## Lambda\nold\n## SNS\nx\n", "## Lambda\nnew\n\n", "## Lambda\nnew\n\n## SNS\nx\n"},
		{"at the start", "## SNS\nold\n", "## SNS\nnew\n", "## SNS\nnew\n\n"},
		{"empty section", "## SNS\n## S3\nx\n", "## SNS\nnew\n", "## SNS\nnew\n\n## S3\nx\n"},
		{"empty doc", "", "## SNS\nnew\n", "\n## SNS\nnew\n"},
		{"no final newline", "# R", "## SNS\nnew\n", "# R\n\n## SNS\nnew\n"},
		{"subsections belong to it", "## A\na\n### A1\nx\n## B\nb\n", "## A\nnew\n", "## A\nnew\n\n## B\nb\n"},
		{"heading in text is not a heading", "## A\nsee ## B here\n## B\nb\n", "## B\nnew\n", "## A\nsee ## B here\n## B\nnew\n\n"},
		{"middle of a document", doc, "## Lambda\n\nnew lambda\n\n",
			"# Fogbank benchmarks\n\nintro\n\n## Router\n\nr\n\n### Sub\n\ns\n\n## Lambda\n\nnew lambda\n\n## SNS\n\nold sns\n\n## S3\n\nold s3\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ReplaceSection(tc.old, tc.section)
			if got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
			// Once in place, the same section again changes nothing.
			once := ReplaceSection(got, tc.section)
			if twice := ReplaceSection(once, tc.section); twice != once {
				t.Errorf("replacing again changed it:\n got %q\nwant %q", twice, once)
			}
		})
	}
}

// TestReplaceSectionKeepsOthers replaces each section of a document in turn
// and checks that the bytes before and after it are the very same.
func TestReplaceSectionKeepsOthers(t *testing.T) {
	const doc = "# T\n\nhead\n\n## One\n\n1\n\n### One.a\n\n1a\n\n## Two\n2\n\n\n## Three\n\n| a |\n|---|\n"
	for _, h := range []string{"## One", "## Two", "## Three"} {
		start := strings.Index(doc, h+"\n")
		end := len(doc)
		if j := strings.Index(doc[start+len(h):], "\n## "); j >= 0 {
			end = start + len(h) + j + 1
		}
		got := ReplaceSection(doc, h+"\nreplaced\n")
		if !strings.HasPrefix(got, doc[:start]) {
			t.Errorf("%s: text before it changed: %q", h, got)
		}
		if !strings.HasSuffix(got, doc[end:]) {
			t.Errorf("%s: text after it changed: %q", h, got)
		}
		if mid := got[start : len(got)-len(doc[end:])]; mid != h+"\nreplaced\n\n" {
			t.Errorf("%s: section is %q", h, mid)
		}
	}
}

func TestWriteSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "RESULTS.md")
	if err := WriteSection(path, "## SNS\nfirst\n"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("# R\n\n## SNS\nfirst\n\n## S3\nkeep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteSection(path, "## SNS\nsecond\n"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "# R\n\n## SNS\nsecond\n\n## S3\nkeep\n"; string(b) != want {
		t.Errorf("got %q, want %q", b, want)
	}
	if err := WriteSection(filepath.Join(path, "not-a-dir"), "## X\n"); err == nil {
		t.Error("writing below a file: no error")
	}
}
