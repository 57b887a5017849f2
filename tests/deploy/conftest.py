"""The replayed image: the Dockerfile read, its build context copied as
`deploy/Dockerfile.dockerignore` filters it, and its build stage's RUN steps run
with the image's paths moved under a temporary folder (the image's root, in small).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
# Where the image keeps things, and so where the replay puts them under its root.
IMAGE_PATHS = ("/src", "/opt/marsad", "/etc/marsad", "/data")


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions, stage by stage, as (INSTRUCTION, arguments)."""
    stages: list[list[tuple[str, str]]] = []
    logical = ""
    for raw in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        instruction, _, arguments = (logical + line).partition(" ")
        logical = ""
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), " ".join(arguments.split())))
    return stages


def dockerignore() -> Callable[[str], bool]:
    """Whether a path of the build context (relative, with /) is left out of it."""
    patterns = [line.strip() for line in
                (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    assert not [p for p in patterns if p.startswith("!")], "exceptions are not replayed"

    def regex(pattern: str) -> re.Pattern[str]:
        parts = {"**/": "(?:.*/)?", "*": "[^/]*", "?": "[^/]"}
        pieces = re.split(r"(\*\*/|\*|\?)", pattern.strip("/"))
        return re.compile("".join(parts.get(p, re.escape(p)) for p in pieces))

    regexes = [regex(p) for p in patterns]

    def ignored(relative: str) -> bool:
        parts = relative.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(r.fullmatch(prefix) for r in regexes for prefix in prefixes)

    return ignored


@dataclass
class Image:
    root: Path
    build_output: str

    def path(self, image_path: str) -> Path:
        return self.root / image_path.lstrip("/")

    def on_host(self, text: str) -> str:
        """Image paths in a command or variable moved under the replay's root."""
        alternatives = "|".join(re.escape(p) for p in sorted(IMAGE_PATHS, key=len, reverse=True))
        return re.sub(rf"(?<![\w./-])({alternatives})(?=/|\s|:|$)",
                      lambda m: str(self.path(m.group(1))), text)

    def build(self) -> str:
        """The build stage's RUN steps, with the image's paths under the replay's root."""
        output = ""
        for instruction, arguments in dockerfile_stages()[0]:
            if instruction == "RUN":
                done = subprocess.run(["sh", "-c", self.on_host(arguments)], cwd=self.root,
                                      env=clean_env(), capture_output=True, text=True,
                                      timeout=900)
                assert done.returncode == 0, f"{arguments}\n{done.stdout}\n{done.stderr[-3000:]}"
                output += done.stdout
        return output

    def env(self) -> dict[str, str]:
        """The environment the final stage's ENV steps give its command."""
        env = clean_env()
        for instruction, arguments in dockerfile_stages()[-1]:
            if instruction == "ENV":
                for assignment in arguments.split():
                    name, _, value = assignment.partition("=")
                    env[name] = self.on_host(value.replace("$PATH", os.environ["PATH"]))
        return env


def clean_env() -> dict[str, str]:
    """This machine's environment without the project's venv or a marsad configuration."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("MARSAD_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def copy_context(destination: Path) -> None:
    ignored = dockerignore()
    for folder, subfolders, files in os.walk(REPO):
        relative = Path(folder).relative_to(REPO)
        subfolders[:] = [d for d in subfolders if not ignored((relative / d).as_posix())]
        for name in files:
            if not ignored((relative / name).as_posix()):
                (destination / relative).mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(folder) / name, destination / relative / name)


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Image:
    built = Image(tmp_path_factory.mktemp("image"), "")
    copy_context(built.path("/src"))
    built.build_output = built.build()
    return built


@pytest.fixture
def stages() -> list[list[tuple[str, str]]]:
    return dockerfile_stages()


@pytest.fixture
def ignored() -> Callable[[str], bool]:
    return dockerignore()
