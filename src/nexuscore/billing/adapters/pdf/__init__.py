"""Tax invoices and credit notes as PDF (fpdf2, an embedded Noto Sans)."""

from nexuscore.billing.adapters.pdf.renderer import render_pdf

__all__ = ["render_pdf"]
