"""A sheet's rows go into the workbook a piece at a time (tasks/report/sheet_rows.py): the bytes are those of the
rows written whole, every row reads back in order, and a part large enough to need ZIP64 still reads."""
from __future__ import annotations

import zipfile
from datetime import datetime

import fastexcel
import openpyxl
import polars as pl

from tasks.report import sheet_rows
from tasks.report.workbook import Column, write_workbook

COLUMNS = [Column("household_id", "户编号", 19), Column("reasons", "原因", 40),
           Column("household_size", "家庭人口", 7, "int"), Column("income", "收入", 12, "money")]


def rows(count: int) -> pl.DataFrame:
    """count rows of IDs, hostile text (markup, a control character, an empty cell) and numbers."""
    return pl.DataFrame({
        "household_id": [f"43052110000{n:05d}" for n in range(count)],
        "reasons": [("" if n % 7 == 0 else f"第{n}行 <b>&</b>\x01 低于监测线") for n in range(count)],
        "household_size": [n % 6 + 1 for n in range(count)],
        "income": [None if n % 5 == 0 else n * 10.5 for n in range(count)]})


def write(path, frame: pl.DataFrame):
    """The frame as a one-sheet workbook with a notes sheet."""
    return write_workbook(path, "测试", datetime(2020, 3, 1), [("表", frame, COLUMNS)], [("内容", "测试")])


def test_rows_in_pieces_give_the_bytes_of_one_piece_and_read_back_in_order(tmp_path, monkeypatch):
    frame = rows(47)
    whole = write(tmp_path / "whole.xlsx", frame).read_bytes()
    monkeypatch.setattr(sheet_rows, "PIECE_ROWS", 5)  # ten pieces, the last of one row
    pieced = write(tmp_path / "pieced.xlsx", frame)
    assert pieced.read_bytes() == whole
    back = fastexcel.read_excel(str(pieced)).load_sheet(0).to_polars()
    assert back["户编号"].to_list() == frame["household_id"].to_list()
    assert back["家庭人口"].to_list() == [float(v) for v in frame["household_size"]]
    # cells carry no reference: an empty cell keeps its place, so those after it stay in their columns
    assert back["收入"].to_list() == frame["income"].to_list()
    assert back["原因"][0] is None and back["原因"][1] == "第1行 <b>&</b> 低于监测线"
    # a second reader places the cells alike (openpyxl, as many of the office's own scripts would read a workbook)
    sheet = openpyxl.load_workbook(pieced, read_only=True).worksheets[0]
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == frame["income"].to_list()


def test_a_part_over_the_zip64_limit_is_written_as_zip64_and_reads(tmp_path, monkeypatch):
    frame = rows(30)
    monkeypatch.setattr(sheet_rows, "ZIP64_LIMIT", 2_000)  # the sheet counts as large: its header says ZIP64
    monkeypatch.setattr(sheet_rows, "PIECE_ROWS", 4)
    path = write(tmp_path / "large.xlsx", frame)
    monkeypatch.undo()
    with zipfile.ZipFile(path) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
        assert info.extract_version >= zipfile.ZIP64_VERSION
    back = fastexcel.read_excel(str(path)).load_sheet(0).to_polars()
    assert back["户编号"].to_list() == frame["household_id"].to_list()
