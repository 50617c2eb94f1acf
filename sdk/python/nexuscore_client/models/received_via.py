from enum import StrEnum


class ReceivedVia(StrEnum):
    ACCOUNT = "account"
    EMAIL = "email"
    IN_PERSON = "in_person"
    LETTER = "letter"
    PHONE = "phone"
    PUBLIC_FORM = "public_form"

    def __str__(self) -> str:
        return str(self.value)
