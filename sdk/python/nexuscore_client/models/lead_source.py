from enum import StrEnum


class LeadSource(StrEnum):
    ADS = "ads"
    COLD_OUTREACH = "cold_outreach"
    EVENT = "event"
    IMPORT = "import"
    OTHER = "other"
    PARTNER = "partner"
    REFERRAL = "referral"
    WEBSITE = "website"

    def __str__(self) -> str:
        return str(self.value)
