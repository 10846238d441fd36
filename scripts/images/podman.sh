# shellcheck shell=bash
# Source this to run podman with the repository's settings (runc, cgroupfs, no default ulimits).
# Fails with the command to run when podman is not installed.
__icon_fanout_images_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="$__icon_fanout_images_dir/containers.conf"
if ! command -v podman >/dev/null 2>&1; then
  echo "images: podman is not installed; on Debian: apt-get install podman runc debootstrap" >&2
  return 1 2>/dev/null || exit 1
fi
