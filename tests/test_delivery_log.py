"""The delivery log keeps every delivery whatever its name holds."""
from __future__ import annotations

from datetime import datetime

import polars as pl

from tasks.ingest.deliveries import SCHEMA, append_log, last_logged_id, read_log


def test_names_with_line_separators_are_read_back_whole(tmp_path):
    """JSON written with ensure_ascii=False keeps U+2028, U+0085 and form feed raw inside a line: the log is read
    line by line on \\n only, so those deliveries are not taken for lines cut short by a crash."""
    names = ["430521003002_202005_v9.csv\u2028", "430521003002_202005_v8.csv\x85", "a\x0cb.csv", "plain.csv"]
    frame = pl.DataFrame({"delivery_id": [1, 2, 3, 4], "path": names, "sha256": ["s1", "s2", "s3", "s4"],
                          "file_name": names, "run_id": [1, 1, 2, 2],
                          "delivered_at": [datetime(2020, 5, 1)] * 4}, schema=SCHEMA)
    append_log(tmp_path, frame)
    assert read_log(tmp_path)["file_name"].to_list() == names
    assert last_logged_id(tmp_path) == 4
