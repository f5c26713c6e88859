"""The Streamlit app, driven through AppTest: what a user does, and what must hold.

Every test runs the real ``app.py`` on its own SQLite file (``OPSC_DB_URL``). Items are
picked from the real checklist by answer type, so the tests follow the content as it grows.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from checklist.assessment import Answer, Assessment
from checklist.assessment_file import write_assessment
from checklist.loader import default_checklist
from checklist.schema import Item
from checklist.store import ENV_URL, Store, Stored

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
TIMEOUT = 60


@pytest.fixture(autouse=True)
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv(ENV_URL, url)
    return url


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


# -- helpers: what a user does ----------------------------------------------------------------


def open_app(assessment_id: str | None = None, user: str = "Tess Tester") -> AppTest:
    """A fresh session, as after a browser refresh or a shared link, of a user who has
    given their name (``user=""``: one who has not yet)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if user:
        at.session_state["user_name"] = user
    if assessment_id:
        at.query_params["a"] = assessment_id
    at.run()
    assert not at.exception, at.exception
    return at


def create(at: AppTest, jurisdiction: str = "Ruritania", title: str = "") -> str:
    at.text_input(key="new:jurisdiction").input(jurisdiction)
    if title:
        at.text_input(key="new:title").input(title)
    at.button(key="new:create").click().run()
    assert not at.exception, at.exception
    return str(at.query_params["a"])


def item_of_type(answer_type: str) -> Item:
    return next(
        item
        for item in default_checklist().items(frozenset({"core"}))
        if item.answer.type == answer_type and not item.applies_if
    )


def section_of(item: Item) -> str:
    return default_checklist().section_of(item.id).id


def go_to_section(at: AppTest, section_id: str) -> None:
    at.button(key=f"nav:section:{section_id}").click().run()
    assert not at.exception, at.exception
    assert at.query_params["s"] == section_id


def go_to_results(at: AppTest) -> None:
    """Through the questionnaire's last section, whose button leads to the results."""
    last = [s for s in default_checklist().sections if s.module == "core"][-1]
    go_to_section(at, last.id)
    at.button(key="questionnaire:results").click().run()
    assert not at.exception, at.exception


def key(item: Item, part: str) -> str:
    return f"answer:{item.id}:{part}"


def whole_page(at: AppTest) -> None:
    """After an answer only the item, the score and the sidebar are redrawn, and AppTest
    shows just those; a browser keeps the rest of the page. Rerun to see all of it."""
    at.run()
    assert not at.exception, at.exception


def metric(at: AppTest, label: str) -> str:
    return next(str(m.value) for m in at.metric if m.label == label)


def saved(store: Store, assessment_id: str) -> dict[str, Answer]:
    return store.load(assessment_id).assessment.answers


def everything_saved(store: Store) -> dict[str, Stored]:
    """What the database holds, assessment by assessment (answers, revisions, versions).
    Not a back-up zip: its entries carry the time they were written."""
    return {stored.assessment.id: stored for stored in store.load_all()}


def everything_shown(at: AppTest) -> str:
    """The text of the page as a reader sees it (markdown escapes resolved)."""
    parts = [m.value for m in at.markdown] + [str(e.value) for e in at.error]
    parts += [str(w.value) for w in at.warning] + [str(s.value) for s in at.success]
    parts += [str(i.value) for i in at.info] + [str(t.value) for t in at.text]
    return "\n".join(rendered(p) for p in parts)


def rendered(markdown: str) -> str:
    """As a reader sees it: escapes resolved, and the invisible word joiners that keep
    addresses from becoming links (checklist.ui.text.escape) unseen."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


# -- start -----------------------------------------------------------------------------------


def test_start_page__says_what_the_tool_does_and_does_not_do() -> None:
    at = open_app()
    assert at.title[0].value == "OPSC Gap Check"
    shown = everything_shown(at)
    assert "not legal advice" in shown
    assert "Nothing saved yet" in "\n".join(c.value for c in at.caption)


def test_create__opens_the_first_section_with_the_assessment_id_in_the_url(store: Store) -> None:
    at = open_app()
    assessment_id = create(at, "Ruritania", title="Before the 2025 reform")
    first = default_checklist().sections[0]
    assert at.query_params["s"] == first.id
    assert at.header[0].value == first.title
    stored = store.load(assessment_id).assessment
    assert (stored.jurisdiction, stored.title) == ("Ruritania", "Before the 2025 reform")


def test_create_without_a_jurisdiction__asks_for_it_and_saves_nothing(store: Store) -> None:
    at = open_app()
    at.button(key="new:create").click().run()
    assert "jurisdiction" in at.error[0].value
    assert store.load_all() == []


def test_scope__whole_protocol_adds_the_sections_of_articles_6_to_10(store: Store) -> None:
    further = [s for s in default_checklist().sections if s.module != "core"]
    at = open_app()
    at.text_input(key="new:jurisdiction").input("Ruritania")
    at.radio(key="new:scope").set_value("whole-protocol")
    at.button(key="new:create").click().run()
    assessment_id = at.query_params["a"]
    assert store.load(assessment_id).assessment.scope == "whole-protocol"
    for section in (further[0], further[-1]):
        go_to_section(at, section.id)
        assert at.header[0].value == section.title


def test_scope__defaults_to_the_article_3_offences_and_shows_no_further_section() -> None:
    at = open_app()
    create(at)
    shown = {b.key for b in at.button if b.key and b.key.startswith("nav:section:")}
    core = {f"nav:section:{s.id}" for s in default_checklist().sections if s.module == "core"}
    assert shown == core


def test_new_assessment__records_the_date_of_the_law_assessed(store: Store) -> None:
    at = open_app()
    at.text_input(key="new:jurisdiction").input("Chile")
    at.date_input(key="new:law_date").set_value(dt.date(2008, 3, 1))
    at.button(key="new:create").click().run()
    saved = store.load(at.query_params["a"]).assessment
    assert saved.law_date == dt.date(2008, 3, 1)
    assert saved.date == dt.date.today()


def test_details__change_the_scope_and_the_dates_without_losing_answers(store: Store) -> None:
    item = item_of_type("status")
    at = open_app()
    assessment_id = create(at, "Chile")
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("partly").run()
    at = open_app(assessment_id)
    at.radio(key=f"details:{assessment_id}:scope").set_value("criminal-law")
    at.date_input(key=f"details:{assessment_id}:law_date").set_value(dt.date(2010, 1, 1))
    at.date_input(key=f"details:{assessment_id}:date").set_value(dt.date(2026, 1, 2))
    at.button(key=f"details:{assessment_id}:save").click().run()
    assert not at.exception, at.exception
    saved = store.load(assessment_id).assessment
    assert (saved.scope, saved.law_date, saved.date) == (
        "criminal-law",
        dt.date(2010, 1, 1),
        dt.date(2026, 1, 2),
    )
    assert saved.answers[item.id].status == "partly"


def test_details_can_be_changed_later(store: Store) -> None:
    at = open_app()
    assessment_id = create(at, "Ruritania")
    at = open_app(assessment_id)
    at.text_input(key=f"details:{assessment_id}:assessor").input("Ministry of Justice")
    at.button(key=f"details:{assessment_id}:save").click().run()
    assert not at.exception, at.exception
    assert store.load(assessment_id).assessment.assessor == "Ministry of Justice"


def test_details_changed_in_another_tab__are_not_overwritten(store: Store) -> None:
    at = open_app()
    assessment_id = create(at, "Ruritania")
    tab_a, tab_b = open_app(assessment_id), open_app(assessment_id)
    tab_a.text_input(key=f"details:{assessment_id}:assessor").input("Ministry")
    tab_a.button(key=f"details:{assessment_id}:save").click().run()
    tab_b.text_input(key=f"details:{assessment_id}:assessor").input("NGO")
    tab_b.button(key=f"details:{assessment_id}:save").click().run()
    assert store.load(assessment_id).assessment.assessor == "Ministry"
    assert "changed in another tab" in tab_b.warning[0].value


def test_details_conflict__load_the_saved_details_shows_them_and_saves_on_top_of_them(
    store: Store,
) -> None:
    at = open_app()
    assessment_id = create(at, "Ruritania")
    field = f"details:{assessment_id}"
    tab_a, tab_b = open_app(assessment_id), open_app(assessment_id)
    tab_a.text_input(key=f"{field}:assessor").input("Ministry")
    tab_a.button(key=f"{field}:save").click().run()
    tab_b.text_input(key=f"{field}:assessor").input("NGO")
    tab_b.button(key=f"{field}:save").click().run()
    shown = " ".join(t.value for t in tab_b.text)
    assert "Ministry" in shown and "Article 3 offences and the Committee's points" in shown

    tab_b.button(key="details:reload").click().run()
    assert not tab_b.exception, tab_b.exception
    assert tab_b.text_input(key=f"{field}:assessor").value == "Ministry"
    assert not tab_b.warning  # settled

    tab_b.text_input(key=f"{field}:title").input("After the reform")
    tab_b.button(key=f"{field}:save").click().run()
    stored = store.load(assessment_id).assessment
    assert (stored.assessor, stored.title) == ("Ministry", "After the reform")


def test_saved_assessments_are_listed_and_can_be_resumed(store: Store) -> None:
    at = open_app()
    assessment_id = create(at, "Freedonia")
    at = open_app()
    assert "Freedonia" in everything_shown(at)
    at.button(key=f"open:{assessment_id}").click().run()
    assert at.query_params["a"] == assessment_id
    assert at.header[0].value in {s.title for s in default_checklist().sections}


# -- answering -------------------------------------------------------------------------------


def test_status_answer__is_saved_the_moment_it_is_given(store: Store) -> None:
    item = item_of_type("status")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("partly").run()
    assert saved(store, assessment_id)[item.id].status == "partly"


def test_age_answer__is_saved_and_a_low_age_is_a_gap(store: Store) -> None:
    item = item_of_type("number")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.number_input(key=key(item, "value")).set_value(16).run()
    assert saved(store, assessment_id)[item.id].value == 16
    assert "below the threshold of 18" in "\n".join(c.value for c in at.caption)


def test_age_marked_unknown__is_saved_as_unknown(store: Store) -> None:
    item = item_of_type("number")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.checkbox(key=key(item, "unknown")).check().run()
    assert saved(store, assessment_id)[item.id].status == "unknown"


def test_choice_answer__is_saved(store: Store) -> None:
    item = item_of_type("choice")
    option = item.answer.options[0].value  # type: ignore[union-attr]
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "choice")).set_value(option).run()
    assert saved(store, assessment_id)[item.id].choice == option


def test_conduct_elements__each_tick_is_saved(store: Store) -> None:
    item = item_of_type("elements")
    first, second = item.answer.elements[:2]  # type: ignore[union-attr]
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, f"el:{first.id}")).set_value("covered").run()
    at.radio(key=key(item, f"el:{second.id}")).set_value("not-covered").run()
    answer = saved(store, assessment_id)[item.id]
    assert answer.elements == {first.id: "covered", second.id: "not-covered"}


def test_provisions_excerpt_link_and_note__are_saved(store: Store) -> None:
    item = item_of_type("status")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.text_area(key=key(item, "provisions")).input("Penal Code art. 1\n\nAct 5/2020 s. 3").run()
    at.toggle(key=key(item, "details")).set_value(True).run()
    at.text_area(key=key(item, "excerpt")).input("Whoever sells a child ...").run()
    at.text_input(key=key(item, "source_url")).input("https://example.org/code").run()
    at.text_area(key=key(item, "note")).input("Case law unclear.").run()
    answer = saved(store, assessment_id)[item.id]
    assert answer.provisions == ["Penal Code art. 1", "Act 5/2020 s. 3"]
    assert answer.excerpt == "Whoever sells a child ..."
    assert answer.source_url == "https://example.org/code"
    assert answer.note == "Case law unclear."


def test_provision_line_longer_than_the_limit__is_refused_and_stays_in_the_field(
    store: Store,
) -> None:
    item = item_of_type("status")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    typed = "Act 5/2020 s. 3\nPenal Code art. 1: " + "whoever sells a child " * 50
    at.text_area(key=key(item, "provisions")).input(typed).run()

    message = rendered(at.error[0].value)
    assert "not saved" in message and "line 2 is longer than 1,000 characters" in message
    assert "Excerpt" in message  # where the quoted text belongs
    assert item.id not in saved(store, assessment_id)  # nothing cut, nothing saved
    assert at.text_area(key=key(item, "provisions")).value == typed

    at.text_area(key=key(item, "provisions")).input("Act 5/2020 s. 3\nPenal Code art. 1").run()
    assert saved(store, assessment_id)[item.id].provisions == [
        "Act 5/2020 s. 3",
        "Penal Code art. 1",
    ]


def test_answer_the_database_refuses__says_plainly_it_was_not_saved(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    def locked(*_: object, **__: object) -> None:
        raise OperationalError("UPDATE answers", {}, Exception("database is locked"))

    item = item_of_type("status")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    monkeypatch.setattr(Store, "save_answer", locked)
    at.radio(key=key(item, "status")).set_value("covered").run()
    assert not at.exception, at.exception
    assert "not saved" in at.error[0].value
    assert "OperationalError" not in at.error[0].value  # words, not an exception's name
    assert item.id not in saved(store, assessment_id)


def test_answer_the_store_finds_unfit__is_not_saved_and_the_reason_is_shown_literally(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checklist.store import Unfit

    reason = "'**9**' is not an option [click](https://evil.example)"

    def unfit(_store: Store, _id: str, item_id: str, *_: object, **__: object) -> None:
        raise Unfit(item_id, reason)

    item = item_of_type("status")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    monkeypatch.setattr(Store, "save_answer", unfit)
    at.radio(key=key(item, "status")).set_value("covered").run()
    assert not at.exception, at.exception
    raw = at.error[0].value
    assert "not saved" in raw and reason in rendered(raw)
    assert re.search(r"(?<!\\)(\[click\]|\*\*9)", raw) is None
    assert item.id not in saved(store, assessment_id)


def test_section_score_changes_as_items_are_answered() -> None:
    item = item_of_type("status")
    at = open_app()
    create(at)
    go_to_section(at, section_of(item))
    before = metric(at, "Section score")
    at.radio(key=key(item, "status")).set_value("covered").run()
    after = metric(at, "Section score")
    assert before == "0%"
    assert after != before and after.endswith("%")
    assert metric(at, "Answered").startswith("1 of")


def test_score__is_recomputed_from_the_answers__never_kept_in_the_session() -> None:
    from checklist.scoring import Result

    def holds_a_result(value: object) -> bool:
        if isinstance(value, Result):
            return True
        if isinstance(value, tuple | list | set | frozenset):
            return any(holds_a_result(v) for v in value)
        return isinstance(value, dict) and any(holds_a_result(v) for v in value.values())

    item = item_of_type("status")
    at = open_app()
    create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("covered").run()
    assert metric(at, "Answered").startswith("1 of")
    assert not [k for k, v in at.session_state.items() if holds_a_result(v)]


def test_answering__redraws_only_the_item_the_score_and_the_sidebar() -> None:
    item = item_of_type("status")
    at = open_app()
    create(at)
    go_to_section(at, section_of(item))
    assert "questionnaire:next" in [b.key for b in at.button]
    at.radio(key=key(item, "status")).set_value("covered").run()
    redrawn = [b.key for b in at.button]
    assert "questionnaire:next" not in redrawn  # the rest of the page stays as it was
    assert f"nav:section:{section_of(item)}" in redrawn
    assert metric(at, "Answered").startswith("1 of")


def test_moving_between_sections__keeps_the_answers() -> None:
    item = item_of_type("number")
    at = open_app()
    create(at)
    go_to_section(at, section_of(item))
    at.number_input(key=key(item, "value")).set_value(17).run()
    whole_page(at)
    at.button(key="questionnaire:next").click().run()
    assert at.query_params["s"] != section_of(item)
    assert key(item, "value") not in [n.key for n in at.number_input]
    at.button(key="questionnaire:previous").click().run()
    assert at.query_params["s"] == section_of(item)
    assert at.number_input(key=key(item, "value")).value == 17


def test_answer_survives_a_fresh_session() -> None:
    status, age = item_of_type("status"), item_of_type("number")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(status))
    at.radio(key=key(status, "status")).set_value("not-covered").run()
    go_to_section(at, section_of(age))
    at.number_input(key=key(age, "value")).set_value(15).run()

    again = open_app(assessment_id)  # a refresh: new session, only the URL is left
    assert "Ruritania" in everything_shown(again)
    go_to_section(again, section_of(status))
    assert again.radio(key=key(status, "status")).value == "not-covered"
    go_to_section(again, section_of(age))
    assert again.number_input(key=key(age, "value")).value == 15


def test_saved_answer_the_checklist_cannot_take__is_explained_literally(store: Store) -> None:
    item = item_of_type("choice")
    hostile = "**x** [click](https://evil.example)"
    assessment = Assessment(
        jurisdiction="Ruritania",
        checklist_version=default_checklist().version,
        answers={item.id: Answer(choice=hostile)},  # written by some other program
    )
    store.create(assessment)
    at = open_app(assessment.id)
    raw = at.error[0].value
    assert "cannot be opened" in raw
    assert re.search(r"(?<!\\)(\[click\]|\*\*x)", raw) is None
    assert hostile in rendered(raw)


def test_unknown_assessment_id_in_the_url__explains_and_opens_nothing() -> None:
    at = open_app("no-such-assessment")
    assert "no saved assessment with this ID" in at.error[0].value
    assert "a" not in at.query_params


def test_skip_logic__a_question_that_does_not_apply_is_not_asked() -> None:
    dependent = next(i for i in default_checklist().items() if len(i.applies_if) == 1)
    rule = dependent.applies_if[0]
    controlling = default_checklist().item(rule.item)
    values = (
        [o.value for o in controlling.answer.options]  # type: ignore[union-attr]
        if controlling.answer.type == "choice"
        else ["covered", "partly", "not-covered"]
    )
    excluding = next(v for v in values if v not in rule.answer_in)
    part = "choice" if controlling.answer.type == "choice" else "status"
    at = open_app()
    create(at)
    go_to_section(at, section_of(dependent))
    assert key(dependent, "provisions") in [t.key for t in at.text_area]
    at.radio(key=key(controlling, part)).set_value(excluding).run()
    assert "Nothing to answer here" in "\n".join(i.value for i in at.info)
    assert key(dependent, "provisions") not in [t.key for t in at.text_area]


# -- two tabs --------------------------------------------------------------------------------


def test_second_tab__cannot_silently_overwrite_a_newer_answer(store: Store) -> None:
    item = item_of_type("status")
    tab_a = open_app()
    assessment_id = create(tab_a)
    tab_b = open_app(assessment_id)
    go_to_section(tab_a, section_of(item))
    go_to_section(tab_b, section_of(item))

    tab_a.radio(key=key(item, "status")).set_value("covered").run()
    tab_b.radio(key=key(item, "status")).set_value("not-covered").run()

    assert saved(store, assessment_id)[item.id].status == "covered"
    warning = "\n".join(w.value for w in tab_b.warning)
    assert "not saved" in warning
    shown = [t.value for t in tab_b.text]
    assert shown == ["Covered", "Not covered"]  # theirs, then mine
    # the safe choice is the highlighted one, and the verdict line says whose answer it is
    assert tab_b.button(key=f"conflict:{item.id}:theirs").proto.type == "primary"
    assert tab_b.button(key=f"conflict:{item.id}:mine").proto.type != "primary"
    captions = "\n".join(c.value for c in tab_b.caption)
    assert "Saved now (from the other tab): **Covered**. Yours is not saved." in captions
    assert "Counts as" not in captions

    tab_b.button(key=f"conflict:{item.id}:mine").click().run()
    assert saved(store, assessment_id)[item.id].status == "not-covered"
    assert not tab_b.warning


def test_conflict__shows_each_sides_whole_answer_literally(store: Store) -> None:
    item = item_of_type("status")
    hostile_note = "See **case 12/2020** <b>[here](https://evil.example)</b>\nand the appeal."
    long_excerpt = "Whoever sells a child shall be punished. " * 40
    tab_a = open_app()
    assessment_id = create(tab_a)
    tab_b = open_app(assessment_id)
    go_to_section(tab_a, section_of(item))
    go_to_section(tab_b, section_of(item))
    tab_a.text_area(key=key(item, "provisions")).input("Penal Code art. 1\nAct 5/2020").run()
    tab_a.toggle(key=key(item, "details")).set_value(True).run()
    tab_a.text_area(key=key(item, "excerpt")).input(long_excerpt).run()
    tab_a.text_input(key=key(item, "source_url")).input("https://example.org/code").run()
    tab_a.text_area(key=key(item, "note")).input(hostile_note).run()
    tab_a.radio(key=key(item, "status")).set_value("covered").run()

    tab_b.radio(key=key(item, "status")).set_value("partly").run()

    theirs, mine = (t.value for t in tab_b.text)
    assert theirs.startswith("Covered\n") and mine == "Partly covered"
    assert "Penal Code art. 1" in theirs and "Act 5/2020" in theirs
    assert "https://example.org/code" in theirs
    assert hostile_note in theirs  # the whole note, as typed
    excerpt = next(line for line in theirs.splitlines() if line.startswith("Excerpt: "))
    assert excerpt.startswith("Excerpt: Whoever sells a child") and "…" in excerpt
    assert len(excerpt) < len(long_excerpt)
    markup = "\n".join(m.value for m in tab_b.markdown)
    assert "evil.example" not in markup and all(not m.allow_html for m in tab_b.markdown)


def test_second_tab__can_take_the_other_tabs_answer(store: Store) -> None:
    item = item_of_type("status")
    tab_a = open_app()
    assessment_id = create(tab_a)
    tab_b = open_app(assessment_id)
    go_to_section(tab_a, section_of(item))
    go_to_section(tab_b, section_of(item))
    tab_a.radio(key=key(item, "status")).set_value("covered").run()
    tab_b.radio(key=key(item, "status")).set_value("partly").run()

    tab_b.button(key=f"conflict:{item.id}:theirs").click().run()
    assert tab_b.radio(key=key(item, "status")).value == "covered"
    assert saved(store, assessment_id)[item.id].status == "covered"
    tab_b.radio(key=key(item, "status")).set_value("partly").run()  # now on the latest
    assert saved(store, assessment_id)[item.id].status == "partly"


# -- clearing an answer ----------------------------------------------------------------------


def sidebar_count(at: AppTest, section_id: str) -> str:
    label = at.button(key=f"nav:section:{section_id}").label
    return label.rsplit("(", 1)[-1].rstrip(")")


def test_clear_answer__returns_the_item_to_unanswered_and_keeps_the_evidence(
    store: Store,
) -> None:
    item = item_of_type("status")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.text_area(key=key(item, "provisions")).input("Penal Code art. 1").run()
    at.radio(key=key(item, "status")).set_value("covered").run()
    answered_score = metric(at, "Section score")
    assert answered_score != "0%"
    assert sidebar_count(at, section_of(item)).startswith("1/")

    clear = at.button(key=f"clear:{item.id}")
    assert clear.label == "Clear answer (keeps provisions and notes)"
    assert "provisions, excerpt, link and note below are kept" in clear.help
    clear.click().run()

    answer = saved(store, assessment_id)[item.id]
    assert answer.status is None and answer.provisions == ["Penal Code art. 1"]
    assert at.radio(key=key(item, "status")).value is None
    assert at.text_area(key=key(item, "provisions")).value == "Penal Code art. 1"
    assert metric(at, "Section score") == "0%"
    assert metric(at, "Answered").startswith("0 of")
    assert sidebar_count(at, section_of(item)).startswith("0/")
    assert "Counts as **not answered**" in "\n".join(c.value for c in at.caption)
    assert f"clear:{item.id}" not in [b.key for b in at.button]  # nothing left to clear


@pytest.mark.parametrize("answer_type", ["number", "choice", "elements"])
def test_clear_answer__empties_every_kind_of_answer(store: Store, answer_type: str) -> None:
    item = item_of_type(answer_type)
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    if answer_type == "number":
        at.number_input(key=key(item, "value")).set_value(16).run()
    elif answer_type == "choice":
        option = item.answer.options[0].value  # type: ignore[union-attr]
        at.radio(key=key(item, "choice")).set_value(option).run()
    else:
        first = item.answer.elements[0]  # type: ignore[union-attr]
        at.radio(key=key(item, f"el:{first.id}")).set_value("covered").run()
    assert saved(store, assessment_id)[item.id].has_verdict

    at.button(key=f"clear:{item.id}").click().run()

    assert not saved(store, assessment_id)[item.id].has_verdict
    whole_page(at)
    widgets = [*at.radio, *at.number_input, *at.checkbox]
    shown = {w.key: w.value for w in widgets if str(w.key).startswith(key(item, ""))}
    assert shown and not any(shown.values())
    assert metric(at, "Answered").startswith("0 of")


def test_clear_answer__after_another_tab_saved_a_newer_one__shows_the_conflict_instead(
    store: Store,
) -> None:
    item = item_of_type("status")
    tab_a = open_app()
    assessment_id = create(tab_a)
    go_to_section(tab_a, section_of(item))
    tab_a.radio(key=key(item, "status")).set_value("partly").run()
    tab_b = open_app(assessment_id)
    go_to_section(tab_b, section_of(item))
    tab_a.radio(key=key(item, "status")).set_value("covered").run()  # newer than tab B's

    tab_b.button(key=f"clear:{item.id}").click().run()

    assert saved(store, assessment_id)[item.id].status == "covered"
    assert "not saved" in "\n".join(w.value for w in tab_b.warning)
    theirs, mine = (t.value for t in tab_b.text)
    assert (theirs, mine) == ("Covered", "Not answered")
    tab_b.button(key=f"conflict:{item.id}:theirs").click().run()
    assert tab_b.radio(key=key(item, "status")).value == "covered"


# -- deleting a saved assessment -------------------------------------------------------------


def saved_assessment(store: Store, jurisdiction: str, title: str = "") -> Assessment:
    item = item_of_type("status")
    assessment = Assessment(
        jurisdiction=jurisdiction,
        title=title,
        checklist_version=default_checklist().version,
        answers={item.id: Answer(status="covered")},
    )
    store.create(assessment)
    return assessment


def test_delete__asks_first_naming_the_assessment_and_offering_its_file(store: Store) -> None:
    doomed = saved_assessment(store, "Freedonia", "Draft 2")
    at = open_app()
    at.button(key=f"delete:{doomed.id}").click().run()

    warning = rendered(at.warning[0].value)
    assert "Freedonia · Draft 2" in warning
    assert "This cannot be undone; download the file first to keep a copy" in warning
    assert f"delete:{doomed.id}:download" in [d.key for d in at.download_button]
    assert store.exists(doomed.id)  # nothing yet


def test_delete_confirmed__removes_it_from_the_list_and_the_database(store: Store) -> None:
    doomed = saved_assessment(store, "Freedonia", "Draft 2")
    kept = saved_assessment(store, "Elbonia")
    at = open_app()
    at.button(key=f"delete:{doomed.id}").click().run()
    at.button(key=f"delete:{doomed.id}:confirm").click().run()
    assert not at.exception, at.exception

    assert not store.exists(doomed.id)
    assert store.exists(kept.id)
    buttons = [b.key for b in at.button]
    assert f"open:{doomed.id}" not in buttons and f"open:{kept.id}" in buttons
    assert "Deleted Freedonia · Draft 2" in rendered(at.success[0].value)


def test_delete_cancelled__keeps_it(store: Store) -> None:
    kept = saved_assessment(store, "Freedonia")
    at = open_app()
    at.button(key=f"delete:{kept.id}").click().run()
    at.button(key=f"delete:{kept.id}:cancel").click().run()

    assert store.exists(kept.id)
    assert not at.warning
    assert f"open:{kept.id}" in [b.key for b in at.button]


def test_deleting_the_open_assessment__closes_it(store: Store) -> None:
    doomed = saved_assessment(store, "Freedonia")
    at = open_app(doomed.id)  # the start page, with it open
    assert at.session_state["assessment"].id == doomed.id
    at.button(key=f"delete:{doomed.id}").click().run()
    at.button(key=f"delete:{doomed.id}:confirm").click().run()
    assert not at.exception, at.exception

    assert not store.exists(doomed.id)
    assert "a" not in at.query_params
    assert at.session_state["assessment"] is None
    assert "No assessment is open" in "\n".join(c.value for c in at.sidebar.caption)


def test_answer_after_another_tab_deleted_the_assessment__says_it_was_not_saved(
    store: Store,
) -> None:
    item = item_of_type("status")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    store.delete_assessment(assessment_id)  # in another tab
    at.radio(key=key(item, "status")).set_value("covered").run()
    assert not at.exception, at.exception
    assert "has been deleted" in at.error[0].value


def test_delete_confirmation__shows_the_name_literally(store: Store) -> None:
    hostile = "<img src=x onerror=alert(1)> **Ruri** [click](https://evil.example)"
    doomed = saved_assessment(store, hostile)
    at = open_app()
    at.button(key=f"delete:{doomed.id}").click().run()
    raw = at.warning[0].value
    assert re.search(r"(?<!\\)(<img|\[click\]|\*\*Ruri)", raw) is None
    assert hostile in rendered(raw)


# -- files -----------------------------------------------------------------------------------


def upload(at: AppTest, name: str, data: bytes) -> None:
    uploader = next(u for u in at.file_uploader if str(u.key).startswith("upload:assessment"))
    uploader.set_value((name, data, "application/json")).run()
    assert not at.exception, at.exception


def test_bad_upload__shows_error_and_keeps_open_assessment(store: Store) -> None:
    item = item_of_type("status")
    assessment = Assessment(jurisdiction="Ruritania", checklist_version=default_checklist().version)
    store.create(assessment.with_answer(item.id, Answer(status="covered")))
    at = open_app(assessment.id)  # the start page, with the assessment open
    open_before = at.session_state["assessment"]
    before = everything_saved(store)

    upload(at, "draft.json", b'{"format": "opsc-gap-check/assessment", "answers": ')

    message = rendered(at.error[0].value)
    assert "Nothing was changed" in message and "draft.json" in message
    assert "line 1" in message
    assert at.query_params["a"] == assessment.id
    assert at.session_state["assessment"] == open_before
    assert everything_saved(store) == before


def test_upload_of_a_good_file__opens_it_and_saves_it(store: Store) -> None:
    item = item_of_type("status")
    checklist = default_checklist()
    incoming = Assessment(
        jurisdiction="Freedonia",
        checklist_version=checklist.version,
        answers={item.id: Answer(status="partly")},
    )
    at = open_app()
    upload(at, "freedonia.json", write_assessment(incoming))
    assert at.query_params["a"] == incoming.id
    assert saved(store, incoming.id)[item.id].status == "partly"
    assert "Freedonia" in everything_shown(at)


def test_upload_of_an_assessment_saved_here_with_other_answers__asks_first(store: Store) -> None:
    item = item_of_type("status")
    checklist = default_checklist()
    original = Assessment(jurisdiction="Freedonia", checklist_version=checklist.version)
    store.create(original.with_answer(item.id, Answer(status="covered")))
    edited = original.with_answer(item.id, Answer(status="not-covered"))
    at = open_app()
    upload(at, "freedonia.json", write_assessment(edited))
    assert "already saved here" in at.warning[0].value
    assert saved(store, original.id)[item.id].status == "covered"  # nothing yet

    at.button(key="pending:copy").click().run()
    assert saved(store, original.id)[item.id].status == "covered"
    copy_id = at.query_params["a"]
    assert copy_id != original.id
    assert saved(store, copy_id)[item.id].status == "not-covered"


def test_restore_of_a_back_up__adds_what_is_missing(store: Store) -> None:
    checklist = default_checklist()
    other = Assessment(jurisdiction="Elbonia", checklist_version=checklist.version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("elbonia.json", write_assessment(other))
    at = open_app()
    uploader = next(u for u in at.file_uploader if str(u.key).startswith("upload:archive"))
    uploader.set_value(("backup.zip", buffer.getvalue(), "application/zip")).run()
    assert "1 added" in at.success[0].value
    assert store.load(other.id).assessment.jurisdiction == "Elbonia"


# -- results and compare ---------------------------------------------------------------------


def test_results__rank_gaps_and_link_back_to_the_question() -> None:
    item = item_of_type("status")
    at = open_app()
    create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("not-covered").run()
    go_to_results(at)
    assert at.title[0].value == "Results"
    assert metric(at, "Gaps") == "1"
    assert any(item.recommendation[:40] in m.value for m in at.markdown)
    at.button(key=f"results:gap:{item.id}").click().run()
    assert at.query_params["s"] == section_of(item)
    assert "from the results page" in at.info[0].value


def test_results__unanswered_items_link_back_to_their_question() -> None:
    at = open_app()
    create(at)
    go_to_results(at)
    last = default_checklist().items(frozenset({"core"}))[-1]
    at.button(key=f"results:answer:{last.id}").click().run()
    assert at.query_params["s"] == section_of(last)


def test_compare__shows_how_the_score_moved(store: Store) -> None:
    item = item_of_type("status")
    checklist = default_checklist()
    before = Assessment(
        jurisdiction="Ruritania",
        title="before",
        checklist_version=checklist.version,
        answers={item.id: Answer(status="not-covered")},
    )
    after = before.model_copy(
        update={"id": "after", "title": "after", "answers": {item.id: Answer(status="covered")}}
    )
    store.create(before)
    store.create(after)
    at = open_app(after.id)
    go_to_results(at)
    at.button(key="results:compare").click().run()
    at.selectbox(key="compare:first").set_value(before.id).run()
    at.selectbox(key="compare:second").set_value(after.id).run()
    assert not at.exception, at.exception
    change = metric(at, "Change in the treaty score")
    assert change.startswith("+") and change.endswith("points")


def table(at: AppTest, column: str) -> Any:
    """The data frame shown with this column (AppTest does not expose their keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def compare(at: AppTest, first: str, second: str) -> None:
    go_to_results(at)
    at.button(key="results:compare").click().run()
    at.selectbox(key="compare:first").set_value(first).run()
    at.selectbox(key="compare:second").set_value(second).run()
    assert not at.exception, at.exception


def test_compare__lists_items_only_the_second_assessment_includes_as_out_of_scope_in_the_first(
    store: Store,
) -> None:
    checklist = default_checklist()
    extended = next(s for s in checklist.sections if s.module != "core")
    item = extended.items[0]
    core_only = Assessment(
        jurisdiction="Ruritania", title="core", checklist_version=checklist.version
    )
    with_extended = Assessment(
        jurisdiction="Ruritania",
        title="extended",
        checklist_version=checklist.version,
        scope="whole-protocol",
        answers={item.id: Answer(status="unknown")},
    )
    store.create(core_only)
    store.create(with_extended)
    at = open_app(core_only.id)
    compare(at, core_only.id, with_extended.id)

    items = table(at, "ID")
    row = items[items["ID"] == item.id].iloc[0]
    assert (row["First"], row["Second"]) == ("Not in scope", "Not known (to research)")
    order = [i.id for i in checklist.items() if i.id in set(items["ID"])]
    assert list(items["ID"]) == order  # checklist order
    sections = table(at, "Section")
    assert extended.title in list(sections["Section"])
    assert "not in scope" in "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK"), ("pdf", b"%PDF"), ("json", b"{")])
def test_download__is_built_from_a_snapshot_of_the_assessment(fmt: str, magic: bytes) -> None:
    from checklist.ui import downloads

    item = item_of_type("status")
    assessment = Assessment(
        jurisdiction="Ruritania",
        checklist_version=default_checklist().version,
        answers={item.id: Answer(status="not-covered")},
    )
    if fmt == "json":
        data = write_assessment(assessment)
    else:
        assert downloads.available(fmt)
        data = downloads.build(fmt, assessment)
    assert data.startswith(magic)
    assert downloads.file_name(assessment, fmt) == (
        f"opsc-gap-check-ruritania-{assessment.id[:6]}-{assessment.date:%Y-%m-%d}.{fmt}"
    )


def test_download_names__of_two_assessments_of_one_country__differ() -> None:
    from checklist.ui import downloads

    first = Assessment(jurisdiction="Chile", title="Penal Code 2008")
    second = Assessment(jurisdiction="Chile", title="Penal Code 2008")
    names = {downloads.file_name(a, "pdf") for a in (first, second)}
    assert len(names) == 2
    assert all(n.startswith("opsc-gap-check-chile-penal-code-2008-") for n in names)


def test_results__offer_the_assessment_file_and_both_reports() -> None:
    at = open_app()
    create(at)
    go_to_results(at)
    keys = {b.key for b in at.download_button}
    assert {"results:download:json", "results:download:xlsx", "results:download:pdf"} <= keys


# -- safety ----------------------------------------------------------------------------------


def test_user_text_is_never_rendered_as_markup(store: Store) -> None:
    hostile = "<img src=x onerror=alert(1)> **Ruri** [click](https://evil.example) $x$"
    at = open_app()
    assessment_id = create(at, hostile)
    at = open_app(assessment_id)  # start page: the list and the open assessment
    assert all(not m.allow_html for m in at.markdown)
    raw = "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])
    assert hostile not in raw  # never handed to markdown as it is ...
    assert re.search(r"(?<!\\)(<img|\[click\]|\*\*Ruri|\$x)", raw) is None
    assert hostile in everything_shown(at)  # ... but shown, literally


def test_citation_without_co__is_shown_with_its_caution_on_the_question() -> None:
    at = open_app()
    create(at)
    go_to_section(at, section_of(default_checklist().item("sale.camel-racing")))
    captions = "\n".join(c.value for c in at.caption)
    assert "CRC/C/OPSC/SDN/1, paras. 33-34 (Sudan) [caution: cited as the source paper" in captions


def test_compare__puts_the_earlier_law_first_and_keeps_the_pair_in_the_address(
    store: Store,
) -> None:
    checklist = default_checklist()
    reform = Assessment(
        jurisdiction="Chile",
        title="after",
        checklist_version=checklist.version,
        law_date=dt.date(2024, 1, 1),
    )
    before = Assessment(
        jurisdiction="Chile",
        title="before",
        checklist_version=checklist.version,
        law_date=dt.date(2008, 3, 1),
    )
    store.create(reform)  # saved first, but its law is the later one
    store.create(before)
    at = open_app(reform.id)
    go_to_results(at)
    at.button(key="results:compare").click().run()
    assert at.selectbox(key="compare:first").value == before.id
    assert at.selectbox(key="compare:second").value == reform.id
    assert (at.query_params["first"], at.query_params["second"]) == (before.id, reform.id)


# -- saved work that cannot be written, restores that would replace it (issue 13) ------------


def status_answers(count: int) -> dict[str, Answer]:
    items = [
        item
        for item in default_checklist().items(frozenset({"core"}))
        if item.answer.type == "status" and not item.applies_if
    ]
    return {item.id: Answer(status="covered") for item in items[:count]}


def back_up(*assessments: Assessment, **members: bytes) -> bytes:
    """A back-up zip of these assessments, and of members given as raw bytes by name."""
    files = {f"{a.id}.json": write_assessment(a) for a in assessments}
    files |= {f"{name}.json": data for name, data in members.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def restore_upload(at: AppTest, data: bytes, prefix: str = "upload:archive") -> None:
    uploader = next(u for u in at.file_uploader if str(u.key).startswith(prefix))
    uploader.set_value(("backup.zip", data, "application/zip")).run()
    assert not at.exception, at.exception


def saved_with_six_answers(store: Store) -> Assessment:
    assessment = Assessment(
        jurisdiction="Freedonia",
        checklist_version=default_checklist().version,
        answers=status_answers(6),
        updated_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    store.create(assessment)
    return assessment


def test_restore_that_would_empty_saved_work__shows_what_would_change_and_asks_first(
    store: Store,
) -> None:
    saved_copy = saved_with_six_answers(store)
    emptied = saved_copy.model_copy(
        update={"answers": {}, "updated_at": dt.datetime.now(dt.UTC).replace(microsecond=0)}
    )
    newcomer = Assessment(jurisdiction="Elbonia", checklist_version=default_checklist().version)
    at = open_app()
    restore_upload(at, back_up(emptied, newcomer))

    assert len(saved(store, saved_copy.id)) == 6  # nothing replaced yet
    assert "would replace 1 saved assessment" in rendered(at.warning[0].value)
    plan = table(at, "Answers saved here")
    assert (plan["Answers saved here"][0], plan["Answers in the back-up"][0]) == (6, 0)
    assert "emptied" in plan["Change"][0]

    at.button(key="restore:add").click().run()
    assert not at.exception, at.exception
    assert len(saved(store, saved_copy.id)) == 6
    assert store.exists(newcomer.id)
    assert "Kept 1 saved assessment(s) as they are, as you chose" in rendered(at.warning[0].value)


def test_restore_confirmed__replaces_what_it_showed(store: Store) -> None:
    saved_copy = saved_with_six_answers(store)
    fewer = saved_copy.model_copy(
        update={
            "answers": status_answers(2),
            "updated_at": dt.datetime.now(dt.UTC).replace(microsecond=0),
        }
    )
    at = open_app()
    restore_upload(at, back_up(fewer))
    at.button(key="restore:replace").click().run()
    assert not at.exception, at.exception
    assert len(saved(store, saved_copy.id)) == 2
    assert "1 replaced" in at.success[0].value


def test_restore_with_an_impossible_time__is_refused_naming_the_member(store: Store) -> None:
    saved_copy = saved_with_six_answers(store)
    forged = write_assessment(saved_copy.model_copy(update={"answers": {}})).replace(
        b'"updated_at": "2025-01-01T00:00:00Z"', b'"updated_at": "9999-12-31T00:00:00Z"'
    )
    at = open_app()
    restore_upload(at, back_up(forged=forged))
    message = rendered(at.error[0].value)
    assert "Nothing was restored" in message and "backup.zip: forged.json" in message
    assert "in the future" in message
    assert len(saved(store, saved_copy.id)) == 6


def test_restore_of_a_member_with_a_bad_crc__names_it(store: Store) -> None:
    member = write_assessment(Assessment(jurisdiction="Elbonia"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("elbonia.json", member)
    damaged = bytearray(buffer.getvalue())
    damaged[damaged.find(b"Elbonia")] ^= 0x01
    at = open_app()
    restore_upload(at, bytes(damaged))
    message = rendered(at.error[0].value)
    assert "backup.zip: elbonia.json" in message and "CRC" in message
    assert store.load_all() == []


def test_damaged_database__says_what_is_wrong_where_and_that_it_was_not_changed(
    db_url: str,
) -> None:
    path = Path(db_url.removeprefix("sqlite:///"))
    path.write_bytes(b"these are not the pages of a database " * 200)
    at = open_app()
    message = rendered(at.error[0].value)
    assert "cannot be opened" in message and "damaged" in message
    assert "It has not been changed" in message
    assert [c.value for c in at.code] == [str(path)]
    assert {"recovery:empty"} <= {b.key for b in at.button}
    assert any(str(u.key).startswith("recovery:upload") for u in at.file_uploader)
    assert path.read_bytes() == b"these are not the pages of a database " * 200


def test_damaged_database__renamed_aside_on_request_then_a_fresh_one(db_url: str) -> None:
    path = Path(db_url.removeprefix("sqlite:///"))
    path.write_bytes(b"damaged")
    at = open_app()
    at.button(key="recovery:empty").click().run()
    assert not at.exception, at.exception
    (aside,) = path.parent.glob("app.set-aside-*.sqlite3")
    assert aside.read_bytes() == b"damaged"
    assert "Nothing saved yet" in "\n".join(c.value for c in at.caption)
    assert f"renamed to {aside.name}" in rendered(at.success[0].value)


def test_damaged_database__a_back_up_is_restored_into_a_new_one(
    db_url: str, tmp_path: Path
) -> None:
    elsewhere = Store(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    kept = saved_assessment(elsewhere, "Elbonia")
    path = Path(db_url.removeprefix("sqlite:///"))
    path.write_bytes(b"damaged")
    at = open_app()
    restore_upload(at, elsewhere.export_archive(), prefix="recovery:upload")
    assert "checked: 1 assessment(s)" in rendered(at.info[0].value)
    assert path.read_bytes() == b"damaged"  # not yet
    at.button(key="recovery:restore").click().run()
    assert not at.exception, at.exception
    assert f"open:{kept.id}" in [b.key for b in at.button]
    (aside,) = path.parent.glob("app.set-aside-*.sqlite3")
    assert aside.read_bytes() == b"damaged"


def test_disk_that_refuses_chmod__every_page_still_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_path: Path, _mode: int) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(Path, "chmod", refuse)
    at = open_app()
    assert at.title[0].value == "OPSC Gap Check"


def test_read_only_database__create_says_what_failed_and_keeps_what_was_typed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = saved_assessment(store, "Elbonia")
    store.engine.dispose()
    monkeypatch.setattr(
        "checklist.database.read_only_reason", lambda _path: "the disk holding it is read-only"
    )
    at = open_app()
    assert "Nothing can be saved here at the moment" in rendered(at.warning[0].value)
    assert f"open:{kept.id}" in [b.key for b in at.button]  # saved work can still be read

    at.text_input(key="new:jurisdiction").input("Ruritania")
    at.text_input(key="new:title").input("Draft of 3 March")
    at.button(key="new:create").click().run()

    assert not at.exception, at.exception
    message = rendered(at.error[0].value)
    assert "The new assessment was not created: the database can only be read" in message
    assert "What you entered is still in the form" in message
    assert at.text_input(key="new:jurisdiction").value == "Ruritania"
    assert at.text_input(key="new:title").value == "Draft of 3 March"


def disk_full(*_: object, **__: object) -> None:
    from sqlalchemy.exc import OperationalError

    raise OperationalError("INSERT", {}, Exception("database or disk is full"))


def test_disk_full__create_says_so_and_keeps_what_was_typed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "create", disk_full)
    at = open_app()
    at.text_input(key="new:jurisdiction").input("Ruritania")
    at.button(key="new:create").click().run()
    assert not at.exception, at.exception
    assert "was not created: the disk is full" in rendered(at.error[0].value)
    assert at.text_input(key="new:jurisdiction").value == "Ruritania"
    assert store.load_all() == []


def test_disk_full__restore_says_nothing_was_restored(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "restore", disk_full)
    at = open_app()
    restore_upload(at, back_up(Assessment(jurisdiction="Elbonia")))
    assert "Nothing was restored: the disk is full" in rendered(at.error[0].value)
    assert store.load_all() == []


def test_disk_full__changed_details_are_not_lost(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app()
    assessment_id = create(at, "Ruritania")
    at = open_app(assessment_id)
    monkeypatch.setattr(Store, "save_details", disk_full)
    title = f"details:{assessment_id}:title"
    at.text_input(key=title).input("Second reading")
    at.button(key=f"details:{assessment_id}:save").click().run()
    assert not at.exception, at.exception
    assert "The details were not saved: the disk is full" in rendered(at.error[0].value)
    assert at.text_input(key=title).value == "Second reading"


def test_start_page__lists_saved_work_a_page_at_a_time_with_a_search(store: Store) -> None:
    for n in range(25):
        saved_assessment(store, f"State {n:02d}")
    at = open_app()
    listed = [b.key for b in at.button if str(b.key).startswith("open:")]
    assert len(listed) == 20
    at.number_input(key="start:page").set_value(2).run()
    assert len([b for b in at.button if str(b.key).startswith("open:")]) == 5
    at.text_input(key="start:search").input("state 07").run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown if m.value.startswith("**State")]
    assert shown == ["**State 07**"]


# -- merging a returned file item by item -----------------------------------------------------


def two_status_items() -> tuple[Item, Item]:
    first, second = [
        i
        for i in default_checklist().items(frozenset({"core"}))
        if i.answer.type == "status" and not i.applies_if
    ][:2]
    return first, second


def saved_and_returned(store: Store, **file_details: Any) -> tuple[Assessment, Item, Item]:
    """A saved assessment (both items covered) and the file returned for it, where the
    first item is not covered and the second partly covered with a note."""
    first, second = two_status_items()
    original = Assessment(
        jurisdiction="Freedonia",
        title="Draft",
        checklist_version=default_checklist().version,
        answers={first.id: Answer(status="covered"), second.id: Answer(status="covered")},
    )
    store.create(original)
    returned = original.model_copy(update=file_details)
    returned = returned.with_answer(first.id, Answer(status="not-covered"))
    returned = returned.with_answer(second.id, Answer(status="partly", note="Art. 9 repealed"))
    return returned, first, second


def merge_upload(at: AppTest, returned: Assessment) -> None:
    upload(at, "freedonia.json", write_assessment(returned))
    at.button(key="pending:merge").click().run()
    assert not at.exception, at.exception


def test_merge__shows_each_difference_in_words_kept_as_saved_until_chosen(store: Store) -> None:
    returned, first, second = saved_and_returned(store)
    at = open_app()
    merge_upload(at, returned)

    shown = everything_shown(at)
    assert first.title in shown and second.title in shown
    assert "Saved: Covered" in shown and "File: Not covered" in shown
    assert "File: Partly covered" in shown
    assert "differs in verdict, note" in shown and "Art. 9 repealed" in shown
    for item in (first, second):
        assert at.radio(key=f"merge:item:{item.id}").value == "saved"
    assert saved(store, returned.id)[first.id].status == "covered"  # nothing yet


def test_merge__takes_only_the_chosen_items_as_ordinary_saves(store: Store) -> None:
    returned, first, second = saved_and_returned(store)
    before = store.load(returned.id).revisions
    at = open_app()
    merge_upload(at, returned)

    at.radio(key=f"merge:item:{first.id}").set_value("file").run()
    at.button(key="pending:merge:apply").click().run()
    assert not at.exception, at.exception

    after = store.load(returned.id)
    assert after.assessment.answers[first.id].status == "not-covered"
    assert after.assessment.answers[second.id].status == "covered"
    assert after.revisions[first.id] > before[first.id]
    assert after.revisions[second.id] == before[second.id]
    assert at.query_params["a"] == returned.id
    assert at.session_state["assessment"].answers[first.id].status == "not-covered"
    assert at.session_state["pending_upload"] is None
    assert "took 1 item(s) from the file" in rendered(at.success[0].value)


def test_merge__nothing_chosen__changes_nothing(store: Store) -> None:
    returned, _, _ = saved_and_returned(store)
    before = everything_saved(store)
    at = open_app()
    merge_upload(at, returned)
    at.button(key="pending:merge:apply").click().run()
    assert not at.exception, at.exception
    assert everything_saved(store) == before
    assert "Nothing was changed" in rendered(at.info[0].value)


def test_merge__cancel_writes_nothing(store: Store) -> None:
    returned, first, _ = saved_and_returned(store)
    before = everything_saved(store)
    at = open_app()
    merge_upload(at, returned)
    at.radio(key=f"merge:item:{first.id}").set_value("file").run()
    at.button(key="pending:cancel").click().run()
    assert not at.exception, at.exception
    assert everything_saved(store) == before
    assert at.session_state["pending_upload"] is None
    assert f"merge:item:{first.id}" not in [r.key for r in at.radio]


def test_merge__an_item_changed_meanwhile_in_another_tab__is_a_conflict_not_overwritten(
    store: Store,
) -> None:
    returned, first, second = saved_and_returned(store)
    at = open_app()
    merge_upload(at, returned)
    revision = store.load(returned.id).revisions[first.id]
    store.save_answer(  # another tab
        returned.id, first.id, Answer(status="partly"), revision, checklist=default_checklist()
    )

    at.radio(key=f"merge:item:{first.id}").set_value("file").run()
    at.radio(key=f"merge:item:{second.id}").set_value("file").run()
    at.button(key="pending:merge:apply").click().run()
    assert not at.exception, at.exception

    now = saved(store, returned.id)
    assert now[first.id].status == "partly"  # the other tab's, kept
    assert now[second.id].status == "partly" and now[second.id].note == "Art. 9 repealed"
    conflict = at.session_state["conflicts"][first.id]
    assert conflict.theirs.status == "partly" and conflict.mine.status == "not-covered"
    warning = rendered("\n".join(w.value for w in at.warning))
    assert "changed in another tab" in warning and first.title in warning


def test_merge__details_that_differ_are_offered_the_same_way(store: Store) -> None:
    returned, first, _ = saved_and_returned(store, title="Reviewed", assessor="Bea")
    at = open_app()
    merge_upload(at, returned)
    shown = everything_shown(at)
    assert "Saved: Draft" in shown and "File: Reviewed" in shown
    assert at.radio(key="merge:detail:assessor").value == "saved"

    at.radio(key="merge:detail:title").set_value("file").run()
    at.button(key="pending:merge:apply").click().run()
    assert not at.exception, at.exception

    now = store.load(returned.id).assessment
    assert (now.title, now.assessor) == ("Reviewed", "")
    assert now.answers[first.id].status == "covered"


# -- accountable drafting: who, history, review, versions, sign-off ---------------------------


def panel(item: Item, part: str) -> str:
    return f"panel:{item.id}:{part}"


def test_without_a_name__the_questionnaire_asks_for_it_first(store: Store) -> None:
    item = item_of_type("status")
    at = open_app(user="")
    assessment_id = create(at)
    assert at.text_input(key="questionnaire:identity:name")
    assert not [r for r in at.radio if r.key == key(item, "status")]
    at.text_input(key="questionnaire:identity:name").input("María Pérez")
    at.button(key="FormSubmitter:questionnaire:identity-Continue").click().run()
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("partly").run()
    (entry,) = store.history(assessment_id, item.id)
    assert entry.author == "María Pérez"


def test_name_given_when_creating__is_not_asked_again(store: Store) -> None:
    at = open_app(user="")
    at.text_input(key="new:jurisdiction").input("Chile")
    at.text_input(key="new:your-name").input("Ana Díaz")
    at.button(key="new:create").click().run()
    assert not at.exception
    assert at.session_state["user_name"] == "Ana Díaz"
    assert not [t for t in at.text_input if t.key == "questionnaire:identity:name"]


def test_every_answer__leaves_a_history_entry_with_its_author(store: Store) -> None:
    item = item_of_type("status")
    at = open_app(user="Ana")
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("partly").run()
    at.radio(key=key(item, "status")).set_value("covered").run()
    entries = store.history(assessment_id, item.id)
    assert [(e.author, e.after.status if e.after else None) for e in entries] == [
        ("Ana", "covered"),
        ("Ana", "partly"),
    ]


def test_history_panel__brings_back_an_earlier_answer_as_a_new_entry(store: Store) -> None:
    item = item_of_type("status")
    at = open_app(user="Ana")
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("partly").run()
    at.radio(key=key(item, "status")).set_value("covered").run()
    whole_page(at)
    at.toggle(key=panel(item, "open")).set_value(True).run()
    assert "History of the answer" in everything_shown(at)
    newest = len(store.history(assessment_id, item.id))
    at.button(key=panel(item, f"restore:{newest}")).click().run()
    assert not at.exception
    assert saved(store, assessment_id)[item.id].status == "partly"
    restored = store.history(assessment_id, item.id)[0]
    assert (restored.change, restored.author) == ("restore", "Ana")
    whole_page(at)
    assert at.radio(key=key(item, "status")).value == "partly"  # the form shows it too


def test_review_state_and_comments__survive_a_refresh(store: Store) -> None:
    item = item_of_type("status")
    at = open_app(user="Ben")
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.radio(key=panel(item, "review")).set_value("reviewed").run()
    at.toggle(key=panel(item, "open")).set_value(True).run()
    at.text_area(key=panel(item, "comment")).input("Is art. 5 in force? [link](http://x)")
    at.button(key=panel(item, "add-comment")).click().run()
    assert not at.exception

    again = open_app(assessment_id, user="Chloé")
    go_to_section(again, section_of(item))
    assert again.radio(key=panel(item, "review")).value == "reviewed"
    again.toggle(key=panel(item, "open")).set_value(True).run()
    shown = everything_shown(again)
    assert "Is art. 5 in force? [link](http://x)" in shown  # plain text, not a link
    stored = store.load(assessment_id).assessment
    assert [(c.author, c.text) for c in stored.comments] == [
        ("Ben", "Is art. 5 in force? [link](http://x)")
    ]


def test_an_empty_comment__is_refused_and_nothing_is_recorded(store: Store) -> None:
    item = item_of_type("status")
    at = open_app()
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.toggle(key=panel(item, "open")).set_value(True).run()
    at.button(key=panel(item, "add-comment")).click().run()
    assert "comment is empty" in everything_shown(at)
    assert store.load(assessment_id).assessment.comments == []


def versions_page(assessment_id: str, user: str = "Tess Tester", version: str = "") -> AppTest:
    """The Versions and sign-off page of a fresh session on this assessment (through Results),
    showing one version read-only when ``version`` is given."""
    at = open_app(assessment_id, user=user)
    go_to_results(at)
    at.button(key="results:versions").click().run()
    assert not at.exception, at.exception
    if version:
        at.query_params["v"] = version
        at.run()
        assert not at.exception, at.exception
    return at


def test_sign_off__marks_reports_final_only_for_the_exact_cleared_version(store: Store) -> None:
    from checklist import drafting

    item = item_of_type("status")
    at = open_app(user="Ana")
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("partly").run()

    reviewer = versions_page(assessment_id, user="Head of Unit")
    reviewer.text_input(key="versions:sign-current:name").input("Sent to the Committee")
    reviewer.button(key="FormSubmitter:versions:sign-current-Record the decision").click().run()
    assert not reviewer.exception
    assert "cleared by Head of Unit" in everything_shown(reviewer)
    assert drafting.clearance(store.load(assessment_id).assessment).final

    at.radio(key=key(item, "status")).set_value("covered").run()
    now = store.load(assessment_id).assessment
    assert drafting.clearance(now).mark == "Draft"
    assert drafting.clearance(now.as_of(now.versions[0])).final


def test_sign_off__of_a_state_changed_meanwhile_is_refused_saying_so(store: Store) -> None:
    item = item_of_type("status")
    at = open_app(user="Ana")
    assessment_id = create(at)
    reviewer = versions_page(assessment_id, user="Head")
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("partly").run()  # after the reviewer looked
    reviewer.button(key="FormSubmitter:versions:sign-current-Record the decision").click().run()
    assert "changed after you opened it" in everything_shown(reviewer)
    assert store.load(assessment_id).assessment.sign_offs == []


def test_a_version__opens_read_only_and_compares_with_the_current_state(store: Store) -> None:
    item = item_of_type("status")
    at = open_app(user="Ana")
    assessment_id = create(at, "Chile")
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("not-covered").run()
    page = versions_page(assessment_id)
    page.text_input(key="versions:save:name").input("Before the reform")
    page.button(key="FormSubmitter:versions:save-Save this version").click().run()
    (version,) = store.load(assessment_id).assessment.versions
    at.radio(key=key(item, "status")).set_value("covered").run()

    view = versions_page(assessment_id, version=version.id)
    assert view.title[0].value == "Version: Before the reform"
    assert "Read-only" in "\n".join(c.value for c in view.caption)

    view.button(key="versions:view:compare").click().run()
    assert not view.exception, view.exception
    assert view.selectbox(key="compare:first").value == f"{assessment_id}@{version.id}"
    assert view.selectbox(key="compare:second").value == assessment_id
    rows = table(view, "What changed")
    assert item.title in set(rows["Item"])


# -- the action plan --------------------------------------------------------------------------


def gap_on_results(store: Store) -> tuple[AppTest, str, Item]:
    """An assessment with one gap, shown on Results."""
    item = item_of_type("status")
    at = open_app(user="Ana")
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("not-covered").run()
    go_to_results(at)
    return at, assessment_id, item


def test_action__planned_under_its_gap_on_results_is_saved_with_every_field(
    store: Store,
) -> None:
    at, assessment_id, item = gap_on_results(store)
    form = f"results:action:{item.id}"
    assert at.text_area(key=f"{form}:action").value == item.recommendation  # pre-filled
    at.text_input(key=f"{form}:institution").input("Ministry of Justice")
    at.date_input(key=f"{form}:due").set_value(dt.date(2027, 3, 31))
    at.selectbox(key=f"{form}:priority").set_value("high")
    at.selectbox(key=f"{form}:status").set_value("in-progress")
    at.text_area(key=f"{form}:note").input("Bill in consultation")
    at.button(key=f"FormSubmitter:{form}-Save the action").click().run()
    assert not at.exception, at.exception
    planned = store.load(assessment_id).assessment.actions[item.id]
    assert (planned.institution, planned.due, planned.priority, planned.status) == (
        "Ministry of Justice",
        dt.date(2027, 3, 31),
        "high",
        "in-progress",
    )
    assert store.load(assessment_id).assessment.action_history[0].author == "Ana"


def test_action_plan_page__lists_actions_by_date_and_marks_the_overdue(store: Store) -> None:
    at, _, item = gap_on_results(store)
    form = f"results:action:{item.id}"
    at.date_input(key=f"{form}:due").set_value(dt.date(2020, 1, 31))
    at.button(key=f"FormSubmitter:{form}-Save the action").click().run()
    at.button(key="results:plan").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Action plan"
    rows = table(at, "Overdue")
    line = rows[rows["Gap"] == item.title].iloc[0]
    assert line["Overdue"] == "OVERDUE"
    assert metric(at, "Overdue") == "1"


def test_sign_off__is_refused_when_another_tab_changed_an_answer_this_one_has_not_seen(
    store: Store,
) -> None:
    first, second = [
        i
        for i in default_checklist().sections[0].items
        if i.answer.type == "status" and not i.applies_if
    ][:2]
    head = open_app(user="Head")
    assessment_id = create(head)
    ana = open_app(assessment_id, user="Ana")
    go_to_section(ana, section_of(second))
    ana.radio(key=key(second, "status")).set_value("partly").run()  # Ana, in another tab
    go_to_section(head, section_of(first))
    head.radio(key=key(first, "status")).set_value("covered").run()  # the head's own change
    go_to_results(head)
    head.button(key="results:versions").click().run()
    head.button(key="FormSubmitter:versions:sign-current-Record the decision").click().run()
    assert "changed after you opened it" in everything_shown(head)
    assert store.load(assessment_id).assessment.sign_offs == []

    head.button(key="versions:reload").click().run()  # read it again: Ana's change is seen
    head.button(key="FormSubmitter:versions:sign-current-Record the decision").click().run()
    (version,) = store.load(assessment_id).assessment.versions
    assert version.snapshot.answers[second.id].status == "partly"


def test_not_you__forgets_the_name_and_the_next_change_asks_again() -> None:
    at = open_app(user="Ana")
    create(at)
    at.button(key="identity:forget").click().run()
    assert at.session_state["user_name"] == ""
    whole_page(at)
    assert at.text_input(key="questionnaire:identity:name")


def test_an_action_whose_item_is_no_longer_a_gap__can_still_be_edited_on_the_plan_page(
    store: Store,
) -> None:
    at, assessment_id, item = gap_on_results(store)
    form = f"results:action:{item.id}"
    at.button(key=f"FormSubmitter:{form}-Save the action").click().run()
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("covered").run()  # no longer a gap
    go_to_results(at)
    at.button(key="results:plan").click().run()
    plan_form = f"plan:action:{item.id}"
    at.selectbox(key=f"{plan_form}:status").set_value("done")
    at.button(key=f"FormSubmitter:{plan_form}-Save the action").click().run()
    assert not at.exception, at.exception
    assert store.load(assessment_id).assessment.actions[item.id].status == "done"


def test_merge__offers_the_returned_action_plan_and_takes_only_what_is_chosen(
    store: Store,
) -> None:
    from checklist.assessment import PlannedAction

    returned, first, second = saved_and_returned(store)
    returned = returned.model_copy(
        update={
            "actions": {
                first.id: PlannedAction(action="Amend art. 5", institution="Parliament"),
                second.id: PlannedAction(action="Not wanted"),
            }
        }
    )
    at = open_app(user="Ana")
    merge_upload(at, returned)
    assert "Action plan: " + first.title in everything_shown(at)
    at.radio(key=f"merge:action:{first.id}").set_value("file").run()
    at.button(key="pending:merge:apply").click().run()
    assert not at.exception, at.exception
    actions = store.load(returned.id).assessment.actions
    assert actions[first.id].institution == "Parliament"
    assert second.id not in actions
    assert store.load(returned.id).assessment.action_history[0].author == "Ana"


def test_the_session__keeps_no_answer_history_but_the_file_downloaded_carries_it(
    store: Store,
) -> None:
    item = item_of_type("status")
    at = open_app(user="Ana")
    assessment_id = create(at)
    go_to_section(at, section_of(item))
    at.radio(key=key(item, "status")).set_value("partly").run()
    reopened = open_app(assessment_id, user="Ana")
    assert reopened.session_state["assessment"].history == []  # read when shown, not kept
    from checklist.ui.downloads import _file_as_saved

    data = _file_as_saved(store, reopened.session_state["assessment"])
    assert b'"history"' in data and b'"Ana"' in data
