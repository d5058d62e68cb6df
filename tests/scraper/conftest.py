"""Fixtures of the scraper tests (helpers live in scraper_helpers.py)."""

from __future__ import annotations

import dataclasses

import pytest
import scraper_helpers  # noqa: F401  (puts the project root on sys.path)

from scraper.profile import load_profile


@pytest.fixture(scope="session")
def profile():
    """The real crsa profile with tiny timeouts/backoffs so fault tests stay fast."""
    prof = load_profile()
    http = dataclasses.replace(
        prof.http, delay_seconds=0.0, timeout_seconds=2.0, backoff_base_seconds=0.01, backoff_max_seconds=0.05,
        retry_after_max_seconds=1.0, max_attempts=3,
    )
    return dataclasses.replace(prof, http=http)
