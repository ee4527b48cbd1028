"""Trust rules: senior status for long-standing members in good standing, at log-in or at once."""

from datetime import timedelta
from html import unescape

from sqlalchemy import select

from forum.accounts.models import Role
from forum.admin.trust import (
    TrustRules,
    apply_trust_rules,
    load_rules,
    promote_all_qualifying,
    save_rules,
)
from forum.auth.viewer import Viewer
from forum.core.time import utcnow
from forum.moderation.actions import apply_sanction, lift_sanction, set_role
from forum.moderation.models import AuditEntry, SanctionKind
from forum.notifications.models import Notification


async def _veteran(make_member, session, handle: str, *, days: int = 200, posts: int = 120):
    member = await make_member(handle, joined_days_ago=days)
    member.post_count = posts
    await session.flush()
    return member


async def test_rules_start_from_the_defaults_and_save_with_an_audit_entry(session, admin):
    assert await load_rules(session) == TrustRules(
        enabled=True, member_days=180, min_posts=100, clean_days=90
    )
    await save_rules(session, Viewer.of(admin), TrustRules(min_posts=50))
    assert (await load_rules(session)).min_posts == 50
    (entry,) = (await session.scalars(select(AuditEntry))).all()
    assert entry.action == "trust.rules"
    assert entry.details["before"]["min_posts"] == 100 and entry.details["after"]["min_posts"] == 50


async def test_a_qualifying_member_becomes_senior_when_logging_in(
    client, session, make_member, log_in_by_form
):
    veteran = await _veteran(make_member, session, "Long.Road")
    response = await log_in_by_form(client, veteran)
    assert response.status_code == 303
    await session.refresh(veteran)
    assert veteran.role == Role.SENIOR
    (entry,) = (await session.scalars(select(AuditEntry))).all()
    assert (entry.action, entry.actor_name, entry.actor_id) == ("member.role", "system", None)
    assert entry.reason == "Trust rules"
    notice = (await session.scalars(select(Notification))).one()
    assert "senior member" in notice.message
    # Logging in again changes nothing more.
    client.cookies.clear()
    await log_in_by_form(client, veteran)
    assert len((await session.scalars(select(AuditEntry))).all()) == 1


async def test_members_short_of_days_or_posts_stay_as_they_are(session, make_member):
    young = await _veteran(make_member, session, "Young.Tree", days=100)
    quiet = await _veteran(make_member, session, "Quiet.Tree", posts=99)
    assert not await apply_trust_rules(session, young.id)
    assert not await apply_trust_rules(session, quiet.id)
    assert (young.role, quiet.role) == (Role.MEMBER, Role.MEMBER)


async def test_a_recent_sanction_holds_promotion_back_unless_it_was_lifted(
    session, make_member, moderator
):
    warned = await _veteran(make_member, session, "Warned.Oak")
    forgiven = await _veteran(make_member, session, "Forgiven.Oak")
    keeper = Viewer.of(moderator)
    await apply_sanction(session, keeper, warned, SanctionKind.WARN, "Unkind reply")
    mistake = await apply_sanction(session, keeper, forgiven, SanctionKind.WARN, "Wrong member")
    await lift_sanction(session, keeper, mistake, "My mistake")
    assert not await apply_trust_rules(session, warned.id)
    assert await apply_trust_rules(session, forgiven.id)
    assert (warned.role, forgiven.role) == (Role.MEMBER, Role.SENIOR)


async def test_an_old_sanction_no_longer_counts_but_one_still_in_force_does(
    session, make_member, moderator
):
    long_ago = await _veteran(make_member, session, "Long.Ago")
    silenced = await _veteran(make_member, session, "Still.Silenced")
    keeper = Viewer.of(moderator)
    old = await apply_sanction(session, keeper, long_ago, SanctionKind.WARN, "Long ago")
    old.created_at = utcnow() - timedelta(days=120)
    slow = await apply_sanction(session, keeper, silenced, SanctionKind.SILENCE, "Long silence")
    slow.created_at = utcnow() - timedelta(days=120)  # given long ago, but never ending
    await session.flush()
    assert await apply_trust_rules(session, long_ago.id)
    assert not await apply_trust_rules(session, silenced.id)


async def test_senior_status_taken_back_by_a_moderator_is_not_given_again(
    session, make_member, moderator
):
    veteran = await _veteran(make_member, session, "Long.Road")
    assert await apply_trust_rules(session, veteran.id)
    await set_role(session, Viewer.of(moderator), veteran, Role.MEMBER, "Misused the badge")
    assert not await apply_trust_rules(session, veteran.id)
    assert veteran.role == Role.MEMBER


async def test_rules_switched_off_promote_nobody(session, make_member, admin):
    veteran = await _veteran(make_member, session, "Long.Road")
    await save_rules(session, Viewer.of(admin), TrustRules(enabled=False))
    assert not await apply_trust_rules(session, veteran.id)
    assert await promote_all_qualifying(session) == []


async def test_apply_now_promotes_everyone_who_qualifies_and_nobody_else(
    client, session, make_member, admin, moderator, sign_in, post_form
):
    await _veteran(make_member, session, "Long.Road")
    await _veteran(make_member, session, "Old.Friend", days=400, posts=500)
    young = await _veteran(make_member, session, "Young.Tree", days=10)
    warned = await _veteran(make_member, session, "Warned.Oak")
    await apply_sanction(session, Viewer.of(moderator), warned, SanctionKind.WARN, "Tone")
    await sign_in(client, admin)
    page = await client.get("/admin/trust")
    assert "2 members qualify" in page.text
    applied = await post_form(client, "/admin/trust/apply")
    assert applied.status_code == 303 and applied.headers["location"] == "/admin/trust?promoted=2"
    assert (
        "2 members became senior members." in (await client.get(applied.headers["location"])).text
    )
    seniors = (
        await session.scalars(
            select(AuditEntry.target_label).where(AuditEntry.reason == "Trust rules")
        )
    ).all()
    assert sorted(seniors) == ["Long.Road", "Old.Friend"]
    await session.refresh(young)
    assert young.role == Role.MEMBER


async def test_trust_page_saves_rules_and_refuses_bad_numbers_beside_their_fields(
    client, session, admin, moderator, sign_in, post_form
):
    await sign_in(client, moderator)
    assert (await client.get("/admin/trust")).status_code == 403
    await sign_in(client, admin)
    bad = await post_form(
        client, "/admin/trust", enabled="1", member_days="ninety", min_posts="20", clean_days="30"
    )
    assert bad.status_code == 422
    assert 'id="member_days-error"' in bad.text
    assert "Write a whole number from 0 to 3,650." in bad.text
    assert 'value="ninety"' in bad.text
    saved = await post_form(
        client, "/admin/trust", member_days="90", min_posts="20", clean_days="30"
    )
    assert saved.status_code == 303
    assert await load_rules(session) == TrustRules(
        enabled=False, member_days=90, min_posts=20, clean_days=30
    )


async def test_senior_members_carry_a_badge_on_their_posts_and_profile(
    client, session, make_member, make_board, make_thread
):
    veteran = await _veteran(make_member, session, "Long.Road")
    await apply_trust_rules(session, veteran.id)
    opening = await make_thread(await make_board("my-story"), veteran, title="What helped me")
    thread = await client.get(f"/t/{opening.thread_id}")
    assert '<span class="tag senior">Senior member</span>' in thread.text
    profile = await client.get("/u/Long.Road")
    assert '<span class="tag senior">Senior member</span>' in unescape(profile.text)
