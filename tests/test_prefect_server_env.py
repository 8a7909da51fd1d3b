"""The environment a run's temporary Prefect server is built in (povmon/prefect_api.server_environment): what its
app imports and does while it is built."""
from __future__ import annotations

import os
import subprocess
import sys


SERVER_STARTUP = """
import os, sys
from povmon.prefect_env import configure_prefect
configure_prefect(sys.argv[1])
from povmon.prefect_api import server_environment
os.environ.clear()
os.environ.update(server_environment(schema_current=sys.argv[2] == "current"))
from prefect.server.api.server import create_app
from starlette.testclient import TestClient
with TestClient(create_app()) as client:  # the app's lifespan: migrations, block registration, services
    assert client.get("/api/health").status_code == 200
print(sorted(name for name in ("prefect_dask", "distributed") if name in sys.modules))
"""


def test_a_server_on_a_current_home_imports_no_prefect_collection(tmp_path):
    """Block registration off with its memo: the server does not import prefect-dask (and distributed) to hash a
    registry it does not register; the first start, which registers, does."""
    home = str(tmp_path / "prefect")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    imported = {}
    for start in ("first", "current"):
        done = subprocess.run([sys.executable, "-c", SERVER_STARTUP, home, start], env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        imported[start] = done.stdout.strip().splitlines()[-1]
    assert imported == {"first": "['distributed', 'prefect_dask']", "current": "[]"}


FULL_COLLECTIONS = """
import gc, os, sys
from povmon.prefect_env import configure_prefect
configure_prefect(sys.argv[1])
from povmon.prefect_api import server_environment
os.environ.clear()
os.environ.update(server_environment(schema_current=False))
gc.disable()  # as SERVER_PROGRAM builds the app: a full collection now is one the app asked for
full = []
gc.callbacks.append(lambda phase, info: phase == "stop" and info["generation"] == 2 and full.append(1))
from prefect.server.api.server import create_app
create_app()
print(len(full))
"""


def test_the_servers_app_is_built_without_a_full_collection(tmp_path):
    """Built as a run's temporary server builds it, Prefect's app asks the cycle collector for no full collection
    (as the "final" server of Prefect's own ephemeral start does: 0.2 s of every run's start, for nothing to free)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    done = subprocess.run([sys.executable, "-c", FULL_COLLECTIONS, str(tmp_path / "prefect")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "0"
