"""Returns as township clerks' own templates write them, beyond the spec's clean layout, through the real nightly
flow: other names of the same columns, placeholders in amount cells, the national system's household types."""
from __future__ import annotations

from tests.support.returns import HEADER, csv_bytes, household, make_city
from tests.support.runs import problems, query, run_flow

V1, V2, V3 = "430521001001", "430521001002", "430522001001"


def test_other_names_of_the_same_columns_are_read_and_a_net_figure_is_refused_saying_why(prefect_harness, tmp_path):
    """Templates name columns their own way (户主身份证号码, 家庭人口, 劳动力数, 户属性, 财产净收入, 转移性收入(含低保、
    养老金), 是否住房安全, 饮水是否安全): the same columns, not a return refused whole as FILE_MISSING_COLUMNS. Beside the
    column's own name another name is another column (kept aside, not a column named twice). 经营净收入 is income net
    of the expenses, not 生产经营性收入: read as it, the expenses would be deducted twice; such a file is refused
    saying so."""
    inbox, _ = make_city(tmp_path)
    header = ["户编号", "户主姓名", "户主身份证号码", "家庭人口", "劳动力数", "户属性", "工资性收入", "生产经营性收入",
              "财产净收入", "转移性收入（含低保、养老金）", "生产经营性支出", "是否住房安全", "饮水是否安全"]
    row = household(V1, 1)[:8] + ["80"] + household(V1, 1)[9:] + ["是", "否"]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([row], "gb18030", header=header))
    both = [*HEADER, "家庭人口"]
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes([household(V2, 1, size="4") + ["2"]], header=both))
    net = [*HEADER[:7], "经营净收入", *HEADER[8:]]
    (inbox / f"{V3}_202003.csv").write_bytes(csv_bytes([household(V3, 1)], header=net))
    run_flow(tmp_path)
    refused = [(p["file"], p["code"], p["detail"]) for p in problems(tmp_path)]
    assert [(file, code) for file, code, _ in refused] == [(f"{V3}_202003.csv", "FILE_MISSING_COLUMNS")]
    assert "生产经营性收入" in refused[0][2] and "经营净收入是扣除生产经营性支出后的净额" in refused[0][2]
    assert query(tmp_path, "SELECT household_id, head_id_number, household_size, labor_count, household_type, "
                           "property_income, transfer_income, housing_safe, water_safe, extra_columns "
                           "FROM households_current ORDER BY 1") == [
        (f"{V1}0001", "11010519491231002X", 3, 1, "脱贫户", 80.0, 150.0, True, False, None),
        (f"{V2}0001", "11010519491231002X", 4, 1, "脱贫户", 0.0, 150.0, None, None, '{"家庭人口": "2"}')]


def test_placeholders_in_amounts_and_counts_read_as_nil_or_as_empty(prefect_harness, tmp_path):
    """Clerks mark a nil figure with a dash (-, —, --, ——, as Chinese accounts and Excel's accounting format write
    0), and a cell they leave empty with a slash. A dash is 0, not ROW_NOT_NUMBER quarantining the
    household; a slash is an empty cell: 0 for 财产性收入 and no value for an optional count, as empty cells are, but
    ROW_MISSING_VALUE for a required amount (a figure the village must give, never a zero made up)."""
    inbox, _ = make_city(tmp_path)
    header = [*HEADER, "参加基本医疗保险人数"]
    rows = []
    for seq, (wage, business, labour) in enumerate([("-", "—", "1"), ("--", "——", "-"), ("－", "300", "/"),
                                                     ("1200", "－", "-")], start=1):
        row = household(V1, seq, wage=wage)
        rows.append(row[:4] + [labour, row[5], row[6], business, "/", *row[9:], "/"])
    slashed = household(V2, 1, wage="/")
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes(rows, "gb18030", header=header))
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes([slashed, household(V2, 2, wage="一"),
                                                       household(V2, 3, wage="无")]))  # a word, not a figure
    run_flow(tmp_path)
    assert [(p["file"], p["row"], p["code"]) for p in problems(tmp_path)] == [
        (f"{V2}_202003.csv", "2", "ROW_MISSING_VALUE"), (f"{V2}_202003.csv", "3", "ROW_NOT_NUMBER"),
        (f"{V2}_202003.csv", "4", "ROW_NOT_NUMBER")]
    assert query(tmp_path, "SELECT household_id, wage_income, business_income, property_income, labor_count, "
                           "insured_count FROM households_current ORDER BY 1") == [
        (f"{V1}0001", 0.0, 0.0, 0.0, 1, None), (f"{V1}0002", 0.0, 0.0, 0.0, 0, None),
        (f"{V1}0003", 0.0, 300.0, 0.0, None, None), (f"{V1}0004", 1200.0, 0.0, 0.0, 0, None)]


def test_household_types_as_the_national_system_names_them_are_the_contracts_types(prefect_harness, tmp_path):
    """Villages copy 户类型 from the national monitoring system: 边缘易致贫户 (the spec's 边缘户), 脱贫不稳定户 and
    脱贫户（监测对象） (脱贫监测户: the spec's 监测户), 突发严重困难户 (a household under monitoring too). Each was
    ROW_HOUSEHOLD_TYPE, the very households monitored quarantined and flagged as nothing. They are read as the
    contract's type of the same meaning; 一般农户, none of the eight, is still refused."""
    inbox, _ = make_city(tmp_path)
    written = ["边缘易致贫户", "脱贫不稳定户", "脱贫户（监测对象）", "突发严重困难户", "脱 贫 户", "一般农户"]
    rows = [household(V1, seq)[:5] + [kind] + household(V1, seq)[6:] for seq, kind in enumerate(written, start=1)]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes(rows, "gb18030"))
    run_flow(tmp_path)
    assert [(p["row"], p["code"]) for p in problems(tmp_path)] == [("7", "ROW_HOUSEHOLD_TYPE")]
    assert "一般农户" in problems(tmp_path)[0]["detail"]
    assert query(tmp_path, "SELECT household_id, household_type FROM households_current ORDER BY 1") == [
        (f"{V1}0001", "边缘户"), (f"{V1}0002", "监测户"), (f"{V1}0003", "监测户"), (f"{V1}0004", "监测户"),
        (f"{V1}0005", "脱贫户")]


def test_guarantee_columns_named_their_own_way_are_read_not_dropped_unsaid(prefect_harness, tmp_path):
    """Optional columns under a header povmon did not know were kept aside without a word: a template's 住房安全（是/否）
    or 基本医疗保险参保人数 left every household's housing or insurance unknown, and its GUARANTEE_GAP (危房改造, 医疗
    救助) never raised. They are the columns: the answer's choices in brackets, and other names of the same figure."""
    inbox, _ = make_city(tmp_path)
    header = [*HEADER, "住房安全（是/否）", "饮水是否安全(是/否)", "义务教育阶段辍学人数", "基本医疗保险参保人数",
              "上年度人均纯收入"]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1) + ["否", "是", "1", "2", "3800"]], "gb18030",
                                                       header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT housing_safe, water_safe, dropout_count, insured_count, last_year_per_capita, "
                           "extra_columns FROM households_current") == [(False, True, 1, 2, 3800.0, None)]
    assert query(tmp_path, "SELECT flags FROM household_status WHERE household_id = '4305210010010001'")[0][0] \
        .count("GUARANTEE_GAP") == 1


def test_a_template_naming_the_head_and_business_figures_its_own_way_is_read(prefect_harness, tmp_path):
    """户主 over the head's name, 经营性收入 and 经营性支出 (the gross income and its expense, as 建档立卡 templates name
    them): the contract's columns, not a return refused whole as FILE_MISSING_COLUMNS."""
    inbox, _ = make_city(tmp_path)
    header = ["户编号", "户主", *HEADER[2:7], "经营性收入", "财产性收入", "转移性收入", "经营性支出"]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)], "gb18030", header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT head_name, business_income, business_expense FROM households_current") == [
        ("张三", 300.0, 100.0)]


def test_a_column_named_as_part_of_the_one_before_is_that_column(prefect_harness, tmp_path):
    """Statistical tables name a part of the column before it 其中：劳动力人数 (家庭人口数 | 其中：劳动力人数): that
    column was kept aside without a word, every household's labour unknown (兜底保障 or 公益岗位 cannot be told), its
    insured too. It is the column."""
    inbox, _ = make_city(tmp_path)
    header = [*HEADER[:4], "其中：劳动力人数", *HEADER[5:], "其中:参加基本医疗保险人数"]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1) + ["2"]], "gb18030", header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT labor_count, insured_count, extra_columns FROM households_current") == [(1, 2, None)]
