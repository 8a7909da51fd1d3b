"""How each village's file looks in a period: format, encoding, headers and harmless cell mess."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ENCODINGS = ["gb18030", "utf-8-sig", "utf-8"]
ENCODING_WEIGHTS = [0.5, 0.3, 0.2]
DATE_STYLES = ["iso", "slash", "none", "excel"]
DATE_WEIGHTS = [0.55, 0.3, 0.1, 0.05]
RISK_SEPARATORS = ["、", "，", ";", ","]
RISK_WEIGHTS = [0.85, 0.08, 0.04, 0.03]
FLAGS = {  # style flag -> share of files
    "english": 0.15, "shuffle": 0.10, "header_spaces": 0.10, "extra_column": 0.15, "commas": 0.12,
    "spaces": 0.10, "fullwidth": 0.05, "blank_rows": 0.06, "trailing_names": 0.15, "crlf": 0.8,
    "total_row": 0.6, "serial_column": 0.5, "numeric_household_ids": 0.3, "numeric_head_ids": 0.05,
    "text_numbers": 0.25,
}


@dataclass(frozen=True)
class Style:
    """One file's look. Flags named in FLAGS; `xlsx` files ignore the CSV-only ones and vice versa."""

    xlsx: bool
    encoding: str
    date_style: str
    risk_separator: str
    titles: int
    seed: int
    english: bool = False
    shuffle: bool = False
    header_spaces: bool = False
    extra_column: bool = False
    commas: bool = False
    spaces: bool = False
    fullwidth: bool = False
    blank_rows: bool = False
    trailing_names: bool = False
    crlf: bool = True
    total_row: bool = False
    serial_column: bool = False
    numeric_household_ids: bool = False
    numeric_head_ids: bool = False
    text_numbers: bool = False

    @property
    def extension(self) -> str:
        """File extension for this style."""
        return "xlsx" if self.xlsx else "csv"


class StyleTable:
    """Styles of every village for one period, drawn at once from the period's stream."""

    def __init__(self, rng: np.random.Generator, n_villages: int, xlsx_share: float, plain: set[int]):
        """Draw every field for all villages; villages in `plain` never get ID numbers stored as numbers."""
        self.xlsx = rng.random(n_villages) < xlsx_share
        self.encoding = rng.choice(len(ENCODINGS), n_villages, p=ENCODING_WEIGHTS)
        self.date_style = rng.choice(len(DATE_STYLES), n_villages, p=DATE_WEIGHTS)
        self.risk_separator = rng.choice(len(RISK_SEPARATORS), n_villages, p=RISK_WEIGHTS)
        self.titles = rng.choice(3, n_villages, p=[0.3, 0.4, 0.3])
        self.seed = rng.integers(0, 2**31, n_villages)
        self.flags = {name: rng.random(n_villages) < share for name, share in FLAGS.items()}
        for v in plain:
            self.flags["numeric_head_ids"][v] = False

    def of(self, village: int, force_xlsx: bool = False) -> Style:
        """The style of one village's file."""
        xlsx = bool(self.xlsx[village]) or force_xlsx
        date_style = DATE_STYLES[self.date_style[village]]
        if date_style == "excel" and not xlsx:
            date_style = "iso"
        return Style(
            xlsx=xlsx,
            encoding=ENCODINGS[self.encoding[village]],
            date_style=date_style,
            risk_separator=RISK_SEPARATORS[self.risk_separator[village]],
            titles=int(self.titles[village]) if xlsx else 0,
            seed=int(self.seed[village]),
            **{name: bool(values[village]) for name, values in self.flags.items()},
        )
