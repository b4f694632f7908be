"""Sending through an SMTP server with the standard library: STARTTLS and a login when configured."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from services.notifications.domain.notices import Email
from services.notifications.service_layer.ports import MailServerError


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    starttls: bool = True
    username: str = ""
    password: str = field(default="", repr=False)
    timeout_s: float = 10.0


class SmtpMailer:
    def __init__(self, settings: SmtpSettings, tls: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.tls = tls or ssl.create_default_context()

    def send(self, email: Email) -> None:
        s = self.settings
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout_s) as server:
                if s.starttls:
                    server.starttls(context=self.tls)
                if s.username:
                    server.login(s.username, s.password)
                server.send_message(self._message(email))
        except (OSError, smtplib.SMTPException) as error:
            raise MailServerError(f"{type(error).__name__}: {error}") from error

    def _message(self, email: Email) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = email.recipient
        message["Subject"] = email.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self.settings.sender.rpartition("@")[2] or None)
        message.set_content(email.body)
        return message
