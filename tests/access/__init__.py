"""Access expectations per app, collected by tests/test_access_matrix.py.

Each module here defines:
- `EXPECTED`: route name → {persona: status} for GET (or POST for `POST_ONLY` routes);
- `POST_ONLY`: routes exercised with their destructive POST;
- `url_kwargs(name, world)`: the URL arguments of a route, from the shared `world`;
- `setup(world)`: adds the objects its routes need to `world` (a dict).

Statuses: 200 ok, 302 redirect (to login for anonymous, or after a POST), 403 the object is
visible but the action is not allowed, 404 the object is outside the persona's reach.
"""

from __future__ import annotations

PERSONAS = [
    "anonymous",
    "operator",
    "other_operator",
    "viewer",
    "assessor",
    "region_admin",
    "national_admin",
    "outside_admin",
]
ADMINS = {"region_admin": 200, "national_admin": 200, "outside_admin": 200}
NOT_ADMIN = {"operator": 403, "other_operator": 403, "viewer": 403, "assessor": 403}


def row(anonymous: int = 302, **statuses: int) -> dict[str, int]:
    return {"anonymous": anonymous, **statuses}


# Editing something that belongs to `ormas` (Kota Blitar, operated by `operator`).
OWN_EDIT = row(
    operator=200,
    other_operator=404,
    viewer=403,
    assessor=403,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
# Reading something that belongs to `ormas`.
OWN_READ = row(
    operator=200,
    other_operator=404,
    viewer=200,
    assessor=200,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
