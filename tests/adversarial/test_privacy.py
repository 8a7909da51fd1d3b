"""Class 6: a resident ID in the wrong column (户编号, 户类型, 家庭人口数, an amount, 风险原因 of a flagged
household) or in a file name is masked in every output: problems.csv, flags.csv, the county and city pages."""
from __future__ import annotations

from tests.support.returns import HEADER, csv_bytes, household
from tests.support.hostile import GOOD_FILES, V2, assert_night_survives, outputs_text, tiny_city
from tests.support.runs import problems

IDS = ["110105194912310037", "11010519491231004X", "110105194912310053", "110105194912310061",
       "11010519491231007X", "11010519491231008"]  # the last: 17 digits alone
OLD_ID = "110105491231003"  # a first-generation ID: 15 digits (region, YYMMDD, sequence)


def test_id_numbers_anywhere_are_masked_everywhere(prefect_harness, tmp_path):
    inbox = tiny_city(tmp_path)
    rows = [household(V2, n) + [""] for n in range(1, 7)]
    rows[0][0] = IDS[0]                                   # 户编号
    rows[1][5] = IDS[1]                                   # 户类型
    rows[2][3] = IDS[2]                                   # 家庭人口数
    rows[3][6] = IDS[3]                                   # 工资性收入
    rows[4][6], rows[4][-1] = "0", f"因病、{IDS[4]}"       # flagged (below the line), ID in 风险原因
    rows[5][5] = f"户主{OLD_ID}"                            # 户类型: an old ID in a sentence
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes(rows, header=HEADER + ["风险原因"]))
    (inbox / f"{IDS[5]}.csv").write_bytes(b"")
    found = assert_night_survives(tmp_path, {
        f"{V2}_202003.csv": ("ROW_HOUSEHOLD_ID", "110105********0037"),
        f"{IDS[5][:6]}*******{IDS[5][-4:]}.csv": ("FILE_NAME_INVALID", "*******"),
    }, good={f"{V2}_202003.csv"}, secrets=(*IDS, OLD_ID))
    shown = outputs_text(tmp_path)
    assert "110105********007X" in shown  # the risk cause is shown, masked
    assert "户主110105*****1003" in shown  # the old ID's household type is quoted, masked
    assert found[f"{V2}_202003.csv"][0]["household_id"] == "110105********0037"


def test_an_id_at_the_end_of_a_long_cell_is_masked_before_the_quote_is_cut(prefect_harness, tmp_path):
    """A problem quotes a cell cut to 40 characters: cut inside, an 18-digit ID left 16, 15 or 13 of its digits,
    which no longer look like an ID (a household number, an old ID) and showed its birth date in full."""
    inbox = tiny_city(tmp_path)
    rows = [household(V2, n) for n in range(1, 4)]
    for row, kept in zip(rows, (16, 15, 13)):  # the ID's digits that fall inside the 40-character quote
        row[6] = "备" * (40 - kept) + IDS[0]   # 工资性收入: a remark, not a number
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes(rows))
    found = assert_night_survives(tmp_path, {f"{V2}_202003.csv": ("ROW_NOT_NUMBER", "110105*")},
                                  good=GOOD_FILES, secrets=(IDS[0],))
    assert len(found[f"{V2}_202003.csv"]) == 3
    shown = outputs_text(tmp_path)
    assert "19491231" not in shown  # the birth date, in no output


INVISIBLE = "\u200b\u200e\u2060\ufeff\u202e\u00ad"  # zero-width space, LRM, word joiner, BOM, RLO, soft hyphen


def test_an_id_split_by_invisible_characters_or_spaces_between_its_fields_is_masked(prefect_harness, tmp_path):
    """An ID pasted with a zero-width space, a direction mark or a soft hyphen in it reads as the whole ID on every
    page and in every export, and so does one written with spaces between its fields (地址码 出生日期 顺序码, as
    on a card): none looked like an ID to the masking, and each was shown in full."""
    inbox = tiny_city(tmp_path)
    rows = [household(V2, n) + [""] for n in range(1, 6)]
    rows[0][6], rows[0][-1] = "0", f"因病、{IDS[0][:6]}\u200b{IDS[0][6:]}"  # flagged: its risk cause in the reasons
    rows[1][5] = "户主" + "".join(d + INVISIBLE[i % len(INVISIBLE)] for i, d in enumerate(IDS[1]))  # 户类型
    rows[2][0] = f"{IDS[2][:14]}\u2060{IDS[2][14:]}"                                         # 户编号
    rows[3][6] = f"{IDS[3][:6]} {IDS[3][6:14]}　{IDS[3][14:]}"                  # 工资性收入, spaces of two widths
    rows[4][5] = f"户主{OLD_ID[:6]} {OLD_ID[6:12]} {OLD_ID[12:]}"                 # an old ID, its fields apart
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes(rows, header=HEADER + ["风险原因"]))
    assert_night_survives(tmp_path, {
        f"{V2}_202003.csv": ("ROW_NOT_NUMBER", f"{IDS[3][:6]} ******** {IDS[3][14:]}"),
    }, good=GOOD_FILES | {f"{V2}_202003.csv"})
    assert {(p["row"], p["code"]) for p in problems(tmp_path) if p["file"] == f"{V2}_202003.csv"} == {
        ("3", "ROW_HOUSEHOLD_TYPE"), ("4", "ROW_HOUSEHOLD_ID"), ("5", "ROW_NOT_NUMBER"), ("6", "ROW_HOUSEHOLD_TYPE")}
    shown = "".join(ch for ch in outputs_text(tmp_path) if ch not in INVISIBLE)
    for birth in ("19491231", OLD_ID[6:12]):
        assert birth not in shown, f"{birth} shown: {shown[shown.find(birth) - 60:shown.find(birth) + 30]!r}"
    assert "因病、110105********0037" in shown and f"户主{OLD_ID[:6]} *****{OLD_ID[11]} {OLD_ID[12:]}" in shown
