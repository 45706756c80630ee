//go:build tools

package codegen

// This import only keeps github.com/aws/aws-sdk-go, whose models/apis tree
// the generator reads, in go.mod at the pinned version (ModelsVersion), so
// `go mod download` puts the models in the module cache on a fresh machine.
// The tools tag keeps it out of every build. awserr is the smallest package
// of the module and imports only the standard library.
import _ "github.com/aws/aws-sdk-go/aws/awserr"
