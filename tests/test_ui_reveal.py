"""'Show in folder' on Linux: the freedesktop FileManager1 D-Bus call, against a private bus."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

FAKE_FILE_MANAGER = textwrap.dedent('''
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Slot
    from PySide6.QtDBus import QDBusConnection

    app = QCoreApplication([])

    class FileManager(QObject):
        @Slot("QStringList", str)
        def ShowItems(self, uris, startup_id):
            with open(sys.argv[2], "w") as f:
                f.write("\\n".join(uris))

    bus = QDBusConnection.connectToBus(sys.argv[1], "fake-file-manager")
    manager = FileManager()
    bus.registerObject("/org/freedesktop/FileManager1", "org.freedesktop.FileManager1", manager,
                       QDBusConnection.RegisterOption.ExportAllSlots)
    assert bus.registerService("org.freedesktop.FileManager1")
    print("ready", flush=True)
    app.exec()
''')


@pytest.fixture
def private_bus():
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    try:
        yield daemon.stdout.readline().strip()
    finally:
        daemon.terminate()
        daemon.wait(5)


def _connect(address: str):
    from PySide6.QtDBus import QDBusConnection

    bus = QDBusConnection.connectToBus(address, f"nudge-test-{time.monotonic_ns()}")
    assert bus.isConnected()
    return bus


def test_reveal_selects_the_file_through_the_file_manager(qapp, private_bus, tmp_path: Path) -> None:
    from PySide6.QtCore import QUrl

    from app.ui.reveal import show_item_over_dbus

    out = tmp_path / "shown.txt"
    script = tmp_path / "fake_file_manager.py"
    script.write_text(FAKE_FILE_MANAGER)
    manager = subprocess.Popen([sys.executable, str(script), private_bus, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert manager.stdout.readline().strip() == "ready"
        target = tmp_path / "odd name #1 é.wav"
        target.write_bytes(b"")
        assert show_item_over_dbus(target, _connect(private_bus)) is True
        assert out.read_text().splitlines() == [QUrl.fromLocalFile(str(target)).toString()]
    finally:
        manager.terminate()
        manager.wait(5)


def test_no_file_manager_on_the_bus_means_fall_back(qapp, private_bus, tmp_path: Path) -> None:
    from app.ui.reveal import show_item_over_dbus

    assert show_item_over_dbus(tmp_path / "x.wav", _connect(private_bus)) is False
