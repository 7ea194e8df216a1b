"""Storage: the schema (SQLAlchemy Core), its migrations (Alembic), the engine, and one small
repository per feature. Errors of the database libraries leave this package as `StorageError`.

    storage = await Storage.open(settings.database)
    user = await storage.users.get(chat_id)
"""

from bot.base.errors import StorageError
from bot.base.turns import UserRecord
from bot.storage.audit import AuditEntry, AuditLog, AuditNote
from bot.storage.claims import Claims
from bot.storage.database import Storage
from bot.storage.deliveries import Delivery, DeliveryLog, Run, RunProgress
from bot.storage.drafts import Draft, DraftStore
from bot.storage.gaps import Gap, GapStore
from bot.storage.inbox import Handled, InboxStore, StoredQuestion
from bot.storage.staff import ROLES, StaffMember, StaffSession, StaffStore
from bot.storage.statistics import Statistics, VoteCount
from bot.storage.subscriptions import Added, Subscription, SubscriptionStore
from bot.storage.topic_drafts import (
    StaleDraftError,
    TopicDraft,
    TopicDraftStore,
    TopicVersion,
)
from bot.storage.usage import DayCount, TopicCount, UsageStore
from bot.storage.users import UserStore

__all__ = [
    "ROLES",
    "Added",
    "AuditEntry",
    "AuditLog",
    "AuditNote",
    "Claims",
    "DayCount",
    "Delivery",
    "DeliveryLog",
    "Draft",
    "DraftStore",
    "Gap",
    "GapStore",
    "Handled",
    "InboxStore",
    "Run",
    "RunProgress",
    "StaffMember",
    "StaffSession",
    "StaffStore",
    "StaleDraftError",
    "Statistics",
    "Storage",
    "StorageError",
    "StoredQuestion",
    "Subscription",
    "SubscriptionStore",
    "TopicCount",
    "TopicDraft",
    "TopicDraftStore",
    "TopicVersion",
    "UsageStore",
    "UserRecord",
    "UserStore",
    "VoteCount",
]
