package api

// The generated service packages (internal/api/<service>) come from the AWS
// models in github.com/aws/aws-sdk-go; the list of services is
// internal/codegen/services.go. See docs/codegen.md.
//go:generate go run ../../cmd/fogbank-apigen -api .
