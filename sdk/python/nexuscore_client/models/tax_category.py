from enum import StrEnum


class TaxCategory(StrEnum):
    DS = "DS"
    ES33 = "ES33"
    ESN33 = "ESN33"
    NA = "NA"
    NG = "NG"
    OS = "OS"
    SR = "SR"
    SRCA_C = "SRCA-C"
    SRCA_S = "SRCA-S"
    SRLVG = "SRLVG"
    SROVR_LVG = "SROVR-LVG"
    SROVR_RS = "SROVR-RS"
    SRRC = "SRRC"
    ZR = "ZR"

    def __str__(self) -> str:
        return str(self.value)
