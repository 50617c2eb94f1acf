"""Billing adapters: rendering documents (PDF, InvoiceNow UBL), storage, HTTP, tasks."""
