"""The Prefect API a command's run talks to, started early so its boot overlaps this process's own start-up.

Prefect's ephemeral mode starts a temporary server only when the first flow is called, and the caller then waits
for it (~4 s on this machine) with nothing else to do. Here the same temporary server (Prefect's own command:
uvicorn over `prefect.server.api.server:create_app`, UI off, ephemeral) is launched before anything heavy is
imported; while it boots in its own process, this one imports Prefect, Polars, DuckDB and Great Expectations.
A PREFECT_API_URL already set (a `povmon serve` server, or a deployment's worker) is used as it is, and so is the
server of a `povmon serve` running on the same Prefect home (it announces itself there): a run then boots nothing.
"""
from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from core.collector import collector_paused
from povmon.children import stop_child, wait_until_healthy

SERVE_FILE = "povmon-serve.json"  # in PREFECT_HOME: the API of the `povmon serve` running on that home
SCHEMA_FILE = "povmon-prefect-schema.txt"  # in PREFECT_HOME: the Prefect version that last migrated its database
DATABASE_URLS = ("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL")


def announce_serve_api(prefect_home: Path, api_url: str) -> Path:
    """Tell runs on this Prefect home that this process (`povmon serve`) keeps an API up at api_url."""
    path = Path(prefect_home) / SERVE_FILE
    path.write_text(json.dumps({"api_url": api_url, "pid": os.getpid()}), encoding="utf-8")
    return path


def running_serve_api() -> str | None:
    """The API of a `povmon serve` running on this process's Prefect home, when it is alive and answers at once."""
    try:
        announced = json.loads((Path(os.environ["PREFECT_HOME"]) / SERVE_FILE).read_text(encoding="utf-8"))
        os.kill(int(announced["pid"]), 0)
        wait_until_healthy(announced["api_url"], 1.0)
    except (KeyError, OSError, ValueError, TypeError, RuntimeError):
        return None
    return announced["api_url"]


def listening_socket() -> socket.socket:
    """A TCP socket listening on a free port of 127.0.0.1, for the server to serve on: bound here, before the
    server starts, so no other program can take the port while the server boots."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def prefect_version() -> str:
    """The installed Prefect's version, read without importing it."""
    from importlib.metadata import version

    return version("prefect")


def database_elsewhere() -> bool:
    """Whether Prefect's database is configured away from its home's SQLite file."""
    return any(os.environ.get(name) for name in DATABASE_URLS)


def schema_is_current(home: Path) -> bool:
    """Whether the home's own SQLite database was migrated, and its blocks registered, by this Prefect version: the
    server need not check again (~0.3 s of each run's start). A database configured elsewhere is always checked."""
    if database_elsewhere() or not (home / "prefect.db").is_file():
        return False
    try:
        return (home / SCHEMA_FILE).read_text(encoding="utf-8").strip() == prefect_version()
    except OSError:
        return False


def record_schema(home: Path) -> None:
    """After a server that migrated the home's database answered: note the Prefect version that did it."""
    if not database_elsewhere():
        (home / SCHEMA_FILE).write_text(prefect_version(), encoding="utf-8")


# Prefect's own app served by uvicorn on an inherited socket, as `uvicorn --factory
# prefect.server.api.server:create_app --fd N --log-level error --lifespan on` would, but with Python's cycle
# collector off while the app is imported and built, then what was built frozen (core.collector's steps, written
# out: this program runs in a bare interpreter): ~1 s of the import's ~3 s.
SERVER_PROGRAM = """
import gc, sys
gc.disable()
import uvicorn
from prefect.server.api.server import create_app
app = create_app()
gc.freeze()
gc.enable()
uvicorn.run(app, fd=int(sys.argv[1]), log_level="error", lifespan="on")
"""


def launch_server(sock: socket.socket, schema_current: bool = False) -> subprocess.Popen:
    """Prefect's temporary server in its own process, as Prefect's ephemeral mode would start it, serving on the
    given socket (uvicorn --fd); with schema_current, without the migration check and block registration."""
    command = [sys.executable, "-c", SERVER_PROGRAM, str(sock.fileno())]
    # a session of its own: a terminal's Ctrl-C (SIGINT to the whole foreground group) reaches this process, which
    # stops cleanly and then stops the server; killed with it, the server left Prefect's crash reports retrying a
    # dead API for minutes before a false failure. It still dies with this process (die_with_parent).
    return subprocess.Popen(command, env=server_environment(schema_current), stdin=subprocess.DEVNULL,
                            pass_fds=[sock.fileno()], preexec_fn=die_with_parent, start_new_session=True)


def server_environment(schema_current: bool) -> dict[str, str]:
    """The environment of a run's temporary server (launch_server)."""
    # not PREFECT__SERVER_FINAL, which Prefect's own ephemeral start sets: with FastAPI 0.137 and later all it does is
    # a full collection of the cycle collector once the app is built (collector off), 0.2 s of the boot (2.24 -> 2.0 s)
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
           # a browser's protection (no UI here), and the run's clients ask for no token (start_prefect_api)
           "PREFECT_SERVER_CSRF_PROTECTION_ENABLED": "false"}
    env.pop("PREFECT__SERVER_FINAL", None)
    # the server of one run: no automations to trigger or act on, no UI or other client to stream events out to
    # (starting those services was 0.3-0.4 s of each boot's ~3 s)
    env.setdefault("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", "false")
    env.setdefault("PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED", "false")
    if schema_current:
        env.setdefault("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false")
        env.setdefault("PREFECT_SERVER_REGISTER_BLOCKS_ON_START", "false")
        # registration off, its memo too: the memo's wrapper imports every installed Prefect collection (prefect-dask
        # with dask and distributed) and hashes the block registry before the registration it wraps returns at once
        # (~0.2 s of an empty run, 0.3 CPU-s of the server)
        env.setdefault("PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION", "false")
    env.pop("PREFECT_API_URL", None)
    return env


def die_with_parent() -> None:
    """In the server's process: ask Linux to end it when the run's process dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def prefetch_imports(modules: tuple[str, ...], then: Callable[[], tuple[str, ...]] | None = None) -> threading.Thread:
    """Import the run's heavy modules in a daemon thread, then those `then` names (asked once they are in); an
    `import` of them elsewhere waits for it. In a process that had not imported Prefect, the cycle collector is
    off while they import, and what they made is frozen after (as the server does: SERVER_PROGRAM); a process that
    had (a test session's) is left as it is, its later garbage collectable."""
    fresh = "prefect" not in sys.modules

    def load() -> None:
        with collector_paused() if fresh else nullcontext():
            try:
                for name in ("prefect", *modules):
                    __import__(name)
                from prefect.context import get_settings_context

                quiet_settings(get_settings_context().settings)  # without_heartbeats' settings, made off the path
                for name in then() if then else ():
                    __import__(name)
            except Exception:  # the importing step reports a real import error itself
                return
    thread = threading.Thread(target=load, name="povmon-prefetch", daemon=True)
    thread.start()
    return thread


_QUIET: dict[int, tuple[object, object]] = {}  # id(Prefect settings) -> (those settings, the same without heartbeats)


def quiet_settings(base):
    """Prefect's settings `base` without flow heartbeats. Made once per settings object: building Prefect's settings
    anew reads the environment and validates every field (0.15 s of each run's flow start)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    kept = _QUIET.get(id(base))
    if kept is None or kept[0] is not base:
        kept = (base, base.copy_with_update(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}))
        _QUIET[id(base)] = kept
    return kept[1]


@contextmanager
def without_heartbeats() -> Iterator[None]:
    """Flow runs started within send no heartbeats. Prefect's flow engine ends a run by joining its heartbeat
    thread, which sleeps in steps of 1 s: up to 1 s of a `povmon run`'s end (0.7 s measured on a small flow) for
    events nothing here reads. No automation marks runs crashed by them; the run log in the store and its lock
    tell a crashed run. `povmon serve`'s flow runs keep Prefect's default. (What Prefect's temporary_settings
    does, with settings made ahead: quiet_settings.)"""
    from prefect.context import SettingsContext, get_settings_context

    context = get_settings_context()
    with SettingsContext(profile=context.profile, settings=quiet_settings(context.settings)):
        yield


def start_prefect_api(prefetch: tuple[str, ...] = (), then: Callable[[], tuple[str, ...]] | None = None) -> str | None:
    """Set PREFECT_API_URL for this process's runs: the configured one, else a temporary server of its own; the
    prefetch modules (and then those `then` names) are imported meanwhile.

    Call after `configure_prefect` (the server reads PREFECT_HOME from the environment) and before Prefect is
    imported. The temporary server lives until this process exits: it is stopped by an atexit handler
    registered before Prefect's, so it runs after them and after Prefect's log and event queues have drained
    into it at threading's shutdown; Linux ends it if the process is killed. Returns its URL, or None when an
    API was already configured."""
    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        # Prefect reads its settings once, when imported: in a process that has imported it (a test harness, a
        # worker's flow run) the API it was given stands
        prefetch_imports(prefetch, then)
        return None
    serving = running_serve_api()
    if serving:
        os.environ["PREFECT_API_URL"] = serving
        prefetch_imports(prefetch, then)
        return None
    sock = listening_socket()
    api_url = f"http://127.0.0.1:{sock.getsockname()[1]}/api"
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    current = schema_is_current(home)
    server = launch_server(sock, current)
    sock.close()  # the server holds its own copy
    atexit.register(stop_child, server)
    os.environ["PREFECT_API_URL"] = api_url  # before the prefetch imports Prefect
    # the server is this installation's own Prefect: the client's version handshake (a request as the flow starts,
    # 0.56 s of a city increment's profile, its answer waiting on the prefetch's imports) can tell nothing
    os.environ.setdefault("PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED", "false")
    # nor need its clients ask for a CSRF token before their first change: the server checks none (launch_server),
    # and each client's question was a request more (a dozen in a city night: the report artifacts' clients)
    os.environ.setdefault("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "false")
    prefetch_imports(prefetch, then)
    try:
        wait_until_healthy(api_url, float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")),
                           server)
    except Exception:
        os.environ.pop("PREFECT_API_URL", None)
        stop_child(server)
        raise
    if not current:
        record_schema(home)
    return api_url
