#!/usr/bin/env bash
# Runs the language server under headless Neovim's built-in LSP client and prints what Neovim
# shows for one file as one JSON line on stdout.
# Usage: neovim-lsp-diagnostics.sh [--min N] [--code RULE] [--timeout-ms N] [--root DIR] [--edit JSON] [--requests JSON] [--actions JSON] FILE -- SERVER_CMD...
# Exit: 0 ok, 1 timed out / no change after the edit, 2 server did not start or bad usage.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
while [[ $# -gt 0 && "$1" == --* ]]; do
  case "$1" in
    --min) export SBD_NVIM_MIN="$2"; shift 2 ;;
    --code) export SBD_NVIM_CODE="$2"; shift 2 ;;
    --timeout-ms) export SBD_NVIM_TIMEOUT_MS="$2"; shift 2 ;;
    --root) export SBD_NVIM_ROOT="$2"; shift 2 ;;
    --edit) export SBD_NVIM_EDIT="$2"; shift 2 ;;
    --requests) export SBD_NVIM_REQUESTS="$2"; shift 2 ;;
    --actions) export SBD_NVIM_ACTIONS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# -ge 3 && "$2" == "--" ]] || { sed -n '2,6p' "$0" >&2; exit 2; }
export SBD_NVIM_FILE="$1"; shift 2
SBD_NVIM_CMD="$(node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' -- "$@")"
export SBD_NVIM_CMD
# -u NONE / -i NONE: no user configuration, plugins or shada; Neovim's own messages go to stderr.
exec nvim --headless -u NONE -i NONE -n --cmd 'set noswapfile' -c "luafile $here/neovim-lsp-diagnostics.lua"
