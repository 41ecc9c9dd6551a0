"""Explicit transition tables and the one guarded function that moves objects between states.

A workflow is a table `(state, action) → new state` plus optional guards. `transition()` refuses
an action that is not in the table, or whose guard objects, with a translated message; otherwise
it sets the new state, saves, and logs old/new/actor/reason in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from sipko.lib.locking import lock
from sipko.workflow.models import StateChange

# A guard returns None when the move is allowed, else the reason it is not (shown to the user).
Guard = Callable[[Any, Any], "str | Promise | None"]


@dataclass(frozen=True)
class Workflow:
    name: str
    moves: Mapping[tuple[str, str], str]
    guards: Mapping[str, tuple[Guard, ...]] = field(default_factory=dict)
    reason_required: frozenset[str] = frozenset()
    state_field: str = "state"

    def allowed_actions(self, obj: models.Model) -> list[str]:
        state = getattr(obj, self.state_field)
        return [action for (source, action) in self.moves if source == state]

    def refusal(self, obj: models.Model, action: str, actor: Any) -> str | None:
        """Why `transition()` would refuse `action` on `obj` now (None when it would not).

        The same table and guards as `transition()`, without moving anything; a reason that
        must be typed in is the caller's to ask for, so it is not checked here.
        """
        try:
            self.target(obj, action)
        except ValidationError as exc:
            return " ".join(exc.messages)
        for guard in self.guards.get(action, ()):
            problem = guard(obj, actor)
            if problem:
                return str(problem)
        return None

    def available_actions(self, obj: models.Model, actor: Any) -> dict[str, str | None]:
        """Every move out of `obj`'s state, in table order, with why it is refused (None when
        its guards pass), so a page can offer the button or say why not."""
        return {action: self.refusal(obj, action, actor) for action in self.allowed_actions(obj)}

    def target(self, obj: models.Model, action: str) -> str:
        state = getattr(obj, self.state_field)
        try:
            return self.moves[(state, action)]
        except KeyError:
            label = getattr(obj, f"get_{self.state_field}_display", lambda: state)()
            raise ValidationError(
                _(
                    "Tindakan ini tidak dapat dilakukan karena statusnya kini %(state)s "
                    "(mungkin baru saja diubah). Muat ulang halaman untuk melihat keadaan terbaru."
                )
                % {"state": label},
                code="illegal_transition",
            ) from None


@transaction.atomic
def transition(
    obj: models.Model,
    workflow: Workflow,
    action: str,
    *,
    actor: Any,
    reason: str = "",
    changes: Callable[[], None] | None = None,
) -> StateChange:
    """Move `obj` by `action`; `changes` may set further fields before the save.

    The row is locked and re-read first, so of two requests making the same move at once the
    second finds the new state and is refused with a message, instead of moving (and logging) it
    twice. Callers lock before reading anything their guards or changes depend on.
    """
    if obj.pk is not None:
        lock(obj)
    new_state = workflow.target(obj, action)
    if action in workflow.reason_required and not reason.strip():
        raise ValidationError({"reason": _("Alasan atau catatan wajib diisi.")})
    for guard in workflow.guards.get(action, ()):
        problem = guard(obj, actor)
        if problem:
            raise ValidationError(str(problem), code="guard")
    old_state = getattr(obj, workflow.state_field)
    setattr(obj, workflow.state_field, new_state)
    if changes is not None:
        changes()
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = f"{action}: {reason}"[:100]  # type: ignore[attr-defined]
    obj.save()
    return StateChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        old_state=old_state,
        new_state=new_state,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason.strip(),
    )


def state_log(obj: models.Model) -> list[StateChange]:
    return list(
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("actor")
    )
