#!/bin/sh
# Installs marsad into a virtual environment and writes a first configuration.
#
#   sh deploy/install.sh VENV [CONFIG DATABASE]
#
# VENV (/opt/marsad) is created when missing, and marsad is installed into it from
# the source tree this script belongs to (not in editable mode: the tree may go
# afterwards), by $PYTHON (default python3: 3.11 or later). Run again after an
# update to upgrade in place.
#
# With CONFIG and DATABASE, and no file at CONFIG yet, CONFIG becomes the bundled
# default configuration (the real sources, the built-in topic, console alerts)
# with its archive at DATABASE, followed by the email and Slack channels of
# deploy/channels.toml, commented out, and is checked. An existing CONFIG is left
# as it is (the service checks it when it starts, with its secrets at hand).
#
# deploy/Dockerfile runs this very script, and tests/deploy replays it.
set -eu

if [ $# -ne 1 ] && [ $# -ne 3 ]; then
    echo "usage: sh deploy/install.sh VENV [CONFIG DATABASE]" >&2
    exit 2
fi
deploy=$(cd "$(dirname "$0")" && pwd)
tree=$(dirname "$deploy")
venv=$1

[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$tree"
"$venv/bin/marsad" --version

[ $# -eq 3 ] || exit 0
config=$2
database=$3
if [ -e "$config" ]; then
    echo "$config exists: left as it is"
else
    mkdir -p "$(dirname "$config")"
    "$venv/bin/python" - "$tree/crawler/default.toml" "$deploy/channels.toml" \
        "$database" "$config.new" <<'PY'
import json
import sys

default, channels, database, target = sys.argv[1:]
lines = open(default, encoding="utf-8").read().splitlines()
# The default's opening comment speaks of itself as the bundled file: not true of a copy.
body = lines[next(i for i, line in enumerate(lines) if not line.startswith("#")):]
out = ["# marsad configuration, written by deploy/install.sh from the bundled default",
       "# (crawler/default.toml). The format: docs/configuration.md in the source tree."]
at = [i for i, line in enumerate(body) if line.startswith("database =")]
if len(at) != 1:
    sys.exit(f"install.sh: {default} has {len(at)} 'database =' lines, not one")
# A JSON string is a valid TOML basic string, whatever the path holds.
body[at[0]] = f"database = {json.dumps(database)}"
out += body
out += [""] + [f"# {line}" if line and not line.startswith("#") else line
               for line in open(channels, encoding="utf-8").read().splitlines()]
open(target, "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
    "$venv/bin/python" -c '
import sys
from crawler.config import ConfigError, load_config
try:
    load_config(sys.argv[1])
except ConfigError as error:
    sys.exit(f"marsad: {error}")
' "$config.new"
    mv "$config.new" "$config"
    echo "$config written: archive at $database"
fi
