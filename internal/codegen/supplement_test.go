package codegen

import "testing"

func TestSupplement(t *testing.T) {
	m, err := ParseModel([]byte(`{"operations": {"List": {"name": "List", "output": {"shape": "ListOutput"}}},
		"shapes": {"S": {"type": "string"}, "ListOutput": {"type": "structure", "members": {"Items": {"shape": "S"}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	err = m.Supplement(`{"operations": {"List": {"input": {"shape": "ListRequest"}, "http": {"responseCode": 204}}},
		"shapes": {"ListRequest": {"type": "structure", "members": {"Max": {"shape": "S", "location": "querystring", "locationName": "max"}}},
		"ListOutput": {"type": "structure", "members": {"Items": {"shape": "Other"}, "Next": {"shape": "S"}}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	op := m.Operations["List"]
	if op.Input == nil || op.Input.Shape != "ListRequest" || op.Output.Shape != "ListOutput" || op.HTTP.ResponseCode != 204 {
		t.Errorf("operation = %+v", op)
	}
	ms := m.Shapes["ListOutput"].Members
	if len(ms) != 2 || ms[0].Ref.Shape != "S" || ms[1].Name != "Next" {
		t.Errorf("members = %+v (existing ones kept, new ones appended)", ms)
	}
	if m.Shapes["ListRequest"].Members[0].Ref.LocationName != "max" {
		t.Errorf("new shape not added")
	}
	if err := m.Supplement(`{"shapes": {"X": {"type": "structure", "members": {"A": {"shape": "Missing"}}}}}`); err == nil {
		t.Errorf("a member naming a missing shape was accepted")
	}
	if err := m.Supplement(`{"operations": {"Nope": {}}}`); err == nil {
		t.Errorf("an unknown operation was accepted")
	}
}
