"""HTTP adapter for the platform categories' retention dry run (staff):
GET /api/v1/admin/privacy/retention/preview."""

from __future__ import annotations

from datetime import date, datetime

from litestar import Controller, get
from litestar.di import NamedDependency, Provide

from nexuscore.identity.api import Principal
from nexuscore.platform.http.problem_docs import FORBIDDEN, problems
from nexuscore.platform.http.structs import ResponseBody
from nexuscore.privacy.adapters.http.records_dependencies import PrivacyRecordsState, provide_privacy_platform_uow
from nexuscore.privacy.adapters.http.responses import BEARER
from nexuscore.privacy.adapters.platform_data import PlatformRetentionData
from nexuscore.privacy.adapters.sql.records import SqlPrivacyUnitOfWork
from nexuscore.privacy.application.retention import PlatformPurgePreview, preview_platform


class PlatformRetentionCounts(ResponseBody):
    user_sessions: int
    audit_logs: int
    total: int


class PlatformRetentionCutoffs(ResponseBody):
    user_sessions: datetime
    audit_logs: datetime


class PlatformRetentionPreviewResponse(ResponseBody):
    """What the next daily run removes of the platform categories: sessions that ended (expired
    or revoked) before `cutoffs.userSessions`, dispatched events that happened before
    `cutoffs.auditLogs` (undispatched outbox rows are never removed)."""

    run_at: datetime
    run_day: date
    cutoffs: PlatformRetentionCutoffs
    counts: PlatformRetentionCounts

    @classmethod
    def of(cls, preview: PlatformPurgePreview) -> PlatformRetentionPreviewResponse:
        c, n = preview.cutoffs, preview.counts
        return cls(
            run_at=preview.run_at,
            run_day=c.run_day,
            cutoffs=PlatformRetentionCutoffs(user_sessions=c.user_sessions, audit_logs=c.audit_logs),
            counts=PlatformRetentionCounts(user_sessions=n.user_sessions, audit_logs=n.audit_logs, total=n.total),
        )


class PlatformRetentionController(Controller):
    path = "/api/v1/admin/privacy/retention"
    tags = ["privacy"]
    security = BEARER
    opt = problems(FORBIDDEN)  # staff only
    dependencies = {"privacy_records_uow": Provide(provide_privacy_platform_uow)}  # staff first, then the session

    @get("/preview", summary="Dry run: what the next daily purge removes of the platform categories (staff)")
    async def preview_platform_retention(
        self,
        privacy_records_staff: NamedDependency[Principal],
        privacy_records_uow: NamedDependency[SqlPrivacyUnitOfWork],
        privacy_records_services: NamedDependency[PrivacyRecordsState],
    ) -> PlatformRetentionPreviewResponse:
        found = await preview_platform(
            PlatformRetentionData(privacy_records_uow.session), privacy_records_services.clock
        )
        return PlatformRetentionPreviewResponse.of(found)
