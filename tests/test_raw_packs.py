"""The packs' index: every copy found where its pack keeps it, packs written after the first look-up found too, a
removed pack forgotten, hashes sharing their first 8 bytes told apart, a file that is no pack ignored."""
from __future__ import annotations

import gzip
import os

from tasks.ingest.raw_packs import PackIndex, pack_bytes, pack_name, read_index, read_member


def write_pack(folder, copies: dict[str, bytes]) -> str:
    """A pack of these (hash -> bytes) copies in folder; its path."""
    data = pack_bytes([(sha, len(raw), gzip.compress(raw)) for sha, raw in copies.items()])
    path = os.path.join(folder, pack_name(data))
    with open(path, "wb") as out:
        out.write(data)
    return path


def test_each_copy_is_found_in_its_pack_and_read_back(tmp_path):
    twins = ["ab" * 8 + f"{i:02x}" * 24 for i in range(3)]  # one 8-byte prefix, three hashes
    first = write_pack(tmp_path, {twins[0]: b"zero", "cd" * 32: b"other"})
    index = PackIndex(str(tmp_path))
    assert index.find(twins[1]) is None
    second = write_pack(tmp_path, {twins[1]: b"one", twins[2]: b"two" * 100})  # after the first look-up
    (tmp_path / "junk.pack").write_bytes(b"not a pack at all, though named like one")
    wanted = {twins[0]: (first, b"zero"), twins[1]: (second, b"one"), twins[2]: (second, b"two" * 100),
              "cd" * 32: (first, b"other")}
    for sha, (pack, raw) in wanted.items():
        member = index.find(sha)
        assert member is not None and member.pack == pack and member.size == len(raw), sha
        assert gzip.decompress(read_member(member)) == raw
    assert index.find("ab" * 8 + "ff" * 24) is None
    assert set(read_index(second)) == {twins[1], twins[2]} and read_index(str(tmp_path / "junk.pack")) == {}


def test_a_removed_pack_is_forgotten_and_a_copy_kept_elsewhere_found(tmp_path):
    old = write_pack(tmp_path, {"ee" * 32: b"kept twice", "ff" * 32: b"kept once"})
    index = PackIndex(str(tmp_path))
    assert index.find("ee" * 32).pack == old
    newer = write_pack(tmp_path, {"ee" * 32: b"kept twice", "aa" * 32: b"new"})
    os.unlink(old)
    assert index.find("ee" * 32).pack == newer
    assert index.find("ff" * 32) is None
