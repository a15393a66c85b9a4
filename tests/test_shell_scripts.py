"""Every pipeline and setup script parses (bash -n): a broken resumable step would only show hours into a run."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted([*ROOT.glob("training/*.sh"), *ROOT.glob("scripts/*.sh"), ROOT / ".ci" / "run"])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_script_parses(script):
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_pipeline_scripts_are_found():
    names = {p.name for p in SCRIPTS}
    assert {"run_finetune.sh", "run_more_pairs.sh", "run_v2.sh", "demo_check.sh", "run"} <= names
