from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def sipko(request: HttpRequest) -> dict[str, Any]:
    """Whether this database holds fictional demo data, so every page can say so."""
    from sipko.registry.models import Ormas

    return {"demo_data_present": Ormas.objects.filter(is_demo=True).exists()}
