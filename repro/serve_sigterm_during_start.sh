#!/bin/bash
# SIGTERM to `povmon serve` while its Prefect server is still starting (the first ~15-40 s, or during the deploy)
# leaves that server running, orphaned, on the port and the Prefect home; a serve started again then uses it, and it
# outlives that serve too.
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=/work/main/.venv/bin/python
W=$(mktemp -d)
cd "$W"
PORT=$($PY -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
env -u PREFECT_API_URL -u PREFECT_HOME PYTHONPATH=$REPO POVMON_PREFECT_HOME=$W/prefect \
  setsid $PY -m povmon.cli serve --port $PORT > serve.log 2>&1 &
SERVE=$!
sleep 6
echo "serve $SERVE and its children:"; ps -o pid,args --ppid $SERVE | cut -c1-100
kill -TERM $SERVE; sleep 10
echo "serve alive: $(ps -p $SERVE >/dev/null && echo yes || echo no)"
LEFT=$(pgrep -f "prefect server start --host 127.0.0.1 --port $PORT")
echo "Prefect server left running: ${LEFT:-none}"
[ -n "$LEFT" ] && kill -TERM $LEFT
sleep 3; rm -rf "$W"
