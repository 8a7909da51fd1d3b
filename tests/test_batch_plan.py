"""A run's batches: months in order, oldest first, split by bytes between villages, never within one; the
new files numbered in batch order; each inbox path and delivery recorded with its batch."""
from __future__ import annotations

from datetime import datetime

import polars as pl

from tasks.ingest.batch_plan import plan_batches
from tasks.ingest.deliveries import new_deliveries
from tasks.ingest.discover import Delivery
from tasks.ingest.read import FileSlot

NOW = datetime(2020, 3, 1)


def delivery(name: str, size: int = 100, folder: str = "c") -> Delivery:
    """A delivery of a file of this name and size (its hash made from both)."""
    return Delivery(f"/inbox/{folder}/{name}", f"{folder}/{name}", name, size, 0, f"{name}-{size}")


def planned(deliveries: list[Delivery], batch_bytes: int, known: set[str] = frozenset()):
    """The batches of a run that found these deliveries, reading those not named in known."""
    unique = {(d.sha256, d.file_name): d for d in reversed(deliveries) if d.file_name not in known}
    slots = [FileSlot(d, 10 + i, 1, NOW) for i, d in enumerate(reversed(unique.values()))]
    paths = pl.DataFrame({"path": [d.rel_path for d in deliveries], "sha256": [d.sha256 for d in deliveries]})
    fresh = new_deliveries(deliveries, {}, 5, 1, NOW)
    return plan_batches(slots, paths, fresh, None, batch_bytes)


def test_months_in_order_split_by_bytes_between_villages_and_small_months_together():
    found = [delivery("430521001001_201911.csv"), delivery("430521001002_201910.csv"),
             delivery("430521001001_201910.csv"), delivery("430521001001_201910_更正.csv"),
             delivery("bad name.csv"), delivery("430521001002_201911.csv")]
    batches = planned(found, batch_bytes=250)
    names = [[s.delivery.file_name for s in b.slots] for b in batches]
    assert names == [["430521001001_201910.csv", "430521001001_201910_更正.csv"],
                     ["430521001002_201910.csv", "430521001001_201911.csv"],
                     ["430521001002_201911.csv", "bad name.csv"]]
    assert [s.file_id for b in batches for s in b.slots] == list(range(10, 16))
    assert [b.months for b in batches] == [["201910"], ["201910", "201911"], ["201911", "999999"]]
    assert [len(b.slots) for b in planned(found, batch_bytes=10**9)] == [6]
    assert [len(b.slots) for b in planned(found, batch_bytes=1)] == [2, 1, 1, 1, 1]  # a village's month whole


def test_each_path_and_delivery_goes_with_its_batch_numbered_in_batch_order():
    found = [delivery("430521001002_201910.csv"), delivery("430521001001_201910.csv"),
             delivery("430521001001_201910.csv", folder="d"),   # the same bytes under a second path
             delivery("430521001002_201909.csv"),               # known bytes, not read again, no batch of its
             delivery("430521001003_201908.csv"),               # village and month: with the last batch
             delivery("dept_civil_201910.xlsx")]
    batches = planned(found, batch_bytes=1, known={"430521001002_201909.csv", "430521001003_201908.csv",
                                                   "dept_civil_201910.xlsx"})  # department files: read apart
    assert [[p for p in b.paths["path"]] for b in batches] == [
        ["c/430521001001_201910.csv", "d/430521001001_201910.csv"],
        ["c/430521001002_201910.csv", "c/430521001002_201909.csv", "c/430521001003_201908.csv",
         "c/dept_civil_201910.xlsx"]]
    assert [list(b.fresh["delivery_id"]) for b in batches] == [[5, 6], [7, 8, 9, 10]]
    assert [list(b.fresh["path"]) for b in batches] == [
        ["c/430521001001_201910.csv", "d/430521001001_201910.csv"],
        ["c/430521001002_201910.csv", "c/430521001002_201909.csv", "c/430521001003_201908.csv",
         "c/dept_civil_201910.xlsx"]]  # the batch's own village month first, then the paths of none, as found


def test_a_known_month_goes_with_its_village_batch():
    found = [delivery("430521001002_201909.csv"), delivery("430521001002_201909_v3.csv"),
             delivery("430521001003_201909.csv")]
    batches = planned(found, batch_bytes=1, known={"430521001002_201909.csv"})
    assert [b.paths["path"].to_list() for b in batches] == [
        ["c/430521001002_201909.csv", "c/430521001002_201909_v3.csv"], ["c/430521001003_201909.csv"]]
    assert [b.fresh["delivery_id"].to_list() for b in batches] == [[5, 6], [7]]


def test_a_run_with_nothing_to_read_still_records_what_it_saw():
    batches = planned([delivery("430521001001_201910.csv")], batch_bytes=1, known={"430521001001_201910.csv"})
    assert len(batches) == 1 and batches[0].slots == [] and batches[0].paths.height == 1


def test_files_are_read_in_the_order_of_their_month_village_name_and_path():
    import random

    names = ["430521001001_201910.csv", "430521001001_201910_v2.csv", "430521001001_201910_更正.csv",
             "430521001001_201910.xlsx", "430521001001_201910_v10.csv", "430521001002_201910.csv",
             "430521001001_201909.csv", "bad name.csv", "bad name.csv.txt", "b.csv", "430521001001_201913.csv"]
    found = [delivery(n, size=100 * i + j, folder=folder) for i, n in enumerate(names)
             for j, folder in enumerate(("c", "c/d", "c0", "c-1"))]  # each name under paths that begin alike
    random.Random(7).shuffle(found)
    slots = [s.delivery for b in planned(found, batch_bytes=10**9) for s in b.slots]

    def month_village(d: Delivery) -> tuple[str, str]:
        """The (month, village) of a usable name here, else the place of names that give none."""
        return (d.file_name[13:19], d.file_name[:12]) if d.file_name.startswith("4305210010") and \
            d.file_name[13:19] != "201913" else ("999999", "")

    assert [d.rel_path for d in slots] == [d.rel_path for d in sorted(
        found, key=lambda d: (month_village(d), d.file_name, d.rel_path))]
    assert slots[0].file_name == "430521001001_201909.csv" and slots[-1].file_name == "bad name.csv.txt"
