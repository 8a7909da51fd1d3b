"""A village's return that arrives the night before the reference list names the village stays rejected
(FILE_UNKNOWN_VILLAGE) once the list names it; a store rebuilt from the same raw store and delivery log loads it."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _mini import fresh, household_rows, query, reference, run, units_for, write_return  # noqa: E402

city = fresh("/tmp/h4_unknown_village")
old, new = "622901001001", "622901001002"
reference(city, units_for([old]))
for period in ("202001", "202002"):
    write_return(city, f"{period}/{old}_{period}.csv", household_rows(old, period))
write_return(city, f"202002/{new}_202002.csv", household_rows(new, "202002"))  # the new village's first return
run(city, "2020-03-06")
print("night 1:", query(city, "select file_name, status from source_files where village_code = ?", [new]))

reference(city, units_for([old, new]))  # the city lists the new village the next day
run(city, "2020-03-07")
print("night 2 (village now listed):", query(city, "select file_name, status from source_files where village_code = ?", [new]))
print("  households of", new, "in 202002:", query(city, "select count(*) from household_status where village_code = ? and period = '202002'", [new])[0][0])
print("  village signals:", query(city, "select code from village_signals where village_code = ? and period = '202002'", [new]))
print("  problems.csv:", [l for l in (city / 'out/exports/problems.csv').read_text(encoding='utf-8-sig').splitlines() if new in l])

# the same inbox, raw store and delivery log, store rebuilt
(city / "data" / "povmon.duckdb").unlink()
run(city, "2020-03-07")
print("rebuilt store:", query(city, "select file_name, status from source_files where village_code = ?", [new]))
print("  households of", new, "in 202002:", query(city, "select count(*) from household_status where village_code = ? and period = '202002'", [new])[0][0])
