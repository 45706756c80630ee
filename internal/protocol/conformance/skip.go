package conformance

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// skipJSON is testdata/skip.json: the cases Fogbank's codecs do not pass
// yet, each with the reason. Keys are a case id ("QueryXmlLists"), which
// skips it in every file, or "<direction>/<file>:<id>"
// ("output/rest-xml.json:XmlLists"), which skips it in one file only.
//
//go:embed testdata/skip.json
var skipJSON []byte

// skipList says which cases a run leaves out, and why.
type skipList struct {
	ours map[string]string
	// ignored holds botocore's protocol-tests-ignore-list.json, already
	// narrowed to one protocol and direction.
	ignoredSuites map[string]bool
	ignoredCases  map[string]bool
}

// ignoreList is the format of botocore's protocol-tests-ignore-list.json.
type ignoreList struct {
	General   map[string]ignoreEntry            `json:"general"`
	Protocols map[string]map[string]ignoreEntry `json:"protocols"`
}

type ignoreEntry struct {
	Suites []string `json:"suites"`
	Cases  []string `json:"cases"`
}

// loadSkipList combines testdata/skip.json, extra (from the caller) and the
// ignore list in dir for one direction and file.
func loadSkipList(dir, direction, file string, extra map[string]string) (*skipList, error) {
	sl := &skipList{ours: map[string]string{}, ignoredSuites: map[string]bool{}, ignoredCases: map[string]bool{}}
	if err := json.Unmarshal(skipJSON, &sl.ours); err != nil {
		return nil, fmt.Errorf("decoding testdata/skip.json: %w", err)
	}
	for k, v := range extra {
		sl.ours[k] = v
	}
	b, err := os.ReadFile(filepath.Join(dir, "protocol-tests-ignore-list.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return sl, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading ignore list: %w", err)
	}
	var il ignoreList
	if err := json.Unmarshal(b, &il); err != nil {
		return nil, fmt.Errorf("decoding ignore list: %w", err)
	}
	// The ignore list records where botocore, a client, cannot produce or
	// parse a case. An input case's serialized request is still the wire form
	// Smithy specifies, and a server must decode it whatever botocore's
	// serializer does, so only output cases (which botocore judges) honour it.
	if direction != "output" {
		return sl, nil
	}
	for _, e := range []ignoreEntry{il.General[direction], il.Protocols[strings.TrimSuffix(file, ".json")][direction]} {
		for _, s := range e.Suites {
			sl.ignoredSuites[s] = true
		}
		for _, c := range e.Cases {
			sl.ignoredCases[c] = true
		}
	}
	return sl, nil
}

// reason returns why a case is skipped, or "" when it runs.
func (sl *skipList) reason(direction, file, suiteDesc, id string) string {
	if r, ok := sl.ours[direction+"/"+file+":"+id]; ok {
		return r
	}
	if r, ok := sl.ours[id]; ok {
		return r
	}
	if sl.ignoredSuites[suiteDesc] {
		return "botocore ignores suite " + suiteDesc
	}
	if sl.ignoredCases[id] {
		return "in botocore's protocol-tests-ignore-list.json"
	}
	return ""
}
