"""Replay a Dockerfile's steps in a folder, without Docker: the image's build, checked where no engine runs.

The image's root is stood in for by a temporary folder. Each absolute
folder the Dockerfile names (its WORKDIR, the paths in its ENV values) is
mapped into it, and the system Python of the base image by a fresh venv.
COPY copies from the checkout, ENV and ARG (with their defaults) make the
environment of each RUN, and RUN runs its command with `/bin/sh -c` as
Docker does. Only what needs the image's own system is left out: the
`useradd` and `chown` parts of a RUN, and USER, since the replay runs as
one user. An instruction this module does not know fails the replay, so
a new kind of step cannot slip by unchecked.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SKIPPED_COMMANDS = ("useradd", "chown")  # accounts and owners: the replay runs as one user
IGNORED = ("EXPOSE", "CMD", "USER", "LABEL", "HEALTHCHECK")  # they shape the container, not the build


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction, continuation lines joined."""

    keyword: str
    args: str
    line: int


def parse(text: str) -> list[Instruction]:
    """The instructions of a Dockerfile, in order, without comments."""
    instructions: list[Instruction] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, args = (pending + stripped).partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
        pending = ""
    return instructions


@dataclass
class Replay:
    """The state of an image being built in `root`: its folders, environment and working directory."""

    root: Path
    mapped: dict[str, Path] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    workdir: Path = field(init=False)
    steps: list[tuple[str, subprocess.CompletedProcess[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.workdir = self.root

    def local(self, text: str) -> str:
        """`text` with every absolute path of the image turned into its place under `root`."""
        for image_path, here in sorted(self.mapped.items(), key=lambda item: -len(item[0])):
            text = re.sub(rf"(?<![\w./-]){re.escape(image_path)}(?=[/\s\"':]|$)", str(here), text)
        return text

    def map_folders(self, instructions: list[Instruction]) -> None:
        """Give each top-level folder the Dockerfile names (WORKDIR, ENV paths) a place under `root`."""
        for ins in instructions:
            values = [ins.args] if ins.keyword == "WORKDIR" else []
            if ins.keyword == "ENV":
                values = [value for _, value in _pairs(ins.args)]
            for value in values:
                if value.startswith("/"):
                    top = "/" + value.strip("/").split("/")[0]
                    self.mapped.setdefault(top, self.root / top.lstrip("/"))

    def run(self, command: str, *, timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a shell command in the image's working directory and environment."""
        return subprocess.run(
            ["/bin/sh", "-c", command],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def replay(dockerfile: Path, root: Path, *, blocked_env: set[str], timeout: float = 600, pip: bool = True) -> Replay:
    """Replay `dockerfile` into `root`; raises `AssertionError` naming the step that would fail the image.

    `blocked_env` names variables of this process that the image would not
    have (the project's own settings): they are not passed on. `pip=False`
    makes the venv without pip, for Dockerfiles that install nothing.
    """
    instructions = parse(dockerfile.read_text(encoding="utf-8"))
    state = Replay(root)
    state.map_folders(instructions)
    venv = root / "usr-local"
    for ins in instructions:
        where = f"{dockerfile.name}:{ins.line} {ins.keyword} {ins.args}"
        if ins.keyword == "FROM":
            version = re.search(r"python:(\d+\.\d+)", ins.args)
            assert version, f"{where}: the replay knows python base images only"
            assert version.group(1) == f"{sys.version_info.major}.{sys.version_info.minor}", where
            options = [] if pip else ["--without-pip"]
            subprocess.run([sys.executable, "-m", "venv", *options, str(venv)], check=True, timeout=timeout)
            blocked = blocked_env | {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"}
            state.env = {k: v for k, v in os.environ.items() if k.upper() not in blocked}
            state.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
        elif ins.keyword == "WORKDIR":
            state.workdir = Path(state.local(ins.args))
            state.workdir.mkdir(parents=True, exist_ok=True)
        elif ins.keyword in ("ENV", "ARG"):
            for name, value in _pairs(ins.args):  # an ARG takes its default: no --build-arg here
                state.env[name] = state.local(value)
        elif ins.keyword == "COPY":
            assert not ins.args.startswith("--"), f"{where}: COPY options are not replayed"
            *sources, target = shlex.split(ins.args)
            _copy(state, [dockerfile.parent / s for s in sources], state.local(target), where)
        elif ins.keyword == "RUN":
            command = state.local(_without_system_steps(ins.args))
            done = state.run(command, timeout=timeout)
            state.steps.append((ins.args, done))
            assert done.returncode == 0, f"{where}\nexit {done.returncode}\n{done.stdout}\n{done.stderr}"
        elif ins.keyword not in IGNORED:
            msg = f"{where}: the replay does not know {ins.keyword}; teach tests/support/dockerfile.py"
            raise AssertionError(msg)
    return state


def _pairs(args: str) -> list[tuple[str, str]]:
    """NAME=value pairs of ENV or ARG (an ARG without a default gives an empty value)."""
    pairs = []
    for word in shlex.split(args):
        name, _, value = word.partition("=")
        pairs.append((name, value))
    return pairs


def _without_system_steps(command: str) -> str:
    """The command without its `&&`-joined parts that manage accounts and owners."""
    parts = [part.strip() for part in command.split("&&")]
    kept = [part for part in parts if part.split(" ", 1)[0] not in SKIPPED_COMMANDS]
    return " && ".join(kept) or "true"


def _copy(state: Replay, sources: list[Path], target_text: str, where: str) -> None:
    """COPY as Docker does it: a folder's contents go into the target; files go into it when it is a folder."""
    target = Path(target_text)
    target = target if target.is_absolute() else state.workdir / target
    into_folder = target_text.endswith("/") or len(sources) > 1 or target.is_dir()
    for source in sources:
        assert source.exists(), f"{where}: {source.name} is not in the checkout"
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)
        elif into_folder:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / source.name)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
