"""The document renderer port on the billing-docs renderers (PDF, InvoiceNow UBL)."""

from __future__ import annotations

from nexuscore.billing.domain.documents import TaxDocument


class TaxDocumentRenderer:
    def pdf(self, document: TaxDocument) -> bytes:
        from nexuscore.billing.adapters.pdf import render_pdf

        return render_pdf(document)

    def einvoice(self, document: TaxDocument) -> bytes:
        from nexuscore.billing.adapters.einvoice import render_ubl

        return render_ubl(document)
