"""Nudge entry point: `python main.py` opens the app; `python main.py index|search|evaluate|status|remove ...`."""

import sys

from app.cli import main

if __name__ == "__main__":  # guard needed: import worker processes re-import this module
    sys.exit(main())
