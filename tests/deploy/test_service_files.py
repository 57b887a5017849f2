"""The service files: the systemd unit, and the image that deploy/Dockerfile builds.

No container runtime is needed: the Dockerfile's build stage is replayed on this
machine. Its build context is copied as `deploy/Dockerfile.dockerignore` filters
it, its RUN steps run with the image's paths moved under a temporary folder (the
image's root, in small), and the final stage's command and health check are run
from there. The same folder then serves as the root for `systemd-analyze verify`,
so that the unit is checked against a real installation.
"""

from __future__ import annotations

import configparser
import json
import re
import shutil
import signal
import sqlite3
import subprocess
import time
import tomllib
from contextlib import closing
from pathlib import Path

import pytest

from crawler import __version__
from crawler.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "deploy/marsad.service"
SYSTEM_UNITS = Path("/usr/lib/systemd/system")


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


# -- the systemd unit ----------------------------------------------------------------------

def test_unit_runs_the_daemon_confined_with_its_secrets_from_a_file():
    service = unit()["Service"]
    assert service["ExecStart"].split() == [
        "/opt/marsad/bin/marsad", "--config", "/etc/marsad/marsad.toml", "run"]
    assert service["User"] == "marsad" and service["Group"] == "marsad"
    assert service["WorkingDirectory"] == "/var/lib/marsad"
    assert service["EnvironmentFile"] == "/etc/marsad/env"
    assert service["Restart"] == "on-failure"
    assert "2" in service["RestartPreventExitStatus"].split()  # a configuration error
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert "/var/lib/marsad" in service["ReadWritePaths"].split()
    assert service["StateDirectory"] == "marsad"
    # The daemon needs up to 10 s to stop its crawl child; only then is the rest killed.
    assert service["KillMode"] == "mixed"
    assert int(service["TimeoutStopSec"].removesuffix("s")) > 10
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_readme_installs_where_the_unit_and_the_image_look():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Run it as a service", 1)[1].split("\n## ", 1)[0]
    assert "sh deploy/install.sh /opt/marsad /etc/marsad/marsad.toml " \
           "/var/lib/marsad/marsad.db" in section
    assert "deploy/marsad.service" in section and "/etc/marsad/env" in section
    assert "docker build -f deploy/Dockerfile" in section
    assert "-v marsad-data:/data" in section and "--env-file /etc/marsad/env" in section
    assert "marsad status" in section


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("systemd-analyze") or not SYSTEM_UNITS.is_dir(),
                    reason="no systemd-analyze (the unit's keys are checked above)")
def test_systemd_analyze_verifies_the_unit_against_the_installed_image(image):
    # The replay's root holds /opt/marsad as installed; systemd's own units come along.
    shutil.copytree(SYSTEM_UNITS, image.path("/usr/lib/systemd/system"), symlinks=True,
                    dirs_exist_ok=True)
    image.path("/etc/systemd/system").mkdir(parents=True, exist_ok=True)
    shutil.copy2(UNIT, image.path("/etc/systemd/system/marsad.service"))
    done = subprocess.run(["systemd-analyze", "verify", f"--root={image.root}",
                           "marsad.service"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout + done.stderr == "", "systemd-analyze complained"


# -- the image -----------------------------------------------------------------------------

def test_image_runs_as_a_user_with_the_archive_on_a_volume_and_a_health_check(stages):
    build, final = stages
    assert build[0] == ("FROM", "python:3.11-slim AS build")
    assert final[0] == ("FROM", "python:3.11-slim")
    steps = dict(final)  # one of each in the final stage
    user_step = next(arguments for instruction, arguments in final if instruction == "RUN")
    assert re.fullmatch(r"useradd .* marsad && mkdir /data && chown marsad:marsad /data", user_step)
    assert steps["USER"] == "marsad"
    assert steps["WORKDIR"] == "/data" and json.loads(steps["VOLUME"]) == ["/data"]
    assert "MARSAD_CONFIG=/etc/marsad/marsad.toml" in steps["ENV"].split()
    assert steps["HEALTHCHECK"].endswith('CMD ["marsad", "status"]')
    assert json.loads(steps["CMD"]) == ["marsad", "run"]
    runs = [arguments for instruction, arguments in build if instruction == "RUN"]
    assert runs == ["sh /src/deploy/install.sh /opt/marsad /etc/marsad/marsad.toml "
                    "/data/marsad.db"]


def test_build_context_leaves_out_the_archive_the_venv_and_the_tests(ignored):
    assert all(map(ignored, [".git/HEAD", ".venv/bin/python", "marsad.db", "tests/conftest.py",
                             "crawler/__pycache__/cli.cpython-311.pyc", "marsad.egg-info"]))
    assert not any(map(ignored, ["pyproject.toml", "README.md", "deploy/install.sh",
                                 "crawler/default.toml", "crawler/samples/data/bulk.toml"]))


@pytest.mark.slow
def test_build_stage_installs_marsad_apart_from_the_source_tree(image):
    env = image.env()
    version = subprocess.run(["marsad", "--version"], env=env, capture_output=True, text=True,
                             cwd=image.root, timeout=60)
    assert version.stdout.strip() == f"marsad {__version__}"
    where = subprocess.run(
        [str(image.path("/opt/marsad/bin/python")), "-c",
         "import crawler; print(crawler.__file__)"],
        env=env, capture_output=True, text=True, cwd=image.root, timeout=60)
    assert Path(where.stdout.strip()).is_relative_to(image.path("/opt/marsad"))


@pytest.mark.slow
def test_installed_configuration_is_the_default_with_its_archive_on_the_volume(image):
    written = image.path("/etc/marsad/marsad.toml")
    config = load_config(written, env={})
    assert config.database.resolve() == image.path("/data/marsad.db").resolve()
    bundled = tomllib.loads((REPO / "crawler/default.toml").read_text(encoding="utf-8"))
    assert [s.name for s in config.sources] == [s["name"] for s in bundled["sources"]]
    # Alerts on the console until the channels are uncommented.
    assert [c.type for c in config.channels.values()] == ["console"]
    # The commented channels, once uncommented, need their secrets, and work with them.
    text = written.read_text(encoding="utf-8")
    head, channels = text.split("# [channels.email]", 1)
    uncommented = head + re.sub(r"(?m)^# (?=\[|\w+ = )", "", "# [channels.email]" + channels)
    written.with_name("channels.toml").write_text(uncommented, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"environment variable MARSAD_\w+ is not set"):
        load_config(written.with_name("channels.toml"), env={})
    secrets = {"MARSAD_SMTP_USER": "desk", "MARSAD_SMTP_PASSWORD": "pw-1f9c",
               "MARSAD_SLACK_WEBHOOK": "http://127.0.0.1:9/services/T0/B0/x"}
    configured = load_config(written.with_name("channels.toml"), env=secrets)
    assert {c.type for c in configured.channels.values()} == {"email", "slack"}


@pytest.mark.slow
def test_installing_again_upgrades_in_place_and_keeps_the_configuration(image):
    written = image.path("/etc/marsad/marsad.toml")
    before = written.read_bytes()
    written.write_bytes(before + b"# an analyst's note\n")
    again = image.build()
    assert f"{written} exists: left as it is" in again
    assert written.read_bytes() == before + b"# an analyst's note\n"
    assert f"{written} written" in image.build_output


def test_install_script_refuses_wrong_arguments_in_one_line(tmp_path):
    done = subprocess.run(["sh", str(REPO / "deploy/install.sh"), "only", "two"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "usage: sh deploy/install.sh VENV [CONFIG DATABASE]"]


@pytest.mark.slow
def test_image_command_runs_cycles_reports_health_and_stops_on_sigterm(image, sites, stages,
                                                                        tmp_path):
    # As `docker run -v …/marsad.toml:/etc/marsad/marsad.toml`: a configuration of one's
    # own, here the sample sites, with the archive on the volume.
    database = image.path("/data/marsad.db")
    mounted = tmp_path / "marsad.toml"
    mounted.write_text(f"""database = {json.dumps(str(database))}

[schedule]
interval = "1h"

[crawl]
download_delay = "0s"
concurrency_per_domain = 8
timeout = "5s"

{sites.sources_toml()}""", encoding="utf-8")
    env = {**image.env(), "MARSAD_CONFIG": str(mounted)}
    steps = dict(stages[-1])
    image.path(steps["WORKDIR"]).mkdir(parents=True, exist_ok=True)  # as WORKDIR does
    daemon = subprocess.Popen(json.loads(steps["CMD"]), env=env, cwd=image.path(steps["WORKDIR"]),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not finished_runs(database):
            assert daemon.poll() is None, daemon.communicate()
            time.sleep(0.2)
        assert finished_runs(database) == 1
        help_text = subprocess.run(["marsad", "--help"], env=env, capture_output=True,
                                   text=True, timeout=60).stdout
        if re.search(r"(?m)^\s+status\b", help_text):  # `marsad status` is in this version
            check = steps["HEALTHCHECK"].split("CMD", 1)[1]
            health = subprocess.run(json.loads(check), env=env, cwd=image.path("/data"),
                                    capture_output=True, text=True, timeout=60)
            assert health.returncode == 0, health.stdout + health.stderr
        daemon.send_signal(signal.SIGTERM)
        started = time.monotonic()
        out, err = daemon.communicate(timeout=12)
        assert time.monotonic() - started < 10
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, err
    assert "Traceback" not in err
    assert "cycle 1 starts" in out and "marsad daemon stopped" in out


def finished_runs(database: Path) -> int:
    if not database.exists():
        return 0
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        try:
            return db.execute("select count(*) from runs where finished_at is not null"
                              ).fetchone()[0]
        except sqlite3.OperationalError:  # the first migration is still running
            return 0
