"""The workflow diagram, drawn from the transition table as SVG on the server (no script, no CDN).

A layered drawing (Sugiyama style): statuses sit on rows from the first step down to the last, a move
that goes back up (a supplement answered, a return to the processor) is laid out reversed and drawn
dashed, and every arrow carries its action's label as a box on the arrow itself, so labels take room
in the layout and never cover a status. A move across several rows passes through bend points, one
per row. Moves that keep the status (assign, apology slip, payment at the counter) are listed beside
their status. Given a dossier, the statuses it went through and the moves it took (its events) are
drawn in the highlight colour and its current status filled.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.workflow import ACTIONS, TRANSITIONS, event_label

STATUS_W = 196
TITLE_H = 15
STATUS_CHARS, LOOP_CHARS = 24, 30
POINT_W = 14
GAP_X, MARGIN = 18, 16
LINE_H, LABEL_PAD = 13, 4
LABEL_CHARS = 24  # wrap action labels at about this many characters
CHAR_W = 6.0  # mean width of a 11px DejaVu/Arial character, for sizing boxes
COLOR = {"line": "#6b7280", "taken": "#b91c1c", "node": "#ffffff", "visited": "#fde8e8", "current": "#b91c1c"}
TEXT = {"node": "#111827", "current": "#ffffff", "label": "#374151", "taken": "#7f1d1d"}


@dataclass(frozen=True)
class Move:
    """One arrow: an action from one status to another (rows with the same three merged)."""

    source: str
    target: str
    action: str
    label: str


@dataclass
class Item:
    """Something placed on a row: a status box, an action's label box, or a bend point of a long arrow."""

    key: str
    kind: str  # "status" | "label" | "point"
    row: int
    width: float
    height: float
    lines: list[str] = field(default_factory=list)
    x: float = 0.0  # centre
    y: float = 0.0
    order: float = 0.0


def moves() -> tuple[list[Move], dict[str, list[Move]]]:
    """(arrows between statuses, moves that keep the status by status), from the table in its order."""
    arrows, loops, seen = [], defaultdict(list), set()
    for row in TRANSITIONS:
        for source in sorted(row.sources, key=list(DossierStatus.values).index):
            key = (source, row.target, row.action)
            if key in seen:
                continue
            seen.add(key)
            move = Move(source, str(row.target), row.action, str(row.label))
            (loops[source] if source == row.target else arrows).append(move)
    return arrows, loops


def _back_moves(arrows: list[Move]) -> set[Move]:
    """Arrows that close a cycle in a depth-first walk from the draft: laid out reversed."""
    out = defaultdict(list)
    for move in arrows:
        out[move.source].append(move)
    back, state = set(), {}

    def visit(status):
        state[status] = "open"
        for move in out[status]:
            if state.get(move.target) == "open":
                back.add(move)
            elif move.target not in state:
                visit(move.target)
        state[status] = "done"

    for status in DossierStatus.values:
        if status not in state:
            visit(status)
    return back


def _layers(arrows: list[Move], back: set[Move]) -> dict[str, int]:
    """Longest path from the top over the arrows laid out downwards: each status below all it comes from."""
    layer = dict.fromkeys(DossierStatus.values, 0)
    for _round in range(len(layer)):
        changed = False
        for move in arrows:
            upper, lower = (move.target, move.source) if move in back else (move.source, move.target)
            if layer[lower] < layer[upper] + 1:
                layer[lower] = layer[upper] + 1
                changed = True
        if not changed:
            break
    return layer


def _wrap(text: str, width: int = LABEL_CHARS) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _label_item(key: str, row: int, text: str) -> Item:
    lines = _wrap(text)
    width = max(len(line) for line in lines) * CHAR_W + 2 * LABEL_PAD
    return Item(key, "label", row, width, len(lines) * LINE_H + 2 * LABEL_PAD, lines)


@dataclass
class Layout:
    items: dict[str, Item]
    rows: list[list[Item]]
    chains: dict[Move, list[str]]  # item keys from the upper end to the lower end
    back: set[Move]
    loops: dict[str, list[Move]]
    row_half: list[float] = field(default_factory=list)  # half the height of each row, once drawn


def _status_item(status: str, row: int, loop_moves: list[Move]) -> Item:
    """A status box: its name, then in small type the moves that keep it (↻)."""
    title = _wrap(_status_label(status), STATUS_CHARS)
    loop_lines = sum((len(_wrap("↻ " + move.label, LOOP_CHARS)) for move in loop_moves), 0)
    height = len(title) * TITLE_H + loop_lines * LINE_H + 2 * LABEL_PAD + (6 if loop_moves else 0) + 8
    return Item(status, "status", row, STATUS_W, height, title)


def layout() -> Layout:
    arrows, loops = moves()
    back = _back_moves(arrows)
    layer = _layers(arrows, back)
    items: dict[str, Item] = {}
    for status in DossierStatus.values:
        items[status] = _status_item(status, 2 * layer[status], loops.get(status, []))
    chains = {}
    for index, move in enumerate(arrows):
        upper, lower = (move.target, move.source) if move in back else (move.source, move.target)
        chain = [upper]
        label_key = f"label-{index}"
        items[label_key] = _label_item(label_key, items[upper].row + 1, move.label)
        chain.append(label_key)
        for row in range(items[upper].row + 2, items[lower].row):
            point_key = f"point-{index}-{row}"
            items[point_key] = Item(point_key, "point", row, POINT_W, LINE_H)
            chain.append(point_key)
        chains[move] = [*chain, lower]
    rows = [[] for _ in range(max(item.row for item in items.values()) + 1)]
    for order, item in enumerate(items.values()):
        item.order = order
        rows[item.row].append(item)
    result = Layout(items, rows, chains, back, loops)
    _order_rows(result)
    _place(result)
    return result


def _status_label(status: str) -> str:
    return str(DossierStatus(status).label)


def _neighbours(result: Layout) -> tuple[dict, dict]:
    above, below = defaultdict(list), defaultdict(list)
    for chain in result.chains.values():
        for upper, lower in pairwise(chain):
            below[upper].append(lower)
            above[lower].append(upper)
    return above, below


def _order_rows(result: Layout) -> None:
    """Barycentre sweeps: each item moves towards the mean position of its neighbours on the next row."""
    above, below = _neighbours(result)
    for sweep in range(6):
        rows = result.rows[1:] if sweep % 2 == 0 else list(reversed(result.rows[:-1]))
        links = above if sweep % 2 == 0 else below
        for row in rows:
            for item in row:
                positions = [result.items[key].order for key in links[item.key]]
                if positions:
                    item.order = sum(positions) / len(positions)
            row.sort(key=lambda i: i.order)
            for index, item in enumerate(row):
                item.order = index


def _place(result: Layout) -> None:
    """x: each item as near the mean of its neighbours as the row's order and spacing allow."""
    above, below = _neighbours(result)
    for row in result.rows:
        _settle(result, row, [0.0] * len(row))
    for sweep in range(10):
        links = above if sweep % 2 == 0 else below
        rows = result.rows if sweep % 2 == 0 else list(reversed(result.rows))
        for row in rows:
            wanted = []
            for item in row:
                xs = [result.items[key].x for key in links[item.key]]
                wanted.append(sum(xs) / len(xs) if xs else item.x)
            _settle(result, row, wanted)
    shift = MARGIN - min(item.x - item.width / 2 for item in result.items.values())
    for item in result.items.values():
        item.x += shift


def _gap(result: Layout, left: Item, right: Item) -> float:
    gap = 6 if left.kind == right.kind == "point" else GAP_X
    return (left.width + right.width) / 2 + gap


def _settle(result: Layout, row: list[Item], wanted: list[float]) -> None:
    """Keep the order and the spacing, least squares from the wanted places (pool adjacent violators)."""
    offsets = [0.0]
    for left, right in pairwise(row):
        offsets.append(offsets[-1] + _gap(result, left, right))
    blocks: list[list[float]] = []  # [mean, count]
    for want, offset in zip(wanted, offsets, strict=True):
        blocks.append([want - offset, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            blocks[-1] = [
                (blocks[-1][0] * blocks[-1][1] + mean * count) / (blocks[-1][1] + count),
                blocks[-1][1] + count,
            ]
    values = [mean for mean, count in blocks for _ in range(int(count))]
    for item, value, offset in zip(row, values, offsets, strict=True):
        item.x = value + offset


@dataclass(frozen=True)
class Path:
    """Where a dossier has been: statuses visited, moves taken (with self-moves), where it is now."""

    statuses: frozenset
    moves: frozenset  # (from_status, to_status, action)
    current: str


def dossier_path(dossier: Dossier, events=None) -> Path:
    events = list(dossier.events.all()) if events is None else events
    moves_taken = {(e.from_status, e.to_status, e.action) for e in events if e.from_status and e.to_status}
    statuses = {s for e in events for s in (e.from_status, e.to_status) if s} | {dossier.status}
    return Path(frozenset(statuses), frozenset(moves_taken), dossier.status)


def workflow_svg(dossier: Dossier | None = None, *, events=None) -> SafeString:
    """The diagram as inline SVG markup (safe: every text escaped), the dossier's path highlighted."""
    result = layout()
    path = dossier_path(dossier, events) if dossier is not None else None
    row_y, y = [], MARGIN
    for row in result.rows:
        height = max((item.height for item in row), default=LINE_H)
        row_y.append(y + height / 2)
        result.row_half.append(height / 2)
        y += height + (22 if row and row[0].row % 2 else 16)
    width = max(item.x + item.width / 2 for item in result.items.values()) + MARGIN
    height = y - 16 + MARGIN
    for item in result.items.values():
        item.y = row_y[item.row]
    title = _("Sơ đồ quy trình giải quyết hồ sơ")
    desc = _(
        "Các trạng thái của hồ sơ và các thao tác chuyển trạng thái, vẽ từ bảng quy trình. "
        "Mũi tên nét đứt là bước quay lại."
    )
    if path is not None:
        desc += " " + _("Màu đỏ: các bước hồ sơ này đã đi qua; ô tô đậm: trạng thái hiện tại (%(status)s).") % {
            "status": _status_label(path.current)
        }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-svg" role="img" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" aria-labelledby="wf-title wf-desc" '
        'font-family="DejaVu Sans, Arial, sans-serif">',
        f'<title id="wf-title">{escape(title)}</title><desc id="wf-desc">{escape(desc)}</desc>',
        "<defs>",
        *(
            f'<marker id="wf-arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{COLOR[name]}"/></marker>'
            for name in ("line", "taken")
        ),
        "</defs>",
    ]
    taken = path.moves if path else frozenset()
    ordered = sorted(result.chains.items(), key=lambda pair: _is_taken(pair[0], taken))  # taken drawn last
    ports = _ports(result)
    parts += [_arrow(result, move, chain, _is_taken(move, taken), ports) for move, chain in ordered]
    parts += [_label(result.items[chain[1]], move, _is_taken(move, taken)) for move, chain in ordered]
    for status in DossierStatus.values:
        parts.append(_status_box(result, result.items[status], path, taken))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built here, every text run through escape()


def _is_taken(move: Move, taken: frozenset) -> bool:
    return (move.source, move.target, move.action) in taken


def _ports(result: Layout) -> dict[tuple[Move, str], float]:
    """Where each arrow meets a status box: spread along its edge in the order of where they go."""
    ends = defaultdict(list)  # (status, side) -> [(neighbour x, move, end)]
    for move, chain in result.chains.items():
        ends[(chain[0], "bottom")].append((result.items[chain[1]].x, move, "upper"))
        ends[(chain[-1], "top")].append((result.items[chain[-2]].x, move, "lower"))
    ports = {}
    for (status, _side), arrows in ends.items():
        box = result.items[status]
        arrows.sort(key=lambda entry: entry[0])
        span = box.width * 0.8
        for index, (_x, move, end) in enumerate(arrows):
            ports[(move, end)] = box.x - span / 2 + span * (index + 1) / (len(arrows) + 1)
    return ports


def _arrow(result: Layout, move: Move, chain: list[str], is_taken: bool, ports: dict) -> str:
    items = [result.items[key] for key in chain]
    points = [(ports[(move, "upper")], items[0].y + items[0].height / 2)]
    for item in items[1:-1]:  # straight down through its row: a bend never cuts a status box's corner
        half = item.height / 2 if item.kind == "label" else result.row_half[item.row]
        points += [(item.x, item.y - half), (item.x, item.y + half)]
    points.append((ports[(move, "lower")], items[-1].y - items[-1].height / 2))
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
    color = "taken" if is_taken else "line"
    is_back = move in result.back
    marker = f'marker-start="url(#wf-arrow-{color})"' if is_back else f'marker-end="url(#wf-arrow-{color})"'
    dash = ' stroke-dasharray="5 4"' if is_back else ""
    return (
        f'<path class="wf-edge{" is-taken" if is_taken else ""}" data-action="{escape(move.action)}" '
        f'data-from="{move.source}" data-to="{move.target}" d="{d}" fill="none" stroke="{COLOR[color]}" '
        f'stroke-width="{2.5 if is_taken else 1.3}"{dash} {marker}/>'
    )


def _text_lines(lines: list[str], x: float, y: float, *, fill: str, size: int = 11, weight: str = "normal") -> str:
    top = y - (len(lines) - 1) * LINE_H / 2
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{top + i * LINE_H:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return (
        f'<text text-anchor="middle" dominant-baseline="central" font-size="{size}" font-weight="{weight}" '
        f'fill="{fill}">{spans}</text>'
    )


def _label(item: Item, move: Move, is_taken: bool) -> str:
    left, top = item.x - item.width / 2, item.y - item.height / 2
    stroke = COLOR["taken"] if is_taken else "#d1d5db"
    return (
        f'<g class="wf-label{" is-taken" if is_taken else ""}" data-action="{escape(move.action)}">'
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{item.width:.1f}" height="{item.height:.1f}" rx="3" '
        f'fill="#ffffff" stroke="{stroke}"/>'
        + _text_lines(item.lines, item.x, item.y, fill=TEXT["taken" if is_taken else "label"])
        + "</g>"
    )


def _status_box(result: Layout, item: Item, path: Path | None, taken: frozenset) -> str:
    is_current = path is not None and item.key == path.current
    is_visited = path is not None and item.key in path.statuses
    fill = COLOR["current"] if is_current else COLOR["visited"] if is_visited else COLOR["node"]
    stroke = COLOR["taken"] if is_visited else "#374151"
    classes = "wf-status" + (" is-current" if is_current else "") + (" is-visited" if is_visited else "")
    left, top = item.x - item.width / 2, item.y - item.height / 2
    text_color = TEXT["current"] if is_current else TEXT["node"]
    parts = [
        f'<g class="{classes}" data-status="{item.key}">',
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{item.width}" height="{item.height:.1f}" rx="8" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{2.5 if is_visited else 1.5}"/>',
    ]
    y = top + LABEL_PAD + 4 + TITLE_H / 2
    for line in item.lines:
        parts.append(_line(item.x, y, line, fill=text_color, size=12, weight="bold", anchor="middle"))
        y += TITLE_H
    loop_moves = result.loops.get(item.key, [])
    if loop_moves:
        y += 6
        parts.append(
            f'<line x1="{left + 8:.1f}" x2="{left + item.width - 8:.1f}" y1="{y - LINE_H / 2 - 3:.1f}" '
            f'y2="{y - LINE_H / 2 - 3:.1f}" stroke="{text_color}" stroke-opacity="0.3"/>'
        )
    for move in loop_moves:
        is_taken = (item.key, item.key, move.action) in taken
        color = text_color if is_current else TEXT["taken"] if is_taken else TEXT["label"]
        weight = "bold" if is_taken else "normal"
        parts.append(f'<g class="wf-loop{" is-taken" if is_taken else ""}" data-action="{escape(move.action)}">')
        for line in _wrap("↻ " + move.label, LOOP_CHARS):
            parts.append(_line(left + 10, y, line, fill=color, size=11, weight=weight, anchor="start"))
            y += LINE_H
        parts.append("</g>")
    parts.append("</g>")
    return "".join(parts)


def _line(x: float, y: float, text: str, *, fill: str, size: int, weight: str, anchor: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="central" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(text)}</text>'
    )


@dataclass(frozen=True)
class Step:
    """One move of a dossier's path, for the text list beside the diagram."""

    label: str
    from_label: str
    to_label: str
    at: object


def path_steps(events) -> list[Step]:
    """The moves a dossier took (its workflow events, audit rows left out), oldest first."""
    return [
        Step(
            label=event_label(event),
            from_label=_status_label(event.from_status) if event.from_status else "",
            to_label=_status_label(event.to_status),
            at=event.created_at,
        )
        for event in events
        if event.action in ACTIONS and event.to_status
    ]
