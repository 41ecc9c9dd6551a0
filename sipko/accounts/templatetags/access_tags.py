"""Access decisions for templates that every view renders (the main menu), from `access`.

Pages render buttons from booleans their view computes; only the shared layout asks here.
"""

from __future__ import annotations

from typing import Any

from django import template

from sipko.accounts import access

register = template.Library()


@register.simple_tag
def menu_for(user: Any) -> dict[str, Any]:
    """`{% menu_for user as menu %}`: which main-menu links the user is offered."""
    return access.menu_for(user)
