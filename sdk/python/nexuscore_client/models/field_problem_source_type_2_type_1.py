from enum import StrEnum


class FieldProblemSourceType2Type1(StrEnum):
    BODY = "body"
    COOKIE = "cookie"
    HEADER = "header"
    PATH = "path"
    QUERY = "query"

    def __str__(self) -> str:
        return str(self.value)
