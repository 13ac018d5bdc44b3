"""承训单位 find the 工作简报 upload: from every project and institution page, and from the site's navigation."""

from __future__ import annotations

from site_pages import article, links, load, text

from site_builder.site_model import institution_slug

UPLOAD = "/briefings/"
INFO = "/briefings-info/"


def test_every_project_and_institution_page_links_the_upload(site_dir, dataset):
    pages = [f"/projects/{p['id']}/" for p in dataset.get("projects")]
    pages += [f"/institutions/{institution_slug(i['name'])}/" for i in dataset.get("institutions")]
    missing = [url for url in pages if UPLOAD not in links(article(load(site_dir, url)), url)]
    assert not missing, f"{len(missing)} pages without a link to {UPLOAD}, e.g. {missing[:5]}"


def test_navigation_leads_to_the_info_page_and_it_to_the_upload(site_dir):
    for url in ("/", "/projects/", "/about/"):
        tabs = load(site_dir, url).xpath("//nav[contains(@class, 'md-tabs')]//a")
        named = {text(a): a.get("href") for a in tabs}
        assert "工作简报" in named, (url, sorted(named))
        assert links(load(site_dir, url).xpath("//nav[contains(@class, 'md-tabs')]")[0], url) >= {INFO}
    body = article(load(site_dir, INFO))
    assert UPLOAD in links(body, INFO)
    assert "上传码" in text(body) and "不少于 3 期" in text(body)


def test_project_pages_show_the_training_period_or_say_the_notice_lacks_it(site_dir, dataset):
    for project in dataset.get("projects"):
        body = text(article(load(site_dir, f"/projects/{project['id']}/")))
        end = project.get("training_end")
        if end:
            assert f"{end.year}年{end.month}月{end.day}日" in body, project["id"]
        elif not project.get("training_start"):
            assert "培训时间原文未载" in body, project["id"]
