"""Tax invoices and credit notes as InvoiceNow e-invoices: UBL 2.1 in the PINT SG profile."""

from nexuscore.billing.adapters.einvoice.ubl import render_ubl

__all__ = ["render_ubl"]
