from enum import StrEnum


class OverseasEvidence(StrEnum):
    BILLING_ADDRESS = "billing_address"
    DECLARATION = "declaration"
    PAYMENT_METHOD = "payment_method"
    REGISTRATION_DOCUMENT = "registration_document"

    def __str__(self) -> str:
        return str(self.value)
