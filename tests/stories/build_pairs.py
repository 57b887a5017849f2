"""Build pairs.jsonl, the labelled pairs for story detection, from articles.jsonl.

Run from anywhere:  python tests/stories/build_pairs.py

Each pair is an earlier and a later article with a label: "copy" (the later one is the
earlier text republished), "follow_up" (same matter, new development in a new lead),
"different" (another story, however alike) or "same_event_other_language". Copies are made
with edits.py; follow-ups, short items and the grouping of articles into families are the
hand-written material below. The output is deterministic (seeds come from article ids),
the script checks what it writes and prints the counts per kind and label.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import sys
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles.jsonl"
PAIRS = HERE / "pairs.jsonl"


def _load_edits() -> ModuleType:
    """edits.py of this folder, whatever the current directory and sys.path."""
    name = "stories_edits"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "edits.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


edits = _load_edits()

# Bulletins of one template: the id is the template name and an instance number.
TEMPLATE_ID = re.compile(r"^(ar-road|ar-seizures|ar-weather|fr-weather|fr-dirham)-\d+$")

# Events written in both languages (ar-<slug> and fr-<slug>).
CROSS_LANGUAGE = [
    "hammouchi-dgpn",
    "tetouan-cell",
    "marrakech-notice",
    "tangermed-chira",
    "laftit-paris",
    "marseille-extradition",
    "visa-forgery",
    "agadir-hacker",
    "hammouchi-paris",
    "joint-committee",
    "lille-plot-verdict",
    "can-liaison",
    "airport-cocaine",
    "gendarmerie-accord",
    "laftit-dgef",
    "tangier-marseille-murder",
    "lyon-plot",
    "oujda-cell",
    "hammouchi-lab",
    "aix-extradition",
]

# The same people in different events: every two articles of a family are different stories.
SAME_PEOPLE = {
    "hammouchi-ar": [
        "ar-hammouchi-dgpn",
        "ar-hammouchi-paris",
        "ar-hammouchi-lab",
        "ar-hammouchi-graduation",
        "ar-hammouchi-can-meeting",
    ],
    "hammouchi-fr": [
        "fr-hammouchi-dgpn",
        "fr-hammouchi-paris",
        "fr-hammouchi-lab",
        "fr-hammouchi-prefect",
        "fr-dgsn-report-2025",
    ],
    "laftit-ar": ["ar-laftit-paris", "ar-laftit-dgef", "ar-civil-protection"],
    "laftit-fr": ["fr-laftit-paris", "fr-laftit-dgef", "fr-laftit-dialogue"],
    "police-cooperation-ar": ["ar-joint-committee", "ar-can-liaison", "ar-gendarmerie-accord"],
    "police-cooperation-fr": ["fr-joint-committee", "fr-can-liaison", "fr-gendarmerie-accord"],
    "bcij-ar": ["ar-tetouan-cell", "ar-oujda-cell"],
    "bcij-fr": ["fr-tetouan-cell", "fr-oujda-cell"],
}

# One topic, unrelated events.
SAME_TOPIC = {
    "drugs-ar": ["ar-tangermed-chira", "ar-airport-cocaine", "ar-tangier-warehouse"],
    "drugs-fr": [
        "fr-tangermed-chira",
        "fr-airport-cocaine",
        "fr-marseille-network",
        "fr-casablanca-port-cocaine",
    ],
    "cyber-ar": ["ar-agadir-hacker", "ar-agadir-phishing"],
    "cyber-fr": ["fr-agadir-hacker", "fr-khouribga-sextortion"],
    "wanted-ar": [
        "ar-marrakech-notice",
        "ar-marseille-extradition",
        "ar-tangier-marseille-murder",
        "ar-casablanca-jewel-robbery",
    ],
    "wanted-fr": [
        "fr-marrakech-notice",
        "fr-marseille-extradition",
        "fr-tangier-marseille-murder",
        "fr-aix-extradition",
    ],
    "court-ar": ["ar-lille-plot-verdict", "ar-hadsoualem-deliberation", "ar-aix-extradition"],
    "court-fr": ["fr-lille-plot-verdict", "fr-tiflet-deliberation", "fr-marseille-gofast-verdict"],
    "migration-ar": ["ar-visa-forgery", "ar-nador-migration"],
    "plots-ar": ["ar-lyon-plot", "ar-lille-plot-verdict"],
    "plots-fr": ["fr-lyon-plot", "fr-lille-plot-verdict"],
}

# Two different articles of one site, both with the site's long block kept by extraction:
# (site, earlier id, later id, keep only the first two paragraphs of each).
SITE_BOILERPLATE = [
    ("hespress", "ar-hammouchi-dgpn", "ar-tangier-warehouse", False),
    ("hespress", "ar-visa-forgery", "ar-civil-protection", True),
    ("hespress", "ar-road-2", "ar-oujda-cell", False),
    ("alyaoum24", "ar-tetouan-cell", "ar-agadir-phishing", True),
    ("alyaoum24", "ar-joint-committee", "ar-weather-4", False),
    ("le360", "fr-tangermed-chira", "fr-hammouchi-prefect", False),
    ("le360", "fr-agadir-hacker", "fr-weather-2", True),
    ("le360", "fr-lyon-plot", "fr-laftit-dialogue", False),
    ("lematin", "fr-tetouan-cell", "fr-dgsn-report-2025", True),
    ("lematin", "fr-joint-committee", "fr-dirham-3", False),
]

# -- hand-written material ------------------------------------------------------------

# Rewritten headlines for copy_headline and copy_combined (bulletins get a kicker).
ALT_HEADLINES = {
    "ar-hammouchi-dgpn": ("مباحثات أمنية مغربية فرنسية بالرباط بين حموشي ومدير الشرطة الفرنسية"),
    "ar-tetouan-cell": '"البسيج" يطيح بأربعة متطرفين موالين لـ"داعش" بتطوان والفنيدق',
    "ar-marrakech-notice": "سقوط بارون مخدرات فرنسي في قبضة أمن مراكش",
    "ar-tangermed-chira": "شاحنة خضر تخفي أزيد من 12 طنا من الحشيش بميناء طنجة المتوسط",
    "ar-laftit-paris": "الهجرة وإعادة القبول في صلب مباحثات لفتيت بباريس",
    "ar-marseille-extradition": (
        "بعد توقيفه بطنجة.. المغرب يسلم فرنسا مطلوبا في قضايا قتل ومخدرات"
    ),
    "ar-visa-forgery": 'شبكة لتزوير تأشيرات "شنغن" تسقط بالدار البيضاء والمحمدية',
    "ar-agadir-hacker": "طالب معلوميات بأكادير متهم بقرصنة مستشفيات فرنسية",
    "ar-hammouchi-paris": "حموشي يحل بباريس ويلتقي مسؤولي الاستخبارات الفرنسية",
    "ar-joint-committee": "24 إجراء عمليا في خطة العمل الأمنية المغربية الفرنسية لسنة 2026",
    "ar-lille-plot-verdict": "18 سنة سجنا لمتهم بالتخطيط لهجوم بليل أحبطته معلومات مغربية",
    "ar-can-liaison": "كأس إفريقيا.. شرطة فرنسية في مركز التعاون الأمني بالرباط",
    "ar-airport-cocaine": "قادم من البرازيل.. توقيف فرنسي بحقيبتين محشوتين بالكوكايين",
    "ar-gendarmerie-accord": "اتفاقية جديدة تعزز التعاون بين الدرك المغربي ونظيره الفرنسي",
    "ar-laftit-dgef": (
        "أزيد من 3800 جواز مرور قنصلي.. لفتيت يستعرض حصيلة إعادة القبول مع مسؤول فرنسي"
    ),
    "ar-tangier-marseille-murder": (
        "فرا من مرسيليا بهويات مزورة.. توقيف مشتبه فيهما في جريمة قتل بطنجة"
    ),
    "ar-lyon-plot": '"الديستي" تجنب فرنسا هجوما إرهابيا على ملعب بليون',
    "ar-oujda-cell": "تفكيك خلية داعشية بالجهة الشرقية كانت تخطط لاستهداف منشآت حيوية",
    "ar-hammouchi-lab": ("مختبر جديد للأدلة الرقمية بالدار البيضاء لمواجهة الجريمة الإلكترونية"),
    "ar-aix-extradition": "محكمة فرنسية تمهد لتسليم متهم في نصب عقاري خلف 200 ضحية بطنجة",
    "ar-hammouchi-graduation": "تخرج 3200 شرطي وشرطية بالقنيطرة وحموشي يدعو إلى الانضباط",
    "ar-hammouchi-can-meeting": ('15 ألف شرطي لتأمين "الكان".. حموشي يجتمع بالمسؤولين الأمنيين'),
    "ar-tangier-warehouse": "مستودع لمواد البناء يخفي أطنانا من الحشيش بكزناية",
    "ar-agadir-phishing": "رسائل بنكية مزيفة توقع بأربعة نصابين بأكادير",
    "ar-hadsoualem-deliberation": 'النطق بالحكم في ملف "خلية حد السوالم" يوم الخميس',
    "ar-casablanca-jewel-robbery": ("سقوط فرنسي متورط في سرقة مجوهرات بمليون ونصف يورو بالمعاريف"),
    "ar-nador-migration": "حجز قارب مطاطي وتوقيف خمسة مهربين للبشر بالناظور",
    "ar-civil-protection": "لفتيت والسفير الفرنسي يوقعان اتفاقا لمواجهة الكوارث الطبيعية",
    "fr-hammouchi-dgpn": (
        "Coopération sécuritaire: entretiens à Rabat entre Hammouchi et le patron de la "
        "police française"
    ),
    "fr-tetouan-cell": "Le BCIJ neutralise une cellule pro-Daech dans le nord du Royaume",
    "fr-marrakech-notice": "Un narcotrafiquant présumé français arrêté à Guéliz",
    "fr-tangermed-chira": "Saisie record à Tanger Med: la chira cachée sous des tomates",
    "fr-laftit-paris": "Réadmission, frontières, mineurs: les dossiers de Laftit à Paris",
    "fr-marseille-extradition": "Narcotrafic: Sofiane M. remis à la France par le Maroc",
    "fr-visa-forgery": (
        "Faux visas pour la France: six interpellations à Casablanca et Mohammedia"
    ),
    "fr-agadir-hacker": ("Rançongiciels contre des hôpitaux français: un étudiant arrêté à Agadir"),
    "fr-hammouchi-paris": "Hammouchi à Paris pour des entretiens avec la DGSI et la DGSE",
    "fr-joint-committee": "Maroc-France: 24 mesures pour la coopération policière en 2026",
    "fr-lille-plot-verdict": ("Attentat déjoué à Lille: Yassine B. condamné à 18 ans de réclusion"),
    "fr-can-liaison": "Sécurité de la CAN: six policiers français à Rabat",
    "fr-airport-cocaine": (
        "8,2 kg de cocaïne dans deux valises: un Français interpellé à Casablanca"
    ),
    "fr-gendarmerie-accord": ("Gendarmeries marocaine et française: un accord pour trois ans"),
    "fr-laftit-dgef": "Laissez-passer consulaires: plus de 3.800 délivrés en 2025",
    "fr-tangier-marseille-murder": ("Notices rouges: deux fugitifs marseillais arrêtés à Malabata"),
    "fr-lyon-plot": (
        "Lyon: trois jeunes interpellés pour un projet d'attentat, Paris remercie Rabat"
    ),
    "fr-oujda-cell": "Terrorisme: trois suspects arrêtés dans l'Oriental",
    "fr-hammouchi-lab": "La DGSN se dote d'un laboratoire numérique à Casablanca",
    "fr-aix-extradition": (
        "Escroquerie immobilière à Tanger: la justice française valide l'extradition"
    ),
    "fr-hammouchi-prefect": ("Police: le préfet de police de Paris en visite de travail à Rabat"),
    "fr-dgsn-report-2025": "DGSN: un taux d'élucidation de 94,6% en 2025",
    "fr-marseille-network": "Cannabis: coup de filet de l'Ofast à Marseille et Vitrolles",
    "fr-khouribga-sextortion": ("Sextorsion: un réseau ciblant des Français démantelé à Khouribga"),
    "fr-tiflet-deliberation": "«Cellule de Tiflet»: verdict attendu jeudi à Salé",
    "fr-marseille-gofast-verdict": ("Go-fast entre le Maroc et Marseille: sept condamnations"),
    "fr-laftit-dialogue": (
        "Migration: Rabat et Paris lancent un programme de mobilité pour 2.000 jeunes"
    ),
    "fr-casablanca-port-cocaine": "Saisie historique de cocaïne au port de Casablanca",
}

# Closing paragraph a site adds to a bulletin of each template (copy_added_paragraph).
TEMPLATE_CLOSINGS = {
    "ar-road": (
        "وتدعو المديرية العامة للأمن الوطني مستعملي الطريق إلى التقيد بقواعد السير "
        "والجولان، والتحلي باليقظة والحذر، خاصة عند الاقتراب من ممرات الراجلين ومحيط "
        "المؤسسات التعليمية، مذكرة بأن العنصر البشري يظل المسؤول الأول عن أغلب حوادث السير "
        "المسجلة بالمدن."
    ),
    "ar-seizures": (
        "وتهيب ولاية أمن الدار البيضاء بالمواطنين التبليغ عن كل الأنشطة المشبوهة المرتبطة "
        "بترويج المخدرات، عبر الرقم 19 أو من خلال المنصات الرقمية للمديرية العامة للأمن "
        "الوطني، مع ضمان سرية هوية المبلغين."
    ),
    "ar-weather": (
        "وتدعو المديرية العامة للأرصاد الجوية مستعملي الطريق والبحارة إلى توخي الحيطة "
        "والحذر، ومتابعة النشرات الإنذارية التي تصدرها بشكل منتظم عبر موقعها الإلكتروني "
        "وتطبيقها على الهواتف الذكية."
    ),
    "fr-weather": (
        "La DGM recommande aux usagers de la route et aux marins de faire preuve de "
        "prudence et de suivre les bulletins d'alerte publiés régulièrement sur son site "
        "internet et son application mobile."
    ),
    "fr-dirham": (
        "Pour rappel, Bank Al-Maghrib a maintenu son taux directeur inchangé lors de la "
        "dernière réunion de son conseil, estimant que l'orientation actuelle de la "
        "politique monétaire reste appropriée au regard des perspectives d'inflation."
    ),
}

# New developments after a base article, within 3 days: a new lead, a new paragraph,
# and ``shared``, the index of the earlier paragraph the second version repeats (background,
# or the court's wording for "court"). "news" gives follow_up_quote and
# follow_up_background pairs, "court" gives follow_up_court and follow_up_quote.
FOLLOW_UPS: list[dict[str, Any]] = [
    {
        "base": "ar-tetouan-cell",
        "kind": "news",
        "shared": 4,
        "published": "2025-03-05T16:40:00+00:00",
        "source": "hespress",
        "title": "توقيف عنصر خامس على صلة بالخلية الإرهابية المفككة بتطوان والفنيدق",
        "lead": (
            "تمكنت عناصر المكتب المركزي للأبحاث القضائية، زوال اليوم الأربعاء بمدينة "
            "المضيق، من توقيف شخص خامس يبلغ من العمر 29 سنة، يشتبه في ارتباطه بالخلية "
            'الإرهابية الموالية لتنظيم "داعش" التي جرى تفكيكها أمس بتطوان والفنيدق، وذلك '
            "بعدما كشفت الأبحاث الجارية عن دوره في توفير الدعم اللوجستيكي لأفرادها."
        ),
        "body": [
            (
                "وأوضح مصدر أمني أن الموقوف الجديد، الذي يشتغل في محل لإصلاح الهواتف "
                "المحمولة، كان يتكلف باقتناء شرائح هاتفية بأسماء أشخاص آخرين وتوفيرها "
                "لأعضاء الخلية، كما يشتبه في احتفاظه بجزء من المواد الكيماوية في مستودع "
                "تابع لأحد أقاربه، وهو ما استدعى إجراء تفتيش دقيق أسفر عن حجز قنينات ومواد "
                "يشتبه في استعمالها في صناعة المتفجرات."
            ),
        ],
    },
    {
        "base": "ar-marrakech-notice",
        "kind": "news",
        "shared": 2,
        "published": "2025-04-18T13:10:00+01:00",
        "source": "hibapress",
        "title": "إحالة الفرنسي المبحوث عنه دوليا على الوكيل العام لدى محكمة النقض",
        "lead": (
            "أحيل المواطن الفرنسي الموقوف بمراكش بموجب نشرة حمراء، صباح اليوم الجمعة، على "
            "الوكيل العام للملك لدى محكمة النقض بالرباط، الذي قرر إيداعه رهن الاعتقال "
            "بالسجن المحلي العرجات 1، في انتظار البت في طلب التسليم المرتقب أن تتقدم به "
            "السلطات الفرنسية عبر القنوات الدبلوماسية."
        ),
        "body": [
            (
                "وأفادت مصادر مطلعة بأن المعني بالأمر رفض خلال مثوله أمام الوكيل العام "
                "الموافقة على تسليمه بشكل مبسط إلى بلاده، متمسكا بحقه في سلوك المسطرة "
                "العادية أمام الغرفة الجنائية بمحكمة النقض، وهو ما يعني أن البت في ملفه قد "
                "يستغرق عدة أسابيع، وفق الآجال المنصوص عليها في الاتفاقية الثنائية."
            ),
        ],
    },
    {
        "base": "ar-tangermed-chira",
        "kind": "news",
        "shared": 3,
        "published": "2025-05-08T12:30:00+01:00",
        "source": "alyaoum24",
        "title": (
            "توقيف مسير شركة للتصدير بطنجة على خلفية حجز 12 طنا من الشيرا بميناء طنجة المتوسط"
        ),
        "lead": (
            "أسفرت الأبحاث المتواصلة في قضية حجز أزيد من 12 طنا من مخدر الشيرا بميناء طنجة "
            "المتوسط، عن توقيف مسير شركة للتصدير بمدينة طنجة يبلغ من العمر 52 سنة، يشتبه "
            "في كونه الجهة التي وفرت الغطاء التجاري للشحنة، فيما تم تحديد هوية المستلم "
            "المفترض بجنوب فرنسا."
        ),
        "body": [
            (
                "وحسب مصادر متطابقة، فإن الموقوف كان قد أبرم عقدا صوريا لتصدير الخضر مع "
                "شركة يوجد مقرها بمدينة بربينيان الفرنسية، تبين أنها لا تمارس أي نشاط "
                "فعلي، وهو ما دفع المصالح الأمنية المغربية إلى إحالة المعطيات المتوفرة على "
                "نظيرتها الفرنسية في إطار التعاون الثنائي، من أجل توقيف باقي أفراد الشبكة."
            ),
        ],
    },
    {
        "base": "ar-marseille-extradition",
        "kind": "news",
        "shared": 1,
        "published": "2025-07-10T21:45:00+01:00",
        "source": "hespress",
        "title": "قاض فرنسي يوجه تهم القتل والاتجار في المخدرات للمطلوب الذي سلمه المغرب",
        "lead": (
            "وجه قاضي تحقيق بالمحكمة القضائية بمرسيليا، مساء اليوم الخميس، تهم القتل العمد "
            "في إطار عصابة منظمة والاتجار الدولي في المخدرات إلى الفرنسي من أصل مغربي (س. "
            "م)، الذي سلمته السلطات المغربية أمس إلى فرنسا، وأمر بإيداعه السجن الاحتياطي "
            "في انتظار استكمال التحقيق."
        ),
        "body": [
            (
                "وذكرت وسائل إعلام فرنسية أن المتهم، الذي نقل تحت حراسة مشددة من باريس إلى "
                "مرسيليا، التزم الصمت خلال مثوله أمام قاضي التحقيق، فيما يشتبه المحققون في "
                "تورطه في ثلاث عمليات لتصفية الحسابات بين سنتي 2022 و2024، راح ضحيتها شبان "
                "بالأحياء الشمالية للمدينة."
            ),
        ],
    },
    {
        "base": "ar-visa-forgery",
        "kind": "news",
        "shared": 3,
        "published": "2025-09-18T15:20:00+01:00",
        "source": "barlamane",
        "title": "توقيف موظفين بوكالة للأسفار بفاس في قضية شبكة تزوير التأشيرات الفرنسية",
        "lead": (
            "أوقفت عناصر الفرقة الوطنية للشرطة القضائية، اليوم الخميس بمدينة فاس، شخصين "
            "يعملان بوكالة للأسفار، للاشتباه في ارتباطهما بالشبكة الإجرامية المتخصصة في "
            'تزوير تأشيرات "شنغن" وبطائق الإقامة الفرنسية، التي جرى تفكيكها مطلع الأسبوع '
            "بالدار البيضاء والمحمدية، ليرتفع عدد الموقوفين في هذه القضية إلى ثمانية."
        ),
        "body": [
            (
                "وكشفت الأبحاث أن الموقوفين الجديدين كانا يتكلفان بجمع ملفات المرشحين "
                "للهجرة وتزويد الشبكة بنسخ من وثائقهم الشخصية، مقابل عمولة عن كل ملف، كما "
                "تم حجز سجلات ووصولات مالية بمقر الوكالة، التي قررت السلطات المحلية "
                "إغلاقها بشكل مؤقت إلى حين انتهاء البحث."
            ),
        ],
    },
    {
        "base": "ar-agadir-hacker",
        "kind": "news",
        "shared": 1,
        "published": "2025-10-04T20:05:00+01:00",
        "source": "hespress",
        "title": ("الأبحاث تكشف تورط قرصان أكادير في اختراق شركات مغربية وتوقيف شريك له بطنجة"),
        "lead": (
            "كشفت الأبحاث التي تباشرها المصالح الأمنية مع القرصان المعلوماتي الموقوف "
            "بأكادير، والمطلوب من طرف القضاء الفرنسي، عن تورطه أيضا في اختراق الأنظمة "
            "المعلوماتية لثلاث شركات مغربية، فيما تم مساء اليوم السبت توقيف شريك له يبلغ "
            "من العمر 27 سنة بمدينة طنجة."
        ),
        "body": [
            (
                "وأوضح مصدر أمني أن الخبرة التقنية المنجزة على الأجهزة المحجوزة مكنت من "
                "رصد تحويلات بالعملات المشفرة تفوق قيمتها مليون يورو، يشتبه في كونها "
                "متحصلة من الفديات، كما أظهرت أن الشريك الموقوف كان يتكلف بتحويل هذه "
                "المبالغ إلى حسابات بنكية عبر وسطاء بعدد من الدول."
            ),
        ],
    },
    {
        "base": "ar-airport-cocaine",
        "kind": "news",
        "shared": 2,
        "published": "2026-01-09T17:30:00+01:00",
        "source": "alayam24",
        "title": (
            "توقيف شريك للفرنسي الذي ضبط بمطار محمد الخامس وبحوزته 8 كيلوغرامات من الكوكايين"
        ),
        "lead": (
            "تمكنت عناصر الفرقة الوطنية للشرطة القضائية، اليوم الجمعة بمدينة الدار "
            "البيضاء، من توقيف مواطن مغربي يبلغ من العمر 34 سنة، يشتبه في ارتباطه بالمواطن "
            "الفرنسي الذي ضبط بمطار محمد الخامس الدولي وبحوزته أزيد من 8 كيلوغرامات من "
            "الكوكايين، بعدما كشفت الأبحاث أنه كان ينتظره بالمطار لاستلام جزء من الشحنة."
        ),
        "body": [
            (
                "وأفاد مصدر أمني بأن تحليل المكالمات الهاتفية للمشتبه فيه الرئيسي قاد إلى "
                "تحديد هوية الموقوف الجديد، الذي سبق أن قام بعدة رحلات إلى البرازيل خلال "
                "السنة الماضية، وقد تم حجز مبلغ مالي بالعملة الأوروبية بحوزته، قبل وضعه "
                "تحت تدبير الحراسة النظرية رهن إشارة البحث القضائي."
            ),
        ],
    },
    {
        "base": "ar-tangier-marseille-murder",
        "kind": "news",
        "shared": 1,
        "published": "2026-03-05T14:00:00+00:00",
        "source": "barlamane",
        "title": "فرنسا تطلب تسليم الموقوفين بطنجة وتوقيف مشتبه فيه ثالث بتطوان",
        "lead": (
            "تقدمت السلطات القضائية الفرنسية، اليوم الخميس، بطلب رسمي لتسليم المواطنين "
            "الفرنسيين الموقوفين بطنجة للاشتباه في تورطهما في جريمة قتل بمرسيليا، في وقت "
            "تمكنت فيه عناصر الشرطة القضائية بتطوان من توقيف مشتبه فيه ثالث يبلغ من العمر "
            "30 سنة، يشتبه في كونه وفر لهما المأوى ووسائل التنقل."
        ),
        "body": [
            (
                "وأوضحت مصادر مطلعة أن المشتبه فيه الثالث، وهو مغربي مقيم بفرنسا، قدم إلى "
                "تطوان قبل أسابيع لاستقبال المعنيين بالأمر، وتكلف باكتراء الشقة التي أوقفا "
                "بها والسيارة التي كانا يتنقلان بها، وقد جرى وضعه تحت تدبير الحراسة "
                "النظرية للبحث معه حول ظروف وملابسات فرارهما من فرنسا."
            ),
        ],
    },
    {
        "base": "ar-oujda-cell",
        "kind": "news",
        "shared": 1,
        "published": "2026-04-08T11:15:00+01:00",
        "source": "alyaoum24",
        "title": "الأبحاث تكشف مخططا لاستهداف منشأة طاقية من طرف خلية وجدة وبركان",
        "lead": (
            "كشفت الأبحاث الأولية التي يجريها المكتب المركزي للأبحاث القضائية مع أعضاء "
            "الخلية الإرهابية المفككة أمس بوجدة وبركان، أن زعيمها كان بصدد التخطيط "
            "لاستهداف منشأة طاقية بالمنطقة الشرقية، بعد أن أجرى عمليات رصد وتصوير لمحيطها "
            "خلال الأسابيع الأخيرة، حسب ما أفاد به مصدر أمني اليوم الأربعاء."
        ),
        "body": [
            (
                "وأضاف المصدر ذاته أن الخبرة المنجزة على الهاتف المحمول لزعيم الخلية مكنت "
                "من استرجاع صور ومقاطع فيديو للمنشأة المستهدفة، إضافة إلى رسائل متبادلة مع "
                "قيادي في التنظيم الإرهابي بمنطقة الساحل، تضمنت توجيهات حول طريقة تنفيذ "
                "الهجوم وسبل الفرار عبر الحدود الشرقية."
            ),
        ],
    },
    {
        "base": "ar-tangier-warehouse",
        "kind": "news",
        "shared": 2,
        "published": "2025-08-13T19:50:00+01:00",
        "source": "hespress",
        "title": "توقيف صاحب المستودع المستعمل في تخزين 3 أطنان من الشيرا بطنجة",
        "lead": (
            "تمكنت عناصر الشرطة القضائية بطنجة، زوال اليوم الأربعاء بمدينة أصيلة، من توقيف "
            "صاحب المستودع الذي حجزت به أمس ثلاثة أطنان و140 كيلوغراما من مخدر الشيرا "
            "بالمنطقة الصناعية كزناية، وهو رجل أعمال يبلغ من العمر 49 سنة كان في حالة فرار "
            "منذ تنفيذ العملية الأمنية."
        ),
        "body": [
            (
                "وحسب المعطيات الأولية، فإن الموقوف يشتبه في كونه العقل المدبر للشبكة، حيث "
                "كان يتولى التنسيق مع مهربين بالسواحل الإسبانية، كما أسفرت عملية تفتيش "
                "منزله عن حجز مبالغ مالية مهمة ووثائق تتعلق بممتلكات عقارية يشتبه في "
                "اقتنائها بعائدات الاتجار في المخدرات."
            ),
        ],
    },
    {
        "base": "ar-agadir-phishing",
        "kind": "news",
        "shared": 1,
        "published": "2025-09-10T18:00:00+01:00",
        "source": "alyaoum24",
        "title": "ارتفاع عدد الموقوفين في قضية النصب بالرسائل الاحتيالية بأكادير إلى سبعة",
        "lead": (
            "ارتفع عدد الموقوفين في قضية النصب والاحتيال عبر الرسائل النصية المزيفة، التي "
            "تم الكشف عنها مطلع الأسبوع بأكادير، إلى سبعة أشخاص، بعد توقيف ثلاثة مشتبه "
            "فيهم جدد اليوم الأربعاء بمدينتي الدار البيضاء وإنزكان، يشتبه في تكلفهم بسحب "
            "الأموال المستولى عليها من الحسابات البنكية للضحايا."
        ),
        "body": [
            (
                "وأفاد مصدر أمني بأن الموقوفين الجدد كانوا يستعملون بطائق بنكية مفتوحة "
                "بأسماء أشخاص في وضعية هشاشة، مقابل مبالغ زهيدة، لسحب الأموال من الشبابيك "
                "الأوتوماتيكية، فيما تواصل فرقة مكافحة الجريمة المعلوماتية أبحاثها لحصر "
                "العدد الحقيقي للضحايا والمبالغ المالية المستولى عليها."
            ),
        ],
    },
    {
        "base": "ar-casablanca-jewel-robbery",
        "kind": "news",
        "shared": 1,
        "published": "2026-02-12T16:30:00+01:00",
        "source": "hespress",
        "title": "المتهم بالسطو على محل للمجوهرات بليون يرفض تسليمه إلى فرنسا",
        "lead": (
            "مثل المواطن الفرنسي الموقوف بالدار البيضاء للاشتباه في تورطه في سطو مسلح على "
            "محل للمجوهرات بليون، اليوم الخميس، أمام الوكيل العام للملك لدى محكمة النقض، "
            "حيث أعلن رفضه التسليم إلى السلطات الفرنسية، ليتقرر إيداعه السجن في انتظار عرض "
            "ملفه على الغرفة الجنائية بالمحكمة."
        ),
        "body": [
            (
                "وأكدت مصادر قضائية أن السلطات الفرنسية أحالت عبر القنوات الدبلوماسية "
                "الوثائق المرفقة بطلب التسليم، ومن بينها نسخة من الأمر الدولي بإلقاء القبض "
                "وتقرير مفصل عن عملية السطو، فيما أكد دفاع المعني بالأمر أنه سيطعن في صحة "
                "الهوية المنسوبة لموكله."
            ),
        ],
    },
    {
        "base": "ar-nador-migration",
        "kind": "news",
        "shared": 2,
        "published": "2026-03-18T21:10:00+00:00",
        "source": "hespress",
        "title": "توقيف زعيم شبكة الهجرة غير النظامية بالمعبر الحدودي بني أنصار",
        "lead": (
            "أوقفت عناصر شرطة الحدود بالمعبر الحدودي بني أنصار، مساء اليوم الأربعاء، زعيم "
            "الشبكة الإجرامية المتخصصة في تنظيم الهجرة غير النظامية التي تم تفكيكها أمس "
            "بالناظور، وذلك أثناء محاولته مغادرة التراب الوطني نحو مدينة مليلية المحتلة "
            "مستعملا جواز سفر في اسم شخص آخر."
        ),
        "body": [
            (
                "وأوضح مصدر أمني أن الموقوف، البالغ من العمر 39 سنة، كان موضوع مذكرة بحث "
                "على الصعيد الوطني منذ تفكيك الشبكة، وقد مكنت عملية التنقيط في قاعدة "
                "البيانات من كشف هويته الحقيقية، ليتم وضعه تحت تدبير الحراسة النظرية رفقة "
                "باقي أفراد الشبكة رهن إشارة البحث القضائي."
            ),
        ],
    },
    {
        "base": "ar-laftit-paris",
        "kind": "news",
        "shared": 3,
        "published": "2025-06-24T19:30:00+01:00",
        "source": "hespress",
        "title": "لفتيت يتباحث مع وزير العدل الفرنسي حول تسليم المطلوبين ونقل السجناء",
        "lead": (
            "أجرى وزير الداخلية، عبد الوافي لفتيت، اليوم الثلاثاء بباريس، في اليوم الثاني "
            "من زيارته إلى فرنسا، مباحثات مع وزير العدل الفرنسي، تناولت تسريع مساطر تسليم "
            "المطلوبين للعدالة ونقل الأشخاص المحكوم عليهم، وتعزيز التعاون بين البلدين في "
            "مجال مكافحة الإرهاب والجريمة المنظمة."
        ),
        "body": [
            (
                "واتفق الجانبان، حسب بلاغ للوزارة، على إحداث آلية للتتبع المنتظم لطلبات "
                "التسليم العالقة بين البلدين، والتي تهم بالأساس أشخاصا متابعين في قضايا "
                "الاتجار الدولي في المخدرات وغسل الأموال، إضافة إلى تعزيز تبادل المعلومات "
                "بين قضاة الاتصال المعتمدين بالرباط وباريس."
            ),
        ],
    },
    {
        "base": "ar-hammouchi-dgpn",
        "kind": "news",
        "shared": 3,
        "published": "2025-02-12T14:15:00+01:00",
        "source": "barlamane",
        "title": (
            "المديرية العامة للأمن الوطني والشرطة الفرنسية توقعان خطة عمل لمكافحة الجريمة المنظمة"
        ),
        "lead": (
            "وقعت المديرية العامة للأمن الوطني والمديرية العامة للشرطة الوطنية الفرنسية، "
            "اليوم الأربعاء بالرباط، خطة عمل مشتركة لمكافحة الجريمة المنظمة والاتجار "
            "الدولي في المخدرات، وذلك في ختام زيارة العمل التي قام بها المدير العام للشرطة "
            "الوطنية الفرنسية إلى المملكة على رأس وفد أمني."
        ),
        "body": [
            (
                "وتنص الخطة على إحداث خلية مشتركة للتحليل الجنائي تعنى بتتبع المسارات "
                "المالية لشبكات الكوكايين بين أمريكا اللاتينية وإفريقيا وأوروبا، وتبادل "
                "المعلومات بشكل فوري حول المبحوث عنهم الفارين من العدالة، إضافة إلى تنظيم "
                "تداريب مشتركة لفائدة عناصر الفرق المتخصصة في مكافحة المخدرات."
            ),
        ],
    },
    {
        "base": "ar-hadsoualem-deliberation",
        "kind": "court",
        "shared": 1,
        "published": "2025-11-20T22:10:00+01:00",
        "source": "alyaoum24",
        "title": 'أحكام تصل إلى 20 سنة سجنا في حق أعضاء "خلية حد السوالم"',
        "lead": (
            "قضت غرفة الجنايات الابتدائية المكلفة بقضايا الإرهاب بسلا، مساء اليوم الخميس، "
            'بأحكام تراوحت ما بين 5 و20 سنة سجنا نافذا في حق المتهمين الخمسة في ملف "خلية '
            'حد السوالم"، بعد مداولات دامت عدة ساعات، إثر إدانتهم بجميع التهم '
            "المنسوبة إليهم."
        ),
        "body": [
            (
                "وقضت المحكمة بعشرين سنة سجنا نافذا في حق زعيم الخلية البالغ من العمر 41 "
                "سنة، و12 سنة في حق متهمين اثنين، فيما أدانت متهمين آخرين بخمس سنوات سجنا "
                "نافذا لكل واحد منهما، مع الحكم بمصادرة المحجوزات لفائدة الدولة، وتحميل "
                "المتهمين الصائر تضامنا."
            ),
        ],
    },
    {
        "base": "ar-lille-plot-verdict",
        "kind": "court",
        "shared": 1,
        "published": "2026-01-22T18:40:00+01:00",
        "source": "hespress",
        "title": ("النيابة العامة الفرنسية تستأنف الحكم الصادر في حق المتهم بالتخطيط لهجوم ليل"),
        "lead": (
            "قررت النيابة العامة الوطنية لمكافحة الإرهاب بفرنسا، اليوم الخميس، استئناف "
            "الحكم القاضي بالسجن 18 سنة في حق الفرنسي من أصل مغربي ياسين (ب)، المدان "
            "بالتخطيط لهجوم على قاعة للحفلات بمدينة ليل، معتبرة أن العقوبة لا تتناسب مع "
            "خطورة الأفعال المرتكبة ودرجة تقدم المخطط."
        ),
        "body": [
            (
                "وستعرض القضية من جديد على محكمة الجنايات الخاصة في طورها الاستئنافي خلال "
                "الأشهر المقبلة، فيما أعلن دفاع المتهم بدوره عزمه استئناف الحكم، معتبرا أن "
                "موكله لم يتجاوز مرحلة النوايا، وأن المحكمة لم تأخذ بعين الاعتبار "
                "المراجعات الفكرية التي قام بها داخل السجن."
            ),
        ],
    },
    {
        "base": "ar-aix-extradition",
        "kind": "court",
        "shared": 2,
        "published": "2026-04-17T20:00:00+01:00",
        "source": "hespress",
        "title": ("القضاء الفرنسي يرفض الإفراج عن رجل الأعمال المغربي المطلوب في قضية نصب عقاري"),
        "lead": (
            "رفضت غرفة التحقيق بمحكمة الاستئناف بإيكس أون بروفانس، اليوم الجمعة، طلب "
            "الإفراج المؤقت تحت المراقبة القضائية الذي تقدم به دفاع رجل الأعمال المغربي "
            "المطلوب من طرف القضاء المغربي، معتبرة أن هناك مخاطر جدية لفراره قبل تنفيذ "
            "قرار التسليم الصادر في حقه."
        ),
        "body": [
            (
                "وكان الدفاع قد اقترح وضع موكله تحت المراقبة الإلكترونية وإيداع كفالة "
                "مالية قدرها 200 ألف يورو، غير أن الغرفة اعتبرت أن الضمانات المقدمة غير "
                "كافية، بالنظر إلى حجم المبالغ موضوع المتابعة وامتلاك المعني بالأمر "
                "لإقامات في عدة بلدان."
            ),
        ],
    },
    {
        "base": "fr-tetouan-cell",
        "kind": "news",
        "shared": 1,
        "published": "2025-03-06T13:20:00+00:00",
        "source": "le360",
        "title": (
            "Cellule de Tétouan et Fnideq: les quatre suspects déférés devant le parquet "
            "antiterroriste"
        ),
        "lead": (
            "Les quatre membres présumés de la cellule terroriste démantelée mardi à "
            "Tétouan et Fnideq ont été déférés jeudi devant le parquet chargé des affaires "
            "de terrorisme près la cour d'appel de Rabat, à l'issue de leur garde à vue. "
            "Le procureur a requis l'ouverture d'une information judiciaire et leur "
            "placement en détention."
        ),
        "body": [
            (
                "Selon une source judiciaire, le juge d'instruction a ordonné leur "
                "incarcération à la prison locale de Salé. L'enquête a par ailleurs permis "
                "d'établir que le ressortissant français avec lequel l'un des suspects "
                "était en contact avait déjà été condamné en France, en 2019, pour "
                "association de malfaiteurs terroriste, ajoute la même source."
            ),
        ],
    },
    {
        "base": "fr-marrakech-notice",
        "kind": "news",
        "shared": 2,
        "published": "2025-04-19T11:00:00+01:00",
        "source": "h24info",
        "title": "Le Français arrêté à Marrakech placé sous écrou extraditionnel",
        "lead": (
            "Le ressortissant français interpellé mercredi à Marrakech en exécution d'une "
            "notice rouge d'Interpol a été placé sous écrou extraditionnel vendredi, après "
            "sa présentation au procureur général du Roi près la Cour de cassation. Paris "
            "a transmis dans la foulée sa demande formelle d'extradition par la voie "
            "diplomatique."
        ),
        "body": [
            (
                "Selon une source proche du dossier, le suspect a refusé la procédure "
                "d'extradition simplifiée, ce qui impose l'examen de son dossier par la "
                "chambre criminelle de la Cour de cassation. Son avocat entend contester "
                "la demande française en invoquant des irrégularités dans la procédure "
                "d'interpellation de son client."
            ),
        ],
    },
    {
        "base": "fr-tangermed-chira",
        "kind": "news",
        "shared": 3,
        "published": "2025-05-07T18:10:00+01:00",
        "source": "medias24",
        "title": (
            "Saisie record à Tanger Med: le chauffeur déféré, l'enquête remonte jusqu'à Perpignan"
        ),
        "lead": (
            "Le chauffeur du camion frigorifique dans lequel plus de 12 tonnes de chira "
            "ont été découvertes mardi au port de Tanger Med a été déféré mercredi devant "
            "le parquet de Tanger. Les enquêteurs ont identifié le destinataire de la "
            "cargaison, une société de négoce de fruits et légumes domiciliée à Perpignan, "
            "dans le sud de la France."
        ),
        "body": [
            (
                "Selon une source sécuritaire, les informations recueillies ont été "
                "transmises à l'Office anti-stupéfiants français dans le cadre de la "
                "coopération bilatérale. Le chauffeur a affirmé ignorer la nature du "
                "chargement, assurant avoir récupéré la remorque déjà scellée dans une "
                "unité de conditionnement de la région d'Agadir, une version que les "
                "enquêteurs s'emploient à vérifier."
            ),
        ],
    },
    {
        "base": "fr-marseille-extradition",
        "kind": "news",
        "shared": 1,
        "published": "2025-07-10T22:30:00+02:00",
        "source": "laprovence",
        "title": "Extradé du Maroc, Sofiane M. mis en examen et écroué à Marseille",
        "lead": (
            "Extradé mercredi par le Maroc, Sofiane M. a été mis en examen jeudi soir à "
            "Marseille pour assassinats en bande organisée et trafic international de "
            "stupéfiants, puis placé en détention provisoire. Le Franco-Marocain de 35 ans "
            "est soupçonné d'avoir commandité trois règlements de comptes entre 2022 et "
            "2024."
        ),
        "body": [
            (
                "Selon une source judiciaire, le suspect a gardé le silence devant le juge "
                "d'instruction. Transféré sous haute escorte depuis Paris, il a été "
                "incarcéré dans un établissement pénitentiaire situé hors de la région "
                "marseillaise, pour des raisons de sécurité. Ses avocats dénoncent un "
                "dossier «construit sur des témoignages anonymes»."
            ),
        ],
    },
    {
        "base": "fr-agadir-hacker",
        "kind": "news",
        "shared": 2,
        "published": "2025-10-03T19:40:00+01:00",
        "source": "yabiladi",
        "title": "Hacker d'Agadir: la France transmet sa demande d'extradition",
        "lead": (
            "Les autorités françaises ont transmis vendredi au Maroc une demande "
            "d'extradition visant le jeune hacker interpellé mercredi à Agadir. Selon le "
            "parquet de Paris, le suspect aurait participé à au moins onze attaques par "
            "rançongiciel contre des hôpitaux français, qui ont rapporté plus de deux "
            "millions d'euros à son groupe."
        ),
        "body": [
            (
                "La section cybercriminalité du parquet de Paris, qui mène l'enquête "
                "depuis 2023, a indiqué que ces attaques avaient notamment paralysé "
                "pendant plusieurs semaines les services d'urgence de deux centres "
                "hospitaliers. Le suspect devait être présenté vendredi au procureur "
                "général près la Cour de cassation, à Rabat."
            ),
        ],
    },
    {
        "base": "fr-hammouchi-paris",
        "kind": "news",
        "shared": 3,
        "published": "2025-11-06T20:50:00+01:00",
        "source": "le360",
        "title": (
            "Deuxième jour de la visite de Hammouchi à Paris: entretien avec le ministre "
            "de l'Intérieur"
        ),
        "lead": (
            "Au deuxième jour de sa visite de travail à Paris, Abdellatif Hammouchi a été "
            "reçu jeudi place Beauvau par le ministre français de l'Intérieur. Les "
            "entretiens ont porté sur la lutte contre le narcotrafic, qui fait désormais "
            "l'objet d'un plan d'action conjoint, ainsi que sur la sécurisation de la "
            "Coupe d'Afrique des nations qui débute en décembre au Maroc."
        ),
        "body": [
            (
                "Le ministre a salué «le rôle déterminant» des services marocains dans la "
                "prévention de la menace terroriste en France, indique un communiqué de la "
                "DGSN. Les deux responsables sont convenus de créer une cellule commune de "
                "suivi des narcotrafiquants en fuite et de renforcer le réseau des "
                "officiers de liaison dans les deux pays."
            ),
        ],
    },
    {
        "base": "fr-joint-committee",
        "kind": "news",
        "shared": 2,
        "published": "2025-12-11T17:00:00+01:00",
        "source": "lematin",
        "title": (
            "Coopération policière: Rabat et Paris signent une convention sur la formation "
            "des brigades cynophiles"
        ),
        "lead": (
            "Au lendemain de la réunion de la commission mixte de coopération en matière "
            "de sécurité, la DGSN et la Direction générale de la police nationale "
            "française ont signé jeudi à Rabat une convention portant sur la formation des "
            "brigades cynophiles spécialisées dans la détection d'explosifs, de "
            "stupéfiants et de billets de banque."
        ),
        "body": [
            (
                "La convention prévoit l'accueil de maîtres-chiens marocains au centre "
                "national de formation des unités cynotechniques de la police nationale, à "
                "Cannes-Écluse, et l'envoi d'instructeurs français à l'école de la Sûreté "
                "nationale. Une première promotion de vingt binômes doit être formée avant "
                "l'été 2026, selon un communiqué conjoint."
            ),
        ],
    },
    {
        "base": "fr-airport-cocaine",
        "kind": "news",
        "shared": 1,
        "published": "2026-01-09T18:20:00+01:00",
        "source": "medias24",
        "title": (
            "Cocaïne à l'aéroport Mohammed V: le passager français déféré, un complice arrêté"
        ),
        "lead": (
            "Le ressortissant français interpellé mercredi à l'aéroport Mohammed V avec "
            "plus de 8 kg de cocaïne a été déféré vendredi devant le procureur du Roi près "
            "le tribunal de première instance de Casablanca, qui l'a placé en détention. "
            "Un complice présumé, un Marocain de 34 ans venu l'accueillir à l'aéroport, a "
            "été arrêté dans la foulée."
        ),
        "body": [
            (
                "Selon une source sécuritaire, l'exploitation des téléphones du passager a "
                "permis de remonter jusqu'au complice, qui avait effectué plusieurs "
                "séjours au Brésil au cours de l'année écoulée. Les enquêteurs cherchent "
                "désormais à établir si les deux hommes ont déjà réalisé d'autres "
                "convoyages pour le compte du même réseau."
            ),
        ],
    },
    {
        "base": "fr-tangier-marseille-murder",
        "kind": "news",
        "shared": 2,
        "published": "2026-03-05T12:40:00+00:00",
        "source": "le360",
        "title": "Meurtre à Marseille: un troisième suspect interpellé à Tétouan",
        "lead": (
            "Un troisième suspect a été interpellé jeudi à Tétouan dans l'enquête sur le "
            "meurtre d'un jeune homme de 19 ans à Marseille, trois jours après "
            "l'arrestation à Tanger de deux Français visés par des notices rouges. Ce "
            "Marocain de 30 ans, résidant en France, est soupçonné d'avoir organisé leur "
            "cavale au Maroc."
        ),
        "body": [
            (
                "Selon une source sécuritaire, l'homme aurait loué l'appartement de "
                "Malabata ainsi que le véhicule utilisé par les deux fugitifs. Il a été "
                "placé en garde à vue afin de déterminer s'il a également joué un rôle "
                "dans la préparation du meurtre, commis en décembre dans les quartiers "
                "nord de Marseille."
            ),
        ],
    },
    {
        "base": "fr-lyon-plot",
        "kind": "news",
        "shared": 3,
        "published": "2026-03-25T21:30:00+01:00",
        "source": "lematin",
        "title": "Projet d'attentat à Lyon: les trois suspects mis en examen et écroués",
        "lead": (
            "Les trois jeunes hommes soupçonnés d'avoir projeté un attentat lors d'un "
            "match de football au Groupama Stadium ont été mis en examen mercredi à Paris "
            "pour association de malfaiteurs terroriste criminelle, puis placés en "
            "détention provisoire. Le plus jeune, âgé de 17 ans, a été présenté à un juge "
            "des enfants spécialisé."
        ),
        "body": [
            (
                "Selon le parquet national antiterroriste, l'un des suspects avait acheté "
                "en ligne des produits chimiques pouvant servir à la fabrication d'un "
                "engin explosif, et le groupe avait effectué un repérage aux abords du "
                "stade deux semaines plus tôt. L'individu qui les encourageait sur la "
                "messagerie cryptée n'a pas encore été identifié."
            ),
        ],
    },
    {
        "base": "fr-marseille-network",
        "kind": "news",
        "shared": 1,
        "published": "2025-06-05T18:45:00+02:00",
        "source": "laprovence",
        "title": ("Réseau de cannabis démantelé à Marseille: le chef présumé arrêté à Tanger"),
        "lead": (
            "Le principal organisateur présumé du réseau d'importation de résine de "
            "cannabis démantelé mardi à Marseille a été interpellé jeudi à Tanger par la "
            "police marocaine, en exécution du mandat d'arrêt international délivré par un "
            "juge d'instruction de la JIRS de Marseille. Âgé de 44 ans, il résidait depuis "
            "trois ans dans une villa du quartier de la Vieille Montagne."
        ),
        "body": [
            (
                "Selon une source policière, cette arrestation est le fruit d'un travail "
                "conjoint entre l'Ofast et la DGSN, qui surveillaient l'intéressé depuis "
                "plusieurs semaines. Il devrait être présenté au procureur général près la "
                "Cour de cassation, à Rabat, préalable à l'examen d'une demande "
                "d'extradition. À Marseille, huit des neuf suspects ont été mis en examen."
            ),
        ],
    },
    {
        "base": "fr-khouribga-sextortion",
        "kind": "news",
        "shared": 1,
        "published": "2025-08-27T16:20:00+01:00",
        "source": "le360",
        "title": "Chantage sexuel en ligne: une quatrième interpellation à Oued Zem",
        "lead": (
            "Un quatrième suspect a été interpellé mercredi à Oued Zem dans l'enquête sur "
            "le réseau de chantage sexuel en ligne ciblant des ressortissants français, "
            "démantelé la veille à Khouribga. Âgé de 23 ans, il est soupçonné d'avoir "
            "encaissé les transferts d'argent envoyés par les victimes, au moyen de pièces "
            "d'identité empruntées."
        ),
        "body": [
            (
                "Selon une source sécuritaire, les enquêteurs ont recensé à ce stade plus "
                "de 45 transferts provenant de France, pour un montant total dépassant "
                "38.000 euros. La plateforme de signalement française Pharos a par "
                "ailleurs été sollicitée pour identifier d'autres victimes susceptibles de "
                "ne pas avoir porté plainte."
            ),
        ],
    },
    {
        "base": "fr-casablanca-port-cocaine",
        "kind": "news",
        "shared": 2,
        "published": "2025-11-26T19:05:00+01:00",
        "source": "le360",
        "title": "Cocaïne au port de Casablanca: un transitaire et un docker interpellés",
        "lead": (
            "Deux nouvelles personnes, un transitaire et un docker, ont été interpellées "
            "mercredi à Casablanca dans l'enquête sur la saisie de 1,2 tonne de cocaïne "
            "dans un conteneur de bananes au port de la métropole. Elles sont soupçonnées "
            "d'avoir facilité le dédouanement du conteneur et l'extraction de la drogue "
            "avant les contrôles."
        ),
        "body": [
            (
                "Selon une source proche de l'enquête, le docker aurait perçu une somme de "
                "150.000 dirhams pour signaler aux trafiquants l'emplacement du conteneur "
                "dans la zone de stockage. Les enquêteurs ont par ailleurs établi que la "
                "société destinataire avait déjà importé quatre conteneurs de fruits "
                "d'Équateur depuis le printemps."
            ),
        ],
    },
    {
        "base": "fr-visa-forgery",
        "kind": "news",
        "shared": 2,
        "published": "2025-09-17T20:15:00+01:00",
        "source": "medias24",
        "title": (
            "Faux visas Schengen: trois interpellations à Lyon après le démantèlement du "
            "réseau de Casablanca"
        ),
        "lead": (
            "Trois personnes ont été interpellées mercredi dans la métropole de Lyon par "
            "la police aux frontières, au lendemain du démantèlement à Casablanca d'un "
            "réseau de falsification de visas Schengen et de titres de séjour français. "
            "Elles sont soupçonnées d'avoir hébergé les migrants à leur arrivée et de leur "
            "avoir fourni de fausses domiciliations."
        ),
        "body": [
            (
                "Selon une source policière française, les enquêteurs ont identifié une "
                "soixantaine de migrants arrivés en France grâce au réseau depuis 2023. "
                "Les perquisitions ont permis la saisie de faux contrats de bail, de "
                "fiches de paie contrefaites et de 35.000 euros en espèces. Les trois "
                "suspects ont été placés en garde à vue."
            ),
        ],
    },
    {
        "base": "fr-oujda-cell",
        "kind": "news",
        "shared": 1,
        "published": "2026-04-08T14:30:00+01:00",
        "source": "medias24",
        "title": ("Cellule d'Oujda: le chef présumé avait tenté de rejoindre le Sahel en 2024"),
        "lead": (
            "Le chef présumé de la cellule terroriste démantelée mardi à Oujda et Berkane "
            "avait déjà tenté de rejoindre les rangs de l'État islamique au Sahel en 2024, "
            "avant d'être refoulé à la frontière mauritanienne, a-t-on appris mercredi de "
            "source sécuritaire. Il avait été condamné à l'époque à deux ans de prison "
            "ferme."
        ),
        "body": [
            (
                "Sorti de détention il y a huit mois, le suspect aurait repris contact "
                "avec ses anciens recruteurs au moyen d'une messagerie cryptée. Selon la "
                "même source, l'exploitation de son téléphone a révélé des repérages "
                "photographiés autour d'un site industriel de la région, ce qui a conduit "
                "les enquêteurs à accélérer l'intervention."
            ),
        ],
    },
    {
        "base": "fr-hammouchi-prefect",
        "kind": "news",
        "shared": 1,
        "published": "2025-05-21T17:45:00+01:00",
        "source": "lematin",
        "title": (
            "La préfecture de police de Paris et la DGSN signent un accord d'échange d'officiers"
        ),
        "lead": (
            "La préfecture de police de Paris et la DGSN ont signé mercredi à Rabat un "
            "accord prévoyant l'échange d'officiers entre les services parisiens et les "
            "préfectures de police de Rabat et de Casablanca, au terme de la visite de "
            "travail du préfet de police au Maroc. Les premiers échanges doivent "
            "intervenir dès l'automne."
        ),
        "body": [
            (
                "L'accord porte sur des immersions de trois mois au sein des salles de "
                "commandement et des brigades de lutte contre les stupéfiants. Il prévoit "
                "aussi une coopération pour la sécurisation des grands événements, dans la "
                "perspective de la Coupe d'Afrique des nations organisée au Maroc à la fin "
                "de l'année et du Mondial 2030."
            ),
        ],
    },
    {
        "base": "fr-tiflet-deliberation",
        "kind": "court",
        "shared": 1,
        "published": "2025-10-16T22:30:00+01:00",
        "source": "lematin",
        "title": "«Cellule de Tiflet»: jusqu'à 15 ans de prison pour les quatre accusés",
        "lead": (
            "Les quatre membres de la «cellule de Tiflet» ont été condamnés jeudi soir à "
            "des peines allant de six à quinze ans de prison ferme par la chambre "
            "antiterroriste de Salé, à l'issue de plusieurs heures de délibéré. Tous ont "
            "été reconnus coupables de l'ensemble des chefs d'accusation retenus contre "
            "eux."
        ),
        "body": [
            (
                "Le chef présumé de la cellule, âgé de 34 ans, a écopé de la peine la plus "
                "lourde. Deux accusés ont été condamnés à dix ans, et le plus jeune, âgé "
                "de 20 ans, à six ans de prison ferme. La cour a également ordonné la "
                "confiscation des sommes saisies au profit de l'État."
            ),
        ],
    },
    {
        "base": "fr-lille-plot-verdict",
        "kind": "court",
        "shared": 1,
        "published": "2026-01-22T16:15:00+01:00",
        "source": "le360",
        "title": (
            "Projet d'attentat à Lille: le parquet antiterroriste fait appel de la condamnation"
        ),
        "lead": (
            "Le parquet national antiterroriste (PNAT) a annoncé jeudi avoir fait appel de "
            "la condamnation à 18 ans de réclusion criminelle prononcée mardi contre "
            "Yassine B., jugé pour avoir projeté un attentat contre une salle de concert "
            "de Lille. Le PNAT estime que la peine ne reflète pas «la gravité et le degré "
            "d'aboutissement» du projet."
        ),
        "body": [
            (
                "L'affaire sera de nouveau examinée par la cour d'assises spéciale de "
                "Paris statuant en appel, dans un délai qui n'a pas encore été fixé. La "
                "défense de l'accusé a elle aussi annoncé qu'elle interjetait appel, "
                "estimant que son client «n'a jamais franchi le seuil du passage à "
                "l'acte»."
            ),
        ],
    },
    {
        "base": "fr-marseille-gofast-verdict",
        "kind": "court",
        "shared": 1,
        "published": "2026-02-25T19:20:00+01:00",
        "source": "laprovence",
        "title": "Réseau de go-fast Maroc-Marseille: les collecteurs de fonds condamnés",
        "lead": (
            "Au lendemain des condamnations des membres du réseau de go-fast, le tribunal "
            "correctionnel de Marseille a jugé mercredi le volet financier du dossier. "
            "Cinq prévenus, chargés de collecter et de transférer les espèces issues de la "
            "revente du cannabis, ont été condamnés à des peines de deux à six ans "
            "d'emprisonnement."
        ),
        "body": [
            (
                "Selon l'accusation, ce système de compensation occulte a permis de faire "
                "transiter plus de onze millions d'euros entre Marseille, l'Espagne et le "
                "Maroc en trois ans. Le tribunal a ordonné la confiscation de quatre "
                "commerces ayant servi de points de collecte, ainsi que de 230.000 euros "
                "saisis lors des perquisitions."
            ),
        ],
    },
    {
        "base": "fr-aix-extradition",
        "kind": "court",
        "shared": 2,
        "published": "2026-04-17T17:30:00+02:00",
        "source": "laprovence",
        "title": (
            "Extradition vers le Maroc: la justice refuse la remise en liberté de l'homme "
            "d'affaires"
        ),
        "lead": (
            "La chambre de l'instruction de la cour d'appel d'Aix-en-Provence a rejeté "
            "vendredi la demande de mise en liberté sous contrôle judiciaire de l'homme "
            "d'affaires marocain dont elle avait autorisé l'extradition mardi, estimant "
            "qu'il existait un risque sérieux de fuite avant l'exécution de la décision."
        ),
        "body": [
            (
                "Son avocat avait proposé un placement sous bracelet électronique et le "
                "versement d'une caution de 200.000 euros. Les magistrats ont jugé ces "
                "garanties insuffisantes au regard de l'ampleur des sommes en jeu et des "
                "résidences dont dispose l'intéressé dans plusieurs pays. Le pourvoi en "
                "cassation formé entre-temps par la défense reste pendant."
            ),
        ],
    },
]

# Short items (under 30 words) of one site about different events:
# (language, site, (published, title, text) earlier, (published, title, text) later).
SHORT_PAIRS = [
    (
        "ar",
        "hespress",
        (
            "2025-05-14T10:20:00+01:00",
            "فيديو.. لحظة توقيف مروج للمخدرات بحي سيدي مومن",
            (
                "وثقت كاميرا أحد المواطنين لحظة تدخل عناصر الأمن لتوقيف شخص يشتبه في ترويجه "
                "للمخدرات بحي سيدي مومن بالدار البيضاء. التفاصيل في الفيديو التالي:"
            ),
        ),
        (
            "2025-05-14T12:05:00+01:00",
            "فيديو.. حريق يأتي على محلات تجارية بسوق القريعة",
            (
                "اندلع حريق، صباح اليوم، بعدد من المحلات التجارية بسوق القريعة بالدار البيضاء، "
                "دون تسجيل خسائر في الأرواح. التفاصيل في الفيديو التالي:"
            ),
        ),
    ),
    (
        "ar",
        "alyaoum24",
        (
            "2025-08-02T07:45:00+01:00",
            "عاجل: هزة أرضية بقوة 4.1 درجات تضرب إقليم الحسيمة",
            (
                "سجل المعهد الوطني للجيوفيزياء، صباح اليوم، هزة أرضية بقوة 4.1 درجات على سلم "
                "ريشتر بإقليم الحسيمة، دون تسجيل خسائر. التفاصيل لاحقا."
            ),
        ),
        (
            "2025-08-03T21:30:00+01:00",
            "عاجل: هزة أرضية بقوة 3.6 درجات تضرب إقليم أزيلال",
            (
                "سجل المعهد الوطني للجيوفيزياء، مساء اليوم، هزة أرضية بقوة 3.6 درجات على سلم "
                "ريشتر بإقليم أزيلال، دون تسجيل خسائر. التفاصيل لاحقا."
            ),
        ),
    ),
    (
        "ar",
        "barlamane",
        (
            "2025-10-09T13:10:00+01:00",
            "بالصور.. حموشي يستقبل وفدا أمنيا إسبانيا",
            (
                "استقبل عبد اللطيف حموشي، اليوم بالرباط، وفدا أمنيا إسبانيا رفيع المستوى. وهذه "
                "صور من اللقاء."
            ),
        ),
        (
            "2025-10-10T16:40:00+01:00",
            "بالصور.. حموشي يزور رجال الأمن المصابين بالمستشفى العسكري",
            (
                "زار عبد اللطيف حموشي، اليوم بالرباط، عناصر الأمن الذين أصيبوا خلال تدخل أمني، "
                "والذين يتلقون العلاج بالمستشفى العسكري. وهذه صور من الزيارة."
            ),
        ),
    ),
    (
        "ar",
        "hibapress",
        (
            "2026-01-15T18:25:00+01:00",
            "عاجل: توقيف المشتبه فيه في جريمة قتل بفاس",
            (
                "تمكنت عناصر الشرطة القضائية بفاس، قبل قليل، من توقيف المشتبه فيه الرئيسي في "
                "جريمة القتل التي شهدها حي بنسودة. التفاصيل بعد قليل."
            ),
        ),
        (
            "2026-01-16T11:50:00+01:00",
            "عاجل: توقيف المشتبه فيه في سرقة وكالة بنكية بمكناس",
            (
                "تمكنت عناصر الشرطة القضائية بمكناس، قبل قليل، من توقيف المشتبه فيه الرئيسي في "
                "سرقة وكالة بنكية بحي حمرية. التفاصيل بعد قليل."
            ),
        ),
    ),
    (
        "ar",
        "alayam24",
        (
            "2025-05-20T15:00:00+01:00",
            "فيديو.. وصول أول فوج من الحجاج المغاربة إلى المدينة المنورة",
            (
                "حطت بمطار المدينة المنورة، اليوم، أول رحلة تقل الحجاج المغاربة لموسم الحج "
                "الحالي. شاهد الفيديو:"
            ),
        ),
        (
            "2025-05-21T19:30:00+01:00",
            "فيديو.. وصول بعثة المنتخب المغربي إلى باريس",
            (
                "حطت بمطار شارل دوغول بباريس، اليوم، الطائرة التي تقل بعثة المنتخب المغربي لكرة "
                "القدم استعدادا لمباراته الودية. شاهد الفيديو:"
            ),
        ),
    ),
    (
        "fr",
        "le360",
        (
            "2025-06-10T11:15:00+01:00",
            "Vidéo. Les images de l'interpellation d'un dealer à Derb Sultan",
            (
                "Les images de l'interpellation d'un trafiquant présumé par les éléments de la "
                "police, ce mardi à Derb Sultan, à Casablanca. Regardez."
            ),
        ),
        (
            "2025-06-10T17:40:00+01:00",
            "Vidéo. Un incendie ravage un entrepôt à Aïn Sebaâ",
            (
                "Les images d'un violent incendie qui s'est déclaré ce mardi dans un entrepôt de "
                "la zone industrielle d'Aïn Sebaâ, à Casablanca. Regardez."
            ),
        ),
    ),
    (
        "fr",
        "medias24",
        (
            "2025-08-02T08:10:00+01:00",
            "Urgent: un séisme de magnitude 4,3 ressenti à Al Hoceima",
            (
                "Un séisme de magnitude 4,3 sur l'échelle de Richter a été enregistré ce matin "
                "dans la province d'Al Hoceima, selon l'ING. Aucun dégât signalé."
            ),
        ),
        (
            "2025-08-04T22:05:00+01:00",
            "Urgent: un séisme de magnitude 3,9 ressenti à Taza",
            (
                "Un séisme de magnitude 3,9 sur l'échelle de Richter a été enregistré ce soir "
                "dans la province de Taza, selon l'ING. Aucun dégât signalé."
            ),
        ),
    ),
    (
        "fr",
        "le360",
        (
            "2025-11-13T12:30:00+01:00",
            "En images. Hammouchi reçoit le chef de la police belge",
            (
                "Abdellatif Hammouchi a reçu ce jeudi à Rabat le commissaire général de la "
                "police fédérale belge. Les images de la rencontre."
            ),
        ),
        (
            "2025-11-14T10:45:00+01:00",
            "En images. Hammouchi préside une cérémonie de décoration à Rabat",
            (
                "Abdellatif Hammouchi a présidé ce vendredi à Rabat une cérémonie de décoration "
                "de fonctionnaires de police. Les images de la cérémonie."
            ),
        ),
    ),
    (
        "fr",
        "h24info",
        (
            "2026-02-16T19:20:00+00:00",
            "Flash. Un Français recherché par Interpol arrêté à Agadir",
            (
                "Un ressortissant français visé par une notice rouge d'Interpol pour escroquerie "
                "a été interpellé ce lundi à Agadir. Plus de détails à suivre."
            ),
        ),
        (
            "2026-02-17T09:55:00+00:00",
            "Flash. Un Belge recherché par Interpol arrêté à Tanger",
            (
                "Un ressortissant belge visé par une notice rouge d'Interpol pour trafic de "
                "drogue a été interpellé ce mardi à Tanger. Plus de détails à suivre."
            ),
        ),
    ),
    (
        "fr",
        "lematin",
        (
            "2025-05-20T15:30:00+01:00",
            "Vidéo. Arrivée des premiers pèlerins marocains à Médine",
            (
                "Les images de l'arrivée du premier groupe de pèlerins marocains à l'aéroport de "
                "Médine, ce mardi, pour le pèlerinage de cette année. Regardez."
            ),
        ),
        (
            "2025-05-21T20:10:00+01:00",
            "Vidéo. Arrivée des Lions de l'Atlas à Paris",
            (
                "Les images de l'arrivée de la sélection nationale à l'aéroport de "
                "Roissy-Charles-de-Gaulle, ce mercredi, en prévision de son match amical. "
                "Regardez."
            ),
        ),
    ),
]

FIELDS = ("title", "text", "published", "source", "language")
LABELS = {"copy", "follow_up", "different", "same_event_other_language"}
COPY_KINDS = list(edits.COPY_EDITS)
KINDS = [
    *COPY_KINDS,
    "follow_up_quote",
    "follow_up_background",
    "follow_up_court",
    "template_bulletin",
    "same_people_other_event",
    "same_topic_unrelated",
    "cross_language",
    "short_body",
    "site_boilerplate",
]
TEN_MINUTES, THREE_DAYS, TWO_DAYS = timedelta(minutes=10), timedelta(days=3), timedelta(days=2)


def load_articles(path: Path = ARTICLES) -> dict[str, dict[str, str]]:
    """articles.jsonl by id, in file order."""
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {row["id"]: row for row in rows}


def view(article: dict[str, str], **changes: str) -> dict[str, str]:
    """The fields a pair keeps of an article."""
    out = {k: article[k] for k in FIELDS}
    out.update(changes)
    return out


def seed_of(*parts: str) -> int:
    """A stable seed from strings (hash() changes between runs)."""
    return zlib.crc32("|".join(parts).encode("utf-8"))


def when(published: str) -> datetime:
    return datetime.fromisoformat(published)


def in_window(earlier: dict[str, str], later: dict[str, str]) -> dict[str, str]:
    """The later article, re-dated 10 minutes to 3 days after the earlier one if needed.

    Two base articles may be months apart; a detector only compares articles close in
    time, so the pair is placed inside that window. The texts keep their own dates.
    """
    delta = when(later["published"]) - when(earlier["published"])
    if TEN_MINUTES <= delta <= THREE_DAYS:
        return later
    seed = seed_of(earlier["title"], later["title"])
    return dict(later, published=edits.publish_later(earlier["published"], seed))


def ordered(a: dict[str, str], b: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    return (a, b) if (a["published"], a["id"]) <= (b["published"], b["id"]) else (b, a)


def template_of(article_id: str) -> str | None:
    match = TEMPLATE_ID.match(article_id)
    return match.group(1) if match else None


def pair(kind: str, label: str, earlier: dict[str, str], later: dict[str, str]) -> dict[str, Any]:
    return {"kind": kind, "label": label, "earlier": view(earlier), "later": view(later)}


def copy_pairs(articles: dict[str, dict[str, str]]) -> Iterator[dict[str, Any]]:
    """Two copies of every base article; over the articles every copy kind comes up evenly."""
    for language in ("ar", "fr"):
        base = [a for a in articles.values() if a["language"] == language]
        for j, article in enumerate(base):
            for r in range(2):
                kind = COPY_KINDS[(3 * j + 4 * r) % len(COPY_KINDS)]
                yield pair(kind, "copy", article, make_copy(article, kind))


def make_copy(article: dict[str, str], kind: str) -> dict[str, str]:
    """The later article of a copy pair: the edit of ``kind`` as republished by another site."""
    seed = seed_of(article["id"], kind)
    language = article["language"]
    if kind in ("copy_boilerplate", "copy_combined"):
        sites = sorted(s for s in edits.BOILERPLATE[language] if s != article["source"])
        source = sites[seed % len(sites)]
    else:
        source = edits.other_site(language, article["source"], seed)
    start = view(article, source=source)
    headline = ALT_HEADLINES.get(article["id"])
    closing = TEMPLATE_CLOSINGS.get(template_of(article["id"]) or "")
    if kind == "copy_headline":
        later = edits.new_headline(start, seed, headline)
    elif kind == "copy_added_paragraph":
        later = edits.add_closing_paragraph(start, seed, closing)
    elif kind == "copy_combined":
        later = edits.combined_copy(start, seed, headline, closing)
    else:
        later = edits.COPY_EDITS[kind](start, seed)
    return dict(later, published=edits.publish_later(article["published"], seed))


def follow_up_pairs(articles: dict[str, dict[str, str]]) -> Iterator[dict[str, Any]]:
    """Two pairs per development: the new lead over the whole earlier dispatch, and the new
    lead and body with one paragraph of the earlier story (background or court wording)."""
    for development in FOLLOW_UPS:
        earlier = articles[development["base"]]
        paras = edits.paragraphs(earlier)
        later = view(
            earlier,
            title=development["title"],
            published=development["published"],
            source=development["source"],
        )
        quoted = dict(later, text="\n".join([development["lead"], *paras]))
        shared = dict(
            later,
            text="\n".join(
                [development["lead"], *development["body"], paras[development["shared"]]]
            ),
        )
        if development["kind"] == "court":
            yield pair("follow_up_court", "follow_up", earlier, shared)
            yield pair("follow_up_quote", "follow_up", earlier, quoted)
        else:
            yield pair("follow_up_quote", "follow_up", earlier, quoted)
            yield pair("follow_up_background", "follow_up", earlier, shared)


def template_pairs(articles: dict[str, dict[str, str]]) -> Iterator[dict[str, Any]]:
    """Every two instances of one bulletin template."""
    groups: dict[str, list[dict[str, str]]] = {}
    for article in articles.values():
        template = template_of(article["id"])
        if template:
            groups.setdefault(template, []).append(article)
    for template in sorted(groups):
        for a, b in itertools.combinations(groups[template], 2):
            earlier, later = ordered(a, b)
            yield pair("template_bulletin", "different", earlier, in_window(earlier, later))


def family_pairs(
    articles: dict[str, dict[str, str]], families: dict[str, list[str]], kind: str
) -> Iterator[dict[str, Any]]:
    for ids in families.values():
        for a, b in itertools.combinations(ids, 2):
            earlier, later = ordered(articles[a], articles[b])
            yield pair(kind, "different", earlier, in_window(earlier, later))


def cross_language_pairs(articles: dict[str, dict[str, str]]) -> Iterator[dict[str, Any]]:
    for slug in CROSS_LANGUAGE:
        earlier, later = ordered(articles[f"ar-{slug}"], articles[f"fr-{slug}"])
        yield pair("cross_language", "same_event_other_language", earlier, later)


def short_body_pairs() -> Iterator[dict[str, Any]]:
    for language, source, first, second in SHORT_PAIRS:
        earlier, later = (
            {"published": p, "title": t, "text": x, "source": source, "language": language}
            for p, t, x in (first, second)
        )
        yield pair("short_body", "different", earlier, later)


def site_boilerplate_pairs(articles: dict[str, dict[str, str]]) -> Iterator[dict[str, Any]]:
    for site, first, second, short in SITE_BOILERPLATE:
        earlier, later = ordered(articles[first], articles[second])
        earlier, later = (
            edits.add_site_block(
                view(edits.first_paragraphs(a, 0, 2) if short else a, source=site), site
            )
            for a in (earlier, later)
        )
        yield pair("site_boilerplate", "different", earlier, in_window(earlier, later))


def build(articles: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """All pairs, numbered p-0001... in the order of the kinds above."""
    pairs = [
        *copy_pairs(articles),
        *follow_up_pairs(articles),
        *template_pairs(articles),
        *family_pairs(articles, SAME_PEOPLE, "same_people_other_event"),
        *family_pairs(articles, SAME_TOPIC, "same_topic_unrelated"),
        *cross_language_pairs(articles),
        *short_body_pairs(),
        *site_boilerplate_pairs(articles),
    ]
    return [{"id": f"p-{i:04d}", **p} for i, p in enumerate(pairs, 1)]


# -- checks ---------------------------------------------------------------------------

_FOLD = {"ة": "ه", "ى": "ي", "ـ": "", "’": "'"}


def fold(text: str) -> str:
    """Compare as a reader does: no diacritics, hamza carriers, tatweel, case or accents."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(_FOLD.get(c, c) for c in text if unicodedata.category(c) != "Mn")
    return text.casefold()


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    tokens = re.findall(r"\w+", fold(text))
    return {tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))}


def contained(part: str, whole: str) -> float:
    """Share of the 4-word shingles of ``part`` found in ``whole``."""
    a = shingles(part)
    return len(a & shingles(whole)) / len(a) if a else 0.0


def check_articles(articles: dict[str, dict[str, str]]) -> None:
    for article in articles.values():
        assert set(article) == {"id", *FIELDS}, article["id"]
        paras = edits.paragraphs(article)
        assert 3 <= len(paras) <= 6, article["id"]
        for p in paras:
            assert 40 <= len(p.split()) <= 90, (article["id"], len(p.split()))
        assert when(article["published"]).tzinfo is not None
        assert article["published"][:4] in ("2025", "2026"), article["id"]


def check(pairs: list[dict[str, Any]]) -> None:
    """What every pair must satisfy; an AssertionError names the pair."""
    for p in pairs:
        earlier, later, kind = p["earlier"], p["later"], p["kind"]
        assert p["label"] in LABELS and kind in KINDS, p["id"]
        delta = when(later["published"]) - when(earlier["published"])
        limit = TWO_DAYS if kind == "cross_language" else THREE_DAYS
        assert TEN_MINUTES <= delta <= limit, (p["id"], delta)
        assert (earlier["language"] != later["language"]) == (kind == "cross_language"), p["id"]
        assert (earlier["title"], earlier["text"]) != (later["title"], later["text"]), p["id"]
        e_lead, l_paras = edits.paragraphs(earlier)[0], edits.paragraphs(later)
        if p["label"] == "copy":
            # The earlier lead is in the later article, give or take a few words.
            assert contained(e_lead, "\n".join(l_paras[:2])) >= 0.6, p["id"]
        elif p["label"] == "follow_up":
            # Most of the lead is new (a court keeps its long name).
            assert contained(l_paras[0], earlier["text"]) <= 0.45, p["id"]
            assert any(q in edits.paragraphs(earlier) for q in l_paras[1:]), p["id"]
        elif kind == "template_bulletin":
            numbers = [re.findall(r"\d+(?:[.,]\d+)*", a) for a in (e_lead, l_paras[0])]
            assert numbers[0] != numbers[1], p["id"]
        elif kind == "short_body":
            assert len(earlier["text"].split()) < 30 and len(later["text"].split()) < 30
        elif kind != "cross_language":
            assert contained(e_lead, later["text"]) <= 0.3, p["id"]


def counts_table(pairs: list[dict[str, Any]]) -> str:
    by_kind = Counter((p["kind"], p["label"], p["earlier"]["language"]) for p in pairs)
    kinds = [k for k in KINDS if any(p["kind"] == k for p in pairs)]
    lines = ["| kind | label | ar | fr | total |", "|---|---|---:|---:|---:|"]
    for kind in kinds:
        label = next(p["label"] for p in pairs if p["kind"] == kind)
        ar, fr = by_kind[(kind, label, "ar")], by_kind[(kind, label, "fr")]
        lines.append(f"| {kind} | {label} | {ar} | {fr} | {ar + fr} |")
    lines.append("")
    lines.append("| label | pairs |")
    lines.append("|---|---:|")
    for label, n in sorted(Counter(p["label"] for p in pairs).items()):
        lines.append(f"| {label} | {n} |")
    lines.append(f"| all | {len(pairs)} |")
    return "\n".join(lines)


def main() -> None:
    articles = load_articles()
    check_articles(articles)
    pairs = build(articles)
    check(pairs)
    with PAIRS.open("w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    languages = Counter(a["language"] for a in articles.values())
    print(f"{len(articles)} articles ({languages['ar']} ar, {languages['fr']} fr)")
    print(f"{len(pairs)} pairs written to {PAIRS.relative_to(HERE.parent.parent)}")
    print("(language columns: language of the earlier article)")
    print(counts_table(pairs))


if __name__ == "__main__":
    main()
