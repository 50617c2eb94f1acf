from enum import StrEnum


class RequestStatus(StrEnum):
    APPROVED = "approved"
    COMPLETE = "complete"
    DENIED = "denied"
    ERROR = "error"
    IDENTITY_UNVERIFIED = "identity_unverified"
    IN_PROCESSING = "in_processing"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
