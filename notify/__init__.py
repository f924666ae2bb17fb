"""Messages to people: rendering is kept apart from sending; the ledger makes sends exactly-once."""

from notify.channels import AppriseChannel, Channel, DeliveryError, OutboxChannel
from notify.dispatch import Delivery, configured_channel, dispatch
from notify.message import Draft, Message

__all__ = [
    "AppriseChannel",
    "Channel",
    "Delivery",
    "DeliveryError",
    "Draft",
    "Message",
    "OutboxChannel",
    "configured_channel",
    "dispatch",
]
