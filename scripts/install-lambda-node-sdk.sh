#!/usr/bin/env bash
# Installs the AWS SDK for JavaScript v3 clients that AWS bundles in its Node.js
# 18+ Lambda runtimes, so Node functions run by Fogbank can require/import
# @aws-sdk/* as they do on AWS. Fogbank's Lambda engine (internal/lambdaruntime)
# puts <dir>/node_modules on NODE_PATH and resolves ESM imports from it.
#
#   bash scripts/install-lambda-node-sdk.sh [dir]
#
# dir defaults to $FOGBANK_LAMBDA_NODE_SDK, else /usr/local/lib/fogbank/lambda-node-sdk
# (the engine's default search path; fogbank --lambda-node-path / Config.NodePath
# point elsewhere). Safe to run again: it does nothing when the pinned versions
# are already installed.
set -euo pipefail
dir="${1:-${FOGBANK_LAMBDA_NODE_SDK:-/usr/local/lib/fogbank/lambda-node-sdk}}"
mkdir -p "$dir"
cd "$dir"

# Versions pinned to what npm served when this was written; bump together.
cat > package.json.new <<'JSON'
{
  "name": "fogbank-lambda-node-sdk",
  "private": true,
  "description": "AWS SDK for JavaScript v3 as bundled in AWS Lambda's Node.js runtimes; installed by fogbank scripts/install-lambda-node-sdk.sh",
  "dependencies": {
    "@aws-sdk/client-cloudwatch-logs": "3.1169.0",
    "@aws-sdk/client-dynamodb": "3.1169.0",
    "@aws-sdk/client-eventbridge": "3.1169.0",
    "@aws-sdk/client-kinesis": "3.1143.0",
    "@aws-sdk/client-lambda": "3.1164.0",
    "@aws-sdk/client-s3": "3.1175.0",
    "@aws-sdk/client-secrets-manager": "3.1164.0",
    "@aws-sdk/client-sfn": "3.1164.0",
    "@aws-sdk/client-sns": "3.1169.0",
    "@aws-sdk/client-sqs": "3.1175.0",
    "@aws-sdk/client-ssm": "3.1169.0",
    "@aws-sdk/client-sts": "3.1177.0",
    "@aws-sdk/lib-dynamodb": "3.1169.0"
  }
}
JSON
if cmp -s package.json package.json.new && [ -f node_modules/.fogbank-installed ]; then
  rm package.json.new
  echo "lambda node sdk: already installed in $dir"
  exit 0
fi
mv package.json.new package.json
npm install --no-audit --no-fund --omit=dev --loglevel=error
touch node_modules/.fogbank-installed
echo "lambda node sdk: installed in $dir"
