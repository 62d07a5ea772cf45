-- install: the extension installs, and every object it creates is documented.
SELECT extname, extversion FROM pg_extension WHERE extname = 'segmentation';
-- every function, aggregate, type and operator of the extension has a COMMENT
SELECT pg_describe_object(classid, objid, 0) AS undocumented
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'segmentation')
  AND d.deptype = 'e'
  AND obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)) IS NULL
  AND NOT (classid = 'pg_type'::regclass AND EXISTS (SELECT 1 FROM pg_type t WHERE t.oid = objid AND (t.typelem <> 0 AND t.typlen = -1 AND t.typname LIKE '\_%')))
ORDER BY 1;
