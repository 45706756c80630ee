package codegen

import "context"

// ServiceSpec placeholder.
type ServiceSpec struct{}

// Services placeholder.
var Services []ServiceSpec

// GenerateServices placeholder.
func GenerateServices(ctx context.Context, specs []ServiceSpec) (map[string][]byte, error) {
	return nil, nil
}
