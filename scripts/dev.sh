#!/usr/bin/env bash
# One-step set-up and run for a fresh machine.
#   scripts/dev.sh serve [--port 8000]   install, build the index from corpus/ if missing, serve
#   scripts/dev.sh test  [pytest args]   install with test tools, run ruff, mypy and pytest
# The virtual environment is .venv (or $TRACUU_VENV); Python is python3 (or $PYTHON), >= 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${TRACUU_VENV:-.venv}
PY=${PYTHON:-python3}
PIP_FLAGS=(--quiet --disable-pip-version-check)

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "creating $VENV with $("$PY" --version)" >&2
    "$PY" -m venv "$VENV"
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  serve)
    ensure_venv
    "$VENV/bin/pip" install "${PIP_FLAGS[@]}" -e .
    exec "$VENV/bin/tracuu" serve "$@"
    ;;
  test)
    ensure_venv
    # torch first, pinned to the CPU build on disk: a bare torch pulls a multi-GB CUDA build.
    "$VENV/bin/pip" install "${PIP_FLAGS[@]}" torch==2.13.0
    "$VENV/bin/pip" install "${PIP_FLAGS[@]}" -e '.[st,test]'
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    "$VENV/bin/mypy"
    export HF_HUB_OFFLINE=1
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh serve|test [args]" >&2
    exit 2
    ;;
esac
