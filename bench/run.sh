#!/usr/bin/env bash
# Measures fogbank and writes bench/RESULTS.md in one run (several minutes):
# router+codec throughput against a bare net/http ceiling, start-to-healthy,
# idle RSS, and moto as a peer when python3 has it.
#
#   bash bench/run.sh            # full run, writes bench/RESULTS.md
#   QUICK=1 bash bench/run.sh    # short runs, to check the script
#
# Everything listens on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"

go build -o "$out/fogbank" ./cmd/fogbank
go build -o "$out/fogbench" ./bench/cmd/fogbench

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit (work tree had uncommitted changes)"
fi
args=(-bin "$out/fogbank" -commit "$commit" -out bench/RESULTS.md)
if [ -n "${QUICK:-}" ]; then
  args+=(-duration 1s -reps 1 -starts 5)
fi
if python3 -c 'import moto.server' 2>/dev/null; then
  args+=(-moto)
else
  echo "moto not importable by python3: measured without the moto peer" >&2
fi

"$out/fogbench" "${args[@]}"

# SQS, appended to the same file: Fogbank durable and --memory, moto and the
# no-op server (the ceiling) side by side at 1, 16 and 64 workers, through
# aws-sdk-go-v2 and a raw-HTTP replay, each cell three times (about three
# minutes); then
# memory over SQS_MEMFLAT messages sent and consumed in each Fogbank mode
# (default 200,000, about a minute; the committed results use 1,000,000,
# about five more minutes; 0 skips it).
go build -o "$out/sqsbench" ./bench/cmd/sqsbench
go build -o "$out/noop" ./bench/noop
sqsargs=(-fogbank "$out/fogbank" -noop "$out/noop" -commit "$commit" -out bench/RESULTS.md)
if [ -n "${QUICK:-}" ]; then
  sqsargs+=(-workers 1,16 -reps 1 -duration 300ms -moto-duration 500ms -memflat "${SQS_MEMFLAT:-20000}")
else
  # Five repetitions of 1 s phases: the SDK ratios swing by ±0.1 between
  # single short runs on this shared machine.
  sqsargs+=(-reps 5 -duration 1s -memflat "${SQS_MEMFLAT:-200000}")
fi
if python3 -c 'import moto.server' 2>/dev/null; then
  sqsargs+=(-moto)
fi
"$out/sqsbench" "${sqsargs[@]}"
go build -o "$out/snsbench" ./bench/cmd/snsbench && "$out/snsbench" -fogbank "$out/fogbank" -commit "$commit" -out bench/RESULTS.md $(python3 -c 'import moto.server' 2>/dev/null && echo -moto) ${QUICK:+-duration 300ms -samples 30}
go build -o "$out/lambdabench" ./bench/cmd/lambdabench && "$out/lambdabench" -fogbank "$out/fogbank" -commit "$commit" -out bench/RESULTS.md ${QUICK:+-cold 3 -warm 100 -duration 1s}
go build -o "$out/s3bench" ./bench/cmd/s3bench && "$out/s3bench" -fogbank "$out/fogbank" -commit "$commit" -out bench/RESULTS.md $(python3 -c 'import moto.server' 2>/dev/null && echo -moto) ${QUICK:+-duration 300ms -list-keys 5000}
echo "wrote bench/RESULTS.md"
