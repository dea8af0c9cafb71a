-- Which version of its format's reader turned each document into text (src/ingest/parsers/
-- reader-versions.ts). A reader that keeps different text from the same bytes gets a new version,
-- and a sync reads again the documents an older one read, though their files did not change, so
-- the better text reaches what is already indexed. Every document stored so far was read by
-- version 1 of its reader.
ALTER TABLE documents ADD COLUMN reader_version integer NOT NULL DEFAULT 1;
