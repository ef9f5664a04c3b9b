"""Rendering a notification as an email: a plain-text and an HTML part from Jinja2 templates.

Booking and event kinds open with their kind's line (`wording`) and list the event, its date
and time in the event's own time zone, the venue, the tickets, the total and the booking
reference; generic notifications show the caller's subject and body.
"""

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from notification_service.models import Document
from notification_service.wording import FACTS_KINDS, Wording, facts_context


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


class EmailRenderer:
    def __init__(self, *, app_url: str, wording: Wording) -> None:
        self.app_url = app_url
        self.wording = wording
        self.html = Environment(
            loader=PackageLoader("notification_service", "templates"),
            auto_reload=False,  # shipped with the package: no file checks on every render
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=select_autoescape(default=True),
        )
        self.text = wording.env

    def render(self, document: Document) -> RenderedEmail:
        kind, data = document["kind"], document.get("data")
        facts = kind in FACTS_KINDS
        context = {
            "subject": document["subject"],
            "intro": self.wording.intro(kind, data) if facts else document["body"],
            **facts_context(data),
            "app_url": self.app_url,
        }
        template = "facts" if facts else "generic"
        return RenderedEmail(
            subject=document["subject"],
            text=self.text.get_template(f"{template}.txt.j2").render(context),
            html=self.html.get_template(f"{template}.html.j2").render(context),
        )


def build_message(
    *, document: Document, rendered: RenderedEmail, sender: str, sender_domain: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = document["user_email"]
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(document["created_at"])
    # The same id on every attempt lets mail systems drop a duplicate after a lost reply.
    message["Message-ID"] = f"<notification-{document['_id']}@{sender_domain}>"
    message["X-Notification-Id"] = str(document["_id"])
    message["X-Notification-Kind"] = document["kind"]
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
