package codegen

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// widgetsSpec generates testdata/model.json, with a query variant from
// testdata/model-query.json, into the package testdata/widgets.
var widgetsSpec = ServiceSpec{
	Name: "widgets", Model: "widgets/2024-01-01", Protocols: []string{"json", "query"},
	Variants: []Variant{{Protocol: "query", Version: "v0.0.0", Model: "widgets/2024-01-01"}},
}

func generateWidgets(t *testing.T) []byte {
	t.Helper()
	m, err := ReadModel("testdata/model.json")
	if err != nil {
		t.Fatal(err)
	}
	old, err := ReadModel("testdata/model-query.json")
	if err != nil {
		t.Fatal(err)
	}
	src, err := GenerateService(widgetsSpec, m, []*Model{old})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestGolden compares the generated code for a small model that exercises
// every type, recursion, a union, a document, streaming, name collisions and a
// protocol variant with testdata/widgets/zz_generated.go (-update rewrites
// it). TestGenerated in generated_test.go then checks that package's schema
// against its Go types.
func TestGolden(t *testing.T) {
	got := generateWidgets(t)
	path := filepath.Join("testdata", "widgets", "zz_generated.go")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("generated code differs from %s; rerun with -update and review the diff", path)
	}
	if again := generateWidgets(t); !bytes.Equal(got, again) {
		t.Errorf("generation is not deterministic")
	}
}

// TestGoldenVets runs go vet on the golden package, which also type-checks it.
func TestGoldenVets(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	out, err := exec.Command("go", "vet", "./testdata/widgets").CombinedOutput()
	if err != nil {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
}

func TestExportName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"QueueUrl", "QueueUrl"},
		{"message", "Message"},
		{"SyntheticTimestamp_http_date", "SyntheticTimestampHttpDate"},
		{"__listOfString", "ListOfString"},
		{"us-east-1", "UsEast1"},
		{"application/json", "ApplicationJson"},
		{"1024", "X1024"},
		{"*", "X"},
		{"", "X"},
		{"SSEKMSKeyId", "SSEKMSKeyId"},
		{"été", "T"},
	} {
		if got := exportName(tc.in); got != tc.want {
			t.Errorf("exportName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNamer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fold   bool
		claims []string
		want   []string
	}{
		{"distinct", false, []string{"A", "B"}, []string{"A", "B"}},
		{"repeat", false, []string{"A", "A", "A"}, []string{"A", "A_", "A_2"}},
		{"reserved", false, []string{"Service"}, []string{"Service_"}},
		{"case kept", false, []string{"Tags", "TAGS"}, []string{"Tags", "TAGS"}},
		{"case folded", true, []string{"Tags", "TAGS"}, []string{"Tags", "TAGS_"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := newNamer("Service")
			for i, c := range tc.claims {
				if got := n.claim(c, tc.fold); got != tc.want[i] {
					t.Errorf("claim %d (%q) = %q, want %q", i, c, got, tc.want[i])
				}
			}
		})
	}
}

func TestFieldNames(t *testing.T) {
	ms := Members{{Name: "tags"}, {Name: "Tags"}, {Name: "message"}}
	got := fieldNames(ms)
	want := []string{"Tags_", "Tags", "Message"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestFirstSentence(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"<p>Deletes a queue. More text.</p>", "Deletes a queue."},
		{"<p>Uses <code>QueueUrl</code>\n to find it</p>", "Uses QueueUrl to find it"},
		{"<p>By <code>QueueUrl</code>, (<i>x</i>) <b>principal</b> .</p>", "By QueueUrl, (x) principal."},
	} {
		if got := firstSentence(tc.in); got != tc.want {
			t.Errorf("firstSentence(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseModelKeepsMemberOrder(t *testing.T) {
	m, err := ParseModel([]byte(`{"shapes":{"S":{"type":"structure","members":{"Z":{"shape":"T"},"A":{"shape":"T"},"M":{"shape":"T"}}},"T":{"type":"string"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, mem := range m.Shapes["S"].Members {
		got = append(got, mem.Name)
	}
	if want := []string{"Z", "A", "M"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("members %v, want %v", got, want)
	}
}

func TestNewUnitRejectsBrokenModels(t *testing.T) {
	for _, tc := range []struct{ name, model string }{
		{"missing shape", `{"operations":{"Op":{"input":{"shape":"Nope"}}},"shapes":{}}`},
		{"unknown type", `{"operations":{"Op":{"input":{"shape":"S"}}},"shapes":{"S":{"type":"tuple"}}}`},
		{"list without member", `{"operations":{"Op":{"input":{"shape":"S"}}},"shapes":{"S":{"type":"structure","members":{"L":{"shape":"L"}}},"L":{"type":"list"}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseModel([]byte(tc.model))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := GenerateService(ServiceSpec{Name: "x"}, m, nil); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestMethodDoc(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"Deletes the queue.", "DeleteQueue deletes the queue."},
		{"AWS deletes it.", "DeleteQueue: AWS deletes it."},
		{"Amazon SQS deletes it.", "DeleteQueue: Amazon SQS deletes it."},
		{"Use this to delete.", "DeleteQueue: Use this to delete."},
	} {
		if got := methodDoc("DeleteQueue", tc.doc); got != tc.want {
			t.Errorf("methodDoc(%q) = %q, want %q", tc.doc, got, tc.want)
		}
	}
}
