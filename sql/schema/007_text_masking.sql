-- masking inside free text (policy.md, Privacy): anything shaped like a resident ID (17 digits followed by a
-- digit or X, or 17 digits alone) shows its first 6 and last 4 characters; a 16-digit household number stays whole.
CREATE OR REPLACE MACRO mask_ids_in(content) AS
    regexp_replace(content, '([0-9]{6})[0-9]{7,8}([0-9]{3}[0-9Xx])', '\1********\2', 'g');
