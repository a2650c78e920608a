-- The search text gained the goods, the victim or company filed for,
-- the witnesses and the insurer. The index makes its text from the
-- records (migration 8), so a cache indexed with the older text must be
-- rebuilt: removing a row's tokens needs the text it was indexed with.
-- Rebuilt by rebuildSearchIndex.
SELECT 1;
