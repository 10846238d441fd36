# shellcheck shell=bash
# Source this file (`. scripts/toolchain.sh`) to put Node 24 and the pinned pnpm first on PATH.
# What the machine lacks comes from the npm registry into .toolchain/ (Node as the official binary
# in node-linux-<arch>), so any machine with Node and npm can build, test and synth the project.

__icon_fanout_toolchain() {
  local root dir node_version pnpm_version packages=() node_major pnpm_have arch
  root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
  dir="$root/.toolchain"
  node_version="$(tr -d ' \n' <"$root/.node-version")"
  pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$root/package.json")"

  case ":$PATH:" in
    *":$dir/node_modules/.bin:"*) ;;
    *) [ -d "$dir/node_modules/.bin" ] && PATH="$dir/node_modules/.bin:$PATH" ;;
  esac
  export PATH

  node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$node_major" -lt 24 ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) arch=x64 ;;
      Linux-aarch64) arch=arm64 ;;
      *)
        echo "toolchain: Node 24 is required; install it (e.g. 'nvm install' reads .nvmrc) and source this again" >&2
        return 1
        ;;
    esac
    packages+=("node-linux-$arch@$node_version")
  fi
  pnpm_have="$(pnpm --version 2>/dev/null || true)"
  [ "$pnpm_have" = "$pnpm_version" ] || packages+=("pnpm@$pnpm_version")

  if [ "${#packages[@]}" -gt 0 ]; then
    echo "toolchain: installing ${packages[*]} into .toolchain/" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "${packages[@]}" >&2 ||
      return 1
    case ":$PATH:" in
      *":$dir/node_modules/.bin:"*) ;;
      *) PATH="$dir/node_modules/.bin:$PATH" ;;
    esac
    export PATH
    hash -r 2>/dev/null || true
  fi
  echo "toolchain: node $(node --version), pnpm $(pnpm --version)" >&2
}
__icon_fanout_toolchain
