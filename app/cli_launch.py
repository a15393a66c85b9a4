"""Before `main.py` opens the app instead of running a command: a first word that looks like a mistyped command,
and no display to open the window on. Each check gives the message to print, or ""."""

from __future__ import annotations

import difflib
import os
import shlex
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
    if word is None or word in commands or os.path.exists(Path(word).expanduser()):  # False where it may not be read
        return ""
    close = difflib.get_close_matches(word.lower(), sorted(commands), n=1, cutoff=0.6)
    if not close and Path(word).suffix:
        return ""
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"unknown command {word!r}{hint}. The commands are {', '.join(sorted(commands))}; a sound file opens "
            f"the app with it as the query ({program()} --help)")


def _as_typed(path: Path) -> str:
    """A path relative to the current folder when it is inside it (".venv/bin/python"), else absolute."""
    try:
        return shlex.quote(os.fsdecode(path.relative_to(Path.cwd())))
    except ValueError:
        return shlex.quote(os.fsdecode(path))


def program() -> str:
    """The interpreter and main.py of this run, runnable as printed (a plain Debian PATH has no `python`)."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0].endswith("main.py") else (
        Path(__file__).resolve().parents[1] / "main.py")
    return f"{_as_typed(Path(sys.executable).absolute())} {_as_typed(script.absolute())}"


def dashed_file(argv: list[str]) -> str:
    """A sound file whose name starts with "-" given to open the app: it would be read as an option and dropped."""
    for word in argv:
        if word == "--":
            return ""
        if word.startswith("-") and word not in VALUE_OPTIONS and os.path.isfile(word):
            return (f"{word!r} reads as an option, not as the file of that name: to open it as the query, give "
                    f"./{word}")
    return ""


def no_display() -> str:
    """Why the app's window cannot open here (Linux without X11 or Wayland, no Qt platform chosen; or the display set
    answers no connection: a stale DISPLAY, where Qt would abort), or ""."""
    env = os.environ
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return ""
    x11, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    if not x11 and not wayland:
        return ("no display to open the app on (DISPLAY and WAYLAND_DISPLAY are not set): run it in a desktop "
                f"session, or without one as `xvfb-run -a {program()}`; the commands need none ({program()} --help)")
    if (x11 and x11_answers(x11)) or (wayland and wayland_answers(wayland, env.get("XDG_RUNTIME_DIR", ""))):
        return ""
    named = " and ".join(f"{k}={v}" for k, v in (("DISPLAY", x11), ("WAYLAND_DISPLAY", wayland)) if v)
    return (f"no display answers at {named} (its server has stopped, or the variable is left over from another "
            f"session): run the app in a desktop session, or without one as `xvfb-run -a {program()}`; the "
            f"commands need none ({program()} --help)")


def x11_answers(display: str, timeout: float = 3.0) -> bool:
    """Whether an X server accepts a connection at ``display`` (through libxcb, which Qt's xcb platform uses);
    True when that cannot be told (no libxcb, or no answer within ``timeout``: Qt then tries for itself)."""
    import ctypes
    import ctypes.util
    import threading

    try:
        xcb = ctypes.CDLL(ctypes.util.find_library("xcb") or "libxcb.so.1")
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    answer: list[bool] = []

    def connect() -> None:
        connection = xcb.xcb_connect(os.fsencode(display), None)
        answer.append(bool(connection) and xcb.xcb_connection_has_error(connection) == 0)
        if connection:
            xcb.xcb_disconnect(connection)

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout)
    return answer[0] if answer else True


def wayland_answers(display: str, runtime_dir: str) -> bool:
    """Whether a Wayland compositor's socket accepts a connection (``display`` a name in XDG_RUNTIME_DIR, or a
    path)."""
    import socket

    path = display if os.path.isabs(display) else os.path.join(runtime_dir, display)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(3.0)
            sock.connect(path)
        return True
    except OSError:
        return False
