from enum import StrEnum


class ListLeadsSortType0(StrEnum):
    COMPANY = "company"
    CREATEDAT = "createdAt"
    ESTIMATEDVALUE = "estimatedValue"
    LASTNAME = "lastName"
    NEXTFOLLOWUP = "nextFollowUp"
    SCORE = "score"
    STATUS = "status"
    UPDATEDAT = "updatedAt"
    VALUE_1 = "-createdAt"
    VALUE_11 = "-nextFollowUp"
    VALUE_13 = "-estimatedValue"
    VALUE_15 = "-status"
    VALUE_3 = "-updatedAt"
    VALUE_5 = "-score"
    VALUE_7 = "-lastName"
    VALUE_9 = "-company"

    def __str__(self) -> str:
        return str(self.value)
