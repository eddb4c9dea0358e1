"""Content in Arabic and French beside English (issue 15, the content half).

Pages are asked for at their /ar/ and /fr/ addresses, the API with its `lang`
parameter; model code is switched with translation.override."""

import csv
import io
import json

import pytest
import reversion
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from reversion.models import Version

from content.models import Page
from content.search import fold, matching, ranked
from partners.models import Activity, CooperationArea, Partner
from timeline.models import Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture
def kuwait(make_partner):
    return make_partner(
        name="Kuwait",
        slug="kuwait",
        official_name="State of Kuwait",
        name_ar="الكويت",
        official_name_ar="دولة الكويت",
        summary_ar="كانت الكويت أول دولة تنضم.",
        profile_ar="ملف الكويت.",
        name_fr="Koweït",
        official_name_fr="État du Koweït",
        summary_fr="Le Koweït a été le premier pays à adhérer.",
        profile_fr="Profil du Koweït.",
    )


def get(client, url, language):
    """The page at its address in that language (the API: with `lang`)."""
    if url.startswith("/api/"):
        return client.get(url, {"lang": language})
    if language != "en":
        url = f"/{language}{url}"
    return client.get(url)


# Fields and fallback


def test_translated_fields_answer_in_the_active_language(kuwait):
    with translation.override("ar"):
        assert kuwait.name == "الكويت"
    with translation.override("fr"):
        assert kuwait.name == "Koweït"
    with translation.override("en"):
        assert kuwait.name == "Kuwait"


def test_english_fills_in_where_a_field_has_no_translation(make_partner):
    partner = make_partner(name="Oman", summary="Invited in 2004.")
    with translation.override("fr"):
        assert partner.name == "Oman"
        assert partner.summary == "Invited in 2004."


def test_saving_in_another_language_keeps_the_english_column_english(kuwait):
    with translation.override("ar"):
        kuwait.summary = "ملخص جديد."
        kuwait.save()
    kuwait.refresh_from_db()
    assert kuwait.summary_ar == "ملخص جديد."
    assert kuwait.summary_en == Partner.objects.values_list("summary", flat=True).get(
        pk=kuwait.pk
    )


def test_translated_languages_lists_the_complete_ones(kuwait, make_partner):
    assert kuwait.translated_languages() == ["en", "ar", "fr"]
    half = make_partner(name_ar="عمان")  # Arabic name, English summary only
    assert half.translated_languages() == ["en"]


# Pages


def test_page_prose_is_rendered_from_markdown_and_sanitised(client):
    Page.objects.create(
        slug="about",
        title="About",
        body="## Heading\n\nText with <script>alert(1)</script> [a link](/timeline/).",
        title_ar="حول",
        body_ar="نص **عربي**.",
    )
    html = get(client, "/about/", "en").content.decode()
    assert "<h2>Heading</h2>" in html and '<a href="/timeline/"' in html
    assert "<script>alert" not in html
    arabic = get(client, "/about/", "ar").content.decode()
    assert "<strong>عربي</strong>" in arabic and ">حول</h1>" in arabic


def test_the_site_pages_carry_their_prose_in_three_languages(client, site_pages):
    for language, text in [
        ("en", "Istanbul Summit"),
        ("ar", "قمة الناتو في إسطنبول"),
        ("fr", "Commandement central des États-Unis"),
    ]:
        html = get(client, "/", language).content.decode()
        assert text in html, language
    methodology = get(client, "/methodology/", "fr").content.decode()
    assert "activité enregistrée ne prouve pas" in methodology


def test_page_languages_of_the_pages(client, site_pages):
    response = get(client, "/about/", "en")
    assert response.context["page_languages"] == ["en", "ar", "fr"]


# Honest about what is not translated


def test_an_untranslated_record_says_so_and_is_marked_english(client, make_activity):
    activity = make_activity(title="Harbour course", summary="A course.")
    html = get(client, activity.get_absolute_url(), "ar").content.decode()
    assert "غير متوفر بعد باللغة العربية" in html  # the notice, in Arabic
    assert '<h1 lang="en">Harbour course</h1>' in html
    assert '<p class="lead" dir="auto" lang="en">A course.</p>' in html
    english = get(client, activity.get_absolute_url(), "en").content.decode()
    assert "Not yet available" not in english and 'lang="en">Harbour' not in english


def test_a_translated_record_has_no_notice(client, kuwait):
    html = get(client, "/partners/kuwait/", "fr").content.decode()
    assert "<h1>Koweït</h1>" in html
    assert "Not yet available" not in html


def test_lists_mark_each_english_title(client, kuwait, make_activity):
    make_activity(title="Harbour course", partners=[kuwait])
    html = get(client, "/activities/", "ar").content.decode()
    assert 'lang="en"><bdi>Harbour course</bdi></a>' in html
    assert '"><bdi>الكويت</bdi></a>' in html  # the partner tag is translated: no lang
    assert "غير متوفر بعد باللغة العربية" in html


def test_source_titles_carry_their_language(client, one_of_each):
    html = get(client, one_of_each["activity"].get_absolute_url(), "ar").content
    assert f'lang="en" dir="auto">{one_of_each["source"].title}</a>'.encode() in html


def test_detail_pages_give_the_languages_the_record_is_in(
    client, kuwait, make_activity
):
    assert get(client, "/partners/kuwait/", "ar").context["page_languages"] == [
        "en",
        "ar",
        "fr",
    ]
    activity = make_activity()
    response = get(client, activity.get_absolute_url(), "ar")
    assert response.context["page_languages"] == ["en"]


# Search


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ar", "الكويت"),
        ("ar", "الكُوَيْت"),  # with diacritics
        ("ar", "دولة"),  # taa marbuta as written
        ("ar", "دوله"),  # ... and as haa
        ("fr", "Koweït"),
        ("fr", "koweit"),
        ("fr", "ÉTAT"),
        ("en", "Kuwait"),
    ],
)
def test_search_finds_a_partner_by_its_text_in_any_language(kuwait, language, words):
    with translation.override(language):
        assert list(matching(Partner.objects.all(), words)) == [kuwait]


def test_arabic_letter_forms_are_folded_alike():
    assert fold("أإآٱ") == "اااا"
    assert fold("ةى") == "هي"
    assert fold("الكـويـت") == "الكويت"


def test_alef_variants_find_each_other(make_area):
    area = make_area(name_ar="الأمن البحري")
    assert list(matching(CooperationArea.objects.all(), "الامن")) == [area]
    assert list(matching(CooperationArea.objects.all(), "إلأمن")) == [area]
    assert list(matching(CooperationArea.objects.all(), "البحر")) == [area]
    assert list(matching(CooperationArea.objects.all(), "البري")) == []


def test_search_page_ranks_and_marks_arabic_hits(client, kuwait):
    with translation.override("ar"):
        rows = ranked(Partner.objects.public(), "الكويت", 5)
    assert rows == [kuwait]
    assert "<mark>الكويت</mark>" in rows[0].marked_title


def test_activity_words_filter_finds_french_titles(client, make_activity):
    activity = make_activity(title="Harbour course", title_fr="Cours portuaire")
    make_activity(title="Other")
    response = get(client, "/activities/?q=portuaire", "fr")
    assert list(response.context["object_list"]) == [activity]


def test_edits_in_another_language_reach_the_index(kuwait):
    with translation.override("fr"):
        kuwait.summary = "Émirat pétrolier."
        kuwait.save()
    assert list(matching(Partner.objects.all(), "petrolier")) == [kuwait]


# Filters, exports and the API


def test_filter_choices_and_records_in_the_active_language(client, kuwait):
    response = get(client, "/activities/", "fr")
    assert "Koweït" in response.content.decode()


def test_csv_export_is_in_the_language_and_says_so(client, kuwait, make_activity):
    make_activity(title="Harbour course", title_ar="دورة الميناء", partners=[kuwait])
    response = get(client, "/activities/?format=csv", "ar")
    assert response["Content-Language"] == "ar"
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["title"] == "دورة الميناء"
    assert "الكويت" in rows[0]["partners"]


def test_json_export_and_api_name_their_language(client, kuwait):
    response = get(client, "/partners/?format=json", "fr")
    document = json.loads(b"".join(response.streaming_content))
    assert document["meta"]["language"] == "fr"
    assert document["data"][0]["name"] == "Koweït"
    api = get(client, "/api/v1/partners/", "fr")
    assert api["Content-Language"] == "fr"
    assert api.json()["meta"]["language"] == "fr"
    assert api.json()["data"][0]["name"] == "Koweït"


def test_the_api_refuses_a_language_it_does_not_have(client, kuwait):
    response = client.get("/api/v1/partners/", {"lang": "de"})
    assert response.status_code == 400
    assert "lang" in response.json()["error"]


def test_english_exports_are_unchanged(client, kuwait):
    api = get(client, "/api/v1/partners/", "en")
    assert api.json()["data"][0]["name"] == "Kuwait"
    assert api.json()["meta"]["language"] == "en"


@pytest.mark.parametrize("url", ["/activities/", "/timeline/", "/partners/", "/"])
def test_queries_do_not_grow_with_translated_rows(
    client, url, make_partner, make_area, make_activity, make_milestone,
    django_assert_max_num_queries,
):  # fmt: skip
    def add(n):
        for _ in range(n):
            partner = make_partner()
            partner.name_ar = f"شريك {partner.pk}"
            partner.save()
            area = make_area()
            area.name_fr = f"Domaine {area.pk}"
            area.save()
            make_activity(partners=[partner], areas=[area], title_ar="نشاط")
            make_milestone(partners=[partner], areas=[area], is_key=True)

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert get(client, url, "ar").status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few)):
        assert get(client, url, "ar").status_code == 200


# Admin


def test_one_form_holds_every_language_and_one_save_is_one_revision(
    editor_client, kuwait, make_source
):
    url = f"/admin/partners/partner/{kuwait.pk}/change/"
    html = editor_client.get(url).content.decode()
    for name in ["name_en", "name_ar", "name_fr", "profile_ar"]:
        assert f'name="{name}"' in html
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "vendor/jquery-ui/jquery-ui.tabs" in html
    assert "//code.jquery.com" not in html and "googleapis" not in html
    source = make_source()
    data = {
        "name_en": "Kuwait",
        "name_ar": "الكويت",
        "name_fr": "Koweït",
        "official_name_en": "State of Kuwait",
        "official_name_ar": "دولة الكويت",
        "official_name_fr": "État du Koweït",
        "slug": "kuwait",
        "status": "member",
        "summary_en": "First to join.",
        "summary_ar": "أول من انضم.",
        "summary_fr": "Premier à adhérer.",
        "profile_en": "Profile.",
        "profile_ar": "ملف.",
        "profile_fr": "Profil.",
        "iso_alpha2": kuwait.iso_alpha2,
        "iso_alpha3": kuwait.iso_alpha3,
        "capital": "Kuwait City",
        "joined": "2005-02-16",
        "joined_precision": "day",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": source.pk,
        "citations-0-passage": "Kuwait joined.",
        "state": "published",
        "publish_at_0": "2026-01-01",
        "publish_at_1": "00:00:00",
    }
    before = Version.objects.get_for_object(kuwait).count()
    response = editor_client.post(url, data)
    assert response.status_code == 302
    versions = Version.objects.get_for_object(kuwait)
    assert versions.count() == before + 1
    stored = json.loads(versions.first().serialized_data)[0]["fields"]
    assert stored["summary_ar"] == "أول من انضم."
    assert stored["summary_fr"] == "Premier à adhérer."
    assert stored["summary_en"] == "First to join."


def test_the_vendored_tabs_script_is_served_by_the_site():
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/jquery-ui/jquery-ui.tabs.js")
    assert finders.find("vendor/jquery-ui/LICENSE.txt")
    assert finders.find("modeltranslation/js/tabbed_translation_fields.js")


# Translation status


def test_translation_status_lists_missing_and_older_translations(
    editor_client, kuwait, make_activity
):
    untranslated = make_activity(title="Harbour course")
    with reversion.create_revision():
        kuwait.summary_en = "A newer English summary."
        kuwait.save()
    html = editor_client.get("/admin/translation-status/").content.decode()
    arabic = html[html.index('id="language-ar"') : html.index('id="language-fr"')]
    assert "Harbour course" in arabic and "missing" in arabic
    assert "Kuwait" in arabic and "older than the English text" in arabic
    assert untranslated.translation_state("fr") == "missing"
    assert kuwait.translation_state("fr") == "older"


def test_a_translation_saved_after_the_english_is_current(kuwait):
    kuwait.summary_en = "Newer English."
    kuwait.save()
    assert kuwait.translation_state("ar") == "older"
    kuwait.summary_ar = "ملخص أحدث."
    kuwait.save()
    assert kuwait.translation_state("ar") is None


def test_translation_status_is_for_staff_with_view_permission(client, db):
    assert client.get("/admin/translation-status/").status_code == 302
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get("/admin/translation-status/").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_partner"))
    assert staff_client.get("/admin/translation-status/").status_code == 200


# Fixtures


def test_fixtures_carry_arabic_and_french_and_validate(db):
    call_command("load_content", verbosity=0)
    out = io.StringIO()
    call_command("validate_content", stdout=out)
    assert "valid" in out.getvalue()
    names = {p.slug: (p.name_ar, p.name_fr) for p in Partner.objects.all()}
    assert names["kuwait"] == ("الكويت", "Koweït")
    assert names["bahrain"] == ("البحرين", "Bahreïn")
    assert names["united-arab-emirates"] == (
        "الإمارات العربية المتحدة",
        "Émirats arabes unis",
    )
    assert names["saudi-arabia"] == ("المملكة العربية السعودية", "Arabie saoudite")
    assert names["oman"] == ("سلطنة عمان", "Oman")
    assert names["qatar"] == ("قطر", "Qatar")
    for area in CooperationArea.objects.all():
        assert area.name_ar and area.name_fr and area.summary_ar and area.summary_fr
    for milestone in Milestone.objects.filter(is_key=True):
        assert milestone.title_ar and milestone.summary_fr, milestone.slug
    for page in Page.objects.all():
        assert page.translated_languages() == ["en", "ar", "fr"], page.slug
    assert Activity.objects.exists()
