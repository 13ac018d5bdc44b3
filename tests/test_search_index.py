"""The search index as files: folding, names, page text, units, and the shard format read back."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from site_builder.search import search_page, write_index
from site_builder.search.index import fnv1a
from site_builder.search.pages import UNIT_MAX_CHARS, SearchPage, units
from site_builder.search.text import fold, grams, page_blocks, pinyin_keys, place_names, short_place_name


@pytest.mark.parametrize(
    "variants",
    [
        ["赣教师字〔2022〕14号", "赣教师字[2022]14号", "赣教师字［2022］14号", "赣教师字【2022】14号", "赣教师字2022 14号"],
        ["培训(1)", "培训（1）", "培训1"],
        ["UGS", "ugs", "ＵＧＳ", "Ｕ Ｇ Ｓ"],
        ["“一对一”精准帮扶县", '"一对一"精准帮扶县', "一对一精准帮扶县"],
    ],
)
def test_fold_makes_width_brackets_quotes_and_spaces_equal(variants):
    assert len({fold(v) for v in variants}) == 1, [fold(v) for v in variants]


def test_fold_keeps_letters_digits_and_symbols_and_drops_only_punctuation():
    assert fold("线下7天+线上50学时") == "线下7天+线上50学时"
    assert fold("！？，。、；：") == ""
    assert fold("\ud800南") == "南"  # a lone surrogate is a control-like code point: dropped


def test_grams_are_characters_and_adjacent_pairs():
    assert grams("上饶市") == {"上", "饶", "市", "上饶", "饶市"}
    assert grams("") == set()


def test_place_names_give_short_names_and_pinyin_with_old_readings():
    assert short_place_name("瑞金市") == "瑞金" and short_place_name("新县") is None
    assert short_place_name("鄂伦春自治旗") == "鄂伦春"
    names = place_names("瑞金市")
    assert {"瑞金市", "瑞金", "ruijinshi", "rjs", "ruijin", "rj"} <= set(names)
    assert "yudu" in place_names("于都县")  # 都 read dū in the place name, not pypinyin's first dōu
    assert pinyin_keys("长春东师学思教育科技有限公司")[-1] == "ccdsxsjykjyxgs"
    assert pinyin_keys("") == []


def test_page_text_leaves_out_ignored_and_hidden_parts_and_keeps_links():
    html = (
        '<h1 id="t">瑞金市</h1><p>江西省 · <a href="../../cities/360700/">赣州市</a></p>'
        '<div data-pagefind-ignore><table><tr><td><a href="../../projects/x/">列表项目</a></td></tr></table></div>'
        '<dl><dt>类型</dt><dd>县级<b>市</b></dd></dl><div hidden>隐藏</div><script>var x = "脚本";</script>'
    )
    blocks, links = page_blocks(html)
    assert [t for _, _, t in blocks] == ["瑞金市", "江西省 · 赣州市", "类型", "县级市"]
    assert blocks[0][:2] == ("h1", "t")
    assert links == ["../../cities/360700/"], "links of ignored listing tables do not count"
    page = search_page("/counties/360781/", "瑞金市", html, {"kind": "县", "province": "江西省"})
    assert page.links == ["/cities/360700/"]
    chips = search_page("/projects/p/", "项目", '<p data-pagefind-ignore><a href="../../counties/1/">县</a></p><p>正文</p>', {})
    assert chips.links == ["/counties/1/"] and [t for _, _, t in chips.blocks] == ["正文"]
    elsewhere = search_page("/lists/a/", "名单", '<a href="/counties/1/#top">县</a><a href="https://x.invalid/counties/2/">外</a>', {})
    assert elsewhere.links == ["/counties/1/"]
    assert page_blocks("") == ([], [])


def test_bad_front_matter_falls_back_to_a_plain_page():
    page = SearchPage.from_meta("/x/", "标题", {"kind": "不存在", "year": "2022", "names": [None, 5]}, [])
    assert page.kind == "页面" and page.year is None and page.names == ["5"]
    assert SearchPage.from_meta("/x/", "标题", "exclude?", []).kind == "页面"


def test_long_pages_are_cut_at_headings_into_bounded_units():
    blocks = [("h1", None, "通知")]
    for n in range(6):
        blocks.append(("h2", f"s{n}", f"第{n}部分"))
        blocks += [("p", None, "正文" * 200)] * 2
    parts = units(SearchPage("/n/", "通知", "文件", blocks=blocks))
    # Sections of ~800 characters pair up until a unit reaches UNIT_MIN_CHARS.
    assert [u.anchor for u in parts] == [None, "s2", "s4"]
    assert [u.heading for u in parts[1:]] == ["第2部分", "第4部分"]
    assert all(sum(len(t) for t in u.texts) <= UNIT_MAX_CHARS for u in parts)
    assert sum(len(u.texts) for u in parts) == len(blocks)
    assert units(SearchPage("/e/", "空", "页面"))[0].texts == ["空"]


def read_shard(path: Path, width: int, total: int) -> dict[tuple[str, int], list[int]]:
    """The documented shard format, read independently of the writer."""
    data, i, out = path.read_bytes(), 0, {}
    while i < len(data):
        size = data[i]
        key = data[i + 1 : i + 1 + size].decode("utf-8")
        i += 1 + size
        field, encoding = data[i], data[i + 1]
        i += 2
        length = shift = 0
        while True:
            byte = data[i]
            i += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        payload = data[i : i + length]
        i += length
        if encoding == 0:
            ids = list(struct.unpack(f"<{length // width}{'H' if width == 2 else 'I'}", payload))
        else:
            ids = [n for n in range(total) if payload[n >> 3] >> (n & 7) & 1]
        out[(key, field)] = ids
    return out


def test_index_files_hold_every_gram_of_every_page(tmp_path):
    pages = [
        SearchPage("/counties/1/", "瑞金市", "县", "江西省", None, [], [("h1", None, "瑞金市"), ("p", None, "江西省 赣州市")]),
        SearchPage("/cities/2/", "赣州市", "市", "江西省", None, [], [("h1", None, "赣州市")], links=["/counties/1/"]),
        SearchPage("/notices/n/", "通知", "文件", "全国", 2021, ["教师函〔2021〕4号"], [("h1", None, "通知"), ("p", None, "国培计划")]),
    ] + [SearchPage(f"/projects/p{n}/", f"项目{n}", "项目", "江西省", 2022, [], [("p", None, "乡村教师培训")]) for n in range(40)]
    stats = write_index(pages, tmp_path, {"江西省": "36"})
    root = tmp_path / "searchindex"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["units"] == stats.units == 43 and manifest["version"] == stats.folder
    assert [p[0] for p in manifest["provinces"]] == ["全国", "江西省"]
    postings: dict = {}
    for shard in sorted((root / stats.folder / "s").iterdir()):
        for key, ids in read_shard(shard, manifest["width"], manifest["units"]).items():
            assert fnv1a(key[0]) % manifest["shards"] == int(shard.stem), key
            postings[key] = ids
    docs = [json.loads((root / stats.folder / "d" / f"{i}.json").read_text(encoding="utf-8")) for i in range(manifest["units"])]
    ids = {d["u"]: i for i, d in enumerate(docs)}
    # Kind order: 县 before 市 before 文件 before 项目.
    assert ids["/counties/1/"] < ids["/cities/2/"] < ids["/notices/n/"] < ids["/projects/p0/"]
    county = ids["/counties/1/"]
    assert county in postings[("金市", 0)] and county in postings[("金市", 1)] and county in postings[("金", 0)]
    assert county in postings[("ruijin", 2)] and county in postings[("rjs", 2)] and county in postings[("瑞金", 2)]
    assert county in postings[("赣州", 0)] and ids["/cities/2/"] in postings[("赣州市", 2)]
    assert postings[(f"@{county}", 3)] == [ids["/cities/2/"]]
    assert ids["/notices/n/"] in postings[(fold("教师函〔2021〕4号"), 2)]
    # 40 of 43 units hold 乡村: a bitmap, read back to the same ids.
    assert postings[("乡村", 0)] == sorted(ids[f"/projects/p{n}/"] for n in range(40))
    kinds = [manifest["kinds"][run[1]] for run in manifest["runs"]]
    assert kinds == ["县", "市", "文件", "项目"]
    suggest = json.loads((root / stats.folder / "suggest.json").read_text(encoding="utf-8"))
    assert {row[3] for row in suggest} == {"瑞金市", "赣州市", "通知"}
    # Rewriting replaces the old index rather than piling up folders.
    write_index(pages, tmp_path, {"江西省": "36"})
    assert len([p for p in root.iterdir() if p.is_dir()]) == 1
