"""The one-box search and the advanced search over the denormalised `SearchKey` table.

Ranking (best first): 0 exact identifier; 1 exact full name; 2 identifier or full-name prefix;
3 every word of the query starts a word of an owner's name; 4 every word starts a word of the
address / description. Ranks are evaluated in order and stop once `CAP` assets are found, so a look-up
reads at most a few thousand index entries whatever the size of the registry. Every look-up is logged.

The any-order match (ranks 3 and 4) is bounded too (`_any_order`): the rarest word's range is read
(at most `SCAN` entries), and the other words are checked only on those candidates' own rows, found
through the search table's record index (`group_field`). Common words ("nguyen van") cannot make it
read millions of rows: past `SCAN` candidates the result is marked truncated (the notary refines).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.compiled import compiled_rows

from .choices import KeyKind
from .errors import BlockingError
from .keys import id_key, ident_key, name_key, parcel_key, prefix_upper, words
from .models import Asset, Owner, SearchKey, SearchLog
from .selectors import notary_office_ids, officer_unit_ids, viewer_unit_ids

CAP = 500
MAX_QUERY = 300
MAX_WORDS = 6
# Entries of one word's range read by the any-order match (see `_any_order`).
SCAN = 500


@dataclass
class Outcome:
    """Assets found (best first, at most `limit` loaded), the total found (up to CAP)."""

    query: str
    assets: list[Asset]
    total: int
    truncated: bool
    ranks: dict[int, int] = field(default_factory=dict)
    # Notarized transactions found by the same query (issue 16; `motcua.notary.lookup`).
    transactions: list = field(default_factory=list)
    transaction_total: int = 0

    @property
    def count(self) -> int:
        """Blocks and transactions found (each up to CAP)."""
        return self.total + self.transaction_total


def _range(prefix: str) -> Q:
    return Q(value__gte=prefix, value__lt=prefix_upper(prefix))


def _range_rows(
    model, kind: str, visible: Q, prefix: str, *, ordered=False, limit=CAP + 1, second="value"
) -> list[tuple]:
    """(asset id, `second`) of the `kind` rows whose value starts with `prefix`, at most `limit`,
    in value order if `ordered`. The hottest query of a look-up: compiled once per connection and
    shape, run with the range bound (core/compiled.py; issue 16, identifiers p95 ≤ 20 ms)."""

    def build(low: str, high: str):
        rows = model.objects.filter(kind=kind, value__gte=low, value__lt=high).filter(visible)
        if ordered:
            rows = rows.order_by("value")
        return rows.values_list("asset_id", second)[:limit]

    key = ("search-range", model._meta.label, kind, visible, ordered, limit, second)
    return compiled_rows(model, key, build, prefix, prefix_upper(prefix))


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
        self.found: Found = Found()
        self.cut = False

    @property
    def full(self) -> bool:
        return len(self.found) >= CAP

    def add(self, rank: int, queryset) -> None:
        if self.full:
            return
        # No DISTINCT: it would make the database read the whole range before the LIMIT.
        ids = queryset.filter(self.visible).values_list("asset_id", flat=True)
        self.add_ids(rank, ids[: CAP + 1])

    def add_exact_or_prefix(self, kind: str, value: str, exact: int, prefix: int, model) -> None:
        """Rows whose value is `value` (rank `exact`) or starts with it (rank `prefix`), in one
        range read in index order: the exact rows come first (the smallest values of the range)."""
        if self.full:
            return
        for asset_id, found in _range_rows(model, kind, self.visible, value, ordered=True):
            self.found.setdefault(asset_id, exact if found == value else prefix)
            if len(self.found) > CAP:
                break

    def add_ids(self, rank: int, ids, cut: bool = False) -> None:
        if self.full:
            return
        self.cut = self.cut or cut
        for asset_id in ids:
            self.found.setdefault(asset_id, rank)
            if len(self.found) > CAP:
                break


class Found(dict):
    """asset id → rank; `cut`: a bounded any-order match stopped reading (more may exist)."""

    cut = False


def _terms(terms: list[str]) -> list[str]:
    """Distinct words, longest first, without a word that starts another one (it adds nothing:
    the longer word's range is inside its range)."""
    unique = sorted(set(terms), key=len, reverse=True)
    kept = [t for i, t in enumerate(unique) if not any(o.startswith(t) for o in unique[:i])]
    return kept[:MAX_WORDS]


def _any_order(kind: str, terms: list[str], visible: Q, model=SearchKey) -> tuple[list[int], bool]:
    """(asset ids having, for every term, a word of `kind` starting with it; cut).

    Bounded whatever the words: each word's range is read up to `SCAN` entries, longest word first,
    until one is complete (a rare word); the smallest range drives. The other words are checked on
    the driver's candidates only, through the record index (`model.group_field`: the request or the
    transaction), never by intersecting two huge ranges. `cut` is true when the driver's range had
    more than `SCAN` entries (all the words are common): the ids are then a subset."""
    terms = _terms(terms)
    group = model.group_field
    # One word: its range is the answer, and the collector keeps at most CAP + 1 of it.
    scan = SCAN if len(terms) > 1 else CAP + 1
    driver: list[tuple[int, int]] | None = None
    driver_term = ""
    for term in terms:
        rows = _range_rows(model, kind, visible, term, limit=scan + 1, second=group)
        if driver is None or len(rows) < len(driver):
            driver, driver_term = rows, term
        if len(rows) <= scan:
            break
    assert driver is not None  # nosec B101  # terms is never empty here
    cut = len(driver) > scan
    candidates = list(dict.fromkeys(asset for asset, _g in driver[:scan]))
    others = [t for t in terms if t != driver_term]
    if not others or not candidates:
        return candidates, cut
    matched: dict[int, set[str]] = {}
    groups = sorted({g for _a, g in driver[:scan]})
    for start in range(0, len(groups), SCAN):
        # Every row of this kind of the candidates' records (a few per record), checked here: a
        # condition on the value would tempt the planner into the other word's whole range.
        rows_ = model.objects.filter(
            kind=kind, **{f"{group}__in": groups[start : start + SCAN]}
        ).values_list("asset_id", "value")
        for asset, value in rows_:
            for term in others:
                if value.startswith(term):
                    matched.setdefault(asset, set()).add(term)
    return [a for a in candidates if len(matched.get(a, ())) == len(others)], cut


def find_ids(query: str, visible: Q, model=SearchKey) -> Found:
    """asset id → rank for the one-box query; `model` is the search table (the blocks' keys, or
    the notarized transactions' `notary.TxKey` with the same kinds and normalisation)."""
    collector = _Collector(visible)
    ident = ident_key(query)
    name = name_key(query)
    terms = words(query)
    # Serials, plates, ID and document numbers all contain digits; names never do. A query with
    # digits is looked up as an identifier first, and as words only if that finds nothing.
    has_digits = any(ch.isdigit() for ch in ident)
    if has_digits:
        if len(ident) >= 4:
            collector.add_exact_or_prefix(KeyKind.IDENTIFIER, ident, 0, 2, model)
        else:
            collector.add(0, model.objects.filter(kind=KeyKind.IDENTIFIER, value=ident))
        if collector.found:
            return collector.found
    if name:
        collector.add_exact_or_prefix(KeyKind.NAME, name, 1, 2, model)
    if len(terms) == 1 or (terms and not collector.found):
        # A single word: any word of a name may start with it ("Đức"). Several words are first
        # read as the start of a full name (above); in any order only when that finds nothing.
        collector.add_ids(3, *_any_order(KeyKind.NAME_TOKEN, terms, visible, model))
        if not collector.found:
            # Addresses and descriptions only when no owner's name matches.
            collector.add_ids(4, *_any_order(KeyKind.TEXT, terms, visible, model))
    collector.found.cut = collector.cut
    return collector.found


def find_advanced(criteria: dict, visible: Q, model=SearchKey) -> Found:
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
        step = model.objects.filter(part)
        queryset = (
            step if queryset is None else queryset.filter(asset_id__in=step.values("asset_id"))
        )
    collector = _Collector(visible)
    if text_terms:
        # The address words in any order, bounded (`_any_order`), then the other criteria on
        # those candidates only.
        ids, collector.cut = _any_order(KeyKind.TEXT, text_terms, visible, model)
        if queryset is None:
            collector.add_ids(0, ids)
        else:
            collector.add(0, queryset.filter(asset_id__in=ids))
    elif queryset is None:
        return Found()
    else:
        collector.add(0, queryset)
    collector.found.cut = collector.cut
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
    truncated = len(found) > CAP or found.cut
    outcome = Outcome(
        query=query,
        assets=load_assets(found, limit),
        total=min(len(found), CAP),
        truncated=truncated,
    )
    # Issue 16: the same look-up over the notarized transactions (every searcher sees them all).
    from motcua.notary.lookup import find_transactions

    outcome.transactions, outcome.transaction_total, tx_truncated = find_transactions(
        query if not criteria else "", criteria, limit
    )
    outcome.truncated = outcome.truncated or tx_truncated
    return outcome


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
        # Issue 16: a look-up returns blocks and notarized transactions (after issue 4's fields).
        "record_type": "block",
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


def outcome_results(outcome: Outcome) -> tuple[list[dict], list[dict]]:
    """(results, warnings): blocks and transactions in the order a notary reads them (issue 16:
    active blocks, reference / warning records, transactions newest first, released blocks)."""
    from motcua.notary.lookup import order_results, tx_result_json, warnings_for

    blocks = [result_json(a) for a in outcome.assets]
    transactions = [tx_result_json(tx, assets) for tx, assets in outcome.transactions]
    results = order_results(blocks, transactions)
    return results, warnings_for(results)


def _digest_payload(at, who: str, query: str, count: int, results, warnings) -> dict:
    payload = {"at": at, "who": who, "query": query, "result_count": count, "results": results}
    if warnings:
        # Look-ups from before the warnings existed keep verifying (no "warnings" key then).
        payload["warnings"] = warnings
    return payload


def log_search(*, user, outcome: Outcome, criteria: dict | None = None) -> SearchLog:
    """Append the look-up to the log with a digest of exactly what was shown."""
    now = timezone.now().replace(microsecond=0)
    offices = sorted(notary_office_ids(user)) if user is not None else []
    if not offices and user is not None:
        offices = sorted(officer_unit_ids(user) or viewer_unit_ids(user))
    results, warnings = outcome_results(outcome)
    who = user if user is not None and user.is_authenticated else None
    payload = _digest_payload(
        now.isoformat(),
        who.get_username() if who else "",
        outcome.query,
        outcome.count,
        results,
        warnings,
    )
    digest = hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    return SearchLog.objects.create(
        who=who,
        office_id=offices[0] if offices else None,
        at=now,
        query=outcome.query[:300],
        criteria=criteria or {},
        result_count=outcome.count,
        truncated=outcome.truncated,
        results=results,
        warnings=warnings,
        token=secrets.token_urlsafe(24),
        digest=digest,
    )


def verify_digest(log: SearchLog) -> bool:
    """Recompute the digest from the stored look-up (a changed row no longer matches)."""
    payload = _digest_payload(
        log.at.isoformat(),
        log.who.get_username() if log.who_id else "",
        log.query,
        log.result_count,
        log.results,
        log.warnings,
    )
    expected = hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    return expected == log.digest
