module github.com/fogbank/fogbank

go 1.26.8
