#!/usr/bin/env bash
# Downloads npm packages as tarballs into a folder, through the machine's CA bundle, and says why when
# it cannot: npm's own error is printed, never silenced. Usage: npm-pack.sh DEST SPEC...
# The bundle is NODE_EXTRA_CA_CERTS or the system's; it is passed as npm's cafile so that neither
# which Node runs npm nor which npmrc files it finds decides whether a TLS-intercepting proxy is trusted.
set -euo pipefail
[ "$#" -ge 2 ] || { echo "npm-pack: usage: npm-pack.sh DEST SPEC..." >&2 && exit 2; }
dest="$1"
shift
ca_bundle="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
[ -r "$ca_bundle" ] || { echo "npm-pack: no CA bundle at $ca_bundle (set NODE_EXTRA_CA_CERTS)" >&2 && exit 1; }
mkdir -p "$dest"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! npm pack --cafile "$ca_bundle" --pack-destination "$dest" --loglevel=error "$@" >"$log" 2>&1; then
  tail -20 "$log" >&2
  echo "npm-pack: could not fetch $* from $(npm config get registry 2>/dev/null || echo 'the registry')" >&2
  exit 1
fi
