from enum import StrEnum


class RetentionCategory(StrEnum):
    ACTIVITIES = "activities"
    ARCHIVED_LEADS = "archived_leads"
    AUDIT_LOGS = "audit_logs"
    LOST_LEADS = "lost_leads"
    USER_SESSIONS = "user_sessions"

    def __str__(self) -> str:
        return str(self.value)
