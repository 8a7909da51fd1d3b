"""Decoding a CSV return's bytes: UTF-8 (with or without BOM) or GB18030, never into silent mojibake."""
from __future__ import annotations

from collections import Counter

MOJIBAKE_MIN_CHARACTERS = 5   # judge an encoding only on enough non-ASCII characters
MOJIBAKE_MARGIN = 0.2         # how much more common the characters of the Big5 reading must be
GB2312_LEVEL_1 = (0xB0A1, 0xD7F9)  # the 3755 most common hanzi, as GB2312/GB18030 bytes
BIG5_COMMON = (0xA440, 0xC67E)     # Big5's 5401 common characters (常用字)


class Unreadable(Exception):
    """The file cannot be read as a spreadsheet; the message is the reason shown to the village."""


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes as UTF-8 (with or without BOM) or GB18030, never into silent mojibake."""
    if b"\x00" in data[:4096]:
        raise Unreadable("文件含二进制内容(不是文本表格，或为UTF-16编码)，无法读取")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise Unreadable(f"文件标明UTF-8(BOM)，但{where(data, err.start + 3)}不是有效UTF-8") from err
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data":
            raise Unreadable("文件在一个汉字中间结束(上传不完整?)") from err
        utf8_stop = err.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as err:
        # the reading that gets further is the file's encoding, and its stop the bad byte: a UTF-8 file's hanzi
        # fail as GB18030 in its first rows, a GB18030 file's as UTF-8
        bad = max(utf8_stop, err.start)
        raise Unreadable(f"文件既不是UTF-8也不是GB18030编码({where(data, bad)}无法解码)") from err
    if looks_like_big5(data, text):
        raise Unreadable("文件不是UTF-8，看来是Big5编码(按GB18030解码多为生僻字)，不支持，请另存为UTF-8或GB18030")
    return text, "gb18030"


def where(data: bytes, offset: int) -> str:
    """A byte offset as a clerk finds it: the row (line) and the byte within it."""
    # a line ends at CR LF, LF or a lone CR (Excel for Mac's "CSV (Macintosh)"), as a text editor shows it
    row = data.count(b"\n", 0, offset) + data.count(b"\r", 0, offset) - data.count(b"\r\n", 0, offset) + 1
    column = offset - max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset))
    return f"第{row}行(该行第{column}个字节)"


def looks_like_big5(data: bytes, text: str) -> bool:
    """True when the bytes read as Big5 give far more common characters than their GB18030 reading: each reading
    of the other's bytes gives mostly rare characters, a return's names, types and headers mostly common ones."""
    try:
        big5 = data.decode("big5")
    except UnicodeDecodeError:
        return False
    if sum(ord(ch) > 0x7F for ch in text) < MOJIBAKE_MIN_CHARACTERS:
        return False
    return common_share(big5, "big5", BIG5_COMMON) > common_share(text, "gb18030", GB2312_LEVEL_1) + MOJIBAKE_MARGIN


def common_share(text: str, encoding: str, common: tuple[int, int]) -> float:
    """The share of a text's non-ASCII characters that the encoding places in its range of common characters."""
    counts = Counter(ch for ch in text if ord(ch) > 0x7F)
    total = sum(counts.values())
    hits = 0
    for ch, count in counts.items():
        code = ch.encode(encoding, "replace")
        hits += count if len(code) == 2 and common[0] <= int.from_bytes(code, "big") <= common[1] else 0
    return hits / total if total else 1.0
