"""The first release's val/eval recordings are moved out of the new catalog's train split."""

import csv

from training.legacy_holdout import hold_out, legacy_heldout_md5s


def test_old_eval_recordings_move_to_eval(tmp_path):
    (tmp_path / "manifest.csv").write_text(
        "class,package,license,file,duration,source_path,md5\n"
        "rain,p,L,rain/p__a.ogg,1,/a.ogg,aaa\nrain,p,L,rain/p__b.ogg,1,/b.ogg,bbb\ndog,p,L,dog/p__c.ogg,1,/c.ogg,ccc\n")
    with open(tmp_path / "split.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "class", "role", "group", "split", "subset"])
        w.writerows([["x", "rain", "bg", "rain/p__a.ogg", "eval", "eval"],
                     ["y", "rain", "bg", "rain/p__b.ogg", "dev", "train"],
                     ["z", "dog", "fg", "dog/p__c.ogg", "dev", "val"]])
    md5s = legacy_heldout_md5s(tmp_path)
    assert md5s == {"aaa", "ccc"}
    rows = [{"md5": "aaa", "group": "g1", "split": "train"}, {"md5": "zzz", "group": "g1", "split": "val"},
            {"md5": "bbb", "group": "g2", "split": "train"}, {"md5": "ccc", "group": "g3", "split": "ood"}]
    assert hold_out(rows, md5s) == 1
    assert [r["split"] for r in rows] == ["eval", "val", "train", "ood"]
