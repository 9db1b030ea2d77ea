"""The one-box search and the advanced search over the denormalised `SearchKey` table.

Ranking (best first): 0 exact identifier; 1 exact full name; 2 identifier or full-name prefix;
3 every word of the query starts a word of an owner's name; 4 every word starts a word of the
address / description. Ranks are evaluated in order and stop once `CAP` assets are found, so a look-up
reads at most a few thousand index entries whatever the size of the registry. Every look-up is logged.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import KeyKind
from .errors import BlockingError
from .keys import id_key, ident_key, name_key, parcel_key, prefix_upper, words
from .models import Asset, Owner, SearchKey, SearchLog
from .selectors import notary_office_ids, officer_unit_ids, viewer_unit_ids

CAP = 500
MAX_QUERY = 300
MAX_WORDS = 6


@dataclass
class Outcome:
    """Assets found (best first, at most `limit` loaded), the total found (up to CAP)."""

    query: str
    assets: list[Asset]
    total: int
    truncated: bool
    ranks: dict[int, int] = field(default_factory=dict)


def _range(prefix: str) -> Q:
    return Q(value__gte=prefix, value__lt=prefix_upper(prefix))


def _key_filter(visible: Q | None) -> Q:
    return visible if visible is not None else Q()


def key_visibility(user=None, *, everything_published: bool = False) -> Q | None:
    """Which search rows the user may hit; None = nothing."""
    if everything_published:
        return Q(published=True)
    units = viewer_unit_ids(user)
    condition = None
    if units:
        condition = Q(unit_id_copy__in=units)
    if notary_office_ids(user):
        condition = Q(published=True) if condition is None else condition | Q(published=True)
    return condition


class _Collector:
    def __init__(self, visible: Q):
        self.visible = visible
        self.found: dict[int, int] = {}

    @property
    def full(self) -> bool:
        return len(self.found) >= CAP

    def add(self, rank: int, queryset) -> None:
        if self.full:
            return
        # No DISTINCT: it would make the database read the whole range before the LIMIT.
        ids = queryset.filter(self.visible).values_list("asset_id", flat=True)
        for asset_id in ids[: CAP + 1]:
            self.found.setdefault(asset_id, rank)
            if len(self.found) > CAP:
                break


def _all_words(kind: str, terms: list[str]):
    """Asset ids having, for every term, a word of `kind` starting with it."""
    terms = sorted(set(terms), key=len, reverse=True)[:MAX_WORDS]
    queryset = SearchKey.objects.filter(Q(kind=kind) & _range(terms[0]))
    for term in terms[1:]:
        queryset = queryset.filter(
            asset_id__in=SearchKey.objects.filter(Q(kind=kind) & _range(term)).values("asset_id")
        )
    return queryset


def find_ids(query: str, visible: Q) -> dict[int, int]:
    """asset id → rank for the one-box query."""
    collector = _Collector(visible)
    ident = ident_key(query)
    name = name_key(query)
    terms = words(query)
    # Serials, plates, ID and document numbers all contain digits; names never do. A query with
    # digits is looked up as an identifier first, and as words only if that finds nothing.
    has_digits = any(ch.isdigit() for ch in ident)
    if has_digits:
        collector.add(0, SearchKey.objects.filter(kind=KeyKind.IDENTIFIER, value=ident))
        if len(ident) >= 4:
            collector.add(2, SearchKey.objects.filter(Q(kind=KeyKind.IDENTIFIER) & _range(ident)))
        if collector.found:
            return collector.found
    if name:
        collector.add(1, SearchKey.objects.filter(kind=KeyKind.NAME, value=name))
        collector.add(2, SearchKey.objects.filter(Q(kind=KeyKind.NAME) & _range(name)))
    if len(terms) == 1 or (terms and not collector.found):
        # A single word: any word of a name may start with it ("Đức"). Several words are first
        # read as the start of a full name (above); in any order only when that finds nothing.
        collector.add(3, _all_words(KeyKind.NAME_TOKEN, terms))
        if not collector.found:
            # Addresses and descriptions only when no owner's name matches.
            collector.add(4, _all_words(KeyKind.TEXT, terms))
    return collector.found


def find_advanced(criteria: dict, visible: Q) -> dict[int, int]:
    """Advanced search: every given criterion must hold (identifier, owner name / ID, parcel, address)."""
    parts = []
    if criteria.get("identifier"):
        parts.append(Q(kind=KeyKind.IDENTIFIER, value=ident_key(criteria["identifier"])))
    if criteria.get("owner_id"):
        # DOMAIN §12: every document type normalised the same way (`keys.id_key`).
        parts.append(Q(kind=KeyKind.IDENTIFIER, value=id_key(criteria["owner_id"])))
    if criteria.get("owner_name"):
        parts.append(Q(kind=KeyKind.NAME) & _range(name_key(criteria["owner_name"])))
    if criteria.get("parcel_number") and criteria.get("map_sheet"):
        parts.append(
            Q(
                kind=KeyKind.PARCEL,
                value=parcel_key(criteria["parcel_number"], criteria["map_sheet"]),
            )
        )
    text_terms = words(criteria.get("address") or "")
    queryset = None
    for part in parts:
        step = SearchKey.objects.filter(part)
        queryset = (
            step if queryset is None else queryset.filter(asset_id__in=step.values("asset_id"))
        )
    if text_terms:
        step = _all_words(KeyKind.TEXT, text_terms)
        queryset = (
            step if queryset is None else queryset.filter(asset_id__in=step.values("asset_id"))
        )
    if queryset is None:
        return {}
    collector = _Collector(visible)
    collector.add(0, queryset)
    return collector.found


def load_assets(found: dict[int, int], limit: int) -> list[Asset]:
    """The best `limit` assets with everything a result shows, in a constant number of queries."""
    order = sorted(found, key=lambda pk: (found[pk], -pk))[:limit]
    # Withdrawn assets and owners have no search rows; filtering here too keeps them out of a
    # result (and so of the look-up certificate) even while the rows are being rebuilt.
    assets = {
        a.pk: a
        for a in Asset.objects.active()
        .filter(pk__in=order)
        .select_related("request__authority_type", "released_by")
        .prefetch_related(Prefetch("owners", queryset=Owner.objects.active()), "request__releases")
    }
    return [assets[pk] for pk in order if pk in assets]


def clean_query(query: str) -> str:
    query = " ".join((query or "").split())
    if not query:
        raise BlockingError(_("Type something to look up: a serial, plate, name or ID number."))
    if len(query) > MAX_QUERY:
        raise BlockingError(_("The query is too long."))
    return query


def run_search(
    *,
    user=None,
    query: str = "",
    criteria: dict | None = None,
    limit: int = 50,
    everything_published: bool = False,
) -> Outcome:
    """Search as `user` (or, for the command line, over everything published)."""
    criteria = {k: v.strip() for k, v in (criteria or {}).items() if v and v.strip()}
    visible = key_visibility(user, everything_published=everything_published)
    if visible is None:
        raise BlockingError(_("You may not search the blocking registry."))
    if criteria:
        found = find_advanced(criteria, visible)
        query = " · ".join(f"{k}: {v}" for k, v in sorted(criteria.items()))
    else:
        query = clean_query(query)
        found = find_ids(query, visible)
    truncated = len(found) > CAP
    return Outcome(
        query=query,
        assets=load_assets(found, limit),
        total=min(len(found), CAP),
        truncated=truncated,
    )


# --- what a result shows --------------------------------------------------------------------------
def history(asset: Asset) -> list[dict]:
    """The record's steps as dated lines (no extra queries: everything is prefetched)."""
    request = asset.request
    lines = [{"at": request.received_at, "event": "received"}]
    if request.approved_at:
        lines.append({"at": request.approved_at, "event": "approved"})
    if request.published_at:
        lines.append({"at": request.published_at, "event": "published"})
    for release in request.releases.all():
        lines.append(
            {
                "at": release.entered_at,
                "event": "release",
                "document_number": release.document_number,
                "this_asset": release.pk == asset.released_by_id,
            }
        )
    return lines


def result_json(asset: Asset) -> dict:
    """One result, as the command line and the API print it (issue 4's field names first)."""
    request = asset.request
    return {
        "request_no": request.request_no,
        "kind": request.kind,
        "status": "released" if asset.released_by_id else "active",
        "asset_type": asset.asset_type,
        "asset": asset.label(),
        "owners": [
            {
                "name": o.name,
                "id_type": o.id_type,
                "id_number": o.id_number,
                "birth_year": o.birth_year,
            }
            for o in asset.owners.all()
        ],
        "document_number": request.document_number,
        "authority": request.authority_name,
        "document_date": request.document_date.isoformat(),
        "request_status": request.status,
        "release": (
            {
                "document_number": asset.released_by.document_number,
                "document_date": asset.released_by.document_date.isoformat()
                if asset.released_by.document_date
                else None,
            }
            if asset.released_by_id
            else None
        ),
        "history": [
            {**line, "at": timezone.localtime(line["at"]).isoformat()} for line in history(asset)
        ],
    }


def log_search(*, user, outcome: Outcome, criteria: dict | None = None) -> SearchLog:
    """Append the look-up to the log with a digest of exactly what was shown."""
    now = timezone.now().replace(microsecond=0)
    offices = sorted(notary_office_ids(user)) if user is not None else []
    if not offices and user is not None:
        offices = sorted(officer_unit_ids(user) or viewer_unit_ids(user))
    results = [result_json(a) for a in outcome.assets]
    who = user if user is not None and user.is_authenticated else None
    payload = {
        "at": now.isoformat(),
        "who": who.get_username() if who else "",
        "query": outcome.query,
        "result_count": outcome.total,
        "results": results,
    }
    digest = hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    return SearchLog.objects.create(
        who=who,
        office_id=offices[0] if offices else None,
        at=now,
        query=outcome.query[:300],
        criteria=criteria or {},
        result_count=outcome.total,
        truncated=outcome.truncated,
        results=results,
        token=secrets.token_urlsafe(24),
        digest=digest,
    )


def verify_digest(log: SearchLog) -> bool:
    """Recompute the digest from the stored look-up (a changed row no longer matches)."""
    payload = {
        "at": log.at.isoformat(),
        "who": log.who.get_username() if log.who_id else "",
        "query": log.query,
        "result_count": log.result_count,
        "results": log.results,
    }
    expected = hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    return expected == log.digest
