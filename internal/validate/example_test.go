package validate_test

import (
	"fmt"
	"reflect"

	"github.com/fogbank/fogbank/internal/api"
	"github.com/fogbank/fogbank/internal/validate"
)

// The server checks each decoded input before calling the handler, and hands
// a failure to the codec like any handler error.
func ExampleValidator_Check() {
	type deleteQueueRequest struct{ QueueUrl *string }
	in := &api.Shape{Name: "DeleteQueueRequest", Type: api.TypeStructure,
		GoType:  reflect.TypeFor[deleteQueueRequest](),
		Members: []api.Member{{Name: "QueueUrl", Required: true, Ref: api.Ref{Shape: &api.Shape{Name: "String", Type: api.TypeString}}}}}

	var v validate.Validator // one per server
	err := v.Check(in, &deleteQueueRequest{}, validate.Options{Protocol: "json"})
	ae := api.AsError(err)
	fmt.Println(ae.HTTPStatus(), ae.CodeFor("json"), ae.CodeFor("query"))
	fmt.Println(ae.Message)
	// Output:
	// 400 ValidationException ValidationError
	// 1 validation error detected: Value null at 'queueUrl' failed to satisfy constraint: Member must not be null
}
