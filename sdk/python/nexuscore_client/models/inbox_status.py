from enum import StrEnum


class InboxStatus(StrEnum):
    DEAD = "dead"
    FAILED = "failed"
    IGNORED = "ignored"
    PROCESSED = "processed"
    PROCESSING = "processing"
    RECEIVED = "received"

    def __str__(self) -> str:
        return str(self.value)
