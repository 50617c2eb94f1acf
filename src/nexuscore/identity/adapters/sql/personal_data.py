"""Identity's part of the personal data map: accounts, sessions, emailed tokens.

Only user subjects have rows here; erasing one deletes the account with its sessions, refresh
tokens and action tokens (nothing in them must be kept)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.identity.adapters.sql.tables import ActionTokenRow, SessionRow, UserRow
from nexuscore.kernel.personal_data import (
    Category,
    ErasureReport,
    Masking,
    PersonalField,
    SubjectKind,
    SubjectQuery,
    SubjectRecord,
    json_safe,
)
from nexuscore.platform.database import bind_rls_scope

_D = Masking.DELETE_ROW
FIELDS: tuple[PersonalField, ...] = (
    PersonalField("identity_user", "email", Category.CONTACT, _D, "sign-in address"),
    PersonalField("identity_user", "full_name", Category.IDENTITY, _D, "name on the account"),
    PersonalField("identity_user", "password_hash", Category.ACCOUNT, _D, "Argon2id hash (never exported)"),
    PersonalField("identity_user", "locale", Category.ACCOUNT, _D, "preferred language"),
    PersonalField("identity_user", "email_verified_at", Category.ACCOUNT, _D, "when the address was verified"),
    PersonalField("identity_user", "marketing_consent_at", Category.CONSENT, _D, "when marketing consent was given"),
    PersonalField("identity_session", "ip", Category.DEVICE, _D, "IP address a session signed in from"),
    PersonalField("identity_session", "user_agent", Category.DEVICE, _D, "browser of a session"),
    PersonalField("identity_action_token", "new_email", Category.CONTACT, _D, "an email change asked for"),
)


class IdentityPersonalData:
    name = "identity"
    fields: Sequence[PersonalField] = FIELDS

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        if subject.kind is not SubjectKind.USER:
            return []
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            user = await session.get(UserRow, subject.user_id)
            if user is None:
                return []
            out = [
                SubjectRecord(
                    "identity_user",
                    str(user.id),
                    None,
                    {
                        "email": user.email,
                        "full_name": user.full_name,
                        "locale": user.locale,
                        "email_verified_at": json_safe(user.email_verified_at),
                        "marketing_consent_at": json_safe(user.marketing_consent_at),
                        "created_at": json_safe(user.created_at),
                    },
                    subject_ref=f"user:{user.id}",
                    names=(user.full_name,),
                )
            ]
            sessions = await session.scalars(
                select(SessionRow).where(SessionRow.user_id == user.id).order_by(SessionRow.created_at)
            )
            out += [
                SubjectRecord(
                    "identity_session",
                    str(s.id),
                    None,
                    {
                        "created_at": json_safe(s.created_at),
                        "last_used_at": json_safe(s.last_used_at),
                        "ip": s.ip,
                        "user_agent": s.user_agent,
                        "revoked_at": json_safe(s.revoked_at),
                    },
                )
                for s in sessions
            ]
            tokens = await session.scalars(select(ActionTokenRow).where(ActionTokenRow.user_id == user.id))
            out += [
                SubjectRecord(
                    "identity_action_token",
                    str(t.id),
                    None,
                    {"purpose": t.purpose, "new_email": t.new_email, "created_at": json_safe(t.created_at)},
                )
                for t in tokens
            ]
            return out

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        if subject.kind is not SubjectKind.USER:
            return ErasureReport(self.name)
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            # Refresh tokens go with their sessions (ON DELETE CASCADE).
            tokens = await session.execute(delete(ActionTokenRow).where(ActionTokenRow.user_id == subject.user_id))
            sessions = await session.execute(delete(SessionRow).where(SessionRow.user_id == subject.user_id))
            users = await session.execute(delete(UserRow).where(UserRow.id == subject.user_id))
        return ErasureReport(
            self.name,
            deleted={
                "identity_action_token": _count(tokens),
                "identity_session": _count(sessions),
                "identity_user": _count(users),
            },
        )


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
