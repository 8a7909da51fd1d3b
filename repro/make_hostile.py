"""Turn a copy of the demo's inbox and reference (usage: DIR) into a hostile city: names, file names and cells
holding </script>, <!--, quotes, U+2028, RTL marks, 200-character names and ID numbers inside free text."""
import csv
import io
import sys
from pathlib import Path

root = Path(sys.argv[1])
EVIL = "</script><script>window.PWNED=1</script><!--\"'\u2028\u2029\u202e"
LONG = "长" * 200
ref = root / "reference" / "admin_units.csv"
rows = list(csv.reader(io.StringIO(ref.read_text(encoding="utf-8-sig"))))
for r in rows:
    if r[0] == "430571002003":
        r[1] = EVIL + "沙乐村" + LONG
    elif r[0] == "430571002":
        r[1] = "</style><style>body{display:none}</style>土镇\"</title>"
    elif r[0] == "430571":
        r[1] = "柳土\"管理区</title><!--\u2028\\"
buf = io.StringIO(); csv.writer(buf, lineterminator="\n").writerows(rows); ref.write_text(buf.getvalue(), encoding="utf-8")

src = root / "inbox/430571/202005/430571002003_202005.csv"
lines = list(csv.reader(io.StringIO(src.read_text(encoding="utf-8-sig"))))
header = lines[0] + ["备注"]
body = [r + [""] for r in lines[1:]]
body[0][1] = "<b>郑</b>永海"
body[1][1] = "\u202e韩桂娜"
body[2][1] = "曹" + "金" * 199
body[3][1] = "\"引号\"</script>"
body[4][1] = "430521199001011234"  # an ID typed into the name column
body[5][16] = "因病</script><!--430571199212312131"
body[6][16] = "其他\u2028430521199001011234"
for r in body:
    r[-1] = "身份证430571196607161418 </script><!-- 电话"
buf = io.StringIO(); csv.writer(buf, lineterminator="\n").writerows([header] + body)
src.write_text(buf.getvalue(), encoding="utf-8")
# badly named files holding hostile names (FILE_ problems list the file name)
bad = root / "inbox/430571/202005"
(bad / "<img src=x onerror=window.PWNED=2>_202005.csv").write_text(buf.getvalue(), encoding="utf-8")
(bad / "430521199001011234_张三\u2028'\"<!--.csv").write_text(buf.getvalue(), encoding="utf-8")
print("hostile city in", root)
