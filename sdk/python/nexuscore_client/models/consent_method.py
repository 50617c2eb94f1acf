from enum import StrEnum


class ConsentMethod(StrEnum):
    API = "api"
    FORM = "form"
    IMPORT = "import"
    VERBAL = "verbal"

    def __str__(self) -> str:
        return str(self.value)
