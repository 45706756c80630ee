package codegen

import "testing"

func TestTakeNewer(t *testing.T) {
	m, err := ParseModel([]byte(`{"operations": {"ListBuckets": {"name": "ListBuckets", "output": {"shape": "ListBucketsOutput"}},
		"PutBucketTagging": {"name": "PutBucketTagging"}},
		"shapes": {"Prefix": {"type": "string"}, "ListBucketsOutput": {"type": "structure", "members": {"Owner": {"shape": "Prefix"}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	err = m.takeNewer(&Newer{File: "botocore-1.43.11/s3-2006-03-01.json.gz",
		Take:          []string{"ListBuckets.input", "ListBucketsOutput.ContinuationToken", "ListBucketsOutput.Prefix"},
		ResponseCodes: map[string]int{"PutBucketTagging": 204}})
	if err != nil {
		t.Fatal(err)
	}
	if in := m.Operations["ListBuckets"].Input; in == nil || in.Shape != "ListBucketsRequest" {
		t.Errorf("ListBuckets input = %+v", in)
	}
	req := m.Shapes["ListBucketsRequest"]
	if req == nil || len(req.Members) == 0 || req.Members[0].Name != "MaxBuckets" || req.Members[0].Ref.LocationName != "max-buckets" {
		t.Fatalf("ListBucketsRequest = %+v", req)
	}
	if m.Shapes["MaxBuckets"] == nil || m.Shapes["Token"] == nil {
		t.Errorf("referred shapes not taken along")
	}
	ms := m.Shapes["ListBucketsOutput"].Members
	if len(ms) != 3 || ms[0].Name != "Owner" || ms[1].Name != "ContinuationToken" || ms[2].Name != "Prefix" {
		t.Errorf("members = %+v (existing kept first, taken ones appended in order)", ms)
	}
	if m.Operations["PutBucketTagging"].HTTP.ResponseCode != 204 {
		t.Errorf("response code not set")
	}
	for _, bad := range []string{"Prefix", "ListBucketsOutput.Owner", "Nope.input", "ListBucketsOutput.Nope", "Nope"} {
		if err := m.take(mustNewer(t), bad); err == nil {
			t.Errorf("take(%q) was accepted", bad)
		}
	}
}

func mustNewer(t *testing.T) *Model {
	t.Helper()
	n, err := loadNewer("botocore-1.43.11/s3-2006-03-01.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	return n
}
