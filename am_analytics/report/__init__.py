"""The PDF report and its Excel workbook (`python -m am_analytics.report`)."""
