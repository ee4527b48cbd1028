"""The append-only record of every moderation and administration action."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.viewer import Viewer
from forum.moderation.models import AuditEntry

# Actions the forum takes by itself (reports reaching the hiding threshold, trust rules).
SYSTEM = Viewer(handle="system")


async def record(
    session: AsyncSession,
    actor: Viewer,
    action: str,
    *,
    target_kind: str,
    target_id: int | None,
    target_label: str = "",
    board_id: int | None = None,
    reason: str = "",
    **details: Any,
) -> None:
    """Write one audit row in the action's own transaction, so it exists exactly when the change does."""
    session.add(
        AuditEntry(
            actor_id=actor.member_id,
            actor_name=actor.handle,
            action=action,
            target_kind=target_kind,
            target_id=target_id,
            target_label=target_label[:200],
            board_id=board_id,
            reason=reason[:500],
            details=details,
        )
    )
