from enum import StrEnum


class SubjectKind(StrEnum):
    LEAD = "lead"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
