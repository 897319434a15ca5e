"""The registry's apps depend on each other in one direction: no two apps import each other.

Every import in the apps' code counts, at module level or inside a function (a
function-level import hides a cycle from Python's import machinery, not from the design).
Where a cycle is inherent, the import line says so with a ``# cycle:`` comment giving the
reason, and is left out. Tests and migrations are not the apps' code.
"""

import ast
from collections import defaultdict

from tests.databases import PROJECT_DIR

APPS = ("home", "staff", "snippets", "audit", "approvals", "ingest", "identity", "reports")
APPS += ("backups",)


def app_imports() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> where, for every import between two apps."""
    edges = defaultdict(list)
    for app in APPS:
        for path in (PROJECT_DIR / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                if "# cycle:" in lines[node.lineno - 1]:
                    continue
                for module in modules:
                    target = module.split(".")[0]
                    if target in APPS and target != app:
                        where = f"{path.relative_to(PROJECT_DIR)}:{node.lineno}"
                        edges[(app, target)].append(where)
    return edges


def test_no_two_apps_import_each_other():
    edges = app_imports()
    # Sanity: the scan sees the imports that must be there.
    assert ("snippets", "audit") in edges and ("approvals", "staff") in edges

    cycles = []
    for (a, b), where in sorted(edges.items()):
        if a < b and (b, a) in edges:
            cycles.append(
                f"{a} -> {b} ({', '.join(where)}) and {b} -> {a} ({', '.join(edges[(b, a)])})"
            )
    assert not cycles, "Apps importing each other:\n" + "\n".join(cycles)


def test_no_longer_cycle_between_apps():
    """No app reaches itself through others (snippets -> audit -> staff -> snippets ...)."""
    graph = defaultdict(set)
    for a, b in app_imports():
        graph[a].add(b)

    def reaches(start, goal, seen):
        for nxt in graph[start]:
            if nxt == goal:
                return [nxt]
            if nxt not in seen:
                seen.add(nxt)
                path = reaches(nxt, goal, seen)
                if path:
                    return [nxt, *path]
        return None

    loops = {app: reaches(app, app, set()) for app in APPS}
    loops = {app: path for app, path in loops.items() if path}
    assert not loops, "Import cycles between apps: " + "; ".join(
        " -> ".join([app, *path]) for app, path in loops.items()
    )
