#!/usr/bin/env bash
# Installs what the end-to-end suite needs, idempotently and cached between runs:
#   - Debian packages: chromium (headless browser), libkrb5-dev + ripgrep (needed by code-server's postinstall),
#     python3, make, g++ if missing (node-gyp);
#   - the ripgrep tarball that @vscode/ripgrep would otherwise download from GitHub, in its cache folder;
#   - code-server (VS Code's workbench + extension host served on localhost), installed with npm into a tool
#     folder outside the extension's own dependencies: ${TOKENSCOPE_TOOLS_DIR:-<repo>/.tools}/code-server.
# Safe on a fresh machine and in CI (no stdin needed). Exits non-zero if anything is missing at the end.
# See test/e2e/README.md for why each step is needed.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${TOKENSCOPE_TOOLS_DIR:-$REPO_DIR/.tools}"
CODE_SERVER_VERSION="4.99.4"  # VS Code 1.99.3; the last line that runs on Node 20
CODE_SERVER_DIR="$TOOLS_DIR/code-server"
CODE_SERVER_BIN="$CODE_SERVER_DIR/node_modules/.bin/code-server"
CODE_SERVER_MARKER="$CODE_SERVER_DIR/.installed-$CODE_SERVER_VERSION"
# @vscode/ripgrep version used by code-server 4.99.4, and the ripgrep release it downloads.
VSCODE_RIPGREP_VERSION="1.15.11"
RIPGREP_RELEASE="v13.0.0-10"
APT_PACKAGES=(chromium libkrb5-dev ripgrep)
# Commands node-gyp needs to build code-server's native modules, and the Debian package that provides each.
BUILD_TOOLS=(python3:python3 make:make g++:g++)

START_ALL=$SECONDS
DID=()
log() { printf 'e2e-setup: %s\n' "$*"; }
die() { printf 'e2e-setup: ERROR: %s\n' "$*" >&2; exit 1; }
step_time() { printf '%ds' $(( SECONDS - $1 )); }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else SUDO=(); fi
fi

# ---------------------------------------------------------------- Debian packages
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
t=$SECONDS
missing=()
for p in "${APT_PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
for tp in "${BUILD_TOOLS[@]}"; do command -v "${tp%%:*}" >/dev/null 2>&1 || missing+=("${tp#*:}"); done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing Debian packages (${missing[*]}) and no apt-get to install them"
  if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then die "missing Debian packages (${missing[*]}); run as root or install them"; fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$(mktemp)"
  if ! { "${SUDO[@]}" apt-get update -q && \
         "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; } </dev/null >"$apt_log" 2>&1; then
    tail -n 40 "$apt_log" >&2
    die "apt-get failed to install: ${missing[*]}"
  fi
  rm -f "$apt_log"
  DID+=("apt: ${missing[*]} ($(step_time $t))")
else
  log "Debian packages present: ${APT_PACKAGES[*]}"
fi

# ---------------------------------------------------------------- ripgrep cache for @vscode/ripgrep
case "$(uname -m)" in
  x86_64) RG_TARGET="x86_64-unknown-linux-musl" ;;
  aarch64|arm64) RG_TARGET="aarch64-unknown-linux-musl" ;;
  *) die "unsupported architecture $(uname -m) for the ripgrep cache" ;;
esac
# Same tmpdir that @vscode/ripgrep's postinstall will see (npm does not change TMPDIR for scripts).
RG_CACHE_DIR="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION"
RG_TARBALL="$RG_CACHE_DIR/ripgrep-$RIPGREP_RELEASE-$RG_TARGET.tar.gz"
if [ -f "$RG_TARBALL" ] && [ "$(tar -tzf "$RG_TARBALL" 2>/dev/null)" = "rg" ]; then
  log "ripgrep cache present: $RG_TARBALL"
else
  t=$SECONDS
  RG_SRC="$(command -v rg || true)"
  [ -n "$RG_SRC" ] || die "rg not found (Debian package ripgrep)"
  mkdir -p "$RG_CACHE_DIR"
  tmp="$(mktemp -d)"
  cp "$RG_SRC" "$tmp/rg" && chmod 755 "$tmp/rg"
  tar -czf "$RG_TARBALL.partial" -C "$tmp" rg
  mv "$RG_TARBALL.partial" "$RG_TARBALL"
  rm -rf "$tmp"
  DID+=("ripgrep cache: $RG_TARBALL ($(step_time $t))")
fi

# ---------------------------------------------------------------- code-server
# npm 11 blocks dependencies' install scripts unless the project allows them (allowScripts in package.json or
# allow-scripts in a project .npmrc; npm refuses --allow-scripts / npm_config_allow_scripts for project installs).
# code-server's postinstall runs a nested `npm install` in lib/vscode, a project of its own, whose native modules
# would be skipped silently. So: extract without scripts, allow the nested modules in lib/vscode/.npmrc, rebuild.
TOP_ALLOWED='"code-server": true, "argon2": true'
VSCODE_ALLOWED="@parcel/watcher,@vscode/deviceid,@vscode/ripgrep,@vscode/spdlog,kerberos,native-watchdog,node-pty"
# Files that exist only if the install scripts really ran (argon2 is required at startup; the rest by the server).
CS_PKG="$CODE_SERVER_DIR/node_modules/code-server"
BUILT_FILES=(
  "$CODE_SERVER_DIR/node_modules/argon2/lib/binding/napi-v3/argon2.node"
  "$CS_PKG/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  "$CS_PKG/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
  "$CS_PKG/lib/vscode/node_modules/node-pty/build/Release/pty.node"
  "$CS_PKG/lib/vscode/node_modules/kerberos/build/Release/kerberos.node"
  "$CS_PKG/lib/vscode/node_modules/native-watchdog/build/Release/watchdog.node"
  "$CS_PKG/lib/vscode/node_modules.asar"
)
installed_version() {
  node -p "require('$CS_PKG/package.json').version" 2>/dev/null || true
}
all_built() { for f in "${BUILT_FILES[@]}"; do [ -e "$f" ] || return 1; done; }
if [ -f "$CODE_SERVER_MARKER" ] && [ -x "$CODE_SERVER_BIN" ] && [ "$(installed_version)" = "$CODE_SERVER_VERSION" ] && all_built; then
  log "code-server $CODE_SERVER_VERSION present: $CODE_SERVER_DIR"
else
  t=$SECONDS
  log "installing code-server@$CODE_SERVER_VERSION into $CODE_SERVER_DIR (a few minutes on 2 cores)"
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  cat > "$CODE_SERVER_DIR/package.json" <<JSON
{
  "name": "tokenscope-e2e-tools",
  "private": true,
  "description": "code-server for the Tokenscope e2e suite; written by scripts/e2e/setup.sh",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { $TOP_ALLOWED }
}
JSON
  INSTALL_LOG="$CODE_SERVER_DIR/install.log"
  # Node headers for node-gyp from the local Node install, so no download from nodejs.org is attempted.
  NODE_PREFIX="$(dirname "$(dirname "$(node -p process.execPath)")")"
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$NODE_PREFIX/include/node/common.gypi" ]; then
    export npm_config_nodedir="$NODE_PREFIX"
  fi
  # unsafe_perm: its postinstall refuses to run as root otherwise; yes: `npx node-gyp` would wait for a yes.
  export npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false \
         npm_config_update_notifier=false npm_config_foreground_scripts=true
  run_logged() {  # run in $CODE_SERVER_DIR, output to the log; show the log's tail and fail on error
    if ! ( cd "$CODE_SERVER_DIR" && "$@" </dev/null >>"$INSTALL_LOG" 2>&1 ); then
      tail -n 60 "$INSTALL_LOG" >&2
      die "'$*' failed in $CODE_SERVER_DIR; full log: $INSTALL_LOG"
    fi
  }
  run_logged npm install --ignore-scripts
  printf 'allow-scripts=%s\n' "$VSCODE_ALLOWED" > "$CS_PKG/lib/vscode/.npmrc"
  log "  extracted in $(step_time $t); building native modules"
  run_logged npm rebuild
  [ "$(installed_version)" = "$CODE_SERVER_VERSION" ] || die "code-server installed, but not version $CODE_SERVER_VERSION"
  for f in "${BUILT_FILES[@]}"; do [ -e "$f" ] || { tail -n 60 "$INSTALL_LOG" >&2; die "install scripts did not produce $f; log: $INSTALL_LOG"; }; done
  touch "$CODE_SERVER_MARKER"
  DID+=("code-server $CODE_SERVER_VERSION ($(step_time $t))")
fi

# ---------------------------------------------------------------- playwright-core (a devDependency of the repo)
if [ ! -f "$REPO_DIR/node_modules/playwright-core/package.json" ]; then
  t=$SECONDS
  log "installing the repo's dependencies (playwright-core missing)"
  ( cd "$REPO_DIR" && npm ci --no-audit --no-fund </dev/null >/dev/null ) || die "npm ci failed in $REPO_DIR"
  DID+=("npm ci ($(step_time $t))")
fi

# ---------------------------------------------------------------- final check: fail loudly if anything is missing
problems=()
for p in "${APT_PACKAGES[@]}"; do pkg_installed "$p" || problems+=("Debian package $p"); done
[ -x /usr/bin/chromium ] || problems+=("/usr/bin/chromium")
command -v rg >/dev/null 2>&1 || problems+=("rg")
[ -f "$RG_TARBALL" ] || problems+=("ripgrep cache $RG_TARBALL")
[ -f "$REPO_DIR/node_modules/playwright-core/package.json" ] || problems+=("playwright-core in $REPO_DIR/node_modules")
for f in "${BUILT_FILES[@]}"; do [ -e "$f" ] || problems+=("$f (built by code-server's install scripts)"); done
# Own XDG folders: otherwise code-server writes a default config (with a password) to ~/.config/code-server.
xdg_tmp="$(mktemp -d)"
cs_version="$(XDG_CONFIG_HOME="$xdg_tmp/config" XDG_DATA_HOME="$xdg_tmp/data" "$CODE_SERVER_BIN" --version 2>/dev/null \
              | grep -E '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -n 1 || true)"
rm -rf "$xdg_tmp"
case "$cs_version" in
  "$CODE_SERVER_VERSION "*) ;;
  *) problems+=("code-server $CODE_SERVER_VERSION at $CODE_SERVER_BIN (got: '${cs_version:-nothing}')") ;;
esac
chromium_version="$(/usr/bin/chromium --version 2>/dev/null || true)"
[ -n "$chromium_version" ] || problems+=("a working chromium (/usr/bin/chromium --version failed)")
if [ ${#problems[@]} -gt 0 ]; then
  for p in "${problems[@]}"; do printf 'e2e-setup: MISSING: %s\n' "$p" >&2; done
  die "setup incomplete"
fi

if [ ${#DID[@]} -eq 0 ]; then log "nothing to do, everything cached"; else for d in "${DID[@]}"; do log "did: $d"; done; fi
log "code-server: $cs_version"
log "chromium: $chromium_version"
log "tools dir: $TOOLS_DIR"
log "done in $(( SECONDS - START_ALL ))s"
