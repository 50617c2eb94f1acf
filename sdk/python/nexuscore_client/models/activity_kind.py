from enum import StrEnum


class ActivityKind(StrEnum):
    ASSIGNMENT = "assignment"
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    MERGE = "merge"
    NOTE = "note"
    STATUS_CHANGE = "status_change"

    def __str__(self) -> str:
        return str(self.value)
