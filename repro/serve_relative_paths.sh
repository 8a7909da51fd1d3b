#!/bin/bash
# A settings file with relative paths: `povmon run --settings city.toml` in the city's folder works on that folder;
# the same file given to `povmon serve --settings city.toml` (started in the same folder) makes the triggered nightly
# look for its files under the project's folder (the flow run's working folder) and fail.
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=/work/main/.venv/bin/python
W=$(mktemp -d)
cd "$W"
PYTHONPATH=$REPO $PY -m povmon.cli demo --dir city --no-run --quiet >/dev/null
cat > city.toml <<'T'
[paths]
inbox = "city/inbox"
reference = "city/reference"
db = "city/data/povmon.duckdb"
out = "city/out"
[ingest]
settle_seconds = 0
T
PORT=$($PY -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
env -u PREFECT_API_URL -u PREFECT_HOME PYTHONPATH=$REPO POVMON_PREFECT_HOME=$W/prefect \
  setsid $PY -m povmon.cli serve --port $PORT --settings city.toml > serve.log 2>&1 &
SERVE=$!
API=http://127.0.0.1:$PORT/api
for i in $(seq 1 120); do grep -q "Worker" serve.log && break; sleep 2; done
sleep 5
PREFECT_API_URL=$API PREFECT_HOME=$W/prefect $PY -m prefect deployment run povmon-nightly/nightly > /dev/null
for i in $(seq 1 120); do
  STATE=$(curl -s -X POST $API/flow_runs/filter -H 'content-type: application/json' \
    -d '{"flow_runs":{"state":{"type":{"any_":["COMPLETED","FAILED","CRASHED"]}}}}' |
    $PY -c "import json,sys; r=json.load(sys.stdin); print(r[0]['state']['type'], r[0]['state']['message']) if r else print('')")
  [ -n "$STATE" ] && break; sleep 3
done
echo "triggered nightly: $STATE"
kill -TERM $SERVE; wait $SERVE 2>/dev/null
ls "$REPO"/city 2>/dev/null && echo "(a store was made under the project folder: $REPO/city)" && rm -rf "$REPO/city"
PYTHONPATH=$REPO POVMON_PREFECT_HOME=$W/prefect $PY -m povmon.cli run --settings city.toml --quiet 2>&1 | head -1
rm -rf "$W"
