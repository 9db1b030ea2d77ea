"""The lock files of motcua's dependencies (issue 13 gap 15, docs/deploy.md "Supply chain").

    python requirements/lock.py compile [--upgrade]   # `make lock` / `make lock UPGRADE=1`
    python requirements/lock.py check                 # `.ci/run`, `make install`, the tests

`compile` runs `uv pip compile --universal --generate-hashes` (uv pinned with hashes in
requirements/lock-tools.txt) for three locks, from pyproject.toml:

    requirements/runtime.txt   [project] dependencies: what a production server installs
    requirements/test.txt      + the `test` extra: `make install`, CI
    requirements/bench.txt     + the `bench` extra: `make bench`

plus pyproject's [build-system] requires (setuptools), so that `pip install --no-build-isolation`
builds motcua itself from hash-checked packages too. test.txt is resolved first; the other two are
constrained by it, so a package has the same version in all three. `--universal` writes markers
instead of resolving for this machine: one lock serves Python >= 3.11 on any platform. Existing
pins are kept unless --upgrade (uv reads the file it overwrites as preferences).

`check` needs no network and no resolver, so a new release on PyPI never turns it red. It fails
when a lock no longer matches pyproject.toml:
- the requirements recorded in the lock's header differ from pyproject's (added, removed or
  changed, extras included);
- a requirement has no pin, or a pin that does not satisfy it; a pin that only pyproject asked
  for is no longer asked for;
- a pin has no hash; the same package has different versions in two locks.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYTHON_FLOOR = "3.11"  # pyproject's requires-python; --universal covers every later version
# `compile` verifies that every pin has a wheel for these (no compiler needed on a server).
WHEEL_PYTHONS = ("3.11", "3.12", "3.13", "3.14")
WHEEL_PLATFORMS = ("x86_64-manylinux_2_28", "aarch64-manylinux_2_28")

# lock file -> the pyproject groups it holds ("project" = [project] dependencies).
LOCKS: dict[str, tuple[str, ...]] = {
    "test.txt": ("build-system", "project", "test"),
    "runtime.txt": ("build-system", "project"),
    "bench.txt": ("build-system", "project", "test", "bench"),
}
RECORD = "# locked from pyproject.toml "
PROJECT_VIA = "motcua (pyproject.toml)"
BUILD_INPUT = "requirements/build.in"  # written by `compile` from [build-system] requires


# --- pyproject ------------------------------------------------------------------------------


def pyproject_groups(pyproject: Path) -> dict[str, list[str]]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data["project"]
    groups = {
        "build-system": list(data["build-system"]["requires"]),
        "project": list(project["dependencies"]),
    }
    for extra, requirements in project.get("optional-dependencies", {}).items():
        groups[extra] = list(requirements)
    return groups


def normalised(requirement: str) -> str:
    """One spelling per requirement: case, spaces and the order of specifiers do not count."""
    req = Requirement(requirement)
    text = canonicalize_name(req.name)
    if req.extras:
        text += "[" + ",".join(sorted(canonicalize_name(e) for e in req.extras)) + "]"
    text += ",".join(sorted(str(s) for s in req.specifier))
    if req.marker:
        text += f"; {req.marker}"
    return text


def expected_records(groups: dict[str, list[str]], lock: str) -> list[str]:
    return sorted(
        f"{group}: {normalised(requirement)}"
        for group in LOCKS[lock]
        for requirement in groups[group]
    )


# --- lock files -----------------------------------------------------------------------------


@dataclass
class Pin:
    name: str
    version: str
    marker: str
    hashes: int = 0
    via: list[str] = field(default_factory=list)


def parse_lock(text: str) -> tuple[list[str], list[Pin]]:
    """(the recorded requirements, the pins) of a lock written by `compile`."""
    records: list[str] = []
    pins: list[Pin] = []
    in_via = False
    for line in text.splitlines():
        if line.startswith(RECORD):
            records.append(line[len(RECORD) :].strip())
        elif line and not line[0].isspace() and not line.startswith("#"):
            requirement = line.rstrip("\\ ").strip()
            match = re.fullmatch(r"([A-Za-z0-9._\-\[\],]+)==([^\s;]+)\s*(?:;\s*(.*))?", requirement)
            if not match:
                raise ValueError(f"not a pinned requirement: {line!r}")
            name = canonicalize_name(re.sub(r"\[.*\]", "", match.group(1)))
            pins.append(Pin(name, match.group(2), (match.group(3) or "").strip()))
            in_via = False
        elif pins and line.strip().startswith("--hash="):
            pins[-1].hashes += 1
        elif pins and re.match(r"\s+# via\s*$", line):
            in_via = True
        elif pins and (match := re.match(r"\s+# via (.+)$", line)):
            pins[-1].via.append(match.group(1).strip())
            in_via = False
        elif pins and in_via and (match := re.match(r"\s+#\s+(.+)$", line)):
            pins[-1].via.append(match.group(1).strip())
    return records, pins


def lock_errors(lock: str, text: str, groups: dict[str, list[str]]) -> list[str]:
    records, pins = parse_lock(text)
    errors = []
    expected = expected_records(groups, lock)
    for record in sorted(set(expected) - set(records)):
        errors.append(f"{lock}: pyproject.toml has `{record}`, the lock was made without it")
    for record in sorted(set(records) - set(expected)):
        errors.append(f"{lock}: locked from `{record}`, which pyproject.toml no longer has")
    by_name: dict[str, list[Pin]] = {}
    for pin in pins:
        by_name.setdefault(pin.name, []).append(pin)
        if not pin.hashes:
            errors.append(f"{lock}: {pin.name}=={pin.version} has no --hash")
    wanted = set()
    for group in LOCKS[lock]:
        for requirement in map(Requirement, groups[group]):
            name = canonicalize_name(requirement.name)
            wanted.add(name)
            if name not in by_name:
                errors.append(f"{lock}: {normalised(str(requirement))} ({group}) is not pinned")
            for pin in by_name.get(name, []):
                if not requirement.specifier.contains(Version(pin.version), prereleases=True):
                    errors.append(
                        f"{lock}: {name}=={pin.version} does not satisfy {normalised(str(requirement))}"
                    )
    for pin in pins:
        via = {v for v in pin.via if not v.startswith("-c ")}  # constraints ask for nothing
        asked_by = via & {PROJECT_VIA, f"-r {BUILD_INPUT}"}
        if asked_by and asked_by == via and pin.name not in wanted:
            errors.append(f"{lock}: {pin.name} is pinned for pyproject.toml, which no longer asks")
    return errors


def consistency_errors(locks: dict[str, str]) -> list[str]:
    """A package (under the same marker) has one version in every lock."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    errors = []
    for lock, text in locks.items():
        for pin in parse_lock(text)[1]:
            key = (pin.name, pin.marker)
            if key in seen and seen[key][1] != pin.version:
                other, version = seen[key]
                errors.append(
                    f"{lock}: {pin.name}=={pin.version}, but {other} has {pin.name}=={version}"
                )
            seen.setdefault(key, (lock, pin.version))
    return errors


def check(root: Path = ROOT) -> list[str]:
    groups = pyproject_groups(root / "pyproject.toml")
    texts = {}
    errors = []
    for lock in LOCKS:
        path = root / "requirements" / lock
        if not path.exists():
            errors.append(f"requirements/{lock} is missing")
            continue
        texts[lock] = path.read_text(encoding="utf-8")
        errors += lock_errors(lock, texts[lock], groups)
    return errors + consistency_errors(texts)


# --- compile --------------------------------------------------------------------------------


def header(lock: str, groups: dict[str, list[str]]) -> str:
    what = {
        "runtime.txt": "runtime",
        "test.txt": "runtime + test",
        "bench.txt": "runtime + test + bench",
    }
    lines = [
        f"# requirements/{lock}: motcua's {what[lock]} dependencies, pinned with hashes.",
        "# Made by `make lock` (requirements/lock.py: uv pip compile --universal --generate-hashes);",
        "# do not edit by hand. Python >= 3.11 on any platform: markers choose the pins.",
        "# `make install` and CI check that these lines still match pyproject.toml.",
    ]
    lines += [RECORD + record for record in expected_records(groups, lock)]
    return "\n".join(lines) + "\n"


def compile_locks(uv: str, upgrade: bool, root: Path = ROOT) -> None:
    groups = pyproject_groups(root / "pyproject.toml")
    build_in = root / BUILD_INPUT
    build_in.write_text(
        "# [build-system] requires of pyproject.toml, written by requirements/lock.py: do not edit.\n"
        + "\n".join(groups["build-system"])
        + "\n",
        encoding="utf-8",
    )
    for lock in LOCKS:  # test.txt first: the others are constrained by it
        output = root / "requirements" / lock
        command = [uv, "pip", "compile", "pyproject.toml", BUILD_INPUT, "--universal"]
        command += ["--python-version", PYTHON_FLOOR, "--generate-hashes", "--no-header"]
        command += ["--quiet", "-o", str(output.relative_to(root))]
        command += [f"--extra={g}" for g in LOCKS[lock] if g not in ("build-system", "project")]
        if lock != "test.txt":
            command += ["-c", "requirements/test.txt"]
        if upgrade:
            command.append("--upgrade")
        print("$", " ".join(command), flush=True)
        subprocess.run(command, cwd=root, check=True, env=_uv_env())  # noqa: S603
        body = output.read_text(encoding="utf-8")
        output.write_text(header(lock, groups) + body, encoding="utf-8")


def wheel_errors(uv: str, root: Path = ROOT) -> list[str]:
    """Pins without a wheel for a supported Python on Linux (bench.txt holds every pin)."""
    errors = []
    for python in WHEEL_PYTHONS:
        for platform in WHEEL_PLATFORMS:
            command = [uv, "pip", "compile", "requirements/bench.txt", "--quiet", "--no-header"]
            command += ["--python-version", python, "--python-platform", platform]
            command += ["--only-binary", ":all:", "-o", os.devnull]
            result = subprocess.run(  # noqa: S603
                command, cwd=root, capture_output=True, text=True, check=False, env=_uv_env()
            )
            if result.returncode:
                errors.append(f"no wheels for Python {python} on {platform}: {result.stderr}")
    return errors


def _uv_env() -> dict[str, str]:
    return {**os.environ, "UV_NO_CONFIG": "1"}  # PyPI only, whatever this machine's uv.toml says


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    compile_parser = sub.add_parser("compile", help="regenerate the lock files (network)")
    compile_parser.add_argument("--upgrade", action="store_true", help="newest allowed versions")
    compile_parser.add_argument("--uv", default="uv", help="the uv executable")
    sub.add_parser("check", help="fail if a lock no longer matches pyproject.toml (offline)")
    args = parser.parse_args(argv)
    if args.command == "compile":
        compile_locks(args.uv, args.upgrade)
        errors = check() or wheel_errors(args.uv)
    else:
        errors = check()
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(
            "The lock files are out of date: run `make lock` and commit requirements/.",
            file=sys.stderr,
        )
        return 1
    if args.command == "check":
        print(f"requirements/{{{','.join(LOCKS)}}} match pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
