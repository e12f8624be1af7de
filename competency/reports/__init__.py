"""The report formats: each lays out a ``competency.report.Report`` on a binary stream.

``html``, ``markdown`` and ``json_format`` write one person's report, ``compare`` builds
and writes the comparison of two cycles, and ``seal`` holds the digests that
``competency verify`` checks. None of them reads ratings: the model already says it all.
"""
