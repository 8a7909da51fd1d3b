"""GB 11643 resident ID check: known vectors, and properties over generated IDs (hypothesis)."""
from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import given, settings, strategies as st

from tasks.validate.id_number import check_character, explain_id_number, id_number_reason, latest_birth_of

regions = st.integers(110000, 659999).map(str)
births = st.dates(date(1900, 1, 1), date(2020, 12, 31)).map(lambda d: d.strftime("%Y%m%d"))
sequences = st.integers(0, 999).map(lambda n: f"{n:03d}")


@st.composite
def valid_ids(draw) -> str:
    """A valid ID: region, birth date, sequence, and its MOD 11-2 check character."""
    first17 = draw(regions) + draw(births) + draw(sequences)
    return first17 + check_character(first17)


def reasons(ids: list[str]) -> list[str | None]:
    """The Polars check's reason for each ID (null = valid)."""
    return pl.DataFrame({"id": ids}).select(id_number_reason("id").alias("reason"))["reason"].to_list()


def test_known_vectors():
    assert explain_id_number("11010519491231002X") is None
    assert explain_id_number("110105194912310021") == "末位校验码不符"
    assert reasons(["11010519491231002X", "110105194912310021"]) == [None, "末位校验码不符"]


def test_excel_damage_is_named():
    assert "科学计数法" in explain_id_number("4.30521E+17")
    assert "17位" in explain_id_number("11010519491231002")   # the X lost when stored as a number
    assert "出生日期19490231" in explain_id_number("110105194902310027")
    assert reasons(["4.30521E+17", "11010519491231002", "1101051949"]) == [
        "被Excel转成了科学计数法，后几位已丢失", "只有17位(末位X可能被Excel丢掉)", "长度为10位，应为18位"]


@settings(max_examples=300, deadline=None)
@given(valid_ids())
def test_every_valid_id_passes(number):
    assert explain_id_number(number) is None


@settings(max_examples=150, deadline=None)
@given(valid_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_every_single_character_change_fails(number, position, replacement):
    changed = number[:position] + replacement + number[position + 1:]
    if changed != number:
        assert explain_id_number(changed) is not None


@settings(max_examples=150, deadline=None)
@given(valid_ids(), st.integers(0, 16))
def test_every_swap_of_neighbouring_digits_fails(number, position):
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2:]
    if swapped != number:
        assert explain_id_number(swapped) is not None


@settings(max_examples=20, deadline=None)
@given(st.lists(valid_ids(), min_size=1, max_size=30), st.integers(0, 17))
def test_polars_check_agrees_with_python(numbers, position):
    damaged = [n[:position] + str((int(n[position]) + 1) % 10) + n[position + 1:] if n[position] != "X" else n[:-1] + "0"
               for n in numbers]
    assert reasons(numbers + damaged) == [explain_id_number(n) for n in numbers + damaged]


def test_every_single_digit_change_fails_exhaustively_on_a_known_id():
    number = "11010519491231002X"
    for position in range(18):
        for replacement in "0123456789X":
            changed = number[:position] + replacement + number[position + 1:]
            assert changed == number or explain_id_number(changed) is not None


def test_a_birth_after_the_row_s_month_is_impossible_judged_against_the_data_not_the_clock():
    born_april_2020 = "43052120200415001" + check_character("43052120200415001")
    rows = pl.DataFrame({"id": [born_april_2020] * 4, "period": ["202003", "202004", "202005", None]})
    judged = rows.select(id_number_reason("id", latest_birth_of("period")).alias("reason"))["reason"].to_list()
    assert judged == ["出生日期20200415不可能", None, None, None]  # no month: no upper bound
    assert explain_id_number(born_april_2020, date(2020, 3, 31)) == "出生日期20200415不可能"
    assert explain_id_number(born_april_2020, date(2020, 4, 30)) is None
    born_2090 = "43052120900101001" + check_character("43052120900101001")
    assert reasons([born_2090]) == [None]  # without a month nothing bounds it: the clock is never read


MASKED_TEXT = {  # free text -> as every page and export shows it
    "户主430521800101123,430521800101124;": "户主430521*****1123,430521*****1124;",  # two old IDs one comma apart
    "户编号4305210010010001与11010519491231002X": "户编号4305210010010001与110105********002X",  # a household ID stays
    "430521800101123": "430521*****1123",
    "电话13812345678，金额123456789012": "电话13812345678，金额123456789012",  # shorter numbers stay
    "4305218001011231": "4305218001011231",  # 16 digits: the shape of a household ID, not of a person's
}


def test_free_text_masks_18_17_and_15_digit_ids_but_not_household_ids_in_python_polars_and_sql():
    from core import db
    from tasks.validate.id_number import mask_id_shaped, mask_id_shaped_series

    assert {text: mask_id_shaped(text) for text in MASKED_TEXT} == MASKED_TEXT
    assert mask_id_shaped_series(pl.Series(list(MASKED_TEXT))).to_list() == list(MASKED_TEXT.values())
    con = db.connect(":memory:")
    db.apply_schema(con)  # the store's own macros, mask_ids among them
    assert {text: con.execute("SELECT mask_ids(?)", [text]).fetchall()[0][0] for text in MASKED_TEXT} == MASKED_TEXT


# digit runs around the lengths that matter (15 to 18), check characters and separators
ID_TEXT = st.lists(st.one_of(st.text(alphabet="0123456789０９", min_size=13, max_size=19),
                             st.sampled_from(["X", "x", "Ｘ", "ｘ", " ", "户", "*", "1"])), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(ID_TEXT, max_size=30))
def test_polars_finds_every_text_python_masks(texts):
    """mask_id_shaped_series masks only the values its Polars hint picks: the hint must pick every one Python masks
    (16 digits then an X included)."""
    from tasks.validate.id_number import mask_id_shaped, mask_id_shaped_series

    assert mask_id_shaped_series(pl.Series(texts, dtype=pl.String)).to_list() == [mask_id_shaped(t) for t in texts]


@settings(max_examples=60, deadline=None)
@given(st.lists(ID_TEXT, min_size=1, max_size=8), st.integers(0, 2))
def test_a_long_text_is_masked_as_the_plain_regex_masks_it(pieces, filler_kind):
    """A text past LONG_TEXT characters (a page's table body) is first searched by Polars: the same masking."""
    from tasks.validate.id_number import ID_SHAPED, LONG_TEXT, mask_id_shaped, masked_run

    unit = ["<td>户</td>", "1234567890 ", "４３０５２１"][filler_kind]
    filler = unit * (LONG_TEXT // len(unit) + 1)
    text = filler.join(pieces) + filler
    assert len(text) > LONG_TEXT
    assert mask_id_shaped(text) == ID_SHAPED.sub(masked_run, text)
    assert mask_id_shaped(text + "，430521800101123") == ID_SHAPED.sub(masked_run, text) + "，430521*****1123"


@settings(max_examples=300, deadline=None)
@given(ID_TEXT)
def test_a_text_without_15_digits_in_a_row_is_left_as_the_plain_regex_leaves_it(text):
    """A text is searched for a run of 15 digits before it is masked (DIGIT_RUN): the same masking."""
    from tasks.validate.id_number import ID_SHAPED, mask_id_shaped, masked_run

    assert mask_id_shaped(text) == ID_SHAPED.sub(masked_run, text)


def test_an_id_written_with_its_fields_apart_is_masked_keeping_the_gaps_in_python_and_polars():
    """A card's way of writing an ID (地址码, 出生日期, 顺序码 apart by spaces or hyphens, an old ID's 6 6 3) showed
    it whole; a household's 16-digit 户编号 or a date beside a number is left alone."""
    from tasks.validate.id_number import mask_id_shaped, mask_id_shaped_series

    expected = {
        "身份证110105-19491231-002X。": "身份证110105-********-002X。",
        "110105 - 19491231 - 0021": "110105 - ******** - 0021",
        "１１０１０５－１９４９１２３１－００２１": "１１０１０５－＊＊＊＊＊＊＊＊－００２１".replace("＊", "*"),
        "旧证110105 491231 002": "旧证110105 ***** 1 002".replace("***** 1", "*****1"),
        "户编号4305210010010001 2020年": "户编号4305210010010001 2020年",
        "2020-01-01 430521": "2020-01-01 430521",
    }
    assert {text: mask_id_shaped(text) for text in expected} == expected
    assert mask_id_shaped_series(pl.Series(list(expected))).to_list() == list(expected.values())
