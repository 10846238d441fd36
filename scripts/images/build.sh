#!/usr/bin/env bash
# Builds the apps' images with podman from their real Dockerfiles, as production builds them, on
# the stand-in base image where Docker Hub's is absent. Prints one JSON line per image:
# {"app","tag","seconds","bytes"}. Usage: scripts/images/build.sh [app ...] (default: every app
# with a Dockerfile).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=podman.sh
. "$root/scripts/images/podman.sh"
cd "$root"

apps=("$@")
if [ "${#apps[@]}" -eq 0 ]; then
  for dockerfile in apps/*/Dockerfile; do apps+=("$(basename "$(dirname "$dockerfile")")"); done
fi
bash scripts/images/stand-in-node-base.sh

for app in "${apps[@]}"; do
  [ -f "apps/$app/Dockerfile" ] || { echo "images: apps/$app has no Dockerfile" >&2 && exit 1; }
  tag="localhost/icon-fanout-$app:local"
  started=$SECONDS
  log="$(mktemp)"
  if ! podman build --pull=never --network host --file "apps/$app/Dockerfile" \
    --ignorefile "apps/$app/Dockerfile.dockerignore" --tag "$tag" . >"$log" 2>&1; then
    tail -40 "$log" >&2
    rm -f "$log"
    echo "images: building $app failed" >&2
    exit 1
  fi
  rm -f "$log"
  bytes="$(podman image inspect --format '{{.Size}}' "$tag")"
  printf '{"app":"%s","tag":"%s","seconds":%d,"bytes":%d}\n' "$app" "$tag" "$((SECONDS - started))" "$bytes"
  echo "images: $tag built in $((SECONDS - started)) s, $(numfmt --to=iec "$bytes")" >&2
done
