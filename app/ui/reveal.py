"""Show a file in the platform's file manager (selected where the platform allows), else open its folder."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage
from PySide6.QtGui import QDesktopServices

FILE_MANAGER = "org.freedesktop.FileManager1"


def show_item_over_dbus(path: Path, bus: QDBusConnection | None = None) -> bool:
    """Ask the desktop's file manager (freedesktop FileManager1, e.g. Nautilus, Dolphin, Nemo)
    to open the file's folder with the file selected; False when no such service answers."""
    bus = bus if bus is not None else QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    names = bus.interface()
    if names is None or not names.isServiceRegistered(FILE_MANAGER).value():
        return False
    call = QDBusMessage.createMethodCall(FILE_MANAGER, "/org/freedesktop/FileManager1", FILE_MANAGER, "ShowItems")
    call.setArguments([[QUrl.fromLocalFile(str(path)).toString()], ""])
    reply = bus.call(call, QDBus.CallMode.Block, 3000)
    return reply.type() == QDBusMessage.MessageType.ReplyMessage


def reveal_in_folder(path: Path) -> bool:
    """Show the file in the platform file manager, selected; else open its folder.
    False when nothing could be asked to show it (no file manager, no xdg-open)."""
    if sys.platform == "darwin" and QProcess.startDetached("open", ["-R", str(path)]):
        return True
    if sys.platform == "win32" and QProcess.startDetached("explorer", [f"/select,{path}"]):
        return True
    if sys.platform.startswith("linux") and show_item_over_dbus(path):
        return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
