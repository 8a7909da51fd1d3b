"""Class 3: links out of the inbox. Only regular files physically under the inbox are read: a link to a secret
file or to a return elsewhere, or a linked folder, is reported and never followed; the raw store is owner-only."""
from __future__ import annotations

import os
import stat

from tests.support.returns import csv_bytes, household
from tests.support.hostile import V1, V2, assert_night_survives, query, tiny_city


def test_links_are_reported_not_followed_and_the_raw_store_is_private(prefect_harness, tmp_path):
    inbox = tiny_city(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "shadow"
    secret.write_bytes(b"root:$6$secret-hash:19000:0:99999:7:::\n")
    (outside / f"{V2}_202003.csv").write_bytes(csv_bytes([household(V2, 1)]))
    (outside / "county").mkdir()
    (outside / "county" / f"{V2}_202002.csv").write_bytes(csv_bytes([household(V2, 1)]))
    os.symlink(secret, inbox / f"{V1}_202002.csv")
    os.symlink(outside / f"{V2}_202003.csv", inbox / f"{V2}_202003.csv")
    os.symlink(outside / "county", inbox / "linked-county")
    os.symlink(outside / "gone.csv", inbox / f"{V2}_202001.csv")  # dangling: reported too, not skipped
    assert_night_survives(tmp_path, {name: ("FILE_UNREADABLE", "符号链接") for name in (
        f"{V1}_202002.csv", f"{V2}_202003.csv", "linked-county", f"{V2}_202001.csv")})
    assert query(tmp_path, "SELECT count(*) FROM source_files WHERE village_code = ? AND status = 'loaded'",
                 [V2]) == [(0,)]
    kept = [p for p in (tmp_path / "raw").rglob("*")]
    assert all(b"secret-hash" not in p.read_bytes() for p in kept if p.is_file())
    assert kept and all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in [tmp_path / "raw", *kept])
