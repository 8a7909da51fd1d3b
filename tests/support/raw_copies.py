"""What a raw store keeps, read directly (its packs and any file-per-copy of an older store), and a copy taken out
by hand."""
from __future__ import annotations

import gzip
import os
from pathlib import Path

from tasks.ingest.raw_packs import PACK_SUFFIX, PACKS, pack_bytes, read_index


def kept_copies(raw_store: Path) -> list[tuple[str, bytes]]:
    """(sha256, bytes as they came) of every copy the raw store holds, packs first, each pack's in its order."""
    found = []
    for pack in sorted((Path(raw_store) / PACKS).glob("*" + PACK_SUFFIX)):
        data = pack.read_bytes()
        for sha, member in sorted(read_index(str(pack)).items(), key=lambda kv: kv[1].offset):
            found.append((sha, gzip.decompress(data[member.offset:member.offset + member.length])))
    for path in sorted(Path(raw_store).glob("[0-9a-f][0-9a-f]/*")):
        data = path.read_bytes()
        found.append((path.name.removesuffix(".gz"), gzip.decompress(data) if path.suffix == ".gz" else data))
    return found


def drop_copy(raw_store: Path, sha256: str) -> None:
    """Take a copy out of the raw store (its pack written again without it, or its own file removed)."""
    for pack in (Path(raw_store) / PACKS).glob("*" + PACK_SUFFIX):
        index = read_index(str(pack))
        if sha256 in index:
            data = pack.read_bytes()
            rest = [(sha, m.size, data[m.offset:m.offset + m.length]) for sha, m in
                    sorted(index.items(), key=lambda kv: kv[1].offset) if sha != sha256]
            pack.unlink()
            if rest:
                (pack.parent / ("rewritten-" + pack.name)).write_bytes(pack_bytes(rest))
    for path in Path(raw_store).glob(f"{sha256[:2]}/{sha256}*"):
        os.unlink(path)
