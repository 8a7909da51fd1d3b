"""The folder `povmon demo --dir` writes: an earlier demo's is rewritten whole, any other folder holding files is
refused (the option names a place to write, not one to wipe)."""
from __future__ import annotations

import shutil
from pathlib import Path

DEMO_MARK = ".povmon-demo"  # written into a demo's folder: the next demo may remove that folder, and no other


class NotADemoFolder(Exception):
    """`povmon demo --dir` names a folder holding something else than an earlier demo."""


def clear_demo_folder(root: Path) -> None:
    """Remove an earlier demo's folder (its mark, or an inbox and truth/ of a demo made before the mark); refuse any
    other folder that holds something: `--dir` is a place to write, not one to wipe unasked."""
    if not root.exists():
        return
    earlier = (root / DEMO_MARK).is_file() or ((root / "inbox").is_dir() and (root / "truth").is_dir())
    if root.is_dir() and not earlier and any(root.iterdir()):
        raise NotADemoFolder(f"{root} holds files that are not an earlier demo's: choose another --dir, or empty it")
    if root.is_dir():
        shutil.rmtree(root)
    else:
        raise NotADemoFolder(f"{root} is not a folder")
