"""The reports app's models (each in the module of its use case)."""

from sendwise.reports.sar_models import SubjectAccessExport

__all__ = ["SubjectAccessExport"]
