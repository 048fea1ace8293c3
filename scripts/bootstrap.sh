#!/usr/bin/env bash
# Sets up a fresh machine for this project, then runs one job:
#   scripts/bootstrap.sh local [ARGS...]  installs everything and runs the example service locally on 127.0.0.1
#                                         (cdk-secure-serverless local: moto + the REST API; Ctrl-C stops it)
#   scripts/bootstrap.sh test    installs everything and runs the whole test suite (npx projen build)
#   scripts/bootstrap.sh synth   installs everything and synthesizes the example app (prints its template)
#   scripts/bootstrap.sh -- CMD  installs everything and runs CMD with the project's Node and Python on PATH
# What it installs, only when missing: Node 24 (the `node` package from the npm registry, into ~/.cache),
# the npm dependencies (npm ci), and a Python virtualenv .venv with the pinned moto and cfn-lint.
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
  command -v python3 >/dev/null || { echo "python3 (3.9+) is required for moto and cfn-lint" >&2; exit 1; }
  log "installing moto and cfn-lint into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt >&2
  echo "$want" > "$stamp"
}

ensure_node
ensure_npm_deps
ensure_python_tools
export PATH="$PWD/.venv/bin:$PWD/node_modules/.bin:$PATH"

case "${1:-}" in
  local) shift; npx projen pre-compile >&2 && npx projen compile >&2 && exec node bin/cdk-secure-serverless local "$@" ;;
  test) exec npx projen build ;;
  synth) npx projen pre-compile >&2 && npx projen compile >&2 && exec npx projen example:synth ;;
  --) shift; exec "$@" ;;
  *) echo "usage: scripts/bootstrap.sh local [--stack NAME] [--port N] | test | synth | -- COMMAND [ARGS...]" >&2; exit 2 ;;
esac
