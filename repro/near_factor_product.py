"""NEAR_LINE at exactly line × near_line_factor when the binary product rounds up (3600 × 1.1 = 3960.0000000000005):
a household at 3960.00 is flagged "不足监测线3600.00元的1.1倍（3960.00元）". Also the bunching window's upper edge."""
import tempfile

from mini import VILLAGES, City, row

V = VILLAGES[0]
city = City(tempfile.mkdtemp(prefix="povmon-factor-"),
            settings="[policy.line]\n2020 = 3200\n\n[policy]\nnear_line_factor = 1.1\n")
city.write(V, "202009", [row(V, 1, 工资性收入=3520), row(V, 2, 工资性收入=3519.99), row(V, 3, 工资性收入=5000)])
p = city.run("202009")
print("exit", p.returncode, p.stderr[-300:])
for r in city.q("SELECT household_id[-2:], projected_per_capita, line, flags, reasons FROM household_status ORDER BY 1"):
    print(r)
