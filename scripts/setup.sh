#!/usr/bin/env bash
# One-command setup. `scripts/setup.sh app` installs everything and launches Nudge on the demo
# library; `scripts/setup.sh test` installs everything (plus test tools) and runs lint + tests.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"
case "$mode" in app|test) ;; *) echo "usage: scripts/setup.sh app|test" >&2; exit 2 ;; esac

# System libraries: sox (dataset synthesis), PortAudio (playback), espeak-ng (speech test clip),
# Xvfb (screenshots), the xcb/EGL libraries Qt's platform plugins load and dbus (the "Show in folder" test
# runs a private session bus).
system_packages=(sox libsox-fmt-all libportaudio2 espeak-ng xvfb xauth
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-image0
  libxcb-render-util0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1 libfontconfig1
  libdbus-1-3 libglib2.0-0 dbus)
install_missing() {  # apt packages not installed yet
  local missing=() package sudo=""
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
}
install_missing "${system_packages[@]}"

# Python 3.11 or newer (PYTHON=... to choose one), with its venv module (Debian ships it apart: pythonX.Y-venv)
new_enough() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  if ! new_enough "$python" && [ -z "${PYTHON:-}" ]; then  # the first that runs and is new enough
    for candidate in python3.11 python3.12 python3.13 python3.14 python3.15; do
      new_enough "$candidate" && python=$candidate && break
    done
  fi
  found=$("$python" --version 2>/dev/null || echo "no working $python")
  new_enough "$python" || { echo "Nudge needs Python 3.11 or newer; found: $found." \
    "Install python3.11 (and python3.11-venv), or set PYTHON=/path/to/python3.11" >&2; exit 1; }
  if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    install_missing "python$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
  fi
  "$python" -m venv .venv
fi
requirements=requirements.txt nodeps=requirements-nodeps.txt
[ "$mode" = test ] && requirements=requirements-dev.txt nodeps=requirements-nodeps-dev.txt
.venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -r "$nodeps"

if [ "$mode" = test ]; then
  .venv/bin/ruff check .
  .venv/bin/lint-imports  # layer contracts: pyproject.toml [tool.importlinter]
  exec .venv/bin/python -m pytest
fi
exec bash scripts/launch.sh
