"""Chinese names for places and people, and valid GB 11643 resident ID numbers."""
from __future__ import annotations

import datetime as dt

import numpy as np

PLACE_SYLLABLES = list(dict.fromkeys(
    "青山石桥龙泉白沙杨柳新塘金竹长乐双江高岭枫林桃源清溪黄土梅花凤凰云台松柏水口"
    "马鞍天堂太平兴隆和平东湖西岭南岳北港大坪小河荷花茶园铁炉红星光明永丰横江碧霞"
))
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢")
GIVEN_CHARS = list(dict.fromkeys(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰春花德福志强"
    "文武海波云飞金山银生长顺满仓富贵永红小平翠兰凤英德明光荣学军"
))
# characters outside GBK (4 bytes in GB18030) that do occur in names
RARE_CHARS = ["𪚥", "𫖯", "𬌗", "𠀀"]
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK_CHARS = "10X98765432"


def unit_names(rng: np.random.Generator, count: int, suffixes: list[str]) -> list[str]:
    """`count` distinct two-syllable place names, each with a suffix drawn from `suffixes`."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        a, b = rng.choice(len(PLACE_SYLLABLES), 2, replace=False)
        stem = PLACE_SYLLABLES[a] + PLACE_SYLLABLES[b]
        if stem in seen:
            continue
        seen.add(stem)
        names.append(stem + suffixes[int(rng.integers(len(suffixes)))])
    return names


def person_names(rng: np.random.Generator, count: int, rare_share: float = 0.003) -> list[str]:
    """`count` surname + one- or two-character given names; a few carry a non-GBK character."""
    surnames = rng.integers(len(SURNAMES), size=count)
    first = rng.integers(len(GIVEN_CHARS), size=count)
    second = rng.integers(len(GIVEN_CHARS), size=count)
    two_chars = rng.random(count) < 0.7
    rare = rng.random(count) < rare_share
    rare_pick = rng.integers(len(RARE_CHARS), size=count)
    names = []
    for i in range(count):
        given = GIVEN_CHARS[first[i]] + (GIVEN_CHARS[second[i]] if two_chars[i] else "")
        if rare[i]:
            given = given[:-1] + RARE_CHARS[rare_pick[i]]
        names.append(SURNAMES[surnames[i]] + given)
    return names


def id_check_char(body17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a 17-digit ID body."""
    total = sum(int(d) * w for d, w in zip(body17, ID_WEIGHTS))
    return CHECK_CHARS[total % 11]


def is_valid_id_number(text: str) -> bool:
    """Whether text is an 18-character GB 11643 ID with a real birth date and the right check."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return text[17] == id_check_char(text[:17])


def id_numbers(rng: np.random.Generator, county_code: str, count: int) -> list[str]:
    """`count` valid ID numbers registered in a county, born 1940-2000, mostly men."""
    start = dt.date(1940, 1, 1).toordinal()
    days = rng.integers(0, dt.date(2000, 12, 31).toordinal() - start + 1, size=count)
    sequence = rng.integers(0, 100, size=count)
    gender_digit = rng.integers(0, 5, size=count) * 2 + (rng.random(count) < 0.85)
    bodies = [f"{county_code}{dt.date.fromordinal(start + d):%Y%m%d}{s:02d}{g}"
              for d, s, g in zip(days.tolist(), sequence.tolist(), gender_digit.tolist())]
    if not bodies:
        return []
    digits = (np.frombuffer("".join(bodies).encode("ascii"), dtype=np.uint8) - 48).reshape(count, 17)
    checks = (digits.astype(np.int64) @ ID_WEIGHTS) % 11
    return [body + CHECK_CHARS[c] for body, c in zip(bodies, checks.tolist())]


def with_wrong_check(id_number: str) -> str:
    """The same ID with a check character that fails the MOD 11-2 check."""
    right = id_check_char(id_number[:17])
    wrong = CHECK_CHARS[(CHECK_CHARS.index(right) + 3) % 11]
    return id_number[:17] + wrong


def with_impossible_date(id_number: str) -> str:
    """The same ID with birth date 19991340 and a check digit that is right for it."""
    body = id_number[:6] + "19991340" + id_number[14:17]
    return body + id_check_char(body)
