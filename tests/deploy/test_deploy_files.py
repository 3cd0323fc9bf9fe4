"""deploy/: the systemd units run commands that exist, the env example names only settings the app reads, and
systemd and nginx accept the files (`systemd-analyze verify`, `nginx -t`)."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from config import ROOT

DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
#: variables of deploy/clubess.env.example read by clubess-app.service (gunicorn's command line), not by the app
UNIT_VARIABLES = {"CLUBESS_BIND", "CLUBESS_WORKERS"}


def unit(name: str) -> dict[str, list[str]]:
    """key -> values of a unit file (sections merged: the keys used here are unique)."""
    found: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def services() -> list[str]:
    return sorted(path.name for path in UNITS.glob("*.service"))


def app_settings() -> set[str]:
    """Every environment variable the app reads: config.py's _env*() calls, and CLUBESS_ENV."""
    source = (ROOT / "config.py").read_text()
    return set(re.findall(r'_env(?:_int|_bool)?\(\s*"([A-Z0-9_]+)"', source)) | {"CLUBESS_ENV"}


def env_example() -> dict[str, str]:
    lines = (DEPLOY / "clubess.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_units_that_an_operator_enables_are_there():
    assert services() == [
        "clubess-app.service",
        "clubess-backup.service",
        "clubess-scheduler.service",
        "clubess-worker@.service",
    ]
    for timer in UNITS.glob("*.timer"):
        assert (UNITS / timer.name.replace(".timer", ".service")).exists()
    for name in services():
        settings = unit(name)
        assert settings["WorkingDirectory"] == ["/srv/clubess"] and settings["EnvironmentFile"] == ["/etc/clubess/env"]
        assert settings["User"] == ["clubess"]


@pytest.mark.parametrize("name", ["clubess-worker@.service", "clubess-scheduler.service", "clubess-backup.service"])
def test_every_flask_command_of_the_units_exists(app, name):
    [exec_start] = unit(name)["ExecStart"]
    words = shlex.split(exec_start)
    assert words[:3] == ["/srv/clubess/.venv/bin/flask", "--app", "wsgi"]
    command = [word for word in words[3:] if not word.startswith("-")][:2]
    result = app.test_cli_runner().invoke(args=[*words[3:], "--help"])
    assert result.exit_code == 0, (command, result.output)
    assert "Usage: " in result.output and " ".join(command[:1]) in result.output


def test_the_app_unit_runs_gunicorn_with_options_it_knows():
    from gunicorn.config import Config

    settings = unit("clubess-app.service")
    defaults = dict(pair.split("=", 1) for pair in settings["Environment"][0].split())
    assert defaults["CLUBESS_BIND"].startswith("127.0.0.1:")
    [exec_start] = settings["ExecStart"]
    words = shlex.split(re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], exec_start))
    assert words[0] == "/srv/clubess/.venv/bin/gunicorn" and words[-1] == "wsgi:app"
    parsed = Config().parser().parse_args(words[1:])
    assert parsed.bind == ["127.0.0.1:8000"] and parsed.workers == 4
    assert parsed.config == "/srv/clubess/deploy/gunicorn.conf.py"
    assert (DEPLOY / "gunicorn.conf.py").exists()


def test_the_env_example_names_only_settings_the_app_reads():
    example = env_example()
    unknown = set(example) - app_settings() - UNIT_VARIABLES
    assert not unknown, f"not read by the app: {sorted(unknown)}"
    assert example["CLUBESS_ENV"] == "production" and example["TRUSTED_PROXIES"] == "1"
    assert example["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert example["DATABASE_URL"].startswith("postgresql+psycopg://")
    for name in ("SECRET_KEY", "MAIL_PASSWORD"):
        assert "change-me" in example[name]  # no secret shipped
    app_unit = (UNITS / "clubess-app.service").read_text()
    assert all(f"${{{name}}}" in app_unit for name in UNIT_VARIABLES)


def test_nginx_sends_the_headers_proxyfix_reads():
    conf = (DEPLOY / "nginx" / "clubess.conf").read_text()
    for header in (
        "X-Forwarded-For $proxy_add_x_forwarded_for",
        "X-Forwarded-Proto $scheme",
        "X-Forwarded-Host $host",
        "X-Request-ID $request_id",
    ):
        assert f"proxy_set_header {header};" in conf
    metrics = conf.split("location = /metrics {", 1)[1].split("}", 1)[0]
    assert "deny all;" in metrics and "allow 0.0.0.0/0" not in metrics


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is part of Debian's systemd"
    venv_bin = Path(sys.executable).parent  # the venv running the tests has gunicorn and flask
    (tmp_path / "env").write_text("")
    for path in UNITS.iterdir():
        text = path.read_text().replace("/srv/clubess/.venv/bin/", f"{venv_bin}/")
        (tmp_path / path.name).write_text(text.replace("/etc/clubess/env", str(tmp_path / "env")))
    (tmp_path / "clubess-worker@1.service").write_text((tmp_path / "clubess-worker@.service").read_text())
    names = [p.name for p in tmp_path.iterdir() if p.suffix in {".service", ".timer"} and "@." not in p.name]
    result = subprocess.run(
        [analyze, "verify", "--man=no", *[f"./{name}" for name in sorted(names)]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr and "ignoring" not in result.stderr, result.stderr


def test_nginx_accepts_the_site(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx -t needs Debian's nginx (apt-get install nginx-light)"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "clubess.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/club-ess.example.org/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/club-ess.example.org/privkey.pem", str(tmp_path / "key.pem"))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "clubess.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  include {tmp_path}/clubess.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "warn" not in result.stderr, result.stderr
