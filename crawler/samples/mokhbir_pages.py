"""HTML templates of Al Mokhbir (also used by the bulk benchmark site), and of its
old archive pages: a table layout from before the site's WordPress theme."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from crawler.samples.dates import moroccan_day
from crawler.samples.markup import esc, theme_css, tracking_script
from crawler.samples.model import Article

if TYPE_CHECKING:
    from crawler.samples.mokhbir import MokhbirSite

SECTIONS = {
    "national": "وطنية", "politique": "سياسة", "societe": "مجتمع", "economie": "اقتصاد",
    "sport": "رياضة", "culture": "ثقافة وفنون", "international": "دولية", "faits": "حوادث",
}
_MENU = ("جهات", "الدار البيضاء", "الرباط", "طنجة", "مراكش", "فاس", "أكادير", "وجدة", "العيون",
         "كتاب وآراء", "حوارات", "تكنولوجيا", "صحة", "تعليم", "فيديو", "صور", "مغاربة العالم",
         "إعلام", "بيئة", "نساء", "شباب", "تراث", "منوعات", "عقارات", "سيارات", "سياحة")
COOKIE_TEXT = ("يستخدم موقع المخبر ملفات تعريف الارتباط لتحسين تجربة التصفح وقياس نسب "
               "الزيارات، وبمواصلتك التصفح فإنك توافق على ذلك.")
SHARE_TEXT = "شارك هذا المقال مع أصدقائك"
NEWSLETTER_TEXT = "اشترك في النشرة البريدية للمخبر لتصلك أهم الأخبار كل صباح"
_COMMENTS = (
    ("مواطن غيور", "تحية لرجال الأمن الساهرين على راحة المواطنين، عمل يستحق التنويه."),
    ("أبو ياسين", "نتمنى أن يستمر هذا المستوى من المهنية في كل القطاعات."),
    ("سعيد من فاس", "المهم هو أن يلمس المواطن البسيط أثر هذه الأخبار في حياته اليومية."),
    ("مغربية حرة", "مقال جيد ولكن كان على الصحافي أن يذكر مزيدا من التفاصيل."),
)


def head(site: MokhbirSite, title: str, canonical: str, *, charset: str = "utf-8",
         extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="canonical" href="{esc(canonical)}">
<link rel="alternate" type="application/rss+xml" title="{esc(site.display_name)}"
 href="{site.base_url}/feed">
{extra}
<style id="theme-inline-css">{theme_css("mk", 110)}</style>
<script>{tracking_script(site.name, 16)}</script>
</head>"""


def top(site: MokhbirSite) -> str:
    base = site.base_url
    menu = "".join(f'<li><a href="{base}/category/{slug}/">{esc(name)}</a></li>'
                   for slug, name in SECTIONS.items())
    more = "".join(f'<li class="sub"><a href="{base}/tag/{i}/">{esc(name)}</a></li>'
                   for i, name in enumerate(_MENU))
    latest = (site.listing_page(1) or [])[:3]
    ticker = " | ".join(esc(a.title) for a in latest)
    return f"""<body class="rtl {site.name}">
<div id="cookie-notice" class="cookie-bar" role="dialog"><p>{esc(COOKIE_TEXT)}</p>
<button class="cookie-accept">موافق</button></div>
<header class="site-header"><div class="container">
<a class="logo" href="{base}/"><img src="{base}/wp-content/themes/mokhbir/logo.svg"
 alt="{esc(site.display_name)}"></a>
<nav class="main-menu"><ul><li><a href="{base}/">الرئيسية</a></li>{menu}</ul>
<ul class="mega-menu">{more}</ul></nav>
<form class="header-search" action="{base}/" method="get">
<input type="search" name="s" placeholder="بحث..."></form>
</div></header>
<div class="breaking-news"><span class="label">عاجل</span>
<div class="ticker">{ticker}</div></div>"""


def sidebar(site: MokhbirSite, current: Article | None) -> str:
    items = "".join(
        f'<li><span class="rank">{rank}</span>'
        f'<a href="{esc(site.url_for(a))}">{esc(a.title)}</a></li>'
        for rank, a in enumerate(site.most_read(current), 1))
    return f"""<aside class="sidebar">
<div class="widget most-read"><h3 class="widget-title">الأكثر قراءة</h3><ol>{items}</ol></div>
<div class="widget newsletter"><h3 class="widget-title">النشرة البريدية</h3>
<p>{esc(NEWSLETTER_TEXT)}</p>
<form><input type="email" name="email" placeholder="بريدك الإلكتروني"><button>اشترك</button>
</form></div>
<div class="widget ad"><div id="div-gpt-ad-{site.name}-1" class="ad-slot"></div></div>
</aside>"""


def footer(site: MokhbirSite) -> str:
    pages = (("about", "من نحن"), ("contact", "اتصل بنا"), ("privacy", "سياسة الخصوصية"),
             ("terms", "شروط الاستخدام"), ("ads", "للإعلان"))
    links = "".join(f'<li><a href="{site.base_url}/{slug}/">{esc(name)}</a></li>'
                    for slug, name in pages)
    return f"""<footer class="site-footer"><div class="container">
<ul class="footer-links">{links}</ul>
<p class="copyright">جميع الحقوق محفوظة © {esc(site.display_name)}
 - جريدة إلكترونية مغربية مستقلة</p>
<p class="legal">مدير النشر: عبد الرحيم الوزاني - رقم الإيداع القانوني 2012/41</p>
</div></footer>"""


def share_bar(site: MokhbirSite, article: Article, where: str) -> str:
    url = quote(site.url_for(article), safe="")
    return f"""<div class="share-article {where}">
<span class="share-label">{esc(SHARE_TEXT)}</span>
<a class="fb" href="https://www.facebook.com/sharer/sharer.php?u={url}">فيسبوك</a>
<a class="tw" href="https://twitter.com/intent/tweet?url={url}">تويتر</a>
<a class="wa" href="https://api.whatsapp.com/send?text={url}">واتساب</a></div>"""


def comments(article: Article) -> str:
    start = int(article.id) % len(_COMMENTS)
    chosen = [_COMMENTS[(start + i) % len(_COMMENTS)] for i in range(2)]
    items = "".join(f'<li class="comment"><span class="comment-author">{esc(who)}</span>'
                    f'<p class="comment-text">{esc(text)}</p></li>' for who, text in chosen)
    return f"""<section id="comments" class="comments"><h3>التعليقات ({len(chosen)})</h3>
<ol class="comment-list">{items}</ol>
<form class="comment-form"><textarea name="comment" placeholder="أضف تعليقك"></textarea>
<button>إرسال</button></form>
</section>"""


def article_page(site: MokhbirSite, article: Article) -> str:
    base, url = site.base_url, site.url_for(article)
    section = SECTIONS.get(article.section, "وطنية")
    tags = "".join(f'<a href="{base}/tag/{quote(t)}/" rel="tag">{esc(t)}</a>'
                   for t in article.tags)
    extra = (f'<link rel="amphtml" href="{esc(url)}/amp/">\n'
             f'<meta property="og:type" content="article">\n'
             f'<meta property="og:title" content="{esc(article.title)}">\n'
             f'<meta property="og:url" content="{esc(url)}">\n'
             f'<meta name="description" content="{esc(article.excerpt(25))}">')
    # The broken page loses its closing tags and ends inside an unclosed comment.
    end = "\n<!-- ads-bottom" if article.broken else "\n</body>\n</html>"
    closing = "" if article.broken else "</div>"
    title = f"{article.title} | {site.display_name}"
    return f"""{head(site, title, url, charset=article.encoding, extra=extra)}
{top(site)}
<main class="container"><div class="row"><div class="col-main">
<article class="post single-post" id="post-{article.id}">
<div class="breadcrumb"><a href="{base}/">الرئيسية</a> »
<a href="{base}/category/{article.section}/">{esc(section)}</a></div>
<h1 class="post-title">{esc(article.title)}</h1>
<div class="post-meta"><span class="author-name">{esc(article.author)}</span>
<span class="date-post">{esc(site.visible_date(article))}</span></div>
{share_bar(site, article, "top")}
<figure class="post-thumbnail"><img src="{base}/wp-content/uploads/img-{article.id}.jpg"
 alt="{esc(article.title)}"><figcaption>صورة: أرشيف</figcaption></figure>
<div class="article-content">
{site.body_html(article)}
<div class="article-tags"><span>الوسوم :</span> {tags}</div>
{closing}
{share_bar(site, article, "bottom")}
{comments(article)}
</article></div>
{sidebar(site, article)}
</div></main>
{footer(site)}{end}"""


def archive_page(site: MokhbirSite, article: Article) -> str:
    """An old page as the archive still serves it: nested tables, <font> tags, no
    classes; the date of the day in the top bar, the bare date of the article in a
    <font> under the headline, dated lists of other news after the body and in the
    side column."""
    base = site.base_url
    today = moroccan_day(site.world.now.astimezone(article.published.tzinfo), weekday=True)
    latest = (site.listing_page(1) or [])[:3]
    others = "".join(
        f'<tr><td><a href="{esc(site.url_for(a))}">{esc(a.title)}</a></td>'
        f'<td nowrap><font size="1" color="#999999">{esc(moroccan_day(a.published))}</font>'
        "</td></tr>" for a in latest)
    most_read = "".join(
        f'<p><a href="{esc(site.url_for(a))}">{esc(a.title)}</a><br>'
        f'<font size="1">{esc(site.visible_date(a))}</font></p>' for a in site.most_read(article))
    body = "\n".join(f'<p align="justify"><font size="3">{esc(p)}</font></p>'
                     for p in article.paragraphs)
    return f"""<html dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(article.title)} - {esc(site.display_name)}</title>
</head>
<body bgcolor="#FFFFFF" topmargin="0">
<table width="100%" border="0" cellspacing="0" cellpadding="3" bgcolor="#003366"><tr>
<td><font color="#FFFFFF" size="2">{esc(today)}</font></td>
<td align="left"><a href="{base}/"><font color="#FFFFFF">الرئيسية</font></a></td></tr></table>
<p>{esc(COOKIE_TEXT)}</p>
<table width="780" border="0" align="center" cellpadding="4"><tr>
<td valign="top" width="580">
<h1><font face="Arial" size="5" color="#003366">{esc(article.title)}</font></h1>
<font size="1" color="#808080">{esc(moroccan_day(article.published))}</font><br>
{body}
<table width="100%" border="0"><tr><td colspan="2"><b>آخر الأخبار</b></td></tr>{others}</table>
</td>
<td valign="top" width="200" bgcolor="#EEEEEE">
<p><font size="2">{esc(SHARE_TEXT)}</font> <a href="{base}/share?p={article.id}">فيسبوك</a></p>
<b>الأكثر قراءة</b>{most_read}
<p><font size="2">{esc(NEWSLETTER_TEXT)}</font></p>
</td></tr></table>
<table width="100%"><tr><td align="center"><font size="1">جميع الحقوق محفوظة ©
{esc(site.display_name)}</font></td></tr></table>
</body>
</html>"""


def amp_page(site: MokhbirSite, article: Article) -> str:
    return f"""<!doctype html>
<html amp lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>{esc(article.title)}</title>
<link rel="canonical" href="{esc(site.url_for(article))}">
<meta name="viewport" content="width=device-width,minimum-scale=1">
<style amp-custom>body{{font-family:Tahoma,sans-serif}}.amp-title{{font-size:1.6rem}}</style>
<script async src="https://cdn.ampproject.org/v0.js"></script></head>
<body><header class="amp-header"><a href="{site.base_url}/">{esc(site.display_name)}</a></header>
<article><h1 class="post-title amp-title">{esc(article.title)}</h1>
<span class="date-post">{esc(site.visible_date(article))}</span>
<div class="article-content">
{site.body_html(article)}
</div></article>
<footer>© {esc(site.display_name)}</footer></body></html>"""


def card(site: MokhbirSite, article: Article) -> str:
    href = esc(site.url_for(article))
    return f"""<article class="post-card"><a class="thumb" href="{href}">
<img src="{site.base_url}/wp-content/uploads/thumb-{article.id}.jpg" alt=""></a>
<h2 class="card-title"><a href="{href}">{esc(article.title)}</a></h2>
<span class="date-post">{esc(site.visible_date(article))}</span>
<p class="excerpt">{esc(article.excerpt())}</p></article>"""


def listing_page(site: MokhbirSite, heading: str, items: list[Article], prev: str | None,
                 nxt: str | None, search: str | None = None) -> str:
    links = nav = ""
    if prev:
        links += f'<link rel="prev" href="{esc(prev)}">\n'
        nav += f'<a class="prev page-numbers" rel="prev" href="{esc(prev)}">السابق</a>'
    if nxt:
        links += f'<link rel="next" href="{esc(nxt)}">'
        nav += f'<a class="next page-numbers" rel="next" href="{esc(nxt)}">التالي</a>'
    cards = "\n".join(card(site, a) for a in items) or (
        '<p class="no-results">لا توجد نتائج مطابقة لبحثك.</p>')
    kind = "posts-list search-results" if search is not None else "posts-list"
    return f"""{head(site, heading, site.base_url + "/", extra=links)}
{top(site)}
<main class="container"><div class="row"><div class="col-main">
<h1 class="page-title">{esc(heading)}</h1>
<div class="{kind}">
{cards}
</div>
<nav class="pagination">{nav}</nav>
</div>
{sidebar(site, None)}
</div></main>
{footer(site)}
</body>
</html>"""


def not_found(site: MokhbirSite) -> str:
    return f"""{head(site, "الصفحة غير موجودة", site.base_url + "/")}
<body><h1>404 - الصفحة غير موجودة</h1>
<p>عذرا، الصفحة التي تبحث عنها غير موجودة.</p></body></html>"""
