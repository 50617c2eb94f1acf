from enum import StrEnum


class LeadStatus(StrEnum):
    CONTACTED = "contacted"
    LOST = "lost"
    NEGOTIATION = "negotiation"
    NEW = "new"
    PROPOSAL = "proposal"
    QUALIFIED = "qualified"
    WON = "won"

    def __str__(self) -> str:
        return str(self.value)
