"""The Textual shell over the core: ``competency assess`` and ``competency review``.

Nothing here decides a level or a rule; screens ask ``competency.session.Session`` and
``competency.scoring`` and show the answer. Build the app with ``tui.app.make_app``.
"""
