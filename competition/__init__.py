"""The skills-competition platform for university staff unions: the application factory."""

from __future__ import annotations

from flask import Flask

from .config import ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app in named steps; ``config`` overrides what the environment says."""
    settings = load_config(config)
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=settings["INSTANCE_PATH"],
    )
    app.config.update(settings)
    app.json.ensure_ascii = False  # Chinese as UTF-8 in JSON (Flask 3 ignores JSON_AS_ASCII)
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    _register_cli(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, the client's address, scheme and host are taken from their
    X-Forwarded-* headers, so that rate limits count real clients rather than the proxy. With 0 (the
    default) no such header is believed: any client can send one."""
    proxies = app.config.get("TRUSTED_PROXIES") or 0
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def _init_extensions(app: Flask) -> None:
    from . import i18n
    from .database import configure_engine
    from .extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    configure_engine(app)
    # Before CSRFProtect (registered next), which reads the form and so enforces the body limit.
    app.before_request(_upload_limits)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    from . import auth_setup

    auth_setup.configure(login_manager)


# Endpoints that take entry materials (videos): their own body limit instead of the app-wide 12 MB.
LARGE_UPLOAD_ENDPOINTS = {"registration.upload_material", "api.upload_material"}
LARGE_UPLOAD_BYTES = 210 * 1024 * 1024


def _upload_limits() -> None:
    from flask import request

    if request.endpoint in LARGE_UPLOAD_ENDPOINTS:
        request.max_content_length = LARGE_UPLOAD_BYTES


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .competitions import bp as competitions_bp
    from .coverage import bp as coverage_bp
    from .exams import bp as exams_bp
    from .judge import bp as judge_bp
    from .judging import bp as judging_bp
    from .main import bp as main_bp
    from .registration import bp as registration_bp
    from .results import bp as results_bp
    from .staff import bp as staff_bp

    blueprints = (
        main_bp,
        auth_bp,
        admin_bp,
        staff_bp,
        competitions_bp,
        registration_bp,
        coverage_bp,
        api_bp,
        judging_bp,
        judge_bp,
        results_bp,
        exams_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _register_hooks(app: Flask) -> None:
    from . import errors_web, i18n, security, templating, transaction

    transaction.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    errors_web.init_app(app)


def _register_cli(app: Flask) -> None:
    from .cli import register

    register(app)
