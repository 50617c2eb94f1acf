"""Billing: IRAS tax invoices, GST, credit notes, gapless numbering, PDFs and InvoiceNow e-invoices."""
