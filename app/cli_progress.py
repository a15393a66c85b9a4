"""The command line's progress bars (tqdm, on stderr): one for an evaluation's pairs, and the import's, one bar per
stage (the files, then the short files read for the reranking)."""

from __future__ import annotations

import sys


def progress_bar(total: int | None, unit: str = "file"):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


class ImportBars:
    """``import_folders``'s progress callback: a bar per stage, none for a stage with nothing to do (a rescan with
    nothing new); ``close`` when the import ends."""

    def __init__(self, evidence_stage: str) -> None:
        self.evidence_stage = evidence_stage
        self.bar = None
        self.stage = "import"

    def __call__(self, p) -> None:
        if p.total == 0:
            return
        if self.bar is not None and p.stage != self.stage:
            self.close()
        if self.bar is None:
            self.stage = p.stage
            self.bar = progress_bar(p.total)
            if p.stage == self.evidence_stage:
                self.bar.set_description("reading short files for the reranking")
        if p.stage != self.evidence_stage:
            self.bar.set_postfix_str(f"failed {p.failed}", refresh=False)
        self.bar.update(p.done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
