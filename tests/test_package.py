"""The package's shape: no import cycles (imports inside functions count), and the
CLI starts without loading the pipeline."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "briefing"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every briefing module `path` imports, at any depth of the file (functions included)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m in modules and m != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycles_counting_imports_inside_functions():
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in files}
    # A package's __init__ may gather its own modules; a module importing its package's
    # __init__ is the usual way in and not a cycle of our making, so parents are left out.
    graph = {module_name(p): {m for m in imports_of(p, modules) if not module_name(p).startswith(m + ".")}
             for p in files}
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_cli_start_up_loads_no_pipeline_stage():
    """`briefing --help` and `briefing generate --help` (which look for a run to answer from its
    record first) load no NLTK, numpy, HTTP client or voice."""
    for argv in (["briefing", "--help"], ["briefing", "generate", "--help"]):
        code = (f"import sys; sys.argv = {argv!r}\nfrom briefing.cli import main\ntry:\n    main()\nexcept SystemExit:\n"
                "    pass\nheavy = sorted(m for m in sys.modules if m.split('.')[0] in ('nltk', 'numpy', 'pydub', "
                "'trafilatura', 'httpx', 'onnxruntime', 'piper', 'feedgen'))\nprint('heavy:', heavy, file=sys.stderr)")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert result.stderr.strip().splitlines()[-1] == "heavy: []", argv


def test_every_package_folder_is_listed_for_the_wheel():
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("*.py")}
    assert folders - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_the_public_names_are_the_lazy_ones():
    import briefing

    assert sorted(briefing.__all__) == sorted(briefing._HOMES)


SHARED_CORE = {"__init__", "__main__", "errors", "models", "files", "episodes", "voices", "printable"}


def test_the_package_root_holds_only_the_shared_core():
    """Stages and their helpers live in their stage's package, so `ls briefing` shows the pipeline."""
    assert {p.stem for p in PACKAGE.glob("*.py")} == SHARED_CORE
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert stages == {"ingest", "plan", "speech", "audio", "publish", "run", "cli"}


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """A function's length from its first statement after the docstring: a command's option list is
    its signature, not its body."""
    body = function.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return (function.end_lineno or 0) - body[0].lineno + 1


def test_modules_and_functions_stay_small():
    too_long = [f"{p.relative_to(PACKAGE)}: {n} lines" for p in sorted(PACKAGE.rglob("*.py"))
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450]
    assert too_long == [], "a module over 450 lines usually holds two jobs: split it"
    functions = [(p, node) for p in sorted(PACKAGE.rglob("*.py"))
                 for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    assert len(functions) > 500
    long_functions = [f"{p.relative_to(PACKAGE)}:{node.lineno} {node.name}: {body_lines(node)}"
                      for p, node in functions if body_lines(node) > 60]
    assert long_functions == []
