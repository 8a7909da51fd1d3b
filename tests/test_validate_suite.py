"""The row suite: it carries every ROW_* code of policy.md, finds every failing row (not GX's 20 or 200),
and agrees with GX's own counts."""
from __future__ import annotations


from pathlib import Path
from unicodedata import normalize

import polars as pl
import pytest

from tasks.validate.clean import clean_batch
from tasks.validate.columns import COLUMNS
from tasks.validate.expectation_suite import load_suite
from tasks.validate.gx_run import SuiteDisagreement
from tasks.validate.checks import prepare_checks, run_suite, validate_batch

ROW_CODES = {"ROW_HOUSEHOLD_ID", "ROW_DUPLICATE", "ROW_MISSING_VALUE", "ROW_NOT_NUMBER", "ROW_OUT_OF_RANGE",
             "ROW_HOUSEHOLD_TYPE", "ROW_ID_NUMBER", "ROW_YTD_DECREASE", "ROW_OUTLIER", "ROW_REPORT_DATE",
             "ROW_NOT_YES_NO"}
WARNINGS = ("ROW_ID_NUMBER", "ROW_YTD_DECREASE", "ROW_OUTLIER", "ROW_REPORT_DATE", "ROW_NOT_YES_NO")
LEVELS = {code: ("warning" if code in WARNINGS else "error")
          for code in ROW_CODES}
VILLAGE = "430521101001"


def raw_rows(count: int, **overrides: str) -> pl.DataFrame:
    """A raw batch of count clean households of one village (text cells), with columns overridden."""
    base = {"household_id": [f"{VILLAGE}{i:04d}" for i in range(1, count + 1)], "head_name": ["张三"] * count,
            "head_id_number": ["11010519491231002X"] * count, "household_size": ["3"] * count,
            "labor_count": ["2"] * count, "household_type": ["脱贫户"] * count, "wage_income": ["6000"] * count,
            "business_income": ["1,000.50"] * count, "property_income": [""] * count,
            "transfer_income": ["800"] * count, "business_expense": ["300"] * count}
    columns = {name: base.get(name, [None] * count) for name in COLUMNS} | {k: [v] * count for k, v in overrides.items()}
    return pl.DataFrame(columns, schema={name: pl.Utf8 for name in COLUMNS}).with_columns(
        pl.int_range(2, count + 2, dtype=pl.Int32).alias("source_row"), pl.lit(1, pl.Int32).alias("file_id"),
        pl.lit(VILLAGE).alias("village_code"), pl.lit("202003").alias("period"), pl.lit(None, pl.Utf8).alias("extra_columns"))


def test_suites_carry_every_row_code_of_the_policy_with_its_level():
    expectations = load_suite("village_return_rows")["expectations"] + load_suite("village_return_history")["expectations"]
    assert {e["meta"]["problem_code"] for e in expectations} == ROW_CODES
    for e in expectations:
        assert e["meta"]["level"] == LEVELS[e["meta"]["problem_code"]], e
        assert e["meta"]["label"] and e["meta"]["detail"]


def test_clean_batch_has_no_problem():
    outcome = validate_batch(clean_batch(raw_rows(30)))
    assert outcome.problems.height == 0
    assert outcome.results["rows_failed"].sum() == 0


def test_more_than_200_failing_rows_are_all_found():
    batch = clean_batch(raw_rows(1500, wage_income="1,2x4"))
    outcome = validate_batch(batch)  # GX counts them too: the run fails if they disagree
    assert outcome.problems.height == 1500
    assert set(outcome.problems["code"]) == {"ROW_NOT_NUMBER"}
    assert outcome.problems["source_row"].to_list() == list(range(2, 1502))
    assert set(outcome.problems["detail"]) == {"工资性收入“1,2x4”不是数字"}


def test_one_problem_per_row_and_code_with_every_reason():
    batch = clean_batch(raw_rows(3, household_size="2", labor_count="3", insured_count="5", wage_income="-1"))
    problems = validate_batch(batch, with_gx=False).problems
    assert problems.height == 3 and set(problems["code"]) == {"ROW_OUT_OF_RANGE"}
    assert problems["detail"][0].count("；") == 2


@pytest.mark.parametrize("written, read", [
    ("2020-04-05", "2020-04-05"), ("2020/4/5", "2020-04-05"), ("2020年4月5日", "2020-04-05"), ("2020.4.5", "2020-04-05"),
    ("43926", "2020-04-05"), ("2020-04-05 10:30:00", "2020-04-05"), ("", None),
    ("2020/4/5 0:00", "2020-04-05"), ("2020/4/5 9:30", "2020-04-05"), ("2020-04-05T10:30:00", "2020-04-05"),
    ("4月5日", "?"), ("2020-13-01", "?"), ("20200405", "?"), ("上周五", "?"), ("2020.45", "?"), ("2020/4/5 25:00", "?")])
def test_a_report_date_that_is_no_date_is_a_warning_with_what_was_written(written, read):
    """填报日期 is optional: what reads as a date is kept (the spec's forms and the ones clerks write); anything
    else is ROW_REPORT_DATE, a warning naming the text, and the row is used (the reporting table then goes by the
    file's arrival)."""
    outcome = validate_batch(clean_batch(raw_rows(2, report_date=written)))  # GX counts them too
    cleaned = clean_batch(raw_rows(2, report_date=written))
    if read == "?":
        assert outcome.problems["code"].to_list() == ["ROW_REPORT_DATE"] * 2
        assert set(outcome.problems["level"]) == {"warning"}
        assert outcome.problems["detail"][0].startswith(f"填报日期“{written}”不是日期")
        assert cleaned["report_date"].null_count() == 2
    else:
        assert outcome.problems.height == 0
        assert [str(d) if d else None for d in cleaned["report_date"]] == [read, read]


@pytest.mark.parametrize("written, read", [
    ("是", True), (" 是 ", True), ("是\u3000", True), ("安全", True), ("√", True), ("✓", True), ("Y", True),
    ("Yes", True), ("ＹＥＳ", True), ("1", True), ("有保障", True),
    ("否", False), ("否 ", False), ("不安全", False), ("不 安全", False), ("×", False), ("✗", False), ("N", False),
    ("no", False), ("0", False), ("无保障", False), ("未达标", False), ("", None), ("\u3000", None),
    ("有", "?"), ("无", "?"), ("x", "?"), ("待定", "?"), ("是/否", "?"), ("不知道", "?")])
def test_a_yes_no_cell_is_read_as_clerks_write_it_and_other_text_is_a_warning_with_the_text(written, read):
    """住房安全/饮水安全: the unambiguous ways to write yes and no are read as such; any other text is
    ROW_NOT_YES_NO, a warning naming the text and its row, the field left unknown and the row used (it was
    nulled without a word, and a 不安全 lost its GUARANTEE_GAP); an empty cell is unknown, no problem."""
    for column, zh in (("housing_safe", "住房安全"), ("water_safe", "饮水安全")):
        cleaned = clean_batch(raw_rows(2, **{column: written}))
        outcome = validate_batch(cleaned)  # GX counts them too: the run stops if they disagree
        if read == "?":
            assert outcome.problems["code"].to_list() == ["ROW_NOT_YES_NO"] * 2
            assert outcome.problems["source_row"].to_list() == [2, 3]
            assert set(outcome.problems["level"]) == {"warning"}
            assert outcome.problems["detail"][0].startswith(f"{zh}“{written}”无法识别为是或否")
            assert cleaned[column].to_list() == [None, None]
        else:
            assert outcome.problems.height == 0
            assert cleaned[column].to_list() == [read, read]


@pytest.mark.parametrize("written, read", [
    ("3 000", 3000.0), ("1 234 567.50", 1234567.5), ("1\u3000234", 1234.0), ("1\u00a0234", 1234.0),
    ("1\u202f234.5", 1234.5), (" 800 ", 800.0), ("\u3000800\u3000", 800.0), ("800 元", 800.0), ("1, 234", 1234.0),
    ("12 34", "?"), ("3000 500", "?"), ("1 23", "?"), ("1234 567", "?"), ("1 234.5 0", "?"), ("1\u3000\u300023", "?"),
    ("1 234,5", "?")])
def test_a_space_between_digits_is_read_only_as_a_thousands_separator(written, read):
    """A space between digits is taken, like a comma, only where it separates groups of three (`3 000`); anything
    else (`12 34`, `3000 500`: two figures in one cell?) is ROW_NOT_NUMBER naming the text, never 1234 or 3000500;
    spaces at the ends are no matter."""
    cleaned = clean_batch(raw_rows(2, wage_income=written))
    outcome = validate_batch(cleaned)  # GX counts them too: the run stops if they disagree
    if read == "?":
        assert outcome.problems["code"].to_list() == ["ROW_NOT_NUMBER"] * 2
        assert outcome.problems["source_row"].to_list() == [2, 3]
        assert outcome.problems["detail"][0] == f"工资性收入“{normalize('NFKC', written).strip()}”不是数字"
        assert cleaned["wage_income"].to_list() == [None, None]
    else:
        assert outcome.problems.height == 0
        assert cleaned["wage_income"].to_list() == [read, read]


def test_gx_and_polars_disagreeing_stops_the_run():
    suite = {"name": "probe", "expectations": [{
        "type": "expect_column_values_to_not_be_null", "kwargs": {"column": "wage_income"},
        "meta": {"problem_code": "ROW_MISSING_VALUE", "level": "error", "label": "必填项为空", "detail": "为空"}}]}
    frame = prepare_checks(clean_batch(raw_rows(4)))
    assert run_suite(frame, suite).problems.height == 0  # they agree on ordinary data
    not_a_number = frame.with_columns(pl.lit(float("nan")).alias("wage_income"))  # null to pandas, a value to Polars
    with pytest.raises(SuiteDisagreement):
        run_suite(not_a_number, suite)


def test_warm_up_makes_the_suites_gx_objects_in_the_background_once():
    import json
    from tasks.validate import gx_run
    from tasks.validate.checks import ROW_SUITE

    suite = load_suite(ROW_SUITE) | {"name": "warm_up_probe"}  # a suite of its own: not made by another test
    key = json.dumps(suite, sort_keys=True, ensure_ascii=False)
    assert key not in gx_run._PREPARED
    gx_run.warm_up(suite).join(timeout=120)
    made = gx_run._PREPARED[key]
    assert len(made) == 3 and gx_run._prepared(suite) is made  # the groups the validating step then uses


# in a fresh interpreter (what GX imports depends on what was imported before it): the row suite validated with GX,
# five rows of wage_income 'abc' found by it
VALIDATED_WITH_GX = [
    "from tests.test_validate_suite import raw_rows",
    "from tasks.validate.clean import clean_batch",
    "from tasks.validate.checks import validate_batch",
    "outcome = validate_batch(clean_batch(raw_rows(5, wage_income='abc')), with_gx=True)",
    "assert outcome.problems.height == 5, outcome.problems"]


def assert_program_passes(*lines: str) -> None:
    """A Python program of these lines, run from the project folder in its own interpreter, ends printing ok."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "\n".join([*lines, "print('ok')"])], capture_output=True, text=True,
                          timeout=300, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]


def test_great_expectations_validates_the_row_suite_without_loading_scipy_stats_until_it_is_used():
    assert_program_passes(
        "import sys, importlib.util",
        "from tasks.validate.gx_import import defer_submodule, is_deferred",
        "assert is_deferred('scipy.stats'), 'GX imported scipy.stats whole'",
        *VALIDATED_WITH_GX,
        "assert is_deferred('scipy.stats'), 'the row suite loaded scipy.stats'",
        "from scipy import stats",
        "assert stats.norm.cdf(0) == 0.5 and not is_deferred('scipy.stats')  # a real use loads it",
        "assert not defer_submodule('scipy', 'stats')  # an imported module is left as it is",
        "assert not defer_submodule('scipy', 'no_such_module')")


def test_great_expectations_validates_the_row_suite_without_sqlalchemy_or_altair_which_import_as_usual_after():
    """GX is imported with SQLAlchemy hidden (it then offers no SQL datasource) and altair as a stand-in: the suite
    finds the same problems, and both modules import whole for anything that asks for them after."""
    assert_program_passes(
        "import sys",
        "import tasks.validate.gx_import",
        "assert 'sqlalchemy' not in sys.modules and 'altair.vegalite' not in sys.modules, sorted(sys.modules)",
        *VALIDATED_WITH_GX,
        "assert 'sqlalchemy' not in sys.modules and 'altair.vegalite' not in sys.modules",
        "import sqlalchemy, altair",
        "assert sqlalchemy.text('select 1') is not None and altair.Chart.__name__ == 'Chart'",
        "assert type(sys.modules['altair']).__name__ == 'module'  # the real one in the stand-in's place")


def test_characters_that_show_as_nothing_are_no_part_of_a_cell():
    """A 户编号, an ID number and an amount pasted with a zero-width space, a direction mark or a soft hyphen in
    them read as what the clerk sees: no ROW_HOUSEHOLD_ID "not 16 digits", no ROW_NOT_NUMBER."""
    raw = raw_rows(1).with_columns(
        pl.lit(f"{VILLAGE}\u200b0001").alias("household_id"), pl.lit("110105\u200e19491231002X").alias("head_id_number"),
        pl.lit("6\u00ad000").alias("wage_income"), pl.lit("张\u200d三").alias("head_name"))
    cleaned = clean_batch(raw)
    assert cleaned.select("household_id", "head_id_number", "wage_income", "head_name").row(0) == (
        f"{VILLAGE}0001", "11010519491231002X", 6000.0, "张三")
    assert validate_batch(cleaned, with_gx=True).problems.height == 0
