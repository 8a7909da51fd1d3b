#!/bin/bash
# Two cities' `povmon serve` on one port (the default 4200, or the same --port): the second one's Prefect server
# cannot bind, yet serve takes the first one's server for its own ("Prefect server and UI: ..."), deploys into it and
# replaces city A's deployments: A's nightly now runs with B's settings file.
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=/work/main/.venv/bin/python
W=$(mktemp -d)
cd "$W"
printf '[paths]\ninbox = "a/inbox"\n' > a.toml
printf '[paths]\ninbox = "b/inbox"\n' > b.toml
PORT=$($PY -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
start() {  # start ONE_SERVE HOME SETTINGS
  env -u PREFECT_API_URL -u PREFECT_HOME PYTHONPATH=$REPO POVMON_PREFECT_HOME=$W/$1 \
    setsid $PY -m povmon.cli serve --port $PORT --settings $2 > $1.log 2>&1 &
  echo $!
}
A=$(start homeA a.toml)
for i in $(seq 1 90); do grep -q Worker homeA.log && break; sleep 2; done
B=$(start homeB b.toml)
for i in $(seq 1 60); do grep -q "Worker\|povmon:" homeB.log && break; sleep 2; done
echo "--- serve B (city B) said:"; cat homeB.log
echo "--- deployments on city A's server:"
curl -s -X POST http://127.0.0.1:$PORT/api/deployments/filter -H 'content-type: application/json' -d '{}' |
  $PY -c "import json,sys; [print(d['name'], d['parameters']) for d in json.load(sys.stdin)]"
kill -TERM $B $A 2>/dev/null; wait 2>/dev/null; sleep 2; rm -rf "$W"
