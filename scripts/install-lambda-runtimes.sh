#!/usr/bin/env bash
# Installs what Fogbank's Lambda engine (internal/lambdaruntime) needs beyond the
# interpreters themselves, so its functions find what AWS bundles in its runtimes:
#
#   - the AWS SDK for JavaScript v3 for Node.js functions (scripts/install-lambda-node-sdk.sh);
#   - Debian's python3-boto3 (boto3 1.26), which the engine links in for Python < 3.10:
#     boto3 1.43 (what the newer Pythons carry) no longer supports them;
#   - with FOGBANK_LAMBDA_DOCKER=1 (or --docker), Debian's docker.io, the container engine
#     PackageType Image functions run through (and the tests that build an image).
#
#   bash scripts/install-lambda-runtimes.sh [--docker]
#
# As root on Debian/Ubuntu (apt-get); elsewhere, or without root, it says what is missing and
# carries on. Safe to run again: every step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

docker=${FOGBANK_LAMBDA_DOCKER:-0}
for a in "$@"; do
  case "$a" in
    --docker) docker=1 ;;
    *) echo "usage: $0 [--docker]" >&2; exit 2 ;;
  esac
done

bash scripts/install-lambda-node-sdk.sh

# apt_install PKG...: installs the Debian packages not installed yet, once apt is usable.
apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null || [ "$(id -u)" -ne 0 ]; then
    echo "lambda runtimes: ${missing[*]} missing and cannot be installed here (needs root and apt-get)" >&2
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "lambda runtimes: installed ${missing[*]}"
}

apt_install python3-boto3
if [ -d /usr/lib/python3/dist-packages/boto3 ]; then
  echo "lambda runtimes: Debian boto3 for Python < 3.10 in /usr/lib/python3/dist-packages"
fi

if [ "$docker" = 1 ]; then
  apt_install docker.io
  command -v dockerd >/dev/null && echo "lambda runtimes: $(dockerd --version)"
fi
