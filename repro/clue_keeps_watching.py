"""policy.md 一户一策: a NEAR_LINE household with a MEDICAL_OOP CLUE should get 医疗救助 ("持续监测" only when none
of the measures applies); povmon shows 医疗救助、持续监测."""
import os
import tempfile

from mini import VILLAGES, City, row

V = VILLAGES[0]
tmp = tempfile.mkdtemp(prefix="povmon-clue-")
city = City(tmp)
near = row(V, 1, 工资性收入=5000)  # NEAR_LINE only: 持续监测
near_house = row(V, 2, 工资性收入=5000, 住房安全="否")  # NEAR_LINE + GUARANTEE_GAP: 危房改造
city.write(V, "202009", [near, near_house, row(V, 3, 工资性收入=9000)])
dept = city.root / "inbox" / "dept_medical_202009.csv"
dept.write_text("身份证号,姓名,事项,发生日期,金额\n"
                f"{near['户主身份证号']},张1,MEDICAL_OOP,2020-09-10,25000\n"
                f"{near_house['户主身份证号']},张2,MEDICAL_OOP,2020-09-10,25000\n", encoding="utf-8")
os.utime(dept, (1_500_000_000, 1_500_000_000))
p = city.run("202009")
print("exit", p.returncode)
print(city.q("SELECT household_id, finding, event FROM department_findings"))
for r in city.export("flags.csv"):
    print(r["household_id"], r["flags"], r["suggested_measure"])
