#!/usr/bin/env bash
# Builds a local stand-in for the official `node:24-bookworm-slim` image, for machines that cannot
# reach Docker Hub: Debian bookworm (debootstrap minbase), the Node binary of `.node-version` from
# the npm package node-linux-<arch>, npm, a `node` user (uid 1000) and this machine's CA bundle so
# npm and pnpm inside a build reach the registry through the machine's TLS set-up.
# The Dockerfiles stay exactly what production builds; only the base comes from here.
# Reuses the image when its recipe (this script, versions, CA bundle) is unchanged. Needs root.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=podman.sh
. "$root/scripts/images/podman.sh"

tag="docker.io/library/node:24-bookworm-slim"
node_version="$(tr -d ' \n' <"$root/.node-version")"
npm_version="11.21.2"
ca_bundle="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
case "$(uname -m)" in
  x86_64) node_arch=x64 deb_arch=amd64 ;;
  aarch64) node_arch=arm64 deb_arch=arm64 ;;
  *) echo "stand-in: unsupported machine $(uname -m)" >&2 && exit 1 ;;
esac
[ -r "$ca_bundle" ] || { echo "stand-in: no CA bundle at $ca_bundle (set NODE_EXTRA_CA_CERTS)" >&2 && exit 1; }
[ "$(id -u)" = 0 ] || { echo "stand-in: debootstrap needs root" >&2 && exit 1; }
command -v debootstrap >/dev/null || { echo "stand-in: apt-get install debootstrap" >&2 && exit 1; }

labels="$(podman image inspect --format '{{ json .Labels }}' "$tag" 2>/dev/null || true)"
if [ -n "$labels" ] && [[ "$labels" != *icon-fanout.stand-in* ]]; then
  echo "stand-in: $tag is the real image; leaving it" >&2
  exit 0
fi
recipe="$(cat "$0" "$ca_bundle" <(echo "$node_version $npm_version $deb_arch") | sha256sum | cut -c1-16)"
if [ "$(podman image inspect --format '{{ index .Labels "icon-fanout.stand-in" }}' "$tag" 2>/dev/null)" = "$recipe" ]; then
  echo "stand-in: $tag is current (recipe $recipe)" >&2
  exit 0
fi

started=$SECONDS
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
echo "stand-in: debootstrap bookworm ($deb_arch) …" >&2
debootstrap --variant=minbase --arch="$deb_arch" bookworm "$rootfs" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log" >&2 && exit 1; }

echo "stand-in: node $node_version and npm $npm_version from the npm registry …" >&2
bash "$root/scripts/images/npm-pack.sh" "$work" "node-linux-$node_arch@$node_version" "npm@$npm_version"
mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work/node-linux-$node_arch-$node_version.tgz" -C "$work/node"
install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
tar -xzf "$work/npm-$npm_version.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/usr/local/etc"
install -m 0644 "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
echo "cafile=/etc/ssl/certs/ca-certificates.crt" >"$rootfs/usr/local/etc/npmrc"
rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"* "$rootfs/var/log/"*

echo "stand-in: importing as $tag …" >&2
tar -C "$rootfs" --numeric-owner -c . | podman import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=$node_version" \
  --change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" \
  --change 'CMD ["node"]' \
  --change "LABEL icon-fanout.stand-in=$recipe" \
  --quiet - "$tag" >/dev/null
podman run --rm --network none "$tag" node -e 'process.exit(process.versions.node === process.argv[1] ? 0 : 1)' \
  "$node_version" || { echo "stand-in: $tag does not run node $node_version" >&2 && exit 1; }
echo "stand-in: built $tag in $((SECONDS - started)) s ($(podman image inspect --format '{{.Size}}' "$tag" | numfmt --to=iec))" >&2
