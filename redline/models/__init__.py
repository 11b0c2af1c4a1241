"""Typed SQLAlchemy 2.x models, one module per part of the domain."""

from redline.models.accounts import (
    CATEGORIES,
    CATEGORY_LABELS,
    ROLES,
    ApiToken,
    LoginFailure,
    User,
    UserSession,
)
from redline.models.audit import AuditEvent
from redline.models.consultation import (
    ANCHOR_STATUSES,
    DISPOSITION_LABELS,
    DISPOSITIONS,
    Comment,
    CommentAnchor,
    Consultation,
    ConsultationDeadline,
)
from redline.models.drafting import (
    MEETING_KIND_LABELS,
    MEETING_KINDS,
    PROVISION_KINDS,
    Instrument,
    Meeting,
    PassageHistoryCache,
    Provision,
    RedlineCache,
    Version,
)
from redline.models.notifications import (
    DELIVERIES,
    NOTIFICATION_KIND_LABELS,
    NOTIFICATION_KINDS,
    Notification,
    NotificationPreference,
    Presence,
)
from redline.models.outbox import MAIL_KINDS, OutboxMail
from redline.models.types import utcnow

__all__ = [
    "ANCHOR_STATUSES",
    "CATEGORIES",
    "CATEGORY_LABELS",
    "DELIVERIES",
    "DISPOSITIONS",
    "DISPOSITION_LABELS",
    "MEETING_KINDS",
    "MEETING_KIND_LABELS",
    "NOTIFICATION_KINDS",
    "NOTIFICATION_KIND_LABELS",
    "PROVISION_KINDS",
    "ROLES",
    "ApiToken",
    "AuditEvent",
    "Comment",
    "CommentAnchor",
    "Consultation",
    "ConsultationDeadline",
    "Instrument",
    "LoginFailure",
    "MAIL_KINDS",
    "Meeting",
    "OutboxMail",
    "Notification",
    "NotificationPreference",
    "Presence",
    "Provision",
    "PassageHistoryCache",
    "RedlineCache",
    "User",
    "UserSession",
    "Version",
    "utcnow",
]
