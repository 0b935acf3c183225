-- The wizard's step a draft was left at (e.g. `contracts`), so that reopening it lands there. NULL for
-- drafts saved by the product form and for every draft saved before this column existed.
ALTER TABLE drafts ADD COLUMN step TEXT;
