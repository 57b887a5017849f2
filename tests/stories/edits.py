"""Edits that turn an earlier article into a later one, for story-detection pairs.

Every function is pure: it takes an article dict (``title``, ``text``, ``published``,
``source``, ``language``; paragraphs separated by "\\n") and returns a new dict. Any
randomness comes from a ``random.Random`` seeded with the ``seed`` argument, so the same
call always gives the same article and pairs.jsonl can be rebuilt byte for byte.

The edits copy what sites really do when they take a dispatch from another outlet or
from the news agency: a dateline or a new headline, a dropped or added paragraph, a few
words swapped, only the first paragraphs kept, the site's own boilerplate around the text.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

Article = dict[str, str]
Edit = Callable[[Article, int], Article]

# Sites that republish, per language: the later article of a pair comes from one of them.
SITES: dict[str, list[str]] = {
    "ar": [
        "hespress",
        "alyaoum24",
        "barlamane",
        "hibapress",
        "alayam24",
        "assabah",
        "map",
        "le360",
    ],
    "fr": ["le360", "lematin", "medias24", "h24info", "yabiladi", "barlamane", "map", "lopinion"],
    "en": ["moroccoworldnews", "hespress-en", "map", "northafricapost"],
}

# Agency and site datelines put in front of the first paragraph.
DATELINES: dict[str, list[str]] = {
    "ar": [
        "الرباط (و م ع) – ",
        "الدار البيضاء (و م ع) – ",
        "طنجة (و م ع) – ",
        "الرباط – ",
        "الدار البيضاء – ",
    ],
    "fr": ["Rabat (MAP) – ", "Casablanca (MAP) – ", "Tanger (MAP) – ", "Rabat – ", "Casablanca – "],
    "en": ["Rabat (MAP) – ", "Casablanca (MAP) – ", "Rabat – "],
}

# Headline kickers, used when no rewritten headline is given.
KICKERS: dict[str, list[str]] = {
    "ar": ["عاجل.. ", "بالتفاصيل: ", "بلاغ: ", "متابعة.. "],
    "fr": ["Urgent: ", "Maroc: ", "Sécurité: ", "En bref: "],
    "en": ["Breaking: ", "Morocco: ", "Security: "],
}

# A few words and their variants. Arabic entries also match after the conjunction و.
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "ar": {
        "أوقفت": ["اعتقلت"],
        "توقيف": ["اعتقال"],
        "المشتبه فيه": ["المشتبه به"],
        "المشتبه فيهم": ["المشتبه بهم"],
        "المشتبه فيهما": ["المشتبه بهما"],
        "أفاد": ["ذكر"],
        "أفادت": ["ذكرت"],
        "أوضح": ["أكد"],
        "أوضحت": ["أكدت"],
        "بلاغ": ["بيان"],
        "حجز": ["ضبط"],
        "أزيد من": ["أكثر من"],
        "الموقوف": ["المعتقل"],
        "الموقوفين": ["المعتقلين"],
        "الأبحاث": ["التحريات"],
        "البحث القضائي": ["التحقيق القضائي"],
        "إضافة إلى": ["فضلا عن", "علاوة على"],
        "بتنسيق مع": ["بالتنسيق مع"],
        "حسب": ["بحسب", "وفق"],
        "المملكة": ["المغرب"],
        "المملكة المغربية": ["المغرب"],
        "في إطار": ["ضمن"],
        "مخدر الشيرا": ["مخدر الحشيش"],
        "المعطيات": ["المعلومات"],
        "مصدر أمني": ["مصدر مطلع"],
        "مبالغ مالية": ["أموال"],
        "بشكل": ["بصورة"],
        "عناصر": ["أفراد"],
        "الماضي": ["المنصرم"],
        "المقبل": ["القادم"],
        "المختصة": ["المعنية"],
        "مباحثات": ["محادثات"],
        "تعزيز": ["تقوية"],
        "السلطات": ["الجهات"],
        "تم": ["جرى"],
        "أيضا": ["كذلك"],
        "الجانبين": ["الطرفين"],
        "الجانبان": ["الطرفان"],
        "مجال": ["ميدان"],
        "مجالات": ["ميادين"],
        "البلدين": ["الدولتين"],
        "بهدف": ["من أجل"],
        "مكافحة": ["محاربة"],
    },
    "fr": {
        "interpellé": ["arrêté"],
        "interpellés": ["arrêtés"],
        "interpellée": ["arrêtée"],
        "a indiqué": ["a précisé"],
        "indique": ["précise"],
        "Selon": ["D'après"],
        "selon": ["d'après"],
        "ressortissant": ["citoyen"],
        "notamment": ["en particulier"],
        "également": ["aussi"],
        "soupçonné": ["suspecté"],
        "soupçonnés": ["suspectés"],
        "soupçonnée": ["suspectée"],
        "soupçonnées": ["suspectées"],
        "enquête": ["investigation"],
        "renforcer": ["consolider"],
        "démantelé": ["neutralisé"],
        "Royaume": ["pays"],
        "Royaume du Maroc": ["Maroc"],
        "environ": ["près de"],
        "responsables": ["dirigeants"],
        "vaste": ["large"],
        "précises": ["détaillées"],
        "afin de": ["pour"],
        "ainsi que": ["de même que"],
        "a salué": ["a loué"],
        "souligné": ["relevé"],
        "soulignant": ["relevant"],
        "intervient": ["survient"],
        "interpellation": ["arrestation"],
        "domicile": ["logement"],
        "a annoncé": ["a fait savoir"],
        "a affirmé": ["a assuré"],
        "a déclaré": ["a affirmé"],
        "coopération": ["collaboration"],
        "lors de": ["au cours de"],
    },
    "en": {
        "arrested": ["detained"],
        "said": ["stated"],
        "announced": ["revealed"],
        "officials": ["authorities"],
        "wanted": ["sought"],
        "several": ["a number of"],
        "strengthen": ["reinforce"],
        "cooperation": ["collaboration"],
        "however": ["nevertheless"],
        "during": ["throughout"],
        "also": ["likewise"],
        "expressed": ["voiced"],
        "stressed": ["underlined"],
        "thanks to": ["owing to"],
        "counterpart": ["opposite number"],
        "fight against": ["struggle against"],
    },
}

# Closing paragraphs a republishing site may add after the dispatch.
CLOSINGS: dict[str, list[str]] = {
    "ar": [
        "ويأتي ذلك في سياق التعاون الأمني الوثيق بين المغرب وشركائه الأوروبيين، وفي مقدمتهم"
        " فرنسا، والذي مكن خلال السنوات الأخيرة من تفكيك العديد من الشبكات الإجرامية العابرة"
        " للحدود وتوقيف عدد من المطلوبين للعدالة، وفق ما تؤكده التقارير الرسمية الصادرة عن"
        " المصالح الأمنية في البلدين.",
        "وتجدر الإشارة إلى أن المملكة المغربية والجمهورية الفرنسية تربطهما عدة اتفاقيات في مجال"
        " التعاون القضائي والأمني، من بينها اتفاقية المساعدة القضائية في المادة الجنائية"
        " واتفاقية تسليم المجرمين، اللتان خضعتا للتحيين خلال السنوات الأخيرة لتسريع معالجة"
        " الطلبات المتبادلة.",
        "وكانت المديرية العامة للأمن الوطني قد أعلنت، في حصيلتها السنوية الأخيرة، عن ارتفاع"
        " ملموس في عدد القضايا التي تمت معالجتها في إطار التعاون الدولي، مؤكدة عزمها مواصلة"
        " تطوير آليات تبادل المعلومات مع نظيراتها الأجنبية لمواجهة مختلف صور الجريمة المنظمة.",
        "ويرى متتبعون للشأن الأمني أن هذه المستجدات تعكس النجاعة التي باتت تتميز بها المقاربة"
        " المغربية في التصدي للتهديدات الأمنية، والقائمة على الاستباقية وتبادل المعلومات"
        " بشكل فوري مع الشركاء، وهو ما أكسب المصالح المغربية ثقة عدد من الأجهزة الأجنبية.",
    ],
    "fr": [
        "Ces dernières années, la coopération sécuritaire entre le Maroc et ses partenaires"
        " européens, au premier rang desquels la France, a permis de démanteler de nombreux"
        " réseaux criminels transnationaux et d'interpeller plusieurs personnes recherchées par"
        " la justice, selon les bilans publiés par les services des deux pays.",
        "Pour rappel, le Maroc et la France sont liés par plusieurs conventions d'entraide"
        " judiciaire et de coopération policière, dont la convention d'extradition et la"
        " convention d'entraide judiciaire en matière pénale, actualisées au cours des dernières"
        " années afin d'accélérer le traitement des demandes réciproques.",
        "Dans son dernier bilan annuel, la Direction générale de la sûreté nationale avait fait"
        " état d'une hausse sensible du nombre d'affaires traitées dans le cadre de la"
        " coopération internationale, et réaffirmé sa volonté de développer les mécanismes"
        " d'échange d'informations avec ses homologues étrangers face à la criminalité organisée.",
        "Pour plusieurs observateurs, ces développements confirment l'efficacité de l'approche"
        " marocaine en matière de sécurité, fondée sur l'anticipation et l'échange d'informations"
        " en temps réel avec les partenaires, qui vaut aux services marocains la confiance de"
        " nombreux services étrangers.",
    ],
    "en": [
        "Morocco and France are bound by several agreements on judicial and police cooperation,"
        " including an extradition treaty and a convention on mutual legal assistance in criminal"
        " matters, both updated in recent years to speed up the handling of requests from either"
        " side.",
        "Observers say such cases reflect the effectiveness of Morocco's security approach, based"
        " on anticipation and real-time information sharing with partners, which has earned the"
        " Moroccan services the trust of many foreign agencies over the past decade.",
    ],
}

# Lines a site wraps around every article: newsletter, cookies, "follow us", app links.
BOILERPLATE: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "ar": {
        "hespress": (
            ["هسبريس من الرباط"],
            [
                "تابعوا آخر الأخبار من هسبريس على Google News",
                "النشرة الإخبارية: اشترك الآن في النشرة الإخبارية لجريدة هسبريس لتصلك آخر الأخبار"
                " يوميا",
            ],
        ),
        "alyaoum24": (
            ["اليوم 24 - متابعة"],
            [
                "تابعوا اليوم 24 على قناتنا في واتساب",
                "للتوصل بآخر الأخبار أولا بأول، اشتركوا في نشرتنا البريدية",
            ],
        ),
        "barlamane": (
            ["برلمان.كوم"],
            [
                "حمل تطبيق برلمان.كوم الآن وتابع آخر المستجدات لحظة بلحظة",
                "تابعونا على فيسبوك وإكس وإنستغرام",
            ],
        ),
        "hibapress": (
            [
                "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك. بمواصلة التصفح فإنك توافق"
                " على استخدامها."
            ],
            ["تابعوا هبة بريس على يوتيوب", "اقرأ أيضا:"],
        ),
        "alayam24": (
            ["الأيام 24"],
            ["تابعونا على تطبيق نبض", "شارك المقال على فيسبوك | واتساب | إكس"],
        ),
    },
    "fr": {
        "le360": (
            [
                "Ce site utilise des cookies pour améliorer votre expérience. En poursuivant votre"
                " navigation, vous acceptez leur utilisation."
            ],
            [
                "Par Le360 (avec MAP)",
                "Suivez Le360 sur WhatsApp pour ne rien manquer de l'actualité.",
            ],
        ),
        "lematin": (
            ["Le Matin"],
            [
                "Abonnez-vous à notre newsletter pour recevoir l'essentiel de l'actualité chaque"
                " matin.",
                "Lire aussi :",
            ],
        ),
        "medias24": (
            ["Médias24"],
            [
                "Recevez nos alertes : rejoignez la chaîne WhatsApp de Médias24.",
                "© Médias24. Tous droits réservés.",
            ],
        ),
        "h24info": (
            ["H24info"],
            ["Suivez-nous sur Facebook, X et Instagram.", "Partager cet article"],
        ),
        "yabiladi": (
            [
                "Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre"
                " site."
            ],
            [
                "Vous aimez cet article ? Partagez-le avec vos amis.",
                "Inscrivez-vous à la newsletter de Yabiladi",
            ],
        ),
    },
    "en": {
        "moroccoworldnews": (
            ["Morocco World News"],
            [
                "Subscribe to our newsletter to get the latest news in your inbox.",
                "Follow us on X and Facebook.",
            ],
        ),
        "hespress-en": (
            ["This website uses cookies to improve your experience."],
            ["Stay updated: follow Hespress English on Google News."],
        ),
    },
}

# Long blocks a site prints under every article (comment rules, copyright, links) that
# body extraction sometimes keeps: two different articles of the site then share them.
SITE_BLOCKS: dict[str, list[str]] = {
    "hespress": [
        "تنبيه: يمنع نسخ أو إعادة نشر محتوى هذا الموقع دون إذن مسبق من الإدارة، وكل مخالفة لذلك"
        " تعرض صاحبها للمتابعة القضائية طبقا للقانون المتعلق بحقوق المؤلف والحقوق المجاورة.",
        "قواعد التعليق: نرحب بتعليقاتكم ومساهماتكم، شريطة احترام آداب الحوار وتجنب السب والقذف"
        " والتحريض على الكراهية والعنف، أو الإساءة إلى الأشخاص والمؤسسات والأديان. وتحتفظ إدارة"
        " الموقع بحقها في حذف كل تعليق لا يحترم هذه القواعد دون إشعار مسبق، كما أن التعليقات"
        " المنشورة تعبر عن آراء أصحابها ولا تلزم الموقع.",
        "اشترك في نشرتنا الإخبارية لتصلك أهم المستجدات الوطنية والدولية يوميا على بريدك"
        " الإلكتروني، وتابعنا على فيسبوك وإنستغرام ويوتيوب وتيك توك وإكس.",
        "من نحن | اتصل بنا | هيئة التحرير | سياسة الخصوصية | شروط الاستخدام | الإعلانات",
    ],
    "alyaoum24": [
        "جميع الحقوق محفوظة لموقع اليوم 24. لا يسمح بإعادة نشر المواد المنشورة على الموقع أو"
        " استغلالها بأي شكل من الأشكال دون ترخيص كتابي مسبق، باستثناء الاقتباس في حدود ما يسمح"
        " به القانون مع الإشارة إلى المصدر.",
        "أضف تعليقك: يرجى الالتزام بقواعد النشر، وعدم استعمال عبارات مسيئة أو عنصرية أو خادشة"
        " للحياء، وعدم نشر أرقام الهواتف أو البيانات الشخصية. التعليقات تخضع للمراجعة قبل نشرها،"
        " ولا تعبر بالضرورة عن رأي هيئة تحرير الموقع.",
        "حمل تطبيق اليوم 24 على هاتفك، واشترك في النشرة البريدية لتصلك أبرز الأخبار صباح كل يوم،"
        " وتابع البث المباشر لبرامجنا على قناتنا في يوتيوب.",
        "الرئيسية | سياسة | مجتمع | اقتصاد | رياضة | فيديو | اتصل بنا",
    ],
    "le360": [
        "Avertissement: les commentaires publiés sur Le360 sont modérés. Ils doivent respecter"
        " les règles de courtoisie et ne pas contenir de propos injurieux, diffamatoires,"
        " racistes ou incitant à la haine ou à la violence. La rédaction se réserve le droit de"
        " supprimer tout commentaire ne respectant pas ces règles, sans préavis.",
        "Toute reproduction, même partielle, des contenus publiés sur ce site est interdite sans"
        " l'autorisation écrite préalable de la rédaction, conformément à la législation en"
        " vigueur sur le droit d'auteur et les droits voisins.",
        "Recevez chaque matin l'essentiel de l'actualité marocaine et internationale en vous"
        " abonnant gratuitement à notre newsletter, et suivez-nous sur Facebook, Instagram,"
        " YouTube, TikTok et X.",
        "Qui sommes-nous | Contact | Mentions légales | Politique de confidentialité | Publicité",
    ],
    "lematin": [
        "Le Matin, premier quotidien d'information du Maroc, vous propose chaque jour l'actualité"
        " nationale et internationale, l'économie, les régions, le sport et la culture. Toute"
        " reproduction des articles, photos et vidéos publiés sur ce site est strictement"
        " interdite sans autorisation préalable de la direction de la publication.",
        "Votre avis nous intéresse: les commentaires sont soumis à modération avant publication."
        " Merci de rester courtois et de ne pas publier de données personnelles. Les opinions"
        " exprimées n'engagent que leurs auteurs et non la rédaction du journal.",
        "Téléchargez l'application Le Matin sur iOS et Android et activez les notifications pour"
        " ne manquer aucune information importante.",
        "Accueil | Nation | Économie | Monde | Sports | Culture | Abonnements | Contact",
    ],
}


def paragraphs(article: Article) -> list[str]:
    """The non-empty paragraphs of an article, in order."""
    return [p.strip() for p in article["text"].split("\n") if p.strip()]


def _replace(article: Article, **changes: str) -> Article:
    new = dict(article)
    new.update(changes)
    return new


def _with_paragraphs(article: Article, paras: Sequence[str]) -> Article:
    return _replace(article, text="\n".join(paras))


def _language(article: Article) -> str:
    language = article.get("language", "fr")
    return language if language in DATELINES else "fr"


def with_dateline(article: Article, seed: int = 0, dateline: str | None = None) -> Article:
    """Put an agency or city dateline in front of the lead, as MAP dispatches carry."""
    rng = random.Random(seed)
    dateline = dateline or rng.choice(DATELINES[_language(article)])
    paras = paragraphs(article)
    paras[0] = dateline + paras[0]
    return _with_paragraphs(article, paras)


def new_headline(article: Article, seed: int = 0, headline: str | None = None) -> Article:
    """Give the article another headline: sites rewrite titles, not bodies."""
    if headline is None:
        rng = random.Random(seed)
        kicker = rng.choice(KICKERS[_language(article)])
        title = article.get("title", "").strip()
        if not title:
            words = paragraphs(article)[0].split()
            title = " ".join(words[:10]) + "…"
        headline = kicker + title
    return _replace(article, title=headline)


def drop_last_paragraph(article: Article, seed: int = 0) -> Article:
    """Leave out the last paragraph, often the background a site does not keep."""
    paras = paragraphs(article)
    if len(paras) < 2:
        raise ValueError("drop_last_paragraph needs at least 2 paragraphs")
    return _with_paragraphs(article, paras[:-1])


def drop_middle_paragraph(article: Article, seed: int = 0) -> Article:
    """Leave out one paragraph between the lead and the last one."""
    paras = paragraphs(article)
    if len(paras) < 3:
        raise ValueError("drop_middle_paragraph needs at least 3 paragraphs")
    index = random.Random(seed).randrange(1, len(paras) - 1)
    return _with_paragraphs(article, paras[:index] + paras[index + 1 :])


def _synonym_pattern(language: str) -> re.Pattern[str]:
    words = sorted(SYNONYMS[language], key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    if language == "ar":
        return re.compile(rf"(?<!\w)(و?)({alternatives})(?!\w)")
    return re.compile(rf"(?<!\w)()({alternatives})(?!\w)")


def change_words(article: Article, seed: int = 0, count: int = 3) -> Article:
    """Swap a few words in the body for synonyms, as an editor touching up a dispatch."""
    language = _language(article)
    rng = random.Random(seed)
    text = article["text"]
    matches = list(_synonym_pattern(language).finditer(text))
    if not matches:
        raise ValueError("change_words found no word it knows a variant of")
    chosen = sorted(rng.sample(matches, min(count, len(matches))), key=lambda m: m.start())
    out, last = [], 0
    for match in chosen:
        variant = rng.choice(SYNONYMS[language][match.group(2)])
        out += [text[last : match.start()], match.group(1), variant]
        last = match.end()
    out.append(text[last:])
    return _replace(article, text="".join(out))


_HAMZA_ALEF = {"أ": "ا", "إ": "ا", "آ": "ا"}
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
_ARABIC_WORD = re.compile(r"[\u0621-\u064A]+")


def _strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


# Letters that do not join the next one: a tatweel after them would float.
_NON_JOINING = set("اأإآدذرزوؤةءى")
# Accusative words that sites often write with tanwin (أيضاً، وفقاً).
_TANWIN = frozenset(
    "أيضا وفقا نظرا تقريبا حاليا سابقا مؤخرا جدا أحيانا دائما عمليا تمهيدا تنفيذا استعدادا".split()
    + "صباحا ليلا شخصا قتيلا خصوصا أساسا مجددا رسميا يوميا سنويا مؤقتا خلافا انطلاقا".split()
    + "باردا حارا معتدلا شريكا موثوقا تنسيقا مسبقا تكوينا ارتفاعا مبلغا عاما".split()
)


def _respell_arabic(word: str, rng: random.Random) -> str:
    """One spelling variant that folding undoes, or the word unchanged."""
    choice = rng.choices(["hamza", "ta", "ya", "tanwin", "tatweel"], [35, 25, 15, 15, 10])[0]
    if choice == "hamza" and word[0] in _HAMZA_ALEF:
        return _HAMZA_ALEF[word[0]] + word[1:]
    if choice == "ta" and word.endswith("ة"):
        return word[:-1] + "ه"
    if choice == "ya" and word.endswith("ى"):
        return word[:-1] + "ي"
    if choice == "tanwin" and word in _TANWIN:
        return word + "\u064b"
    if choice == "tatweel":
        # A kashida goes after a joining letter, never inside lam-alif.
        spots = [
            i
            for i in range(2, len(word) - 1)
            if word[i - 1] not in _NON_JOINING and not (word[i - 1] == "ل" and word[i] in "اأإآ")
        ]
        if spots:
            i = spots[len(spots) // 2]
            return word[:i] + "ـ" + word[i:]
    return word


def respell(article: Article, seed: int = 0, rate: float = 0.12) -> Article:
    """Change spellings that folding removes: hamza, ta marbuta, tatweel, tanwin; accents."""
    rng = random.Random(seed)
    language = _language(article)

    def arabic(match: re.Match[str]) -> str:
        word = match.group(0)
        return _respell_arabic(word, rng) if rng.random() < rate else word

    def latin(match: re.Match[str]) -> str:
        word = match.group(0)
        return _strip_accents(word) if rng.random() < rate else word

    if language == "ar":
        text = _ARABIC_WORD.sub(arabic, article["text"])
        title = _ARABIC_WORD.sub(arabic, article.get("title", ""))
    else:
        text = _LATIN_WORD.sub(latin, article["text"]).replace("'", "’")
        title = article.get("title", "")
        title = title.upper() if rng.random() < 0.5 else title.replace("'", "’")
    return _replace(article, text=text, title=title)


def first_paragraphs(article: Article, seed: int = 0, n: int | None = None) -> Article:
    """Keep only the first paragraphs, as sites that publish a teaser and a link do."""
    paras = paragraphs(article)
    if len(paras) < 2:
        raise ValueError("first_paragraphs needs at least 2 paragraphs")
    if n is None:
        n = random.Random(seed).choice([1, 2])
    n = max(1, min(n, len(paras) - 1))
    return _with_paragraphs(article, paras[:n])


def add_closing_paragraph(article: Article, seed: int = 0, paragraph: str | None = None) -> Article:
    """Append a paragraph of the republishing site's own (background, comment)."""
    paragraph = paragraph or random.Random(seed).choice(CLOSINGS[_language(article)])
    return _with_paragraphs(article, [*paragraphs(article), paragraph])


def add_boilerplate(article: Article, seed: int = 0, site: str | None = None) -> Article:
    """Wrap the text in a site's lines (cookies, newsletter, follow us) kept by extraction."""
    rng = random.Random(seed)
    sites = BOILERPLATE[_language(article)]
    site = site or article.get("source")
    site = site if site in sites else rng.choice(sorted(sites))
    head, tail = sites[site]
    paras = paragraphs(article)
    if rng.random() < 0.5:
        paras = [rng.choice(head), *paras]
    paras += rng.sample(tail, rng.choice([1, len(tail)]))
    return _with_paragraphs(article, paras)


def add_site_block(article: Article, site: str) -> Article:
    """Append the long block a site prints under every article (comment rules, links)."""
    return _with_paragraphs(article, [*paragraphs(article), *SITE_BLOCKS[site]])


def combine(article: Article, edits: Sequence[Edit], seed: int = 0) -> Article:
    """Apply several edits in order, each with its own seed derived from ``seed``."""
    for i, edit in enumerate(edits):
        article = edit(article, seed * 1009 + i * 7919)
    return article


def dropped_paragraph_copy(article: Article, seed: int = 0) -> Article:
    """Drop the last or a middle paragraph (a middle one only from 3 paragraphs up)."""
    if len(paragraphs(article)) >= 3 and random.Random(seed).random() < 0.5:
        return drop_middle_paragraph(article, seed)
    return drop_last_paragraph(article, seed)


def changed_words_copy(article: Article, seed: int = 0) -> Article:
    """Two to four swapped words, half the time with respelling on top."""
    rng = random.Random(seed)
    article = change_words(article, seed, count=rng.choice([2, 3, 4]))
    return respell(article, seed + 1) if rng.random() < 0.5 else article


def combined_copy(
    article: Article, seed: int = 0, headline: str | None = None, closing: str | None = None
) -> Article:
    """Dateline, new headline, swapped words, a paragraph dropped or added, boilerplate."""
    rng = random.Random(seed)
    article = with_dateline(article, seed)
    article = new_headline(article, seed + 1, headline)
    article = change_words(article, seed + 2, count=2)
    n = len(paragraphs(article))
    step = rng.choice(["drop", "add"] if n >= 3 else ["add"])
    if step == "drop":
        article = dropped_paragraph_copy(article, seed + 3)
    else:
        article = add_closing_paragraph(article, seed + 3, closing)
    if rng.random() < 0.6:
        article = add_boilerplate(article, seed + 4, article.get("source"))
    if rng.random() < 0.5:
        article = respell(article, seed + 5)
    return article


# Copy kinds of pairs.jsonl and the edit that makes each.
COPY_EDITS: dict[str, Edit] = {
    "copy_dateline": with_dateline,
    "copy_headline": new_headline,
    "copy_dropped_paragraph": dropped_paragraph_copy,
    "copy_changed_words": changed_words_copy,
    "copy_shorter": first_paragraphs,
    "copy_added_paragraph": add_closing_paragraph,
    "copy_boilerplate": add_boilerplate,
    "copy_combined": combined_copy,
}


def publish_later(published: str, seed: int = 0) -> str:
    """A publication time 10 minutes to 3 days after ``published``, same UTC offset.

    Most republications come within hours, a few a day or more later.
    """
    rng = random.Random(seed)
    bucket = rng.random()
    if bucket < 0.4:
        minutes = rng.randint(10, 120)
    elif bucket < 0.7:
        minutes = rng.randint(121, 12 * 60)
    elif bucket < 0.9:
        minutes = rng.randint(12 * 60 + 1, 36 * 60)
    else:
        minutes = rng.randint(36 * 60 + 1, 72 * 60)
    later = datetime.fromisoformat(published) + timedelta(minutes=minutes)
    return later.isoformat()


def other_site(language: str, source: str, seed: int = 0) -> str:
    """A site other than ``source`` that republishes in ``language``."""
    sites = [s for s in SITES.get(language, SITES["fr"]) if s != source]
    return random.Random(seed).choice(sites)
