"""Reporting pages by feature: activity reports, evidence, financial summaries, compliance."""
