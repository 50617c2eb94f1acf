"""The document renderer port on the PDF (fpdf2) and InvoiceNow UBL renderers."""

from __future__ import annotations

from nexuscore.billing.adapters.einvoice import render_ubl
from nexuscore.billing.adapters.pdf import render_pdf
from nexuscore.billing.domain.documents import TaxDocument


class TaxDocumentRenderer:
    def pdf(self, document: TaxDocument) -> bytes:
        return render_pdf(document)

    def einvoice(self, document: TaxDocument) -> bytes:
        return render_ubl(document)
