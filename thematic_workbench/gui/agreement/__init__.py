"""Agreement between two coders (a coding-reliability check, not part of reflexive TA)."""

from __future__ import annotations

from thematic_workbench.gui.agreement.view import AgreementView

__all__ = ["AgreementView"]
