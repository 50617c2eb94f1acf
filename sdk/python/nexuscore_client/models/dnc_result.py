from enum import StrEnum


class DncResult(StrEnum):
    CLEAR = "clear"
    LISTED = "listed"

    def __str__(self) -> str:
        return str(self.value)
