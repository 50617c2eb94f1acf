"""Ports that turn a `TaxDocument` into files: the PDF and the InvoiceNow (UBL) e-invoice."""

from __future__ import annotations

from typing import Protocol

from nexuscore.billing.domain.documents import TaxDocument


class DocumentRenderer(Protocol):
    def pdf(self, document: TaxDocument) -> bytes: ...

    def einvoice(self, document: TaxDocument) -> bytes: ...
