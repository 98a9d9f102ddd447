"""Payroll API: rules."""

from ninja import Router

router = Router()
