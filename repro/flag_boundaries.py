"""policy.md flags at their boundaries, at month 12 (September: projection = the actual), income year 2020."""
import sys
import tempfile

from mini import VILLAGES, City, row

V = VILLAGES[0]
tmp = tempfile.mkdtemp(prefix="povmon-flags-")
city = City(tmp)
prev = [  # 201909: the same month (and September) of income year 2019
    row(V, 7, 工资性收入=10000), row(V, 8, 工资性收入=10000), row(V, 9, 工资性收入=0),
    row(V, 10, 工资性收入=100, 生产经营性支出=200), row(V, 13, 户类型="脱贫户", 工资性收入=3999),
    row(V, 14, 户类型="脱贫户", 工资性收入=4000), row(V, 15, 工资性收入=10000, 劳动力人数=0),
]
cur = [
    row(V, 1, 工资性收入=4000), row(V, 2, 工资性收入=3999.99), row(V, 3, 工资性收入=6000),
    row(V, 4, 工资性收入=5999.99), row(V, 5, 家庭人口数=3, 工资性收入=12000),
    row(V, 6, 工资性收入=1818.91, 生产经营性收入=519.17, 财产性收入=1078.78, 转移性收入=583.14),
    row(V, 7, 工资性收入=7000), row(V, 8, 工资性收入=7000.01), row(V, 9, 工资性收入=0),
    row(V, 10, 工资性收入=0, 生产经营性支出=1000),
    row(V, 11, 工资性收入=7000, 上年人均纯收入=10000), row(V, 12, 工资性收入=7000, 上年人均纯收入=0),
    row(V, 13, 户类型="脱贫户", 工资性收入=9000), row(V, 14, 户类型="脱贫户", 工资性收入=9000),
    row(V, 16, 户类型="脱贫户", 工资性收入=9000, 上年人均纯收入=3999.5),
    row(V, 15, 工资性收入=7000, 劳动力人数=0),
    row(V, 17, 家庭人口数=3, 参加基本医疗保险人数=2, 工资性收入=30000),
    row(V, 18, 家庭人口数=3, 参加基本医疗保险人数=3, 住房安全="否", 工资性收入=30000),
    row(V, 19, 工资性收入=4100.1, 生产经营性支出=100.1),
]
city.write(V, "201909", prev)
city.write(V, "202009", cur)
city.write(VILLAGES[1], "202009", [row(VILLAGES[1], 1, 工资性收入=9000)])
city.write(VILLAGES[1], "201909", [row(VILLAGES[1], 1, 工资性收入=9000)])
p = city.run("202009")
print("exit", p.returncode)
for r in city.q(f"SELECT household_id[-2:], projected_per_capita, last_year_per_capita, flags, reasons, suggested_measure "
                f"FROM household_status WHERE period='202009' AND village_code='{V}' ORDER BY household_id"):
    print(r)
