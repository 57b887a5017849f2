"""Stories in the archive: copies join, follow-ups thread, whatever the order of arrival."""

from __future__ import annotations

from storage import Archive
from storage.story_text import prepare_story

LEAD = ("أعلنت المديرية العامة للأمن الوطني، اليوم الثلاثاء، عن تفكيك خلية إرهابية تتكون من "
        "خمسة عناصر تنشط بمدينتي طنجة وتطوان، وذلك بتنسيق وثيق مع المديرية العامة للأمن "
        "الداخلي الفرنسية في إطار التعاون الأمني بين البلدين.")
BODY = [
    "وأوضح بلاغ للمديرية أن عمليات التفتيش المنجزة بمنازل المشتبه فيهم أسفرت عن حجز أجهزة "
    "إلكترونية ومخطوطات ذات طابع متطرف، إضافة إلى مواد كيميائية يشتبه في استعمالها لصناعة "
    "عبوات ناسفة كانت معدة لتنفيذ مخططات إرهابية داخل المملكة.",
    "وأضاف المصدر ذاته أن الأبحاث الأولية كشفت ارتباط أحد الموقوفين بعنصر متطرف يقيم بفرنسا، "
    "كان يتولى تزويد أفراد الخلية بتوجيهات حول طرق التجنيد والاستقطاب عبر شبكات التواصل "
    "الاجتماعي والتطبيقات المشفرة.",
    "وقد تم إيداع المشتبه فيهم تحت تدبير الحراسة النظرية رهن إشارة البحث القضائي الذي يشرف "
    "عليه المكتب المركزي للأبحاث القضائية، تحت إشراف النيابة العامة المكلفة بقضايا الإرهاب، "
    "من أجل الكشف عن جميع الامتدادات المحتملة لهذه الخلية.",
]
FOLLOW_LEAD = ("قضت غرفة الجنايات المكلفة بقضايا الإرهاب بملحقة محكمة الاستئناف بسلا، مساء "
               "الخميس، بأحكام تراوحت بين ثلاث وعشر سنوات سجنا نافذا في حق أعضاء الخلية "
               "الإرهابية التي فككت بطنجة وتطوان بتنسيق مع الأمن الفرنسي.")


def text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def test_a_wire_copy_with_a_dateline_and_a_dropped_paragraph_joins_the_story(
        archive: Archive, make_article) -> None:
    first = archive.store_article(make_article(text=text(LEAD, *BODY)))
    copy = archive.store_article(make_article(
        url="https://www.barlamane.com/x-1/", source="barlamane", title="عنوان آخر",
        text=text("الرباط (و م ع) – " + LEAD, *BODY[:2]),
        published="2025-04-20T11:00:00+01:00"))
    assert copy.new_article and not copy.new_story
    assert copy.story == first.story
    shorter = archive.store_article(make_article(
        url="https://www.goud.ma/y-2/", source="goud", text=text(LEAD),
        published="2025-04-20T12:00:00+01:00"))
    assert shorter.story == first.story


def test_a_follow_up_quoting_the_dispatch_gets_its_own_story_that_follows(
        archive: Archive, make_article) -> None:
    first = archive.store_article(make_article(text=text(LEAD, *BODY)))
    follow = archive.store_article(make_article(
        url="https://www.hespress.com/verdict-9.html", text=text(FOLLOW_LEAD, LEAD, *BODY),
        published="2025-06-02T18:00:00+01:00"))
    assert follow.new_story and follow.story != first.story
    rows = {row["url"]: row for row in archive.export_articles()}
    assert rows["https://www.hespress.com/verdict-9.html"]["follows"] == first.story
    assert rows["https://www.hespress.com/politique/436105.html"]["follows"] is None


def test_order_of_arrival_is_not_order_of_events(archive: Archive, make_article) -> None:
    later = archive.store_article(make_article(
        url="https://www.hespress.com/verdict-9.html", text=text(FOLLOW_LEAD, LEAD, *BODY),
        published="2025-06-02T18:00:00+01:00"))
    earlier = archive.store_article(make_article(text=text(LEAD, *BODY)))
    assert earlier.new_story
    rows = {row["url"]: row for row in archive.export_articles()}
    assert rows["https://www.hespress.com/verdict-9.html"]["follows"] == earlier.story
    assert rows["https://www.hespress.com/politique/436105.html"]["follows"] is None
    assert later.story != earlier.story


def test_bulletins_of_one_template_with_other_figures_are_other_stories(
        archive: Archive, make_article) -> None:
    def bulletin(dead: int, hurt: int, crashes: int, week: str) -> str:
        return text(
            f"لقي {dead} شخصا مصرعهم، وأصيب {hurt} آخرون بجروح بليغة، في {crashes} حادثة سير "
            f"وقعت داخل المناطق الحضرية خلال الأسبوع الممتد من {week}، حسب ما أفادت به المديرية "
            "العامة للأمن الوطني في بلاغ لها.",
            "وأوضح البلاغ أن الأسباب الرئيسية المؤدية إلى وقوع هذه الحوادث تعود إلى عدم انتباه "
            "السائقين، وعدم احترام حق الأسبقية، والسرعة المفرطة، وعدم انتباه الراجلين، وتغيير "
            "الاتجاه بدون إشارة، وعدم ترك مسافة الأمان، والسير في الاتجاه الممنوع.",
            "وفي ما يتعلق بعمليات المراقبة والزجر في ميدان السير والجولان، تمكنت مصالح الأمن من "
            "تسجيل آلاف المخالفات، وإنجاز محاضر أحيلت على النيابة العامة، واستخلاص غرامات "
            "صلحية، فيما تم إيداع عدد من العربات بالمحجز البلدي.")

    one = archive.store_article(make_article(text=bulletin(18, 2315, 1934, "9 إلى 15 يونيو")))
    two = archive.store_article(make_article(
        url="https://www.hespress.com/b-2.html", text=bulletin(23, 2480, 2011, "16 إلى 22 يونيو"),
        published="2025-06-23T10:00:00+01:00"))
    assert two.new_story and two.story != one.story
    assert all(row["follows"] is None for row in archive.export_articles())


def test_short_bodies_each_get_their_own_story(archive: Archive, make_article) -> None:
    teaser = "فيديو: لقاء أمني"
    one = archive.store_article(make_article(url="https://www.goud.ma/a-1/", text=teaser))
    two = archive.store_article(make_article(url="https://www.goud.ma/b-2/", text=teaser))
    empty = archive.store_article(make_article(url="https://www.goud.ma/c-3/", text=""))
    assert one.new_story and two.new_story and empty.new_story
    assert len({one.story, two.story, empty.story}) == 3


def test_the_same_article_at_two_urls_is_one_story(archive: Archive, make_article) -> None:
    first = archive.store_article(make_article(text=text(LEAD, *BODY)))
    second = archive.store_article(make_article(url="https://www.hespress.com/other-slug-9.html",
                                                text=text(LEAD, *BODY)))
    assert second.new_article and not second.new_story and second.story == first.story


def test_story_keys_are_stable_across_archives(tmp_path, make_article) -> None:
    with Archive(tmp_path / "a.db") as first, Archive(tmp_path / "b.db") as second:
        key_a = first.store_article(make_article()).story
        key_b = second.store_article(make_article()).story
    assert key_a == key_b
    assert len(key_a) == 16 and int(key_a, 16) >= 0


def test_a_read_also_link_makes_the_later_story_a_follow_up(archive: Archive,
                                                            make_article) -> None:
    from storage.records import ReadAlsoLink

    first = archive.store_article(make_article(text=text(LEAD, *BODY)))
    linked = archive.store_article(make_article(
        url="https://www.hespress.com/other-3.html", text=text(FOLLOW_LEAD, BODY[2][:60]),
        published="2025-06-02T18:00:00+01:00",
        read_also=(ReadAlsoLink("https://www.hespress.com/politique/436105.html", "t"),)))
    assert linked.new_story
    rows = {row["url"]: row for row in archive.export_articles()}
    assert rows["https://www.hespress.com/other-3.html"]["follows"] == first.story


COOKIES = ("يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربة التصفح وتقديم محتوى وإعلانات "
           "تناسب اهتماماتك وتحليل حركة الزوار، وبمواصلة التصفح فإنك توافق على استخدامها وفق "
           "سياسة الخصوصية الخاصة بالموقع التي يمكنك الاطلاع عليها في أي وقت من صفحة الإعدادات.")
NEWSLETTER = ("اشترك في النشرة البريدية لتصلك آخر الأخبار والتحليلات والتقارير الحصرية مباشرة إلى "
              "بريدك الإلكتروني كل صباح، وتابعنا على مواقع التواصل الاجتماعي للاطلاع على "
              "المستجدات لحظة بلحظة، ولا تنس تحميل تطبيقنا المجاني على الهواتف الذكية لمتابعة "
              "البث المباشر والفيديوهات الحصرية والملفات الخاصة التي يعدها فريق التحرير يوميا.")
SITE_NEWS = [
    ("افتتاح مستشفى جهوي جديد بمدينة وجدة",
     "دشن وزير الصحة صباح اليوم المستشفى الجهوي الجديد بوجدة بطاقة استيعابية تبلغ مائتين "
     "وخمسين سريرا، ويضم مصالح للإنعاش وجراحة القلب وطب الأطفال."),
    ("انطلاق الموسم الفلاحي بجهة سوس ماسة",
     "أعطت المديرية الجهوية للفلاحة انطلاقة الموسم الفلاحي بسوس ماسة وسط تفاؤل الفلاحين "
     "بالتساقطات الأخيرة التي أنعشت الفرشة المائية وحقينة السدود."),
    ("فريق الرجاء يتأهل إلى نصف نهائي كأس العرش",
     "تأهل فريق الرجاء الرياضي إلى نصف نهائي كأس العرش بعد فوزه مساء أمس بهدفين نظيفين على "
     "مضيفه في مباراة عرفت حضورا جماهيريا كبيرا."),
    ("معرض الكتاب بالرباط يستقبل آلاف الزوار",
     "استقبل المعرض الدولي للنشر والكتاب بالرباط في يومه الأول آلاف الزوار الذين توافدوا على "
     "أروقة دور النشر المغربية والأجنبية المشاركة في هذه الدورة."),
    ("أمطار رعدية مرتقبة بعدد من مناطق المملكة",
     "توقعت المديرية العامة للأرصاد الجوية أمطارا رعدية قوية بعدد من أقاليم المملكة ابتداء "
     "من مساء الغد، مع هبوب رياح قوية على السواحل الأطلسية."),
    ("ارتفاع عدد السياح الوافدين على مراكش",
     "سجلت المدينة الحمراء ارتفاعا ملحوظا في عدد السياح الوافدين خلال الأشهر الأخيرة، حسب "
     "معطيات المجلس الجهوي للسياحة الذي أشاد بتنوع الأسواق المصدرة."),
]


def test_boilerplate_shared_by_a_whole_site_glues_nothing(archive: Archive,
                                                         make_article) -> None:
    """A cookie notice before the text and a newsletter box after it, on every article of
    a site (extraction missed them), make most of each short body: every article keeps
    a story of its own, and none follows another."""
    stored = []
    for n, (title, lead) in enumerate(SITE_NEWS):
        stored.append(archive.store_article(make_article(
            url=f"https://www.site.ma/{n}.html", source="site", title=title,
            text=text(COOKIES, lead, NEWSLETTER),
            published=f"2025-04-{n + 1:02d}T10:00:00+01:00")))
    assert len({result.story for result in stored}) == len(SITE_NEWS)
    assert all(row["follows"] is None for row in archive.export_articles())


def test_features_prepared_where_the_page_was_read_place_it_as_computed_here(
        archive: Archive, make_article) -> None:
    first = archive.store_article(make_article(text=text(LEAD, *BODY)))
    copy_text = text("الرباط (و م ع) – " + LEAD, *BODY[:2])
    prepared = prepare_story("عنوان آخر", copy_text)
    copy = archive.store_article(make_article(
        url="https://www.barlamane.com/x-1/", source="barlamane", title="عنوان آخر",
        text=copy_text, prepared=prepared))
    assert copy.story == first.story


def test_features_prepared_for_another_text_are_not_used(
        archive: Archive, make_article) -> None:
    first = archive.store_article(make_article(text=text(LEAD, *BODY)))
    # Made for the copy's text, handed with an unrelated one: the unrelated text decides.
    prepared = prepare_story("عنوان آخر", text(LEAD, *BODY))
    other = archive.store_article(make_article(
        url="https://www.barlamane.com/x-2/", source="barlamane", title="عنوان آخر",
        text=text(FOLLOW_LEAD), prepared=prepared))
    assert other.new_story and other.story != first.story
