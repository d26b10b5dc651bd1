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

# System packages: Tesseract with its Vietnamese model (OCR of scanned PDFs), Graphviz
# (the citation graph's layout) and the DejaVu fonts (the UI's font; the tests draw
# Vietnamese PDFs and scans); for `test`, Chromium and its driver (the browser tests in
# tests/ui). Installed only when missing.
ensure_system_packages() {
  local missing=()
  if [ "${1:-}" = test ]; then
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  fi
  command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
  if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
    missing+=(tesseract-ocr-vie)
  fi
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  command -v dot >/dev/null 2>&1 || missing+=(graphviz)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "missing system packages: ${missing[*]}; install them as root:" >&2
      echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing system packages: ${missing[*]} (no apt-get here; install them by hand)" >&2
    return 1
  fi
  echo "installing system packages: ${missing[*]} (apt-get; about a minute)" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

cmd=${1:-}
shift || true
case "$cmd" in
  serve)
    ensure_system_packages
    ensure_venv
    if "$VENV/bin/pip" show --quiet tracuu >/dev/null 2>&1; then
      "$VENV/bin/pip" install "${PIP_FLAGS[@]}" -e .
    else
      # The first start: say what comes and show pip's progress instead of a silent wait.
      echo "first start: installing tracuu and its Python packages into $VENV" >&2
      echo "  (Gradio, FastAPI, FAISS, ONNX Runtime, underthesea, PDF and Word readers: about" >&2
      echo "  940 MB, 2-3 minutes; then the index of corpus/ is built, 1-2 minutes; later" >&2
      echo "  starts skip both)" >&2
      "$VENV/bin/pip" install --disable-pip-version-check --progress-bar on -e .
      echo "installed; next: the index is built from corpus/ when missing, then the server starts" >&2
    fi
    exec "$VENV/bin/tracuu" serve "$@"
    ;;
  test)
    ensure_system_packages test
    ensure_venv
    # torch first, pinned to the CPU build on disk: a bare torch pulls a multi-GB CUDA build.
    "$VENV/bin/pip" install "${PIP_FLAGS[@]}" torch==2.13.0
    "$VENV/bin/pip" install "${PIP_FLAGS[@]}" -e '.[st,test,milvus,ray]'
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
