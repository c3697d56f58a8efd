"""Which language and time zone a request gets: Simplified Chinese unless the user chose English."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session

SESSION_KEY = "lang"


def select_locale() -> str:
    """The user's explicit choice wins; API clients may ask with Accept-Language; otherwise Chinese.

    Pages ignore the browser's Accept-Language on purpose: union offices often run English-language
    browsers, and the product is Chinese first. A ``?lang=en`` on any page switches and remembers.
    """
    if not has_request_context():  # the command line speaks English, like its own messages and --help
        return "en"
    languages = current_app.config["LANGUAGES"]
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/") and request.accept_languages:
        best = request.accept_languages.best_match(["zh", "zh-CN", "en"])
        if best == "en":
            return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _remember_choice() -> None:
    lang = request.args.get("lang")
    if lang and lang in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = lang


def init_app(app: Flask) -> None:
    app.before_request(_remember_choice)
