-- What the statistics screen groups by, as columns of the
-- effective record (filled by the writer; backfillStatsColumns fills
-- existing caches), so Stats reads indexes instead of decoding the JSON
-- of every complaint (3–7 s for 52 weeks of 100,000).
ALTER TABLE complaints ADD COLUMN street TEXT NOT NULL DEFAULT '';  -- place of the facts
ALTER TABLE complaints ADD COLUMN handled_at INTEGER;  -- first history entry to handled, while handled (unix ns)
ALTER TABLE complaints ADD COLUMN closed_at INTEGER;   -- when a final complaint was closed (unix ns), else NULL
