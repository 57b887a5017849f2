"""Alert channels (email, Slack, console) and the delivery of due alerts."""

from alerts.channel import (
    Channel,
    DeliveryError,
    PermanentDeliveryError,
    TransientDeliveryError,
    build_channels,
)
from alerts.delivery import DeliveryReport, deliver_due
from alerts.test_message import send_test_alert, test_alert_message

__all__ = [
    "Channel",
    "DeliveryError",
    "DeliveryReport",
    "PermanentDeliveryError",
    "TransientDeliveryError",
    "build_channels",
    "deliver_due",
    "send_test_alert",
    "test_alert_message",
]
