"""The published datapackage.json: the descriptor of data/ pointed at the CSV files, with sources.

`sources` names the official notices of the `documents` resource: all of them for the
package, and for each resource the notices its records cite (through a `document` field,
or one foreign key away, as 申报方向 → 申报通知 → 文件).
"""

from __future__ import annotations

import json

from ..dataset import Dataset
from .tables import CSV_ENCODING, LIST_SEPARATOR, csv_name

DOCUMENTS = "documents"
DOCUMENT_FIELD = "document"
# Names a link to the official publication may have in the documents schema (besides any
# field declared with format: uri).
URL_FIELDS = ("url", "source_url", "official_url")


def _url_field(dataset: Dataset) -> str | None:
    for field in dataset.schema_fields(DOCUMENTS):
        if field.get("format") == "uri" or field["name"] in URL_FIELDS:
            return field["name"]
    return None


def document_sources(dataset: Dataset) -> dict[str, dict]:
    """Each notice as a Data Package source: title with its 文号, issuer, and link when known."""
    url_field = _url_field(dataset)
    sources = {}
    for doc in dataset.get(DOCUMENTS):
        title = f"《{doc['title']}》"
        if doc.get("doc_number"):
            title += f"（{doc['doc_number']}）"
        source = {"title": title}
        if url_field and doc.get(url_field):
            source["path"] = str(doc[url_field])
        if doc.get("issuer"):
            source["issuer"] = doc["issuer"]
        sources[doc["id"]] = source
    return sources


def _cited_documents(dataset: Dataset, resource: dict) -> list[str]:
    """Ids of the documents a resource's records cite, in first-cited order."""
    field_names = {f["name"] for f in resource.get("schema", {}).get("fields", [])}
    if resource["name"] == DOCUMENTS:
        return []  # the notices themselves: the package's sources say it
    cited: dict[str, None] = {}
    if DOCUMENT_FIELD in field_names:
        cited.update(dict.fromkeys(r[DOCUMENT_FIELD] for r in dataset.get(resource["name"]) if r.get(DOCUMENT_FIELD)))
        return list(cited)
    for fk in resource.get("schema", {}).get("foreignKeys", []):
        target = fk["reference"]["resource"]
        fields, ref_fields = fk["fields"], fk["reference"]["fields"]
        if len(fields) != 1 or target == DOCUMENTS or DOCUMENT_FIELD not in {f["name"] for f in dataset.schema_fields(target)}:
            continue
        by_key = dataset.index(target, ref_fields[0])
        for record in dataset.get(resource["name"]):
            parent = by_key.get(record.get(fields[0]))
            if parent and parent.get(DOCUMENT_FIELD):
                cited.setdefault(parent[DOCUMENT_FIELD])
    return list(cited)


def published_descriptor(dataset: Dataset) -> dict:
    """The descriptor as published beside the CSV files (valid Frictionless Data Package)."""
    descriptor = json.loads(json.dumps(dataset.descriptor, default=str))
    sources = document_sources(dataset)
    if sources:
        descriptor["sources"] = list(sources.values())
    for resource in descriptor["resources"]:
        name = resource["name"]
        resource.update(path=csv_name(name), format="csv", mediatype="text/csv", encoding=CSV_ENCODING)
        cited = [sources[d] for d in _cited_documents(dataset, resource) if d in sources]
        if cited:
            resource["sources"] = cited
        # Lists become “；”-joined text in CSV; JSON keeps them as arrays.
        for field in resource["schema"]["fields"]:
            if field["type"] == "array":
                note = f"（CSV 中多项以“{LIST_SEPARATOR}”分隔）"
                field.update(type="string", description=field.get("description", "") + note)
                field.pop("arrayItem", None)
    return descriptor
