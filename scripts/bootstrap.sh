#!/usr/bin/env bash
# Sets up a fresh machine for this project, then runs one job:
#   scripts/bootstrap.sh local [ARGS...]  installs everything and runs the example service locally on 127.0.0.1
#                                         (cdk-secure-serverless local: moto + the REST API; Ctrl-C stops it)
#   scripts/bootstrap.sh test    installs everything and runs the whole test suite (npx projen build)
#   scripts/bootstrap.sh synth   installs everything and synthesizes the example app (prints its template)
#   scripts/bootstrap.sh -- CMD  installs everything and runs CMD with the project's Node and Python on PATH
# What it installs, only when missing: Node 24 (the `node` package from the npm registry, into ~/.cache),
# the npm dependencies (npm ci), and a Python virtualenv .venv with the pinned Python tools of requirements-dev.txt (moto, cfn-lint, cfn-lint-serverless, checkov).
# `test` also builds the Python, Java and Go packages and runs consumer apps with them (npx projen test:languages):
# it checks that python3 (with venv), a JDK 17+, Maven, Go, Chromium and the AWS CLI are installed and says how to
# install them if not.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_MAJOR=24
NODE_HOME="${CDK_SECURE_SERVERLESS_NODE_HOME:-$HOME/.cache/cdk-secure-serverless/node$NODE_MAJOR}"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

ensure_node() {
  if node --version 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then return; fi
  if ! "$NODE_HOME/node_modules/.bin/node" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then
    log "installing Node $NODE_MAJOR into $NODE_HOME"
    command -v npm >/dev/null || { echo "npm is required to install Node $NODE_MAJOR" >&2; exit 1; }
    mkdir -p "$NODE_HOME"
    npm install --prefix "$NODE_HOME" --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >&2
  fi
  export PATH="$NODE_HOME/node_modules/.bin:$PATH"
  node --version | grep -q "^v$NODE_MAJOR\." || { echo "could not install Node $NODE_MAJOR" >&2; exit 1; }
}

ensure_npm_deps() {
  local stamp=node_modules/.bootstrap-stamp
  local want
  want="$(node --version) $(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > "$stamp"
}

ensure_python_tools() {
  local stamp=.venv/.bootstrap-stamp
  local want
  want="$(sha256sum requirements-dev.txt | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  command -v python3 >/dev/null || { echo "python3 (3.9+) is required for moto, cfn-lint and checkov" >&2; exit 1; }
  log "installing the Python tools of requirements-dev.txt into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt >&2
  echo "$want" > "$stamp"
}

# The generated Go module says `go 1.25`. Go 1.21+ fetches that toolchain by itself unless GOTOOLCHAIN=local, which
# forbids it: then the installed Go must be 1.25 or later.
GO_MODULE_MINOR=25
go_toolchain_problem() {
  local version minor toolchain
  version="$(go env GOVERSION 2>/dev/null)" || { echo "Go 1.$GO_MODULE_MINOR or later (https://go.dev/doc/install)"; return 1; }
  minor="$(printf '%s' "$version" | sed -En 's/^go1\.([0-9]+).*/\1/p')"
  toolchain="$(go env GOTOOLCHAIN 2>/dev/null)"
  if [ "${toolchain%%+*}" = local ]; then
    [ "${minor:-0}" -ge "$GO_MODULE_MINOR" ] && return 0
    echo "Go 1.$GO_MODULE_MINOR or later: $version is installed and GOTOOLCHAIN=local forbids fetching go1.$GO_MODULE_MINOR (install a newer Go, or unset GOTOOLCHAIN)"
    return 1
  fi
  [ "${minor:-0}" -ge 21 ] && return 0
  echo "Go 1.21 or later, which fetches the go1.$GO_MODULE_MINOR toolchain the module needs: $version is installed (https://go.dev/doc/install)"
  return 1
}

# The consumer apps of test/languages/ need each language's own toolchain; their packages come from PyPI, Maven
# Central and the Go module proxy during the test.
ensure_language_toolchains() {
  local missing=()
  python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=("python3 with venv and ensurepip (Debian/Ubuntu: apt-get install python3-venv)")
  java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])' || missing+=("a JDK 17 or later (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless)")
  command -v mvn >/dev/null || missing+=("Maven 3.8 or later (Debian/Ubuntu: apt-get install maven)")
  local go_problem
  go_problem="$(go_toolchain_problem)" || missing+=("$go_problem")
  # Local mode's /_docs page is tested in headless Chromium, its Cognito commands with the AWS CLI.
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=("Chromium at ${CHROMIUM:-/usr/bin/chromium} (Debian/Ubuntu: apt-get install chromium; or set CHROMIUM)")
  command -v aws >/dev/null || missing+=("the AWS CLI, for local mode's printed Cognito commands (pip install awscli)")
  if [ "${#missing[@]}" -gt 0 ]; then
    printf 'scripts/bootstrap.sh test builds and uses the Python, Java and Go packages; missing:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
  fi
}

# Bundles the handlers and compiles the library only when their inputs changed since the last build, so a second
# `local` or `synth` on a built checkout starts at once.
ensure_built() {
  local stamp=lib/.bootstrap-build-stamp
  local want
  want="$(find src lambda-src build-tools cli tsconfig.json package-lock.json -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f assets/items/index.js ]; then return; fi
  log "building the library (bundled handlers and jsii compile)"
  npx projen pre-compile >&2
  npx projen compile >&2
  echo "$want" > "$stamp"
}

ensure_node
ensure_npm_deps
ensure_python_tools
export PATH="$PWD/.venv/bin:$PWD/node_modules/.bin:$PATH"

case "${1:-}" in
  local) shift; ensure_built && exec node bin/cdk-secure-serverless local "$@" ;;
  test) ensure_language_toolchains && exec npx projen build ;;
  synth) ensure_built && exec npx projen example:synth ;;
  --) shift; exec "$@" ;;
  *) echo "usage: scripts/bootstrap.sh local [--stack NAME] [--port N] | test | synth | -- COMMAND [ARGS...]" >&2; exit 2 ;;
esac
