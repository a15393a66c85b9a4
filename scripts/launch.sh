#!/usr/bin/env bash
# Start Nudge from the repository's .venv. Without a display there is nothing to show: say how to run
# it on a headless machine and succeed (setup.sh ends here after a successful install).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != offscreen ]; then
  echo "Nudge is installed. No display found: it is a desktop app; on a headless machine run" >&2
  echo "  xvfb-run -a .venv/bin/python main.py" >&2
  exit 0
fi
echo "Nudge is installed; starting the app (its window opens in a few seconds; the first run offers the demo library)." >&2
exec .venv/bin/python main.py "$@"
