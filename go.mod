module github.com/fogbank/fogbank

go 1.26.8

require (
	github.com/aws/aws-sdk-go v1.55.8 // indirect
	github.com/google/btree v1.1.3
	github.com/jmespath/go-jmespath v0.4.0 // indirect
)
