"""Flow runs of `povmon serve` started in a process that has already imported everything a run needs.

The process worker starts each flow run as a fresh interpreter (`python -m prefect.engine`) that first imports
Prefect, the flows, Polars, DuckDB and, to check the rows, Great Expectations: seconds of a night's few. Here
`povmon serve` keeps one spare interpreter that has imported them and waits on a Unix socket of its own in
POVMON_WARM_DIR; the worker's command for a flow run (prefect.yaml: job variable `command`) is this module's
client, which hands the spare its environment, working folder and standard streams, forwards the worker's signals
to it and exits with its exit code. The spare runs Prefect's engine as `python -m prefect.engine` would; the next
spare starts once that process has ended, not beside it (Spares.keep_one). No fork: every spare is a fresh process
started ahead of time. Without a spare ready (none yet, the last run's just ended, or one started with other
Prefect settings), the client runs the engine itself.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

WARM_DIR_ENV = "POVMON_WARM_DIR"
# what Prefect imports only once a flow runs: its engines, graphviz at a task's first call (its visualization
# module), anyio's backend, and fastapi.encoders for the flow's parameters (imported ahead by the spare here and by
# `povmon run`'s prefetch, povmon/cli.PREFETCHED_MODULES)
FIRST_CALL_MODULES = ("prefect.flow_engine", "prefect.task_engine", "prefect.utilities.visualization",
                      "anyio._backends._asyncio", "fastapi.encoders")
# what a flow run of the deployments imports; Great Expectations only when rows are checked, but most nights do
# (prefect.engine itself is run as __main__, as `-m` does: imported beforehand, runpy would warn)
WARM_MODULES = ("prefect._internal.control_listener", *FIRST_CALL_MODULES, "flows.nightly", "flows.rerun",
                "tasks.validate.gx_import")


def plain_engine() -> None:
    """Become `python -m prefect.engine` (the worker's own command)."""
    os.execv(sys.executable, [sys.executable, "-m", "prefect.engine", *sys.argv[1:]])


def receive_line(conn: socket.socket) -> str:
    """One line from the socket ('' when it closed first)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(1)
        if not chunk:
            return ""
        data += chunk
    return data.decode().strip()


def client() -> int:
    """The worker's command for a flow run: have a spare run it, else run it here."""
    folder = os.environ.get(WARM_DIR_ENV)
    spares = sorted(Path(folder).glob("*.sock")) if folder else []
    for path in spares:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(str(path))
            header = json.dumps({"env": dict(os.environ), "cwd": os.getcwd(), "argv": sys.argv[1:]}).encode()
            socket.send_fds(conn, [len(header).to_bytes(8, "big") + header], [0, 1, 2])
            answer = receive_line(conn)
        except OSError:
            answer = ""
        if not answer.startswith("pid "):  # taken by another run, or declined: nothing has run yet
            conn.close()
            continue
        pid = int(answer.split()[1])
        print(f"povmon warm start: flow run in spare process {pid}", file=sys.stderr, flush=True)
        for sig in (signal.SIGTERM, signal.SIGINT):  # the worker cancels a run by signalling its process
            signal.signal(sig, lambda number, _frame: os.kill(pid, number))
        ended = receive_line(conn)
        return int(ended.split()[1]) if ended.startswith("exit ") else 1
    plain_engine()
    return 1


def settings_differ(env: dict[str, str]) -> list[str]:
    """The Prefect settings the flow run's environment gives otherwise than this (already imported) Prefect."""
    from prefect.settings import get_current_settings

    mine = {**os.environ, **get_current_settings().to_environment_variables(exclude_unset=True)}
    keys = {k for k in (*env, *mine) if k.startswith("PREFECT_") and not k.startswith("PREFECT__")}
    return sorted(k for k in keys if env.get(k) != mine.get(k))


def receive_request(conn: socket.socket) -> tuple[dict, list[int]]:
    """A client's request (environment, folder, arguments) and its standard streams."""
    data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
    size = int.from_bytes(data[:8], "big")
    data = data[8:]
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client left")
        data += chunk
    return json.loads(data), fds


def spare(folder: Path) -> int:
    """Import what a flow run needs, wait for one client, run its flow run as prefect.engine would."""
    import importlib

    from core.collector import collector_paused

    with collector_paused():  # what the imports made: out of the flow run's collections
        for name in WARM_MODULES:
            importlib.import_module(name)
        importlib.import_module("tasks.report.pages").compile_templates()  # ~0.06 s a run would spend compiling
    folder.mkdir(parents=True, exist_ok=True)
    path, ready = folder / f"{os.getpid()}.part", folder / f"{os.getpid()}.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)
    path.rename(ready)  # a .sock file is a spare ready to take a run
    conn, _ = listener.accept()
    ready.unlink(missing_ok=True)
    listener.close()  # a second client queued on it is refused, and tries the next spare or runs the engine
    request, fds = receive_request(conn)
    declined = settings_differ(request["env"])
    if declined:
        conn.sendall(f"declined {','.join(declined)}\n".encode())
        print(f"povmon warm start: declined a flow run, its Prefect settings differ: {declined}", file=sys.stderr)
        return 0
    conn.sendall(f"pid {os.getpid()}\n".encode())
    return run_engine(conn, request, fds)


def run_engine(conn: socket.socket, request: dict, fds: list[int]) -> int:
    """Run prefect.engine as __main__ with the client's streams, folder, environment and arguments; report its
    exit code once Prefect's exit duties (log and event queues drained) are done."""
    import atexit
    import runpy
    import threading

    sys.stdout.flush()
    sys.stderr.flush()
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["prefect.engine", *request["argv"]]
    code = 0
    try:
        runpy.run_module("prefect.engine", run_name="__main__", alter_sys=True)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:  # the engine logs its own failures; a crash still reports an exit code
        code = 1
    try:
        threading._shutdown()
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        conn.sendall(f"exit {code}\n".encode())
    finally:
        os._exit(code)


class Spares:
    """`povmon serve`'s spares: one process always starting, ready or running a flow run."""

    def __init__(self, env: dict[str, str], cwd: Path):
        self.env, self.cwd = env, cwd
        self.folder = Path(env[WARM_DIR_ENV])
        self.started: dict[int, subprocess.Popen] = {}

    def keep_one(self) -> None:
        """Forget the spares that ended; start one when none is left. Not while one runs a flow run: on this
        class of machine (2 cores) a spare importing beside the night took a core from it (a city's serve-mode
        night: the flow's steps ran up to twice as long); the next spare starts once the run's process ended."""
        for pid, process in list(self.started.items()):
            if process.poll() is not None:
                del self.started[pid]
                (self.folder / f"{pid}.sock").unlink(missing_ok=True)
        if not self.started:
            from povmon.prefect_api import die_with_parent  # a spare ends with serve, however serve ends

            process = subprocess.Popen([sys.executable, "-m", "povmon.warm_start", "--spare"], env=self.env,
                                       cwd=self.cwd, stdin=subprocess.DEVNULL, start_new_session=True,
                                       preexec_fn=die_with_parent)
            self.started[process.pid] = process

    def processes(self) -> list[subprocess.Popen]:
        """Every spare still running (waiting, or running a flow run)."""
        return list(self.started.values())


if __name__ == "__main__":
    if sys.argv[1:2] == ["--spare"]:
        sys.exit(spare(Path(os.environ[WARM_DIR_ENV])))
    sys.exit(client())
