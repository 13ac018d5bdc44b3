"""A site of one province: the records of that province and every national record.

`make preview PROVINCE=江西省` builds only that province's pages (about 1/31 of a national
site); validation still runs over all the data, so a scoped build never hides a problem.
"""

from __future__ import annotations

from site_builder.dataset import Dataset

PROVINCE_ENV = "PORTAL_PROVINCE"
# Resources whose records belong to one province and make that province's pages. Documents,
# institutions, guidance and calls stay whole: they are few and other pages link to them.
LOCAL = ("projects", "counties", "county_lists")


def provinces(dataset: Dataset) -> list[str]:
    """Every province that has records of its own, in the order staff know them (by first record)."""
    seen: dict[str, None] = {}
    for name in LOCAL:
        for record in dataset.get(name):
            if record.get("province"):
                seen.setdefault(record["province"])
    return list(seen)


def restrict(dataset: Dataset, province: str) -> Dataset:
    """The same package with only `province`'s projects, counties and county lists."""
    records = {name: list(rs) for name, rs in dataset.records.items()}
    for name in LOCAL:
        records[name] = [r for r in dataset.get(name) if r.get("province") == province]
    return Dataset(root=dataset.root, descriptor=dataset.descriptor, records=records)
