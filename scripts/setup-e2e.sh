#!/usr/bin/env bash
# Sets up what the real-editor tests need, offline except for Debian apt and the npm registry:
# Debian packages (Chromium for the UI check, Neovim for the LSP check, build tools for
# code-server's native addons) and code-server 4.100.3 (VS Code 1.100.3, the newest on Node 20)
# in .e2e/code-server. Idempotent: a second run only checks and returns in about a second.
#
# Usage: scripts/setup-e2e.sh [--no-apt]      (SBD_CODE_SERVER_VERSION overrides the version)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
version="${SBD_CODE_SERVER_VERSION:-4.100.3}"
dest=".e2e/code-server"
bin="$dest/node_modules/.bin/code-server"
use_apt=1
[[ "${1:-}" == "--no-apt" ]] && use_apt=0
log() { echo "[setup-e2e] $*" >&2; }

# --- Debian packages (only those missing; one apt-get update at most) ---
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v nvim >/dev/null || need+=(neovim)
command -v rg >/dev/null || need+=(ripgrep)
command -v pkg-config >/dev/null || need+=(pkg-config)
[[ -f /usr/include/gssapi/gssapi.h ]] || need+=(libkrb5-dev)
# Without a font the workbench renders tofu, which makes screenshots useless.
[[ -d /usr/share/fonts/truetype/dejavu ]] || need+=(fonts-dejavu-core)
for tool in g++ make python3; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [[ ${#need[@]} -gt 0 ]]; then
  if [[ $use_apt == 0 ]]; then log "missing: ${need[*]} (run without --no-apt to install)"; exit 2; fi
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- code-server from npm ---
installed=""
[[ -x "$bin" ]] && installed="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).version' "$dest/node_modules/code-server/package.json" 2>/dev/null || true)"
if [[ "$installed" == "$version" ]]; then
  log "code-server $version already in $dest"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

# code-server's bundled VS Code pulls @vscode/ripgrep, whose postinstall downloads rg from
# GitHub. It first looks in $TMPDIR/vscode-ripgrep-cache-<version>/, so seed that cache with a
# tarball of Debian's rg (the version comes from the shrinkwrap, the release tag from the
# package's postinstall script).
( cd "$work" && npm pack "code-server@$version" >/dev/null 2>&1 \
  && tar xzf "code-server-$version.tgz" package/lib/vscode/npm-shrinkwrap.json )
rg_version="$(node -p '(require(process.argv[1]).packages["node_modules/@vscode/ripgrep"] || {}).version || ""' \
  "$work/package/lib/vscode/npm-shrinkwrap.json")"
if [[ -n "$rg_version" ]]; then
  ( cd "$work" && npm pack "@vscode/ripgrep@$rg_version" >/dev/null 2>&1 \
    && tar xzf "vscode-ripgrep-$rg_version.tgz" package/lib/postinstall.js )
  rg_tag="$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$work/package/lib/postinstall.js")"
  case "$(uname -m)" in
    x86_64) target=x86_64-unknown-linux-musl ;;
    aarch64) target=aarch64-unknown-linux-musl ;;
    *) log "unsupported architecture $(uname -m)"; exit 2 ;;
  esac
  cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$rg_version"
  mkdir -p "$cache" "$work/rg"
  cp "$(command -v rg)" "$work/rg/rg"
  tar czf "$cache/ripgrep-$rg_tag-$target.tar.gz" -C "$work/rg" rg
fi

mkdir -p "$dest"
dest_abs="$(cd "$dest" && pwd)"
[[ -f "$dest/package.json" ]] || (cd "$dest" && npm init -y >/dev/null)
log "installing code-server $version into $dest (about 80 s)"
# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes: node-pty's postinstall runs `npx node-gyp`, which a `yes=false` npmrc would cancel.
# Native addons that find no prebuilt binary (argon2, kerberos) compile with node-gyp.
( cd "$dest" && npm_config_unsafe_perm=true npm_config_yes=true \
  npm i "code-server@$version" --foreground-scripts --no-audit --no-fund >"$dest_abs/install.log" 2>&1 ) \
  || { tail -40 "$dest/install.log" >&2; exit 1; }
"$bin" --config "$work/config.yaml" --version >/dev/null 2>&1 || { log "code-server does not start; see $dest/install.log"; exit 1; }
log "code-server $version installed in $(( $(date +%s) - start )) s"
