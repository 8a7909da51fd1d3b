"""Class 1: file names. ASCII digits only, a real month, a correction rank of at most 99; nothing a name says
(a period, a rank, bytes that are not UTF-8) may make this or a later run fail; the city page lists them."""
from __future__ import annotations

import os

from tests.support.returns import csv_bytes, household
from tests.support.hostile import V2, assert_night_survives, query, tiny_city

HOSTILE_NAMES = {
    f"{V2}_２０２００３_v8.csv": "文件名不符合",          # full-width digits (Python's \d takes them)
    f"{V2}_٢٠٢٠٠٣.csv": "文件名不符合",                  # Arabic-Indic digits
    f"{V2}_202013.csv": "年月无效",                       # no 13th month
    f"{V2}_202003_v99999999999.csv": "更正版本号无效",   # once a Polars overflow
    f"{V2}_202003_v100.csv": "更正版本号无效",
    f"{V2}_202003\\xff\\xfe.csv": "文件名不符合",       # written below as bytes that are not UTF-8
}


def test_hostile_names_are_file_name_invalid_and_poison_nothing(prefect_harness, tmp_path):
    inbox = tiny_city(tmp_path)
    good_return = csv_bytes([household(V2, 1)])  # a good return under each bad name
    for name in list(HOSTILE_NAMES)[:-1]:
        (inbox / name).write_bytes(good_return)
    with open(os.fsencode(inbox) + b"/" + V2.encode() + b"_202003\xff\xfe.csv", "wb") as handle:
        handle.write(good_return)
    assert_night_survives(tmp_path, {name: ("FILE_NAME_INVALID", why) for name, why in HOSTILE_NAMES.items()})
    assert query(tmp_path, "SELECT count(*) FROM source_files WHERE village_code = ?", [V2]) == [(0,)]
    city_page = (tmp_path / "out" / "reports" / "index.html").read_text(encoding="utf-8")
    assert all(name in city_page for name in HOSTILE_NAMES)  # not only in problems.csv


def test_folders_whose_names_are_not_utf8_stay_apart(prefect_harness, tmp_path):
    """Folders named 五月 and 六月 in GBK (a zip made on Chinese Windows, unpacked here): each path keeps its own
    key, so the versions in them are two deliveries, once, and the current one stays put night after night."""
    from tests.support.runs import run_nightly

    inbox = tiny_city(tmp_path)
    for folder, wage in ((b"\xce\xe5\xd4\xc2", "1111"), (b"\xc1\xf9\xd4\xc2", "2222")):
        os.makedirs(os.fsencode(inbox) + b"/" + folder)
        with open(os.fsencode(inbox) + b"/" + folder + b"/" + f"{V2}_202003_v9.csv".encode(), "wb") as handle:
            handle.write(csv_bytes([household(V2, 1, wage=wage)]))
    current = "SELECT wage_income FROM households_current WHERE village_code = ? AND period = '202003'"
    run_nightly(tmp_path)
    first = query(tmp_path, current, [V2])
    paths = {p for (p,) in query(tmp_path, "SELECT path FROM deliveries WHERE file_name = ?", [f"{V2}_202003_v9.csv"])}
    assert paths == {f"\\xce\\xe5\\xd4\\xc2/{V2}_202003_v9.csv", f"\\xc1\\xf9\\xd4\\xc2/{V2}_202003_v9.csv"}
    for _ in range(2):
        run_nightly(tmp_path)
        assert query(tmp_path, current, [V2]) == first
    assert query(tmp_path, "SELECT count(*) FROM deliveries WHERE file_name = ?", [f"{V2}_202003_v9.csv"]) == [(2,)]


def test_folders_whose_names_differ_only_in_unicode_composition_stay_apart(prefect_harness, tmp_path):
    """Folders named café composed (NFC) and decomposed (NFD, as macOS writes it): two paths with two keys, so the
    versions in them are two deliveries, once, and the current one stays put night after night."""
    import unicodedata

    from tests.support.runs import run_nightly

    inbox = tiny_city(tmp_path)
    for form, wage in (("NFC", "1111"), ("NFD", "2222")):
        folder = inbox / unicodedata.normalize(form, "café")
        folder.mkdir()
        (folder / f"{V2}_202003_v9.csv").write_bytes(csv_bytes([household(V2, 1, wage=wage)]))
    current = "SELECT wage_income FROM households_current WHERE village_code = ? AND period = '202003'"
    run_nightly(tmp_path)
    first = query(tmp_path, current, [V2])
    for _ in range(2):
        run_nightly(tmp_path)
        assert query(tmp_path, current, [V2]) == first
    assert query(tmp_path, "SELECT count(*) FROM deliveries WHERE file_name = ?", [f"{V2}_202003_v9.csv"]) == [(2,)]
