"""admin_units.csv giving management_area only on county rows (townships and villages left empty): every run fails
with a database constraint error instead of reading the list (any other value than 1 is read as 0)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _mini import fresh, household_rows, reference, run, units_for, write_return  # noqa: E402

city = fresh("/tmp/h4_management_area_empty")
village = "622901001001"
reference(city, [(c, n, lvl, p, m if lvl == "county" else "") for c, n, lvl, p, m in units_for([village])])
print((city / "reference" / "admin_units.csv").read_text())
write_return(city, f"{village}_202002.csv", household_rows(village, "202002"))
done = run(city, "2020-03-06")
print("exit", done.returncode, done.stderr.strip()[-200:])
