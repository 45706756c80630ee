// Package e2e holds Fogbank's end-to-end tests: the fogbank binary, built
// once, serves on a loopback port and real AWS clients talk to it unmodified
// — AWS CLI v2 (/usr/bin/aws), AWS CLI v1 and boto3 (python3), and the AWS SDK
// for JavaScript v3 (node, e2e/js).
//
// A client missing on a developer's machine skips its subtests with a message
// saying how to get it; under CI=true a missing client fails them, so CI can
// never pass by skipping. .ci/run installs every client.
//
// Adding a service: write its scenarios in <service>_test.go with
// forEachClient and Client.Call (see sts_test.go), and add its JS client to
// e2e/js/package.json.
package e2e
