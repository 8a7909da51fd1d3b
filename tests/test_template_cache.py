"""The report templates' compiled code kept between processes (tasks/report/template_cache.py): loaded instead of
compiled, the same code as compiled, never a reason for a page to fail."""
from __future__ import annotations

from pathlib import Path

from jinja2.bccache import bc_magic

from tasks.report import pages
from tasks.report.pages import build_environment
from tasks.report.template_cache import options_digest

TEMPLATES = [name for name in build_environment().list_templates() if name.endswith(".j2")]


def compiled_code(env) -> dict:
    """Each template's render function's code object, by name."""
    return {name: env.get_template(name).root_render_func.__code__ for name in TEMPLATES}


def refuse_compiling(env) -> None:
    """Make the environment fail if it compiles a template (it must load them all from its cache)."""
    def compile_refused(*args, **kwargs):
        raise AssertionError(f"compiled, not loaded from the cache: {args[1:2]}")
    env.compile = compile_refused


def test_templates_compiled_once_then_loaded_as_compiled(tmp_path: Path):
    first = compiled_code(build_environment(tmp_path))
    files = sorted(tmp_path.glob("povmon-*.cache"))
    assert len(files) == len(TEMPLATES) > 10
    assert all(f.read_bytes().startswith(bc_magic) for f in files)
    again = build_environment(tmp_path)
    refuse_compiling(again)
    assert compiled_code(again) == first == compiled_code(build_environment(tmp_path / "other"))


def test_a_changed_template_is_compiled_again(tmp_path: Path):
    build_environment(tmp_path).get_template("county.html.j2")
    cached = build_environment(tmp_path)
    filename = str(Path(pages.TEMPLATES_DIR) / "county.html.j2")
    source = Path(filename).read_text(encoding="utf-8")
    assert cached.bytecode_cache.get_bucket(cached, "county.html.j2", filename, source).code is not None
    # the same name with another source (the template edited): its checksum differs, the cached code is not used
    edited = cached.bytecode_cache.get_bucket(cached, "county.html.j2", filename, source + "<p>edited</p>")
    assert edited.code is None


def test_garbled_cache_files_are_compiled_over(tmp_path: Path):
    expected = compiled_code(build_environment(tmp_path))
    files = sorted(tmp_path.glob("povmon-*.cache"))
    for number, path in enumerate(files):  # truncated, foreign, or bytes of nothing Jinja wrote
        path.write_bytes([b"", bc_magic, bc_magic + b"\x80\x04garbage", b"\x00" * 64][number % 4])
    assert compiled_code(build_environment(tmp_path)) == expected
    assert all(f.read_bytes().startswith(bc_magic) and len(f.read_bytes()) > 100 for f in files)


def test_no_usable_folder_renders_without_a_cache(tmp_path: Path):
    taken = tmp_path / "a file"
    taken.write_text("not a folder", encoding="utf-8")
    env = build_environment(taken)
    assert env.bytecode_cache is None
    assert compiled_code(env).keys() == set(TEMPLATES)
    gone = tmp_path / "removed"
    env = build_environment(gone)
    gone.rmdir()  # the folder went away after the cache was made: its writes fail, quietly
    assert compiled_code(env).keys() == set(TEMPLATES)
    assert not gone.exists()


def test_the_files_name_the_environment_that_compiled_them(tmp_path: Path):
    code = Path(pages.__file__)
    changed = tmp_path / "pages.py"
    changed.write_bytes(code.read_bytes() + b"\n# trim_blocks changed\n")
    assert options_digest(code) == options_digest(code)
    assert options_digest(changed) != options_digest(code)
