package suites

// The suites come from shared/conformance/botocore-protocols, which lives
// beside the repository checkout (/work/shared next to /work/main).
//go:generate go run ../../../../cmd/fogbank-apigen -suites ../../../../../shared/conformance/botocore-protocols -out .
