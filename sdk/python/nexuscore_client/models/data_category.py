from enum import StrEnum


class DataCategory(StrEnum):
    CHILDREN = "children"
    COMMUNICATIONS = "communications"
    CONTACT = "contact"
    CREDENTIALS = "credentials"
    FINANCIAL = "financial"
    HEALTH = "health"
    IDENTIFIERS = "identifiers"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
