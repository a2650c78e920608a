-- The statistics indexes (after the backfill of 3: building an
-- index once is cheaper than updating it row by row). Claims and
-- releases, the feed's most common changes, touch none of them.
-- Complaints per type and week (range counts) and handling times.
CREATE INDEX complaints_stats ON complaints(fact_type, received_at, handled_at);
-- Top streets and municipalities of a period, grouped in index order.
CREATE INDEX complaints_places ON complaints(street, municipality_key, received_at, municipality);
-- Closures per week and before a period (the backlog).
CREATE INDEX complaints_closed ON complaints(closed_at) WHERE closed_at IS NOT NULL;
