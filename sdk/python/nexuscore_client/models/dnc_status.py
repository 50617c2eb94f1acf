from enum import StrEnum


class DncStatus(StrEnum):
    CLEAR = "clear"
    LISTED = "listed"
    UNCHECKED = "unchecked"

    def __str__(self) -> str:
        return str(self.value)
