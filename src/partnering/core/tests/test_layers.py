"""The one-way data flow holds in templates too: a room's templates never load a later room's
template tags nor reverse a later room's URLs, and a room's migrations never depend on a later
(or a peer) room's (Python imports are checked by import-linter's layers contract in
pyproject.toml, whose order this test reads)."""

import re
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.template.backends.django import get_installed_libraries

LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
URL = re.compile(r"{%\s*url\s+['\"]([\w-]+):")


def flow_rank() -> dict[str, int]:
    """Room label -> its layer (0 = core), from the import-linter layers contract."""
    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    (layers,) = [
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    ]
    rank = {}
    for depth, layer in enumerate(reversed(layers)):
        for module in layer.split("|"):
            rank[module.strip().removeprefix("partnering.")] = depth
    return rank


def room_of_module(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "partnering" and len(parts) > 1 else None


def templates_by_room() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for config in apps.get_app_configs():
        room = room_of_module(config.name)
        if room:
            found[room] = sorted((Path(config.path) / "templates").rglob("*.html"))
    return found


def tag_library_rooms() -> dict[str, str]:
    """Template tag library name -> the room that defines it."""
    return {
        name: room
        for name, module in get_installed_libraries().items()
        if (room := room_of_module(module))
    }


def later_room_references(template: Path, room: str) -> list[str]:
    rank, libraries = flow_rank(), tag_library_rooms()
    text = template.read_text()
    problems = []
    for match in LOAD.finditer(text):
        for library in match.group(1).split():
            owner = libraries.get(library)
            if owner and rank.get(owner, -1) > rank[room]:
                problems.append(f"loads {library!r} of the later room {owner}")
    for match in URL.finditer(text):
        namespace = match.group(1)
        if namespace in rank and rank[namespace] > rank[room]:
            problems.append(f"reverses a URL of the later room {namespace}")
    return problems


def test_every_room_is_in_the_layers_contract():
    rooms = set(templates_by_room())
    assert rooms <= set(flow_rank()), f"not in the layers contract: {rooms - set(flow_rank())}"


def test_no_template_reaches_into_a_later_room():
    problems = [
        f"{template.relative_to(settings.BASE_DIR)}: {problem}"
        for room, templates in templates_by_room().items()
        for template in templates
        for problem in later_room_references(template, room)
    ]
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_backward_reference(tmp_path):
    """The detector itself: a core template that loads sharing's tags and reverses its URLs."""
    template = tmp_path / "bad.html"
    template.write_text(
        "{% load humanize sharing_tags %}<a href=\"{% url 'sharing:overview' 'x' %}\">"
    )

    problems = later_room_references(template, "core")

    assert problems == [
        "loads 'sharing_tags' of the later room sharing",
        "reverses a URL of the later room sharing",
    ]


def migration_dependencies_against_the_flow(graph) -> list[str]:
    """Each migration dependency of a room on a room of the same layer or a later one."""
    rank = flow_rank()
    problems = []
    for (app, name), node in graph.nodes.items():
        for dependency_app, dependency_name in node.dependencies:
            backward = (
                app in rank
                and dependency_app in rank
                and dependency_app != app
                and rank[dependency_app] >= rank[app]
            )
            if backward:
                problems.append(f"{app}.{name} depends on {dependency_app}.{dependency_name}")
    return problems


def test_migrations_follow_the_flow():
    """Schema follows the flow as imports do: core's migrations know no room (the user's link to
    organisations is the organisations room's migration), and so on down the layers."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph

    assert not migration_dependencies_against_the_flow(graph)


def test_the_migration_check_catches_a_backward_dependency():
    class Node:
        dependencies = [("organisations", "0001_initial"), ("auth", "0012_x")]

    class Graph:
        nodes = {("core", "0002_initial"): Node()}

    assert migration_dependencies_against_the_flow(Graph()) == [
        "core.0002_initial depends on organisations.0001_initial"
    ]
