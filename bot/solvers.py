"""The matching job's solvers, from maintained libraries: SciPy's assignment, networkx's blossom.

Kept out of bot.core (which imports no numerical library): the core states the problems
(bot.core.mentoring.matching.Solver) and this answers them. Both are CPU work: call them off
the event loop. Each library is imported on first use, so a bot that never matches never
loads them.
"""

from __future__ import annotations

from collections.abc import Sequence


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
