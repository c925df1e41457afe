from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from partnering.assurance import services
from partnering.core.tests.factories import UserFactory

from .factories import make_partnership, make_review, make_risk

pytestmark = pytest.mark.django_db


def test_due_and_overdue_recommendations_and_acceptances_remind_once():
    owner = UserFactory(role="staff", email="owner@example.gov.uk")
    p = make_partnership()
    review = make_review(p)
    services.recommendation_add(review=review, text="Soon", urgency="essential", owner=owner,
                                due_on=date(2003, 6, 5), actor=None)  # fmt: skip
    services.recommendation_add(review=review, text="Late", urgency="essential", owner=owner,
                                due_on=date(2003, 5, 1), actor=None)  # fmt: skip
    services.recommendation_add(review=review, text="Later", urgency="essential", owner=owner,
                                due_on=date(2003, 9, 1), actor=None)  # fmt: skip
    risk = make_risk(p, owner)
    services.risk_accept(risk=risk, approver="Jane", reason="Board", accepted_on=date(2003, 5, 1),
                         review_on=date(2003, 6, 10), actor=None)  # fmt: skip
    sent = services.reminders_send(today=date(2003, 6, 1))
    assert sent == {"due": 1, "overdue": 1, "acceptances": 1}
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0].startswith("Due: recommendation R1")
    assert subjects[1].startswith("Overdue: recommendation R2")
    assert services.reminders_send(today=date(2003, 6, 2)) == {"due": 0, "overdue": 0,
                                                               "acceptances": 0}  # fmt: skip
    assert len(mail.outbox) == 3


def test_the_command_queues_the_task():
    owner = UserFactory(role="staff", email="o@example.gov.uk")
    services.recommendation_add(review=make_review(make_partnership()), text="Now",
                                urgency="critical", owner=owner, actor=None)  # fmt: skip
    call_command("send_assurance_reminders")
    assert [m.subject[:4] for m in mail.outbox] == ["Due:"]
