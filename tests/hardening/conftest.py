"""Hypothesis profiles: quick in CI, thorough with HYPOTHESIS_PROFILE=slow (nightly)."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=150)
settings.register_profile("slow", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
