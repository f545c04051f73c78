"""A filter among more programmes than a list shows: Ministry staff type words of a programme in its box, move to it
with the arrow keys, pick it with Enter and filter the task list by it; the open list of rows passes axe-core too."""

import re

from programmes.models import Programme
from seed.demo_data import THAI_BINH
from tasks.models import Task
from tests.coop.test_autocomplete import many_programmes
from tests.e2e.accessibility import AXE_OPTIONS
from tests.e2e.helpers import expect, log_in, main, row_count


def axe_now(page) -> list[str]:
    """axe-core's violations on the page as it is now (the rows found open), not as it loaded."""
    return page.evaluate(
        """async (options) => {
            const results = await axe.run(document, options);
            return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }""",
        AXE_OPTIONS,
    )


def test_ministry_staff_find_a_programme_by_typing_and_filter_the_tasks_by_it(page, shot):
    many_programmes()
    wanted = Programme.objects.get(code=THAI_BINH)
    log_in(page, "bo.chuyenvien")
    page.goto("/tasks/")
    box = main(page).get_by_role("combobox", name="Chương trình", exact=True)
    expect(box).to_have_attribute("aria-expanded", "false")

    box.fill("thai binh")
    rows = page.get_by_role("listbox", name="Chương trình", exact=True)
    expect(rows).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(rows.get_by_role("option", name=wanted.title)).to_be_visible()
    expect(page.locator("#id_programme ~ [role=status]")).to_contain_text(re.compile(r"\d"))
    assert axe_now(page) == []
    shot(page, "rows-found")

    # Down to the programme wanted: the focus stays in the box, which names the row it is on.
    options = rows.get_by_role("option").all_inner_texts()
    for _step in range(options.index(wanted.title) + 1):
        box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    expect(page.locator(f"#{active}")).to_have_text(wanted.title)
    expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    expect(box).to_be_focused()
    box.press("Enter")
    expect(rows).to_be_hidden()
    expect(box).to_have_value("")
    chosen = main(page).get_by_role("listbox", name=re.compile("^Chương trình: "))
    expect(chosen.locator("option:checked")).to_have_text(wanted.title)
    shot(page, "programme-picked")

    main(page).get_by_role("button", name="Lọc", exact=True).click()
    expect(page).to_have_url(re.compile(rf"programme={wanted.pk}(&|$)"))
    assert row_count(page) == Task.objects.filter(programme=wanted).count()
    chosen = main(page).get_by_role("listbox", name=re.compile("^Chương trình: "))
    expect(chosen.locator("option:checked")).to_have_text(wanted.title)
    shot(page, "filtered")

    # Escape closes the rows found, and a second Escape empties the box.
    box = main(page).get_by_role("combobox", name="Chương trình", exact=True)
    box.fill("dong thap")
    expect(page.get_by_role("listbox", name="Chương trình", exact=True)).to_be_visible()
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Escape")
    expect(box).to_have_value("")
