from enum import StrEnum


class AssignStrategy(StrEnum):
    ROUND_ROBIN = "round_robin"

    def __str__(self) -> str:
        return str(self.value)
