"""Walks every URL of SIPKO as every persona and checks the status and what leaks.

Expectations live per app in tests/access/ (see its docstring). A route missing from all of
them fails `test_every_route_is_in_the_matrix`, so new routes cannot escape this test.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.access
from sipko.registry.models import Ormas
from tests.access import PERSONAS


def _modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"tests.access.{info.name}")
        for info in pkgutil.iter_modules(tests.access.__path__)
    ]


MODULES = _modules()
EXPECTED: dict[str, dict[str, int]] = {}
POST_ONLY: set[str] = set()
OWNER: dict[str, ModuleType] = {}
for _module in MODULES:
    for _name, _statuses in _module.EXPECTED.items():
        assert _name not in EXPECTED, f"{_name} expected twice"
        EXPECTED[_name] = _statuses
        OWNER[_name] = _module
    POST_ONLY |= set(getattr(_module, "POST_ONLY", set()))

# Routes outside the matrix, each with the reason.
EXEMPT = {
    "login": "public login form",
    "logout": "POST-only, acts on the session itself",
    "set_language": "public language switch",
}
HOME = {p: 302 for p in PERSONAS}


def _route_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_matrix() -> None:
    routes = _route_names(get_resolver().url_patterns)
    covered = set(EXPECTED) | {"home", "admin:index"}
    missing = routes - covered - set(EXEMPT)
    assert not missing, f"routes without access expectations: {sorted(missing)}"
    assert set(EXPECTED) <= routes, f"stale entries: {sorted(set(EXPECTED) - routes)}"
    for name, statuses in EXPECTED.items():
        assert set(statuses) == set(PERSONAS), name


@pytest.fixture
def world(
    ormas,
    other_ormas,
    outside_ormas,
    operator,
    other_operator,
    viewer,
    assessor,
    region_admin,
    national_admin,
    outside_admin,
) -> dict[str, Any]:
    world: dict[str, Any] = {
        "ormas": ormas,
        "other_ormas": other_ormas,
        "outside_ormas": outside_ormas,
        "users": {
            "operator": operator,
            "other_operator": other_operator,
            "viewer": viewer,
            "assessor": assessor,
            "region_admin": region_admin,
            "national_admin": national_admin,
            "outside_admin": outside_admin,
        },
    }
    for module in MODULES:
        module.setup(world)
    return world


def _context_ormas(response: Any) -> set[int]:
    """Primary keys of every Ormas reachable from the template context (objects and lists)."""
    found: set[int] = set()
    for context in response.context or []:
        for value in context.flatten().values():
            items = value if isinstance(value, list | tuple) else [value]
            if hasattr(value, "object_list"):
                items = list(value.object_list)
            elif getattr(value, "model", None) is Ormas:
                items = list(value)
            for item in items:
                if isinstance(item, Ormas):
                    found.add(item.pk)
                elif isinstance(getattr(item, "ormas", None), Ormas):
                    found.add(item.ormas.pk)
    return found


def _check(name: str, persona: str, world: dict[str, Any], expected: int) -> None:
    client = Client()
    user = world["users"].get(persona)
    if user is not None:
        client.force_login(user)
    kwargs = OWNER[name].url_kwargs(name, world) if name in OWNER else None
    url = reverse(name, kwargs=kwargs or {})
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert response.status_code == expected, f"{name} as {persona}: {response.status_code}"
    if persona == "anonymous" and expected == 302 and name != "home":
        location = response["Location"]
        assert "/akun/masuk/" in location or "/admin/login/" in location
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content.decode()
    visible = set(Ormas.objects.for_user(user).values_list("pk", flat=True))
    leaked = _context_ormas(response) - visible
    assert not leaked, f"{name} as {persona} put invisible ormas {leaked} in the context"
    if persona in ("operator", "other_operator"):
        foreign = world["other_ormas"] if persona == "operator" else world["ormas"]
        assert foreign.name not in body
    if persona in ("region_admin", "viewer", "assessor", "operator"):
        assert world["outside_ormas"].name not in body
    may_see_phones = ("operator", "region_admin", "national_admin")
    assert "+6281299990001" not in body or persona in may_see_phones


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access(name: str, persona: str, world: dict[str, Any]) -> None:
    _check(name, persona, world, EXPECTED[name][persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_and_admin_redirect(persona: str, world: dict[str, Any]) -> None:
    _check("home", persona, world, HOME[persona])
    _check("admin:index", persona, world, 302)
