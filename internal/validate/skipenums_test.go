package validate_test

import (
	"testing"

	"github.com/fogbank/fogbank/internal/api"
	sqsapi "github.com/fogbank/fogbank/internal/api/sqs"
	"github.com/fogbank/fogbank/internal/validate"
)

// SQS's legacy AttributeNames is typed with the QueueAttributeName enum, yet
// AWS accepts message attribute names such as SenderId there; with
// SkipEnums the service, not the model, decides.
func TestSkipEnums(t *testing.T) {
	in := &sqsapi.ReceiveMessageRequest{
		QueueUrl:       api.String("http://127.0.0.1/000000000000/q"),
		AttributeNames: []string{"SenderId"},
	}
	shape := sqsapi.Service.Operation("ReceiveMessage").Input
	var v validate.Validator
	if err := v.Check(shape, in, validate.Options{Protocol: "json"}); err == nil {
		t.Fatal("enum value outside the model passed without SkipEnums")
	}
	if err := v.Check(shape, in, validate.Options{Protocol: "json", SkipEnums: true}); err != nil {
		t.Fatalf("with SkipEnums: %v", err)
	}
	// Other constraints still hold: MaxNumberOfMessages is not bounded in the
	// model, but a missing QueueUrl is still reported.
	in.QueueUrl = nil
	if err := v.Check(shape, in, validate.Options{Protocol: "json", SkipEnums: true}); err == nil {
		t.Fatal("missing QueueUrl passed with SkipEnums")
	}
}
