"""The matching job's solvers, from maintained libraries: SciPy's assignments, networkx's blossom.

Kept out of bot.core (which imports no numerical library): the core states the problems
(bot.core.mentoring.matching.Solver) and this answers them; assign_with_capacity is the
sparse assignment behind bot.fast_matching. All are CPU work: call them off the event loop.
Each library is imported on first use, so a bot that never matches never loads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from bot.core.mentoring.fit import FitContext, LearnerRequest, Mentor
    from bot.core.mentoring.matching import Assignment


class LibrarySolver:
    """bot.core.mentoring.matching.Solver on SciPy and networkx."""

    def assign(self, costs: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
        """Return (row, column) pairs of a least-cost assignment (linear_sum_assignment)."""
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(costs)
        return list(zip(rows.tolist(), cols.tolist(), strict=True))

    def pairs(
        self, nodes: Sequence[str], edges: Sequence[tuple[str, str, int]]
    ) -> set[tuple[str, str]]:
        """Return a maximum-cardinality matching of largest weight (max_weight_matching)."""
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_weighted_edges_from(edges)
        return {(a, b) for a, b in nx.max_weight_matching(graph, maxcardinality=True)}


def assign_with_capacity(
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    weights: npt.NDArray[np.int64],
    capacity: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """Return the indices of the edges of a largest-weight choice within capacities.

    Edge i joins rows[i] and cols[i] (each pair at most once) with an integer weight >= 0
    below 2**52; each row is chosen at most once and column c at most capacity[c] times.
    Solved exactly on a few edges, then proven: each column starts with its heaviest edges;
    an optimal LP dual of that solution (_owed) is checked against every edge, and edges it
    prices below their weight join before solving again. When none is left out, the dual
    proves that no choice among all the edges weighs more. Without a proof after _ROUNDS, or
    once most edges are in, every edge is solved at once.
    """
    import numpy as np

    if len(rows) == 0 or not capacity.any():
        return np.zeros(0, np.int64)
    everything = np.ones(len(rows), bool)
    keep = _heaviest_per_column(everything, cols, weights, capacity * _FIRST + _FIRST_MORE)
    for _ in range(_ROUNDS):
        kept = np.flatnonzero(keep)
        chosen = kept[_solve(rows[kept], cols[kept], weights[kept], capacity)]
        owed = _owed(rows, cols, weights, capacity, keep, chosen)
        if owed is None:
            break
        missing = owed & ~keep
        if not missing.any():
            return chosen
        keep |= _heaviest_per_column(missing, cols, weights, capacity * _MORE + _MORE)
        if keep.sum() * 2 > len(rows):
            break  # most edges are needed: solving them all at once is quicker
    return _solve(rows, cols, weights, capacity)  # not proven yet: solve with every edge


# Each column starts with its 3 x capacity + 5 heaviest edges, and each round adds at most
# 5 x capacity + 5 of the edges the dual prices too low to each column (adding all of them
# at once brought in most edges of a short queue). A queue of 10,000 is proven in two to
# four rounds, one of 1,500 against 1,000 mentors in about ten (bench/mentor_matching.py).
_ROUNDS = 16
_FIRST, _FIRST_MORE, _MORE = 3, 5, 5
_BUCKETS = 1024


def _heaviest_per_column(
    among: npt.NDArray[np.bool_],
    cols: npt.NDArray[np.int64],
    weights: npt.NDArray[np.int64],
    count: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """Return a mask of each column's count[col] heaviest edges among the masked ones.

    A histogram of each column's weights in _BUCKETS buckets first narrows millions of edges
    to the buckets at or above each column's cut, and only those are sorted.
    """
    import numpy as np

    bucket = weights * _BUCKETS // (int(weights.max()) + 1)
    counts = np.bincount(
        cols[among] * _BUCKETS + bucket[among], minlength=len(count) * _BUCKETS
    ).reshape(len(count), _BUCKETS)
    from_top = np.cumsum(counts[:, ::-1], axis=1)
    reached = from_top >= count[:, None]
    cut = _BUCKETS - 1 - np.where(reached.any(axis=1), reached.argmax(axis=1), _BUCKETS - 1)
    narrowed = np.flatnonzero(among & (bucket >= cut[cols]))
    order = narrowed[np.lexsort((-weights[narrowed], cols[narrowed]))]
    ordered = cols[order]
    place = np.arange(len(order)) - np.searchsorted(ordered, ordered)
    kept = np.zeros(len(cols), bool)
    kept[order[place < count[ordered]]] = True
    return kept


def _owed(
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    weights: npt.NDArray[np.int64],
    capacity: npt.NDArray[np.int64],
    keep: npt.NDArray[np.bool_],
    chosen_edges: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_] | None:
    """Return the edges an optimal dual of the kept edges' solution prices below their weight.

    The solution is a circulation through a hub z: z -> row -> col -> z. Shortest distances p
    in its residual graph (Bellman-Ford, every node starting at 0) give column prices
    v = max(p_z - p_col, 0) and row prices u = w(row, its col) - v(its col) when chosen, else
    0: feasible for every kept edge, and of the same total as the solution (complementary
    slackness). u + v >= w on every edge proves the solution optimal among all edges. None
    when the distances do not settle (no proof: the caller solves with every edge).
    """
    import numpy as np

    n_rows, n_cols = int(rows.max()) + 1, len(capacity)
    hub = n_rows + n_cols  # rows are nodes 0.., columns n_rows.., then the hub
    chosen = np.zeros(len(rows), bool)
    chosen[chosen_edges] = True
    taken = np.zeros(n_rows, bool)
    taken[rows[chosen]] = True
    load = np.bincount(cols[chosen], minlength=n_cols)
    kept_rows = np.unique(rows[keep])
    free = keep & ~chosen
    col_node = n_rows + np.arange(n_cols)
    room, used = col_node[load < capacity], col_node[load > 0]
    hubs = np.full(len(kept_rows), hub)
    arcs = (  # (tails, heads, costs) of the residual graph
        (rows[free], n_rows + cols[free], -weights[free]),  # an edge not chosen: take it
        (n_rows + cols[chosen], rows[chosen], weights[chosen]),  # a chosen one: give it back
        (np.where(taken[kept_rows], kept_rows, hubs), np.where(taken[kept_rows], hubs, kept_rows),
         np.zeros(len(kept_rows), np.int64)),  # a row leaves, or may join
        (room, np.full(len(room), hub), np.zeros(len(room), np.int64)),  # a column has room
        (np.full(len(used), hub), used, np.zeros(len(used), np.int64)),  # a column may free one
    )  # fmt: skip
    tails, heads, costs = (np.concatenate(part) for part in zip(*arcs, strict=True))
    distance = np.zeros(hub + 1, np.int64)
    for _ in range(hub + 1):
        proposed = distance[tails] + costs
        better = proposed < distance[heads]
        if not better.any():
            break
        np.minimum.at(distance, heads[better], proposed[better])
    else:
        return None  # a negative cycle: the kept edges were not solved optimally
    price = np.maximum(distance[hub] - distance[n_rows:hub], 0)
    row_price = np.zeros(n_rows, np.int64)
    row_price[rows[chosen]] = weights[chosen] - price[cols[chosen]]
    owed: npt.NDArray[np.bool_] = row_price[rows] + price[cols] < weights
    return owed


def _solve(
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    weights: npt.NDArray[np.int64],
    capacity: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """Return the indices of the best choice among these edges.

    Column c becomes capacity[c] identical slots and every slot a dummy row of weight 0, so a
    full matching of the slots always exists; SciPy's min_weight_full_bipartite_matching
    (LAPJVsp, sparse: only the edges given are stored) then finds the cheapest one.
    """
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    slot_start = np.concatenate(([0], np.cumsum(capacity)))
    slots = int(slot_start[-1])
    copies = capacity[cols]
    order = np.flatnonzero(copies > 0)
    if slots == 0 or len(order) == 0:
        return np.zeros(0, np.int64)
    order = order[np.lexsort((cols[order], rows[order]))]  # CSR: each row's edges together
    rows, cols, weights, copies = rows[order], cols[order], weights[order], copies[order]
    row_ids, local = np.unique(rows, return_inverse=True)
    edge = np.repeat(np.arange(len(rows)), copies)
    nth = np.arange(len(edge)) - np.repeat(np.cumsum(copies) - copies, copies)
    slot = slot_start[cols][edge] + nth
    # Costs are top - weight > 0 (a stored zero would still be an edge, but stay clear of it);
    # a dummy row costs top, the same as an edge of weight 0: leaving a slot empty.
    top = float(weights.max()) + 1.0
    data = np.concatenate((top - weights[edge].astype(np.float64), np.full(slots, top)))
    indices = np.concatenate((slot, np.arange(slots)))
    per_row = np.bincount(local, weights=copies, minlength=len(row_ids)).astype(np.int64)
    indptr = np.concatenate(([0], np.cumsum(per_row), len(edge) + 1 + np.arange(slots)))
    graph = csr_matrix((data, indices, indptr), shape=(len(row_ids) + slots, slots))
    matched_rows, matched_slots = min_weight_full_bipartite_matching(graph)
    real = matched_rows < len(row_ids)
    owner = np.repeat(np.arange(len(capacity)), capacity)
    # Edges are sorted by (row, col): find each chosen one's place by that key.
    key = local * len(capacity) + cols
    found = np.searchsorted(key, matched_rows[real] * len(capacity) + owner[matched_slots[real]])
    chosen: npt.NDArray[np.int64] = order[found]
    return chosen


class QueueSolver:
    """bot.core.mentoring.queue.QueueMatcher on bot.fast_matching (NumPy and SciPy).

    NumPy is imported on the first match, not when the bot starts: a community without
    mentoring requests never loads it.
    """

    def match(
        self, requests: Sequence[LearnerRequest], mentors: Sequence[Mentor], context: FitContext
    ) -> Assignment:
        """Return the largest-total-fit assignment of the queue (CPU work: off the loop)."""
        from bot.fast_matching import match_queue

        return match_queue(requests, mentors, context)
