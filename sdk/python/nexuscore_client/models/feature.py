from enum import StrEnum


class Feature(StrEnum):
    API_ACCESS = "api_access"
    LEAD_EXPORT = "lead_export"
    LEAD_IMPORT = "lead_import"
    PRIORITY_SUPPORT = "priority_support"

    def __str__(self) -> str:
        return str(self.value)
