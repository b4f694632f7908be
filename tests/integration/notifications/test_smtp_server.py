"""The mailer speaks to a real SMTP server that requires STARTTLS and a login before it takes mail."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from services.notifications.adapters.smtp import SmtpMailer, SmtpSettings
from services.notifications.domain.notices import Email
from services.notifications.service_layer.ports import MailServerError
from tests.integration.notifications.conftest import Mailbox, free_port

USER, PASSWORD = "registry", "smtp-password-from-the-environment"
MESSAGE = Email("anne@example.org", "Account A-1 is frozen", "Hello Anne,\n")


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, Mailbox, ssl.SSLContext]]:
    cert, key = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    port, mailbox = free_port(), Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_tls,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    controller.start()
    yield port, mailbox, ssl.create_default_context(cafile=str(cert))
    controller.stop()


def mailer(port: int, tls: ssl.SSLContext, **options: Any) -> SmtpMailer:
    settings = SmtpSettings("127.0.0.1", port, "registry@notices.example.org", username=USER, password=PASSWORD)
    return SmtpMailer(SmtpSettings(**{**settings.__dict__, **options}), tls)


def test_it_sends_over_starttls_after_logging_in(tls_server: tuple[int, Mailbox, ssl.SSLContext]) -> None:
    port, mailbox, tls = tls_server
    mailer(port, tls).send(MESSAGE)
    [(recipients, message)] = mailbox.messages
    assert recipients == ["anne@example.org"]
    assert (message["From"], message["Subject"]) == ("registry@notices.example.org", "Account A-1 is frozen")


@pytest.mark.parametrize("options", [{"password": "wrong"}, {"starttls": False}])
def test_a_refused_login_or_plain_session_is_a_server_error(
    tls_server: tuple[int, Mailbox, ssl.SSLContext], options: dict[str, Any]
) -> None:
    port, mailbox, tls = tls_server
    with pytest.raises(MailServerError):
        mailer(port, tls, **options).send(MESSAGE)
    assert mailbox.messages == []


def test_an_untrusted_certificate_is_refused(tls_server: tuple[int, Mailbox, ssl.SSLContext]) -> None:
    port, mailbox, _ = tls_server
    with pytest.raises(MailServerError):
        mailer(port, ssl.create_default_context()).send(MESSAGE)
    assert mailbox.messages == []
