-- The search text gains the identifiers in the forms officers type
-- them (national number without separators, birth date as 30/07/1985,
-- phone as 0471…, identity card number) and the days of the facts
-- (searched as a range). The index is rebuilt with that text by
-- migration 9 (see migrationFill).
SELECT 1;
