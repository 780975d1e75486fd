-- The scorecard of a period under way is judged now, so it looks up the dossiers of the subtree a
-- source stamped ahead of our clock (received or ended at now or later: few, usually none). Those
-- ended later are found by dossiers_ended_idx in one descent; those received later were found by
-- dossiers_unit_received_idx, one descent per unit of the subtree (301 for a province: ~9 ms of the
-- ~10 ms an answer cost PostgreSQL, even when none is found). A dossier received at or after an
-- instant is either ended at or after it too (ended_at >= received_at), or open, or ended before
-- its receipt (contradictory data a source may still send): this index holds the last two, so the
-- look-up is two index descents. It holds only open dossiers in practice, a fraction of the table.
CREATE INDEX dossiers_open_received_idx ON dossiers (received_at) WHERE ended_at IS NULL OR ended_at < received_at;
