"""Before `main.py` opens the app instead of running a command: a first word that looks like a mistyped command,
and no display to open the window on. Each check gives the message to print, or ""."""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Collection
from pathlib import Path

VALUE_OPTIONS = ("--data-dir", "--heads")  # options before the command that take a value
# Qt's own options that take a value (the app passes options it does not know to QApplication)
QT_VALUE_OPTIONS = ("-platform", "-platformpluginpath", "-platformtheme", "-plugin", "-qmljsdebugger",
                    "-qwindowgeometry", "-qwindowicon", "-qwindowtitle", "-session", "-style", "-stylesheet",
                    "-display", "-geometry", "-title", "-visual", "-ncols", "-fontengine")


def first_positional(argv: list[str]) -> str | None:
    """The first word of ``argv`` that is neither an option nor an option's value (the command, or a sound file)."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in VALUE_OPTIONS or word in QT_VALUE_OPTIONS:
            i += 2
        elif word.startswith("-"):
            i += 1
        else:
            return word
    return None


def mistyped_command(argv: list[str], commands: Collection[str]) -> str:
    """A first word that is no command and no existing file but reads as a command: close to one ("serch"), or a
    bare word without a file suffix ("import"). A missing file name with a suffix opens the app, which says so."""
    word = first_positional(argv)
    if word is None or word in commands or Path(word).expanduser().exists():
        return ""
    close = difflib.get_close_matches(word.lower(), sorted(commands), n=1, cutoff=0.6)
    if not close and Path(word).suffix:
        return ""
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"unknown command {word!r}{hint}. The commands are {', '.join(sorted(commands))}; a sound file opens "
            "the app with it as the query (python main.py --help)")


def dashed_file(argv: list[str]) -> str:
    """A sound file whose name starts with "-" given to open the app: it would be read as an option and dropped."""
    for word in argv:
        if word == "--":
            return ""
        if word.startswith("-") and word not in VALUE_OPTIONS and Path(word).is_file():
            return (f"{word!r} reads as an option, not as the file of that name: to open it as the query, give "
                    f"./{word}")
    return ""


def no_display() -> str:
    """Why the app's window cannot open here (Linux without X11 or Wayland, no Qt platform chosen), or ""."""
    env = os.environ
    if not sys.platform.startswith("linux") or any(env.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY",
                                                                        "QT_QPA_PLATFORM")):
        return ""
    return ("no display to open the app on (DISPLAY and WAYLAND_DISPLAY are not set): run it in a desktop session, "
            "or without one as `xvfb-run -a python main.py`; the commands need none (python main.py --help)")
