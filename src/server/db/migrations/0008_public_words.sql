-- What affected people read about an incident is never its internal title: a public title per language
-- ({"en": "…", "es": "…"}), used by notice templates, inbox macros and the notice site's address. Empty
-- means the neutral default in the reader's language ("Data security incident"), never the internal title.
ALTER TABLE incidents
  ADD COLUMN public_title jsonb NOT NULL DEFAULT '{}'::jsonb
    CONSTRAINT incidents_public_title_object CHECK (jsonb_typeof(public_title) = 'object');
