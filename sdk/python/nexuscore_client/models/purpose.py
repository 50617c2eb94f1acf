from enum import StrEnum


class Purpose(StrEnum):
    ANALYTICS = "analytics"
    MARKETING_CALL = "marketing_call"
    MARKETING_EMAIL = "marketing_email"
    MARKETING_SMS = "marketing_sms"
    THIRD_PARTY_SHARING = "third_party_sharing"

    def __str__(self) -> str:
        return str(self.value)
