from enum import StrEnum


class RequestKind(StrEnum):
    ACCESS = "access"
    CORRECTION = "correction"
    DELETION = "deletion"
    WITHDRAW_CONSENT = "withdraw_consent"

    def __str__(self) -> str:
        return str(self.value)
