package main

import "testing"

func TestReplaceSection(t *testing.T) {
	for _, tc := range []struct{ name, old, want string }{
		{"append", "# R\n\n## SQS\nx\n", "# R\n\n## SQS\nx\n\n## SNS\nnew\n"},
		{"replace last", "# R\n\n## SNS\nold\nold2\n", "# R\n\n## SNS\nnew\n\n"},
		{"replace middle", "# R\n## SNS\nold\n## Lambda\ny\n", "# R\n## SNS\nnew\n\n## Lambda\ny\n"},
		{"not a prefix", "## SNSX\nz\n", "## SNSX\nz\n\n## SNS\nnew\n"},
	} {
		if got := replaceSection(tc.old, "## SNS\nnew\n"); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
